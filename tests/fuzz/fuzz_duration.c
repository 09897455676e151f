/* Fuzz target: `events --interval` durations and `update` memory sizes.
 * A parse either fails with an error message or yields a value that the
 * same text parses to again (no state, no overflow, no UB). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "cgroup/cgroup_units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ocirun_error_t *err = NULL;
  char *s = fuzz_cstring(data, size);
  int64_t a = 0, b = 0;

  if (s == NULL)
    return 0;
  if (fuzz_parsed(units_parse_duration(s, &a, &err), &err) &&
      (units_parse_duration(s, &b, NULL) < 0 || a != b))
    abort();
  if (fuzz_parsed(units_parse_ram_bytes(s, &a, &err), &err) && a < 0)
    abort();
  free(s);
  return 0;
}
