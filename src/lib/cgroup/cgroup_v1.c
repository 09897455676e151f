/* cgroupfs v1 driver, hybrid layout included: one directory per mounted
 * hierarchy (co-mounted controllers share one), plus the cgroup2 mount when
 * present, which runc joins as well. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup_internal.h"
#include "util/cleanup.h"

static bool has_controller(const char *list, const char *c) {
  size_t cl = strlen(c);
  for (const char *p = list; (p = strstr(p, c)) != NULL; p += cl)
    if ((p == list || p[-1] == ',') && (p[cl] == ',' || p[cl] == '\0'))
      return true;
  return false;
}

struct cgroup_hier *cgroup_v1_find(struct cgroup *cg, const char *controller) {
  for (size_t i = 0; i < cg->nhier; i++)
    if (cg->hier[i].controllers[0] && has_controller(cg->hier[i].controllers, controller))
      return &cg->hier[i];
  return NULL;
}

/* A new cpuset cgroup starts with empty cpus and mems, and no task can join
 * it until both are set: copy them down from the nearest parent. */
static int cpuset_mkdir(const char *mount, const char *path, ocirun_error_t **err) {
  size_t ml = strlen(mount);
  _cleanup_free_ char *cur = strdup(path);
  if (cur == NULL)
    return ocirun_error_set(err, ENOMEM, "create cgroup %s", path);
  for (char *p = cur + ml; p && *p;) {
    char *slash = strchr(p + 1, '/');
    _cleanup_free_ char *parent = strndup(cur, (size_t)(p - cur));
    if (slash)
      *slash = '\0';
    if (parent == NULL)
      return ocirun_error_set(err, ENOMEM, "create cgroup %s", path);
    if (cg_mkdir_p(cur, err) < 0)
      return -1;
    static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
    for (int i = 0; i < 2; i++) {
      _cleanup_free_ char *mine = NULL, *theirs = NULL;
      if (cg_read(cur, files[i], &mine, err) < 0)
        return -1;
      if (strspn(mine, " \n") != strlen(mine))
        continue;
      if (cg_read(parent, files[i], &theirs, err) < 0)
        return -1;
      theirs[strcspn(theirs, "\n")] = '\0';
      if (theirs[0] && cg_write(cur, files[i], theirs, NULL, err) < 0)
        return -1;
    }
    if (slash)
      *slash = '/';
    p = slash;
  }
  return 0;
}

static int v1_mkdir(struct cgroup_hier *h, const char *path, ocirun_error_t **err) {
  if (has_controller(h->controllers, "cpuset"))
    return cpuset_mkdir(h->mount, path, err);
  return cg_mkdir_p(path, err);
}

static int v1_create(struct cgroup *cg, ocirun_error_t **err) {
  for (size_t i = 0; i < cg->nhier; i++)
    if (v1_mkdir(&cg->hier[i], cg->hier[i].path, err) < 0)
      return -1;
  return 0;
}

static int v1_self_join_fds(struct cgroup *cg, int **fds, size_t *n, ocirun_error_t **err) {
  int *v = calloc(cg->nhier ? cg->nhier : 1, sizeof(int));
  size_t k = 0;

  if (v == NULL)
    return ocirun_error_set(err, ENOMEM, "join cgroup");
  for (size_t i = 0; i < cg->nhier; i++) {
    if (cg->hier[i].controllers[0] == '\0')
      continue; /* the cgroup2 mount of a hybrid host: placed by clone3 */
    _cleanup_free_ char *tasks = cg_join(cg->hier[i].path, "tasks");
    int fd = tasks ? open(tasks, O_WRONLY | O_CLOEXEC) : -1;
    if (fd < 0) {
      int saved = tasks ? errno : ENOMEM;
      for (size_t j = 0; j < k; j++)
        close(v[j]);
      free(v);
      return ocirun_error_set(err, saved, "open %s/tasks", cg->hier[i].path);
    }
    v[k++] = fd;
  }
  *fds = v;
  *n = k;
  return 0;
}

/* The cgroup2 mount of a hybrid host takes the child at clone time. */
static int v1_clone_fd(struct cgroup *cg) {
  for (size_t i = 0; i < cg->nhier; i++)
    if (cg->hier[i].controllers[0] == '\0')
      return open(cg->hier[i].path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  return -1;
}

/* Its directory alone, before the clone: joined through cgroup.procs, even by the process
 * itself, it would cost the threadgroup lock (see cgroup_self_join_fds); clone3 does not. */
static int v1_create_clone_target(struct cgroup *cg, ocirun_error_t **err) {
  for (size_t i = 0; i < cg->nhier; i++)
    if (cg->hier[i].controllers[0] == '\0')
      return cg_mkdir_p(cg->hier[i].path, err);
  return 0;
}

static int v1_apply(struct cgroup *cg, pid_t pid, const char *sub, ocirun_error_t **err) {
  char buf[24];
  snprintf(buf, sizeof(buf), "%d", (int)pid);
  for (size_t i = 0; i < cg->nhier; i++) {
    struct cgroup_hier *h = &cg->hier[i];
    _cleanup_free_ char *dir = sub ? cg_join(h->path, sub) : strdup(h->path);
    if (dir == NULL)
      return ocirun_error_set(err, ENOMEM, "join cgroup");
    /* The directories exist: made by cgroup_create, or (exec --cgroup) required to. */
    if (cg_write(dir, "cgroup.procs", buf, NULL, err) < 0)
      return ocirun_error_prefix(err, "join cgroup");
  }
  return 0;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static int freezer_state(const char *dir, char *buf, size_t len, ocirun_error_t **err) {
  _cleanup_free_ char *s = NULL;
  if (cg_read(dir, "freezer.state", &s, err) < 0)
    return -1;
  s[strcspn(s, "\n")] = '\0';
  snprintf(buf, len, "%s", s);
  return 0;
}

static int v1_freeze(struct cgroup *cg, bool frozen, ocirun_error_t **err) {
  struct cgroup_hier *h = cgroup_v1_find(cg, "freezer");
  const char *want = frozen ? "FROZEN" : "THAWED";
  char state[32];

  if (h == NULL) {
    /* Hybrid without a v1 freezer: the cgroup2 mount freezes as well. */
    if (cg->unified_path && cg_exists(cg->unified_path, "cgroup.freeze"))
      return cgroup_v2_freeze_at(cg->unified_path, frozen, err);
    return ocirun_error_set(err, ENOENT, "freezer cgroup is not mounted");
  }
  /* FREEZING can last while tasks are in uninterruptible sleep; writing
   * FROZEN again retries the freeze of the stragglers. */
  for (int i = 0; i < 2000; i++) {
    if (i % 50 == 0 && cg_write(h->path, "freezer.state", want, NULL, err) < 0)
      return -1;
    if (freezer_state(h->path, state, sizeof(state), err) < 0)
      return -1;
    if (strcmp(state, want) == 0)
      return 0;
    sleep_ms(i < 10 ? 1 : 5);
  }
  if (frozen)
    cg_write(h->path, "freezer.state", "THAWED", NULL, NULL);
  return ocirun_error_set(err, ETIMEDOUT, "%s %s/freezer.state: still %s",
                          frozen ? "freeze" : "thaw", h->path, state);
}

bool cgroup_v1_freezer_is_frozen_at(const char *dir) {
  char state[32];
  ocirun_error_t *err = NULL;
  if (freezer_state(dir, state, sizeof(state), &err) < 0) {
    ocirun_error_free(&err);
    return false;
  }
  return strcmp(state, "FROZEN") == 0;
}

static bool v1_is_frozen(struct cgroup *cg) {
  struct cgroup_hier *h = cgroup_v1_find(cg, "freezer");
  if (h)
    return cgroup_v1_freezer_is_frozen_at(h->path);
  if (cg->unified_path)
    return cgroup_v2_is_frozen_at(cg->unified_path);
  return false;
}

static int v1_kill_fast(struct cgroup *cg, int signo, ocirun_error_t **err) {
  /* Hybrid: every container process is in the cgroup2 directory too. */
  if (signo == SIGKILL && cg->unified_path && cg_exists(cg->unified_path, "cgroup.kill"))
    return cg_write(cg->unified_path, "cgroup.kill", "1", NULL, err);
  return 1;
}

static const char *v1_procs_dir(struct cgroup *cg) {
  struct cgroup_hier *h = cgroup_v1_find(cg, "freezer");
  if (h == NULL)
    h = cgroup_v1_find(cg, "pids");
  if (h == NULL && cg->nhier > 0)
    h = &cg->hier[0];
  return h ? h->path : NULL;
}

static int v1_oom_kill_count(struct cgroup *cg, uint64_t *count, ocirun_error_t **err) {
  struct cgroup_hier *h = cgroup_v1_find(cg, "memory");
  if (h == NULL)
    return ocirun_error_set(err, ENOENT, "memory cgroup is not mounted");
  return cg_read_keyed(h->path, "memory.oom_control", "oom_kill", count, err) < 0 ? -1 : 0;
}

static int v1_destroy(struct cgroup *cg, ocirun_error_t **err) {
  int ret = 0;
  for (size_t i = 0; i < cg->nhier; i++) {
    /* Never remove a hierarchy root (cgroupsPath "/"). */
    if (strcmp(cg->hier[i].rel, "/") == 0)
      continue;
    if (cg_rmdir_tree(cg->hier[i].path, ret < 0 ? NULL : err) < 0)
      ret = -1;
  }
  return ret;
}

static int v1_stats(struct cgroup *cg, struct cgroup_stats *st, ocirun_error_t **err) {
  return cgroup_v1_stats(cg, st, err);
}

const struct cgroup_driver cgroup_v1_driver = {
    .name = "cgroupfs v1",
    .create = v1_create,
    .clone_fd = v1_clone_fd,
    .self_join_fds = v1_self_join_fds,
    .create_clone_target = v1_create_clone_target,
    .apply = v1_apply,
    .set_resources = cgroup_v1_set_resources,
    .freeze = v1_freeze,
    .is_frozen = v1_is_frozen,
    .kill_fast = v1_kill_fast,
    .procs_dir = v1_procs_dir,
    .oom_kill_count = v1_oom_kill_count,
    .stats = v1_stats,
    .destroy = v1_destroy,
};
