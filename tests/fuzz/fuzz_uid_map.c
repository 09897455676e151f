/* Fuzz target: the uid_map text that the systemd driver reads to find a rootless runtime's
 * outside uid.  Whatever the text, a lookup either fails or names an outside id that the
 * same line maps, and never reads past the text (ASan). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/userns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint32_t id = 0, outer, again;
  char *copy;

  if (size >= 4) {
    memcpy(&id, data, 4);
    data += 4;
    size -= 4;
  }
  /* an exact-size copy: ASan sees any read past the end */
  copy = malloc(size ? size : 1);
  if (copy == NULL)
    return 0;
  memcpy(copy, data, size);
  if (userns_outer_id(copy, size, id, &outer) == 0 &&
      (userns_outer_id(copy, size, id, &again) < 0 || again != outer))
    abort();
  free(copy);
  return 0;
}
