/* The writer of the state view (state_view.h): the objects rendered by the same code
 * that `state` and `list` use, with the facts the reader needs to fill them in. */
#include "container/state_view.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/fs.h"

static void put_text(FILE *f, char tag, const char *s) {
  fprintf(f, "%c %zu:%s\n", tag, strlen(s), s);
}

static int put_json(FILE *f, char tag, const struct container_state *st, bool pretty) {
  struct state_json_cuts c;
  char *json = state_to_oci_json_cut(st, pretty, &c);

  if (json == NULL)
    return -1;
  fprintf(f, "%c %zu %zu %zu %zu %zu %zu %zu:%s\n", tag, c.pid[0], c.pid[1], c.status[0],
          c.status[1], c.owner[0], c.owner[1], strlen(json), json);
  free(json);
  return 0;
}

char *state_view_render(const struct container_state *st, size_t *len) {
  char *data = NULL;
  FILE *f = open_memstream(&data, len);
  bool ok;

  if (f == NULL)
    return NULL;
  fputs(STATE_VIEW_MAGIC, f);
  fprintf(f, "N %d %d %" PRIu64 " %u\n", st->created_done ? 1 : 0, (int)st->init_pid,
          st->init_start_time, (unsigned)st->owner);
  /* The freezer is looked at only where state_status looks: a recorded cgroup. */
  put_text(f, 'F',
           st->cgroup_path == NULL ? "none"
           : st->freeze_probe      ? st->freeze_probe
                                   : "unknown");
  put_text(f, 'I', st->id);
  put_text(f, 'B', st->bundle ? st->bundle : "");
  put_text(f, 'C', st->created ? st->created : "0001-01-01T00:00:00Z");
  ok = put_json(f, 'P', st, true) == 0 && put_json(f, 'L', st, false) == 0;
  if (fclose(f) != 0 || !ok) {
    free(data);
    return NULL;
  }
  return data;
}

int state_view_write(const char *root, const struct container_state *st, ocirun_error_t **err) {
  _cleanup_free_ char *path = NULL, *data = NULL;
  size_t len = 0;

  /* `creating` is left to state.json: the reader steps aside without a view. */
  if (!st->created_done)
    return 0;
  if (asprintf(&path, "%s/%s/" STATE_VIEW_FILE, root, st->id) < 0) {
    path = NULL;
    return ocirun_error_set(err, ENOMEM, "write the state view of %s", st->id);
  }
  if ((data = state_view_render(st, &len)) == NULL)
    return ocirun_error_set(err, ENOMEM, "write the state view of %s", st->id);
  return fs_write_file_atomic(path, data, len, 0600, err);
}
