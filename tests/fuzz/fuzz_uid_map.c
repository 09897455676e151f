/* Fuzz target: the uid_map text the runtime reads to tell whether it runs in a nested user
 * namespace (rootless podman).  Whatever the text, the answer is the same twice, only the
 * exact identity line can be "identity", and nothing is read past the text (ASan). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/userns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* an exact-size copy: ASan sees any read past the end */
  char *copy = malloc(size ? size : 1);
  bool identity;

  if (copy == NULL)
    return 0;
  memcpy(copy, data, size);
  identity = userns_map_is_identity(copy, size);
  if (identity != userns_map_is_identity(copy, size))
    abort();
  /* an identity map holds the digits of 4294967295 */
  if (identity && (size < 10 || memmem(copy, size, "4294967295", 10) == NULL))
    abort();
  free(copy);
  return 0;
}
