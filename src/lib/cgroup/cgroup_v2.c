/* cgroupfs v2 driver: one directory in the unified hierarchy.  The mount root
 * is a field of the cgroup object, so tests can point it at any tree. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup_internal.h"
#include "util/cleanup.h"

/* Enable every available controller in dir's cgroup.subtree_control, so that
 * its children get the resource files.  Controllers that cannot be enabled
 * (e.g. a threaded subtree) are left out one by one. */
static int enable_controllers(const char *dir, ocirun_error_t **err) {
  _cleanup_free_ char *avail = NULL, *all = NULL;
  size_t len;
  char *save = NULL;

  if (cg_read(dir, "cgroup.controllers", &avail, err) < 0)
    return -1;
  len = strlen(avail);
  all = calloc(1, 2 * len + 2);
  if (all == NULL)
    return ocirun_error_set(err, ENOMEM, "enable controllers in %s", dir);
  _cleanup_free_ char *copy = strdup(avail);
  if (copy == NULL)
    return ocirun_error_set(err, ENOMEM, "enable controllers in %s", dir);
  for (char *c = strtok_r(copy, " \n", &save); c; c = strtok_r(NULL, " \n", &save)) {
    if (all[0])
      strcat(all, " ");
    strcat(all, "+");
    strcat(all, c);
  }
  if (all[0] == '\0')
    return 0;
  if (cg_write(dir, "cgroup.subtree_control", all, NULL, NULL) == 0)
    return 0;
  save = NULL;
  for (char *c = strtok_r(all, " ", &save); c; c = strtok_r(NULL, " ", &save))
    cg_write(dir, "cgroup.subtree_control", c, NULL, NULL);
  return 0;
}

static int v2_create(struct cgroup *cg, ocirun_error_t **err) {
  _cleanup_free_ char *cur = strdup(cg->unified_path);
  size_t ml = strlen(cg->unified_mount);
  if (cur == NULL)
    return ocirun_error_set(err, ENOMEM, "create cgroup");
  /* Walk from the root: each ancestor enables the controllers for the next. */
  for (char *p = cur + ml;;) {
    char saved = *p;
    *p = '\0';
    if (p != cur + ml && cg_mkdir_p(cur, err) < 0)
      return -1;
    if (saved == '\0')
      break;
    if (enable_controllers(cur, err) < 0)
      return -1;
    *p = saved;
    char *next = strchr(p + 1, '/');
    p = next ? next : p + strlen(p);
  }
  return 0;
}

static int v2_clone_fd(struct cgroup *cg) {
  return open(cg->unified_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static int v2_apply(struct cgroup *cg, pid_t pid, const char *sub, ocirun_error_t **err) {
  _cleanup_free_ char *dir = sub ? cg_join(cg->unified_path, sub) : strdup(cg->unified_path);
  char buf[24];
  if (dir == NULL)
    return ocirun_error_set(err, ENOMEM, "join cgroup");
  /* The directory exists: made by cgroup_create, or (exec --cgroup) required to. */
  snprintf(buf, sizeof(buf), "%d", (int)pid);
  if (cg_write(dir, "cgroup.procs", buf, NULL, err) < 0)
    return ocirun_error_prefix(err, "join cgroup");
  return 0;
}

bool cgroup_v2_is_frozen_at(const char *dir) {
  uint64_t v = 0;
  ocirun_error_t *err = NULL;
  int r = cg_read_keyed(dir, "cgroup.events", "frozen", &v, &err);
  ocirun_error_free(&err);
  return r == 0 && v == 1;
}

int cgroup_v2_freeze_at(const char *dir, bool frozen, ocirun_error_t **err) {
  _cleanup_free_ char *events = cg_join(dir, "cgroup.events");
  _cleanup_close_ int fd = -1;
  if (events == NULL)
    return ocirun_error_set(err, ENOMEM, "freeze %s", dir);
  if (access(dir, F_OK) != 0)
    return ocirun_error_set(err, errno, "%s %s", frozen ? "freeze" : "thaw", dir);
  if (!cg_exists(dir, "cgroup.freeze"))
    return ocirun_error_set(err, ENOTSUP, "freeze %s: no cgroup.freeze (kernel older than 5.2)",
                            dir);
  /* Open before writing: a change of cgroup.events wakes poll() with POLLPRI. */
  fd = open(events, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return ocirun_error_set(err, errno, "open %s", events);
  if (cg_write(dir, "cgroup.freeze", frozen ? "1" : "0", NULL, err) < 0)
    return -1;
  /* kernfs keeps reporting POLLPRI once an event was seen, so the wait is
   * bounded by time, with a short pause between reads. */
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (int i = 0;; i++) {
    struct pollfd pfd = {.fd = fd, .events = POLLPRI};
    struct timespec pause = {0, (i < 10 ? 1 : 10) * 1000000L};
    if (cgroup_v2_is_frozen_at(dir) == frozen)
      return 0;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec >= 5)
      break;
    if (poll(&pfd, 1, 10) > 0)
      nanosleep(&pause, NULL);
  }
  if (frozen)
    cg_write(dir, "cgroup.freeze", "0", NULL, NULL);
  return ocirun_error_set(err, ETIMEDOUT, "%s %s: cgroup.events never reported frozen %d",
                          frozen ? "freeze" : "thaw", dir, frozen ? 1 : 0);
}

static int v2_freeze(struct cgroup *cg, bool frozen, ocirun_error_t **err) {
  return cgroup_v2_freeze_at(cg->unified_path, frozen, err);
}

static bool v2_is_frozen(struct cgroup *cg) {
  return cgroup_v2_is_frozen_at(cg->unified_path);
}

static int v2_kill_fast(struct cgroup *cg, int signo, ocirun_error_t **err) {
  if (signo != SIGKILL || !cg_exists(cg->unified_path, "cgroup.kill"))
    return 1;
  ocirun_error_t *kerr = NULL;
  if (cg_write(cg->unified_path, "cgroup.kill", "1", NULL, &kerr) == 0)
    return 0;
  /* A threaded cgroup refuses cgroup.kill: its processes are signalled one by one. */
  if (kerr->status == EOPNOTSUPP) {
    ocirun_error_free(&kerr);
    return 1;
  }
  if (err)
    *err = kerr;
  else
    ocirun_error_free(&kerr);
  return -1;
}

static const char *v2_procs_dir(struct cgroup *cg) {
  return cg->unified_path;
}

static int v2_oom_kill_count(struct cgroup *cg, uint64_t *count, ocirun_error_t **err) {
  return cg_read_keyed(cg->unified_path, "memory.events", "oom_kill", count, err) < 0 ? -1 : 0;
}

/* Whether the config's device rules only deny (the default list is added to
 * them; a container in a user namespace cannot make device nodes anyway). */
static bool only_denies(const struct spec_resources *res) {
  for (size_t i = 0; i < res->devices_len; i++)
    if (res->devices[i].allow)
      return false;
  return true;
}

static int v2_set_resources(struct cgroup *cg, const struct spec_resources *res,
                            ocirun_error_t **err) {
  if (cgroup_v2_set_resources_at(cg->unified_path, res, err) < 0)
    return -1;
  if (cg->manage_devices || res->devices_len) {
    _cleanup_free_ struct spec_device_cgroup_rule *rules = NULL;
    size_t n = 0;
    if (cgroup_device_rules(res, &rules, &n) < 0)
      return ocirun_error_set(err, ENOMEM, ".linux.resources.devices");
    if (cgroup_devices_bpf_apply(cg->unified_path, rules, n, err) < 0) {
      if (cg->rootless && (*err)->status == EPERM && only_denies(res)) {
        ocirun_error_free(err);
        return 0;
      }
      return ocirun_error_prefix(err, ".linux.resources.devices");
    }
  }
  return 0;
}

static int v2_stats(struct cgroup *cg, struct cgroup_stats *st, ocirun_error_t **err) {
  return cgroup_v2_stats_at(cg->unified_path, st, err);
}

static int v2_destroy(struct cgroup *cg, ocirun_error_t **err) {
  if (strcmp(cg->unified_rel, "/") == 0)
    return 0;
  return cg_rmdir_tree(cg->unified_path, err);
}

const struct cgroup_driver cgroup_v2_driver = {
    .name = "cgroupfs v2",
    .create = v2_create,
    .clone_fd = v2_clone_fd,
    .apply = v2_apply,
    .set_resources = v2_set_resources,
    .freeze = v2_freeze,
    .is_frozen = v2_is_frozen,
    .kill_fast = v2_kill_fast,
    .procs_dir = v2_procs_dir,
    .oom_kill_count = v2_oom_kill_count,
    .stats = v2_stats,
    .destroy = v2_destroy,
};
