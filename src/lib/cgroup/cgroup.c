/* The driver choice (once, in cgroup_open), the container's cgroup paths, the
 * path recorded in state.json, and the dispatch of the public interface. */
#include "cgroup/cgroup.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "cgroup/cgroup_internal.h"
#include "cgroup/cgroup_paths.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/limits.h"
#include "util/log.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

void cgroup_close(struct cgroup *cg) {
  if (cg == NULL)
    return;
  for (size_t i = 0; i < cg->nhier; i++) {
    free(cg->hier[i].controllers);
    free(cg->hier[i].mount);
    free(cg->hier[i].rel);
    free(cg->hier[i].path);
  }
  free(cg->hier);
  free(cg->id);
  free(cg->recorded);
  free(cg->unified_mount);
  free(cg->unified_path);
  free(cg->unified_rel);
  free(cg->unit);
  free(cg->slice);
  free(cg->unit_dir);
  free(cg->sd);
  if (cg->clone_fd >= 0)
    close(cg->clone_fd);
  free(cg);
}

static struct cgroup *cgroup_new(const char *id, ocirun_error_t **err) {
  struct cgroup *cg = calloc(1, sizeof(*cg));
  if (cg)
    cg->clone_fd = -1;
  if (cg == NULL || (cg->id = strdup(id ? id : "")) == NULL) {
    free(cg);
    ocirun_error_set(err, ENOMEM, "cgroup");
    return NULL;
  }
  return cg;
}

static bool unified_at_root(void) {
  struct statfs sfs;
  return statfs(CGROUP_ROOT, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

/* Recorded form for cgroupfs: the path shared by most hierarchies, then
 * ";<controllers>=<path>" for each hierarchy where it differs (a relative
 * cgroupsPath lands under a different own cgroup per hierarchy). */
static int build_recorded(struct cgroup *cg) {
  const char *base = cg->unified_rel;
  size_t len;
  char *r;

  if (cg->nhier == 0) {
    cg->recorded = strdup(base ? base : "/");
    return cg->recorded ? 0 : -1;
  }
  /* The first non-unified hierarchy's path is the default. */
  base = cg->hier[0].rel;
  len = strlen(base) + 1;
  for (size_t i = 0; i < cg->nhier; i++)
    len += strlen(cg->hier[i].controllers) + strlen(cg->hier[i].rel) + 12;
  r = malloc(len);
  if (r == NULL)
    return -1;
  strcpy(r, base);
  for (size_t i = 0; i < cg->nhier; i++) {
    if (strcmp(cg->hier[i].rel, base) == 0)
      continue;
    strcat(r, ";");
    strcat(r, cg->hier[i].controllers[0] ? cg->hier[i].controllers : "unified");
    strcat(r, "=");
    strcat(r, cg->hier[i].rel);
  }
  cg->recorded = r;
  return 0;
}

/* rel for hierarchy `key` from a recorded string (see build_recorded). */
static char *recorded_rel(const char *recorded, const char *key) {
  const char *semi = strchr(recorded, ';');
  size_t kl = strlen(key);
  for (const char *p = semi; p; p = strchr(p + 1, ';')) {
    if (strncmp(p + 1, key, kl) == 0 && p[1 + kl] == '=') {
      const char *v = p + 2 + kl, *e = strchr(v, ';');
      return strndup(v, e ? (size_t)(e - v) : strlen(v));
    }
  }
  return strndup(recorded, semi ? (size_t)(semi - recorded) : strlen(recorded));
}

static int add_hier(struct cgroup *cg, const struct cgroup_mount *m, char *rel) {
  struct cgroup_hier *n = realloc(cg->hier, (cg->nhier + 1) * sizeof(*n));
  if (n == NULL) {
    free(rel);
    return -1;
  }
  cg->hier = n;
  n = &cg->hier[cg->nhier];
  n->rel = rel;
  n->controllers = strdup(m->controllers);
  n->mount = strdup(m->mountpoint);
  n->path = NULL;
  if (rel && n->mount)
    asprintf(&n->path, "%s%s", n->mount, strcmp(rel, "/") == 0 ? "" : rel);
  cg->nhier++;
  if (!n->controllers || !n->mount || !n->path || !rel)
    return -1;
  return 0;
}

static int set_unified(struct cgroup *cg, const char *mount, char *rel) {
  cg->unified_rel = rel;
  cg->unified_mount = strdup(mount);
  if (!rel || !cg->unified_mount)
    return -1;
  if (asprintf(&cg->unified_path, "%s%s", mount, strcmp(rel, "/") == 0 ? "" : rel) < 0) {
    cg->unified_path = NULL;
    return -1;
  }
  return 0;
}

/* The mounts from a cgroup_mounts_record string: "v1" or "v2" on the first line, then
 * "<1 for cgroup2, else 0>\t<controllers>\t<mount point>" per hierarchy.  -1 when the
 * string does not have that form. */
static int mounts_from_record(const char *text, struct cgroup_mount **out, size_t *count,
                              bool *v2) {
  struct cgroup_mount *v = NULL;
  size_t n = 0;
  const char *p = text;

  if (strncmp(p, "v1\n", 3) != 0 && strncmp(p, "v2\n", 3) != 0)
    return -1;
  *v2 = p[1] == '2';
  for (p += 3; *p;) {
    const char *nl = strchr(p, '\n'), *t1 = strchr(p, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    struct cgroup_mount *nv;
    if (nl == NULL || t1 == NULL || t2 == NULL || t2 > nl || t1 != p + 1 ||
        (*p != '0' && *p != '1'))
      goto bad;
    nv = realloc(v, (n + 1) * sizeof(*v));
    if (nv == NULL)
      goto bad;
    v = nv;
    v[n].v2 = *p == '1';
    v[n].controllers = strndup(t1 + 1, (size_t)(t2 - t1 - 1));
    v[n].mountpoint = strndup(t2 + 1, (size_t)(nl - t2 - 1));
    v[n].root = strdup("/");
    n++;
    if (!v[n - 1].controllers || !v[n - 1].mountpoint || !v[n - 1].root ||
        v[n - 1].mountpoint[0] != '/')
      goto bad;
    p = nl + 1;
  }
  if (n == 0)
    goto bad;
  *out = v;
  *count = n;
  return 0;
bad:
  cgroup_mounts_free(v, n);
  return -1;
}

static bool recordable(const char *s) {
  return strpbrk(s, "\t\n") == NULL;
}

char *cgroup_mounts_record(const struct cgroup *cg) {
  char *text = NULL;
  size_t len = 0;
  FILE *f;
  bool ok = true;

  if (cg->systemd || (cg->drv != &cgroup_v1_driver && cg->drv != &cgroup_v2_driver))
    return NULL;
  f = open_memstream(&text, &len);
  if (f == NULL)
    return NULL;
  if (cg->nhier == 0) {
    ok = cg->unified_mount && recordable(cg->unified_mount);
    fprintf(f, "v2\n1\t\t%s\n", cg->unified_mount ? cg->unified_mount : "");
  } else {
    fputs("v1\n", f);
    for (size_t i = 0; i < cg->nhier; i++) {
      const struct cgroup_hier *h = &cg->hier[i];
      ok = ok && recordable(h->controllers) && recordable(h->mount);
      fprintf(f, "%d\t%s\t%s\n", h->controllers[0] == '\0', h->controllers, h->mount);
    }
  }
  if (fclose(f) != 0 || !ok) {
    free(text);
    return NULL;
  }
  return text;
}

/* Fill the hierarchies: from (cgroups_path, id) for a new container, or from
 * a recorded path (and the recorded mounts, when known) for an existing one. */
int cgroup_setup_fs(struct cgroup *cg, const char *cgroups_path, const char *recorded,
                    const char *mounts_record, ocirun_error_t **err) {
  struct cgroup_mount *mounts = NULL;
  size_t nmounts = 0;
  _cleanup_free_ char *self = NULL;
  bool v2 = false;
  int ret = -1;

  if (recorded && mounts_record && mounts_from_record(mounts_record, &mounts, &nmounts, &v2) == 0) {
    /* The mounts as create found them: no mountinfo to read. */
  } else {
    v2 = unified_at_root();
    if (cgroup_read_mounts(&mounts, &nmounts, err) < 0)
      return -1;
  }
  if (recorded == NULL &&
      fs_read_file("/proc/self/cgroup", LIMIT_PROC_CGROUP_FILE, &self, NULL, err) < 0)
    goto out;
  for (size_t i = 0; i < nmounts; i++) {
    struct cgroup_mount *m = &mounts[i];
    char *rel;
    if (v2 && !(m->v2 && strcmp(m->mountpoint, CGROUP_ROOT) == 0))
      continue;
    if (recorded) {
      rel = recorded_rel(recorded, m->v2 ? "unified" : m->controllers);
    } else {
      _cleanup_free_ char *own = cgroup_own_path(self, m->controllers, m->v2);
      rel = own ? cgroup_compute_rel_mode(cgroups_path, cg->id, own, m->root, v2) : NULL;
    }
    if (v2) {
      if (set_unified(cg, m->mountpoint, rel) < 0)
        goto oom;
      break;
    }
    if (m->v2) {
      /* Hybrid: the cgroup2 mount is joined like any hierarchy. */
      if (cg->unified_path != NULL) {
        free(rel);
        continue;
      }
      if (set_unified(cg, m->mountpoint, rel) < 0)
        goto oom;
      rel = strdup(cg->unified_rel);
    }
    if (add_hier(cg, m, rel) < 0)
      goto oom;
  }
  if (v2 && cg->unified_path == NULL) {
    ocirun_error_set(err, ENOENT, "no cgroup2 mount at %s in /proc/self/mountinfo", CGROUP_ROOT);
    goto out;
  }
  if (!v2 && cg->nhier == 0) {
    ocirun_error_set(err, ENOENT, "no cgroup mounts found in /proc/self/mountinfo");
    goto out;
  }
  cg->drv = v2 ? &cgroup_v2_driver : &cgroup_v1_driver;
  if (recorded)
    cg->recorded = strdup(recorded);
  else if (v2)
    cg->recorded = strdup(cg->unified_rel);
  else if (build_recorded(cg) < 0)
    cg->recorded = NULL;
  if (cg->recorded == NULL)
    goto oom;
  ret = 0;
  goto out;
oom:
  ocirun_error_set(err, ENOMEM, "cgroup paths");
out:
  cgroup_mounts_free(mounts, nmounts);
  return ret;
}

int cgroup_open(const struct cgroup_options *opts, struct cgroup **out, ocirun_error_t **err) {
  struct cgroup *cg = cgroup_new(opts->id, err);
  int r;
  if (cg == NULL)
    return -1;
  cg->systemd = opts->systemd;
  cg->manage_devices = true;
  cg->rootless = opts->rootless;
  cg->resources = opts->resources;
  cg->annotations = opts->annotations;
  cg->has_owner = opts->has_owner;
  cg->owner_uid = opts->owner_uid;
  if (opts->systemd)
    r = cgroup_systemd_open(cg, opts->cgroups_path, NULL, err);
  else
    r = cgroup_setup_fs(cg, opts->cgroups_path, NULL, NULL, err);
  /* A process cloned into a frozen cgroup never runs: the create would wait for it
   * forever.  Refused up front, as runc does, before anything is made. */
  if (r == 0 && cg->drv->is_frozen(cg))
    r = ocirun_error_set(err, 0, "container's cgroup unexpectedly frozen");
  if (r < 0) {
    cgroup_close(cg);
    return -1;
  }
  *out = cg;
  return 0;
}

int cgroup_open_recorded(const char *id, const char *recorded_path, const char *mounts,
                         const char *unit_dir, bool systemd, struct cgroup **out,
                         ocirun_error_t **err) {
  struct cgroup *cg;
  int r;
  if (recorded_path == NULL || recorded_path[0] == '\0')
    return ocirun_error_set(err, ENOENT, "container %s has no cgroup recorded", id);
  cg = cgroup_new(id, err);
  if (cg == NULL)
    return -1;
  cg->systemd = systemd;
  cg->existing = true;
  if (systemd)
    r = cgroup_systemd_open(cg, recorded_path, unit_dir, err);
  else
    r = cgroup_setup_fs(cg, NULL, recorded_path, mounts, err);
  if (r < 0) {
    cgroup_close(cg);
    return -1;
  }
  *out = cg;
  return 0;
}

int cgroup_v2_open_at(const char *root, const char *rel, const char *id, struct cgroup **out,
                      ocirun_error_t **err) {
  struct cgroup *cg = cgroup_new(id, err);
  if (cg == NULL)
    return -1;
  cg->drv = &cgroup_v2_driver;
  /* device rules only when the resources name some: a test tree may not be
   * a cgroup2 mount, where no BPF program can be attached */
  cg->manage_devices = false;
  if (set_unified(cg, root, strdup(rel)) < 0 || (cg->recorded = strdup(rel)) == NULL) {
    cgroup_close(cg);
    return ocirun_error_set(err, ENOMEM, "cgroup");
  }
  *out = cg;
  return 0;
}

const char *cgroup_recorded_path(const struct cgroup *cg) {
  return cg->recorded;
}

const char *cgroup_unit_dir(const struct cgroup *cg) {
  return cg->unit_dir;
}

const char *cgroup_freezer_dir(struct cgroup *cg) {
  struct cgroup_hier *h = cgroup_v1_find(cg, "freezer");

  if (h)
    return h->path;
  /* Pure v2 (and systemd on v2): the unified directory has cgroup.freeze. */
  return cg->nhier == 0 ? cg->unified_path : NULL;
}

const char *cgroup_driver_name(const struct cgroup *cg) {
  return cg->drv->name;
}

int cgroup_create(struct cgroup *cg, ocirun_error_t **err) {
  return cg->drv->create(cg, err);
}

bool cgroup_has_self_join(const struct cgroup *cg) {
  return cg->drv->self_join_fds != NULL;
}

int cgroup_create_clone_target(struct cgroup *cg, ocirun_error_t **err) {
  return cg->drv->create_clone_target ? cg->drv->create_clone_target(cg, err) : 0;
}

int cgroup_self_join_fds(struct cgroup *cg, int **fds, size_t *n, ocirun_error_t **err) {
  *fds = NULL;
  *n = 0;
  if (cg->drv->self_join_fds == NULL)
    return 0;
  return cg->drv->self_join_fds(cg, fds, n, err);
}

int cgroup_self_join(int *fds, size_t n, ocirun_error_t **err) {
  int r = 0;
  for (size_t i = 0; i < n; i++) {
    if (r == 0 && write(fds[i], "0", 1) != 1)
      r = ocirun_error_set(err, errno, "join the container's cgroup (hierarchy %zu)", i);
    close(fds[i]);
  }
  return r;
}

void cgroup_self_join_fds_close(int **fds, size_t *n) {
  for (size_t i = 0; i < *n; i++)
    close((*fds)[i]);
  free(*fds);
  *fds = NULL;
  *n = 0;
}

int cgroup_apply_unjoined(struct cgroup *cg, pid_t pid, ocirun_error_t **err) {
  char buf[24];

  snprintf(buf, sizeof(buf), "%d", (int)pid);
  for (size_t h = 0; h < cg->nhier; h++)
    if (cg->hier[h].controllers[0] == '\0' &&
        cg_write(cg->hier[h].path, "cgroup.procs", buf, NULL, err) < 0)
      return ocirun_error_prefix(err, "adding pid %d to cgroups", (int)pid);
  return 0;
}

int cgroup_clone_fd(struct cgroup *cg) {
  if (cg->clone_fd < 0 && cg->drv->clone_fd)
    cg->clone_fd = cg->drv->clone_fd(cg);
  return cg->clone_fd;
}

int cgroup_apply_like_pid(struct cgroup *cg, pid_t pid, pid_t like_pid, ocirun_error_t **err) {
  _cleanup_free_ char *text = NULL, *file = NULL;
  char buf[24];
  bool v2 = cg->nhier == 0;
  size_t n = v2 ? 1 : cg->nhier;

  if (asprintf(&file, "/proc/%d/cgroup", (int)like_pid) < 0) {
    file = NULL;
    return ocirun_error_set(err, ENOMEM, "join cgroup");
  }
  if (fs_read_file(file, LIMIT_PROC_CGROUP_FILE, &text, NULL, err) < 0)
    return -1;
  snprintf(buf, sizeof(buf), "%d", (int)pid);
  for (size_t i = 0; i < n; i++) {
    const char *mount = v2 ? cg->unified_mount : cg->hier[i].mount;
    const char *ctrls = v2 ? "" : cg->hier[i].controllers;
    _cleanup_free_ char *own = cgroup_own_path(text, ctrls, ctrls[0] == '\0');
    _cleanup_free_ char *dir = NULL;
    if (own == NULL || asprintf(&dir, "%s%s", mount, own) < 0)
      return ocirun_error_set(err, ENOMEM, "join cgroup");
    if (cg_write(dir, "cgroup.procs", buf, NULL, err) < 0)
      return ocirun_error_prefix(err, "join the cgroup of process %d", (int)like_pid);
  }
  return 0;
}

int cgroup_apply(struct cgroup *cg, pid_t pid, const char *sub, ocirun_error_t **err) {
  if (sub && (strstr(sub, "..") || sub[0] == '\0'))
    return ocirun_error_set(err, EINVAL, "invalid sub-cgroup %s", sub);
  return cg->drv->apply(cg, pid, sub, err);
}

int cgroup_apply_subs(struct cgroup *cg, pid_t pid, const struct cgroup_sub *subs, size_t n,
                      ocirun_error_t **err) {
  char buf[24];

  if (n == 0)
    return cgroup_apply(cg, pid, NULL, err);
  if (cg->nhier == 0) {
    /* One hierarchy (cgroup v2): controllers do not select anything there. */
    const char *path = cgroup_subs_pick(subs, n, "");
    for (size_t i = n; path == NULL && i-- > 0;)
      path = subs[i].path;
    if (cg->drv->apply(cg, pid, path && path[0] ? path : NULL, err) < 0)
      return ocirun_error_prefix(err, "adding pid %d to cgroups", (int)pid);
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    bool known = subs[i].controllers == NULL;
    for (size_t h = 0; !known && h < cg->nhier; h++)
      known = cgroup_controllers_overlap(subs[i].controllers, cg->hier[h].controllers);
    if (!known)
      return ocirun_error_set(err, EINVAL, "--cgroup: unknown controller \"%s\"",
                              subs[i].controllers);
  }
  snprintf(buf, sizeof(buf), "%d", (int)pid);
  /* The v1 hierarchies one by one, each in its own sub-cgroup (exists or fails). */
  for (size_t h = 0; h < cg->nhier; h++) {
    const char *sub = cgroup_subs_pick(subs, n, cg->hier[h].controllers);
    _cleanup_free_ char *dir =
        sub && sub[0] ? cg_join(cg->hier[h].path, sub) : strdup(cg->hier[h].path);
    if (dir == NULL)
      return ocirun_error_set(err, ENOMEM, "join cgroup");
    if (cg_write(dir, "cgroup.procs", buf, NULL, err) < 0)
      return ocirun_error_prefix(err, "adding pid %d to cgroups", (int)pid);
  }
  return 0;
}

/* v2 keeps quota and period in one file (cpu.max): a period given alone keeps the quota in
 * force, a quota alone the period, as runc's update does by merging into the container's
 * configuration (systemd needs both to express the quota per second). */
static bool complete_cpu_max(struct cgroup *cg, const struct spec_resources *res,
                             struct spec_resources *copy) {
  _cleanup_free_ char *max = NULL;
  ocirun_error_t *rerr = NULL;
  char *end;
  long long quota;
  unsigned long long period;

  if (cg->nhier != 0 || cg->unified_path == NULL || !res->cpu.present ||
      res->cpu.has_period == res->cpu.has_quota)
    return false;
  if (cg_read(cg->unified_path, "cpu.max", &max, &rerr) < 0) {
    ocirun_error_free(&rerr);
    return false;
  }
  if (strncmp(max, "max", 3) == 0) {
    quota = -1;
    end = max + 3;
  } else {
    quota = strtoll(max, &end, 10);
    if (end == max || quota <= 0)
      return false;
  }
  period = strtoull(end, NULL, 10);
  if (period == 0)
    return false;
  *copy = *res;
  if (!res->cpu.has_quota) {
    copy->cpu.has_quota = true;
    copy->cpu.quota = quota;
  } else {
    copy->cpu.has_period = true;
    copy->cpu.period = period;
  }
  return true;
}

int cgroup_set_resources(struct cgroup *cg, const struct spec_resources *res,
                         ocirun_error_t **err) {
  static const struct spec_resources none;
  struct spec_resources copy;
  if (res == NULL)
    res = &none;
  if (complete_cpu_max(cg, res, &copy))
    res = &copy;
  return cg->drv->set_resources(cg, res, err);
}

int cgroup_freeze(struct cgroup *cg, ocirun_error_t **err) {
  return cg->drv->freeze(cg, true, err);
}

int cgroup_thaw(struct cgroup *cg, ocirun_error_t **err) {
  return cg->drv->freeze(cg, false, err);
}

bool cgroup_is_frozen(struct cgroup *cg) {
  return cg->drv->is_frozen(cg);
}

char *cgroup_freeze_probe(struct cgroup *cg) {
  /* Every driver's is_frozen in one rule: a v1 freezer hierarchy first, else the cgroup2
   * directory (pure v2, a hybrid host without a v1 freezer, systemd over either). */
  struct cgroup_hier *h = cgroup_v1_find(cg, "freezer");
  char *probe = NULL;

  if (h)
    return asprintf(&probe, "v1:%s/freezer.state", h->path) < 0 ? NULL : probe;
  if (cg->unified_path)
    return asprintf(&probe, "v2:%s/cgroup.events", cg->unified_path) < 0 ? NULL : probe;
  return strdup("none");
}

int cgroup_pids(struct cgroup *cg, pid_t **pids, size_t *count, ocirun_error_t **err) {
  const char *dir = cg->drv->procs_dir(cg);
  if (dir == NULL)
    return ocirun_error_set(err, ENOENT, "cgroup of %s: no hierarchy lists its processes", cg->id);
  return cg_collect_pids(dir, pids, count, err);
}

int cgroup_check_unused(struct cgroup *cg, ocirun_error_t **err) {
  _cleanup_free_ pid_t *pids = NULL;
  size_t n = 0;

  if (cgroup_pids(cg, &pids, &n, err) < 0)
    return -1;
  if (n > 0)
    return ocirun_error_set(err, 0, "container's cgroup is not empty: %zu process(es) found", n);
  return 0;
}

int cgroup_kill_all(struct cgroup *cg, int signo, ocirun_error_t **err) {
  ocirun_error_t *ferr = NULL;
  _cleanup_free_ pid_t *pids = NULL;
  size_t n = 0;
  bool frozen;

  /* Nothing to signal in a cgroup that is already gone. */
  if (cg->drv->procs_dir(cg) && access(cg->drv->procs_dir(cg), F_OK) != 0 && errno == ENOENT)
    return 0;
  if (cg->drv->kill_fast) {
    int r = cg->drv->kill_fast(cg, signo, err);
    /* A paused container's processes die only once thawed (the v1 freezer holds them). */
    if (r == 0 && signo == SIGKILL && cg->drv->is_frozen(cg))
      r = cg->drv->freeze(cg, false, err);
    if (r <= 0)
      return r;
  }
  /* Freeze so that nothing forks between listing and signalling. */
  frozen = cg->drv->freeze(cg, true, &ferr) == 0;
  if (!frozen) {
    log_warn("signal all processes: %s", ferr->msg);
    ocirun_error_free(&ferr);
  }
  if (cgroup_pids(cg, &pids, &n, err) < 0) {
    if (frozen)
      cg->drv->freeze(cg, false, NULL);
    return -1;
  }
  for (size_t i = 0; i < n; i++)
    if (kill(pids[i], signo) < 0 && errno != ESRCH)
      log_warn("kill %d: %s", (int)pids[i], strerror(errno));
  if (frozen && cg->drv->freeze(cg, false, err) < 0)
    return -1;
  return 0;
}

int cgroup_oom_kill_count(struct cgroup *cg, uint64_t *count, ocirun_error_t **err) {
  return cg->drv->oom_kill_count(cg, count, err);
}

int cgroup_get_stats(struct cgroup *cg, struct cgroup_stats *st, ocirun_error_t **err) {
  memset(st, 0, sizeof(*st));
  return cg->drv->stats(cg, st, err);
}

const char *cgroup_memory_dir(struct cgroup *cg, bool *v2) {
  struct cgroup_hier *h;
  if (cg->nhier == 0) {
    *v2 = true;
    return cg->unified_path;
  }
  *v2 = false;
  h = cgroup_v1_find(cg, "memory");
  return h ? h->path : NULL;
}

int cgroup_destroy(struct cgroup *cg, ocirun_error_t **err) {
  return cg->drv->destroy(cg, err);
}

bool cgroup_path_is_frozen(const char *recorded_path, const char *mounts, const char *unit_dir,
                           bool systemd) {
  struct cgroup *cg = NULL;
  ocirun_error_t *err = NULL;
  bool frozen;
  if (cgroup_open_recorded("", recorded_path, mounts, unit_dir, systemd, &cg, &err) < 0) {
    ocirun_error_free(&err);
    return false;
  }
  frozen = cgroup_is_frozen(cg);
  cgroup_close(cg);
  return frozen;
}
