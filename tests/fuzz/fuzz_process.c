/* libFuzzer target: process.json parsing (exec --process). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ocirun_error_t *err = NULL;
  struct spec_process process;

  if (spec_process_parse("process.json", (const char *)data, size, &process, &err) == 0) {
    if (!process.present || process.cwd == NULL || process.args.len == 0)
      abort();
    spec_process_clear(&process);
    return 0;
  }
  if (err == NULL || strncmp(err->msg, "process.json: ", 14) != 0)
    abort();
  /* a failed parse leaves nothing to free */
  if (process.cwd != NULL || process.args.items != NULL)
    abort();
  ocirun_error_free(&err);
  return 0;
}
