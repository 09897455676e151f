/* The fuzzer's bytes as a NUL-terminated string (malloc'd; NULL when out of memory), for the
 * targets whose parser takes a C string. */
#ifndef OCIRUN_FUZZ_INPUT_H
#define OCIRUN_FUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

static inline char *fuzz_cstring(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  if (s == NULL)
    return NULL;
  memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

/* The contract of a parser with an error out-parameter: a failure comes with an error (freed
 * here), a success without one; anything else aborts.  Returns whether it parsed. */
static inline bool fuzz_parsed(int r, ocirun_error_t **err) {
  if ((r < 0) != (*err != NULL))
    abort();
  ocirun_error_free(err);
  return r >= 0;
}

#endif
