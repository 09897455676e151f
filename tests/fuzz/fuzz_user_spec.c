/* Fuzz target: the exec --user "UID[:GID]" parser; what it accepts must
 * print back to an equivalent string of plain decimal ids. */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "util/user_spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ocirun_error_t *err = NULL;
  char *s = fuzz_cstring(data, size);
  char printed[32];
  uint32_t uid, gid, uid2, gid2;
  bool has_gid, has_gid2;

  if (s == NULL)
    return 0;
  if (!fuzz_parsed(user_spec_parse(s, &uid, &gid, &has_gid, &err), &err)) {
    free(s);
    return 0;
  }
  if (uid == UINT32_MAX || (has_gid && gid == UINT32_MAX))
    abort();
  if (has_gid)
    snprintf(printed, sizeof(printed), "%" PRIu32 ":%" PRIu32, uid, gid);
  else
    snprintf(printed, sizeof(printed), "%" PRIu32, uid);
  if (user_spec_parse(printed, &uid2, &gid2, &has_gid2, &err) < 0 || uid2 != uid ||
      has_gid2 != has_gid || (has_gid && gid2 != gid))
    abort();
  free(s);
  return 0;
}
