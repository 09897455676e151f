/* Fuzz target: the GVariant text values of "org.systemd.property.*" annotations.
 * A parse either fails or yields a value of a known type whose strings are intact;
 * the same text parses the same way twice (no state, no overflow, no UB). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "cgroup/cgroup_systemd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct cgroup_systemd_prop a, b;
  char *s = fuzz_cstring(data, size);
  int ra, rb;

  if (s == NULL)
    return 0;
  ra = cgroup_systemd_parse_variant(s, &a);
  rb = cgroup_systemd_parse_variant(s, &b);
  if (ra != rb || (ra == 0 && (a.type == 0 || !strchr("tixunqYdbsogA", a.type))))
    abort();
  if (ra == 0 && (a.type != b.type || a.u != b.u || a.i != b.i || a.nstrv != b.nstrv))
    abort();
  if (ra == 0 && strchr("sog", a.type) && (a.s == NULL || strcmp(a.s, b.s) != 0))
    abort();
  for (size_t i = 0; ra == 0 && i < a.nstrv; i++)
    if (strcmp(a.strv[i], b.strv[i]) != 0)
      abort();
  cgroup_systemd_prop_clear(&a);
  cgroup_systemd_prop_clear(&b);
  free(s);
  return 0;
}
