/* Fuzz target: container id validation, checked against a direct reading of the rule
 * [A-Za-z0-9][A-Za-z0-9_+.-]*, at most CONTAINER_ID_MAX characters. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "container/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool reference_valid(const char *id, size_t len) {
  if (len == 0 || len > CONTAINER_ID_MAX)
    return false;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)id[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || !strchr("_+.-", c) || c == '\0'))
      return false;
  }
  return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ocirun_error_t *err = NULL;
  char *id = fuzz_cstring(data, size);
  int rc;

  if (id == NULL)
    return 0;
  rc = container_id_validate(id, &err);
  if ((rc == 0) != reference_valid(id, strlen(id)))
    abort();
  if ((rc < 0) != (err != NULL))
    abort();
  /* The message must stay on one line whatever the id holds. */
  if (err && strchr(err->msg, '\n'))
    abort();
  ocirun_error_free(&err);
  free(id);
  return 0;
}
