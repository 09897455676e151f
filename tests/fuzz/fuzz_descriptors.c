/* Fuzz target: the descriptors.json parser of an image directory (written by any
 * runtime, read at restore), and its printer fed with what it accepted. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint/criu_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *paths[3];
  ocirun_error_t *err = NULL;

  if (descriptors_parse((const char *)data, size, paths, &err) < 0) {
    /* A failed parse leaves an error and nothing to free. */
    if (err == NULL || paths[0] || paths[1] || paths[2])
      abort();
    ocirun_error_free(&err);
    return 0;
  }
  char *again = descriptors_format(paths);
  if (again) {
    char *back[3];
    /* What we write, we read back, the same. */
    if (descriptors_parse(again, strlen(again), back, &err) < 0)
      abort();
    for (int i = 0; i < 3; i++) {
      if (strcmp(back[i] ? back[i] : "", paths[i] ? paths[i] : "") != 0)
        abort();
      free(back[i]);
    }
    free(again);
  }
  for (int i = 0; i < 3; i++)
    free(paths[i]);
  return 0;
}
