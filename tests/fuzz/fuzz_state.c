/* Fuzz target: the internal state.json parser, and every printer fed with what it
 * accepted (runc state JSON, list JSON, hook state, re-serialisation). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct container_state st;
  ocirun_error_t *err = NULL;

  if (state_parse_json("fuzz/state.json", (const char *)data, size, &st, &err) < 0) {
    /* A failed parse must leave an error and nothing to free. */
    if (err == NULL || st.id != NULL || st.annotations.items != NULL)
      abort();
    ocirun_error_free(&err);
    return 0;
  }
  free(state_to_oci_json(&st, CONTAINER_RUNNING));
  free(state_to_oci_json_compact(&st, CONTAINER_STOPPED, "root"));
  free(state_to_hook_json(&st, CONTAINER_CREATING));
  char *again = state_format_json(&st);
  if (again) {
    /* What we write, we read back. */
    struct container_state back;
    if (state_parse_json("fuzz/again", again, strlen(again), &back, &err) < 0)
      abort();
    if (strcmp(back.id, st.id) != 0 || back.init_pid != st.init_pid ||
        back.annotations.len != st.annotations.len)
      abort();
    state_clear(&back);
    free(again);
  }
  state_clear(&st);
  return 0;
}
