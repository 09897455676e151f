/* Fuzz target: the state view (container/state_view.h).  The input is a state.json: its
 * view, rendered by the writer, must parse in the entry point's reader and print exactly
 * what `state` and `list --format json` print from state.json, for every status.  The
 * input is also given to the reader as a view itself, which must refuse it or print
 * within bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container/state.h"
#include "container/state_view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_as_main(const struct container_state *st, enum container_status status,
                         const char *view, size_t len) {
  static char out[1 << 20];
  const char *name = container_status_name(status);
  char *want = state_to_oci_json(st, status);
  long n = state_view_print(view, (long)len, 0, name, NULL, out, sizeof(out));

  if (want && (n < 0 || (size_t)n != strlen(want) || memcmp(out, want, (size_t)n) != 0))
    abort();
  free(want);
  want = state_to_oci_json_compact(st, status, "root");
  n = state_view_print(view, (long)len, 1, name, "root", out, sizeof(out));
  if (want && (n < 0 || (size_t)n != strlen(want) || memcmp(out, want, (size_t)n) != 0))
    abort();
  free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char out[1 << 16];
  struct container_state st;
  ocirun_error_t *err = NULL;
  char *view;
  size_t len = 0;

  state_view_print((const char *)data, (long)size, (int)(size & 1), "running", "root", out,
                   sizeof(out));
  if (state_parse_json("fuzz/state.json", (const char *)data, size, &st, &err) < 0) {
    ocirun_error_free(&err);
    return 0;
  }
  st.created_done = true;
  view = state_view_render(&st, &len);
  if (view) {
    static const enum container_status all[] = {CONTAINER_CREATED, CONTAINER_RUNNING,
                                                CONTAINER_PAUSED, CONTAINER_STOPPED};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
      same_as_main(&st, all[i], view, len);
  }
  free(view);
  state_clear(&st);
  return 0;
}
