/* libFuzzer target: mount option lists (the input split at NUL bytes) through
 * the option parser, plus the lexical cleaning of mount destinations. */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linux/mount_options.h"
#include "linux/path_resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = malloc(size + 1), *items[64];
  struct spec_strv v = {.items = items, .len = 0};
  struct mount_options mo;
  ocirun_error_t *err = NULL;
  char clean[PATH_MAX];
  uint64_t set, clr;
  size_t start = 0;

  if (buf == NULL)
    return 0;
  memcpy(buf, data, size);
  buf[size] = '\0';
  path_clean(buf, clean, sizeof(clean));
  for (size_t i = 0; i <= size && v.len < 64; i++) {
    if (buf[i] == '\0') {
      items[v.len++] = buf + start;
      start = i + 1;
    }
  }
  if (mount_options_parse(&v, 0, &mo, &err) == 0) {
    mount_options_attrs(&mo, &set, &clr);
    if (mo.data && strlen(mo.data) > size)
      abort(); /* the data string only ever holds input text and commas */
    mount_options_clear(&mo);
  }
  ocirun_error_free(&err);
  free(buf);
  return 0;
}
