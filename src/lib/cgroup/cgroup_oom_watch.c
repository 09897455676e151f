/* OOM events of a container's cgroup, for `events`.  v1: an eventfd registered on
 * memory.oom_control through cgroup.event_control (it also fires when the cgroup is
 * removed); v2: inotify on memory.events (the oom_kill count) and cgroup.events (the
 * end: "populated 0"). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "cgroup/cgroup_internal.h"
#include "util/cleanup.h"

struct cgroup_oom_watch {
  struct cgroup *cg;
  int fd; /* eventfd (v1) or inotify (v2) */
  bool v2;
  const char *dir; /* the memory cgroup (v1) or the unified one (v2) */
  uint64_t kills;  /* v2: the oom_kill count last seen */
};

static int watch_v2(struct cgroup_oom_watch *w, ocirun_error_t **err) {
  static const char *const files[] = {"memory.events", "cgroup.events"};
  w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (w->fd < 0)
    return ocirun_error_set(err, errno, "inotify_init1");
  for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    _cleanup_free_ char *path = cg_join(w->dir, files[i]);
    if (path == NULL)
      return ocirun_error_set(err, ENOMEM, "watch %s", w->dir);
    if (inotify_add_watch(w->fd, path, IN_MODIFY) < 0)
      return ocirun_error_set(err, errno, "inotify_add_watch %s", path);
  }
  cgroup_oom_kill_count(w->cg, &w->kills, NULL);
  return 0;
}

static int watch_v1(struct cgroup_oom_watch *w, ocirun_error_t **err) {
  _cleanup_free_ char *control = cg_join(w->dir, "memory.oom_control");
  _cleanup_free_ char *event_control = cg_join(w->dir, "cgroup.event_control");
  _cleanup_close_ int oc = -1, ec = -1;
  char line[64];

  if (control == NULL || event_control == NULL)
    return ocirun_error_set(err, ENOMEM, "watch %s", w->dir);
  oc = open(control, O_RDONLY | O_CLOEXEC);
  if (oc < 0)
    return ocirun_error_set(err, errno, "open %s", control);
  w->fd = eventfd(0, EFD_CLOEXEC);
  if (w->fd < 0)
    return ocirun_error_set(err, errno, "eventfd");
  ec = open(event_control, O_WRONLY | O_CLOEXEC);
  snprintf(line, sizeof(line), "%d %d", w->fd, oc);
  if (ec < 0 || write(ec, line, strlen(line)) < 0)
    return ocirun_error_set(err, errno, "register OOM notification in %s", event_control);
  return 0;
}

int cgroup_oom_watch_open(struct cgroup *cg, struct cgroup_oom_watch **out, ocirun_error_t **err) {
  struct cgroup_oom_watch *w;
  int r;

  *out = NULL;
  w = calloc(1, sizeof(*w));
  if (w == NULL)
    return ocirun_error_set(err, ENOMEM, "watch OOM events");
  w->cg = cg;
  w->fd = -1;
  w->dir = cgroup_memory_dir(cg, &w->v2);
  if (w->dir == NULL) {
    free(w);
    return 0; /* no memory controller: nothing to watch */
  }
  r = w->v2 ? watch_v2(w, err) : watch_v1(w, err);
  if (r < 0) {
    cgroup_oom_watch_close(w);
    return -1;
  }
  *out = w;
  return 0;
}

int cgroup_oom_watch_fd(const struct cgroup_oom_watch *w) {
  return w ? w->fd : -1;
}

static bool populated(const char *dir) {
  _cleanup_free_ char *text = NULL;
  if (cg_read(dir, "cgroup.events", &text, NULL) < 0)
    return false;
  return strstr(text, "populated 1\n") != NULL;
}

int cgroup_oom_watch_read(struct cgroup_oom_watch *w, bool *oom) {
  *oom = false;
  if (!w->v2) {
    uint64_t n;
    if (read(w->fd, &n, sizeof(n)) < 0)
      return 0;
    if (!cg_exists(w->dir, "cgroup.event_control"))
      return 1;
    *oom = true;
    return 0;
  }
  char buf[4096];
  while (read(w->fd, buf, sizeof(buf)) > 0)
    ;
  uint64_t kills = 0;
  if (cgroup_oom_kill_count(w->cg, &kills, NULL) < 0)
    return 1; /* memory.events gone with the cgroup */
  *oom = kills > w->kills;
  w->kills = kills;
  return populated(w->dir) ? 0 : 1;
}

void cgroup_oom_watch_close(struct cgroup_oom_watch *w) {
  if (w == NULL)
    return;
  if (w->fd >= 0)
    close(w->fd);
  free(w);
}
