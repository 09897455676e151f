/* libFuzzer target: config.json parsing, the "not supported" check and freeing.
 * Besides crashes and leaks, it checks that every error names the document. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ocirun_error_t *err = NULL;
  struct spec *spec = NULL;

  if (spec_parse("config.json", (const char *)data, size, &spec, &err) == 0) {
    if (spec == NULL || err != NULL)
      abort();
    spec_check_supported(spec, &err);
    ocirun_error_free(&err);
    spec_free(spec);
    return 0;
  }
  if (err == NULL || strncmp(err->msg, "config.json: ", 13) != 0)
    abort();
  ocirun_error_free(&err);
  return 0;
}
