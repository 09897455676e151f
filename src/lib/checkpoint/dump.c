/* `checkpoint`: CRIU dumps the container's process tree (DUMP, or PRE_DUMP for
 * an iteration of memory only) into the image directory, with everything it
 * cannot see by itself: the rootfs, the external mounts and namespaces, the
 * freezer cgroup, and descriptors.json with the init's stdio.  Unless the
 * processes are left running, the container is removed afterwards. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "checkpoint/criu_internal.h"
#include "container/lifecycle.h"
#include "util/cleanup.h"
#include "util/fs.h"

struct dump_ctx {
  const struct criu_options *f;
  struct container_state *st;
  int status_fd;
  int *lock_fd; /* the container's lock, held while CRIU dumps */
};

/* A masked path that is a file (or anything not a directory) was covered by the
 * host's /dev/null: an external bind for CRIU.  Seen through the init's root. */
static bool masked_is_file(void *arg, const char *path) {
  struct dump_ctx *d = arg;
  _cleanup_free_ char *p = NULL;
  struct stat sb;

  if (asprintf(&p, "/proc/%d/root/%s", (int)d->st->init_pid, path) < 0)
    return false;
  return stat(p, &sb) == 0 && !S_ISDIR(sb.st_mode);
}

static int dump_notify(void *arg, const char *script, pid_t pid, int fd, ocirun_error_t **err) {
  struct dump_ctx *d = arg;

  (void)pid;
  if (fd >= 0)
    close(fd);
  if (strcmp(script, "status-ready") != 0)
    return 0;
  /* Lazy migration: the tree is dumped and CRIU serves its pages for as long as the
   * restoring side needs.  The container's lock goes now, so that delete --force can
   * end a migration that never completes, as with runc. */
  if (*d->lock_fd >= 0) {
    close(*d->lock_fd);
    *d->lock_fd = -1;
  }
  /* Whoever waits on --status-fd may go on. */
  if (d->status_fd >= 0) {
    if (write(d->status_fd, "", 1) != 1)
      return ocirun_error_set(err, errno, "write to --status-fd %d", d->status_fd);
    close(d->status_fd);
    d->status_fd = -1;
  }
  return 0;
}

static int open_dir(const char *path, mode_t mode, ocirun_error_t **err) {
  int fd;

  if (mkdir(path, mode) < 0 && errno != EEXIST)
    return ocirun_error_set(err, errno, "mkdir %s", path);
  fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return ocirun_error_set(err, errno, "open %s", path);
  return fd;
}

static int check_status_fd(int fd, ocirun_error_t **err) {
  int fl = fcntl(fd, F_GETFL);

  if (fl < 0)
    return ocirun_error_set(err, errno, "invalid --status-fd argument %d", fd);
  if ((fl & O_ACCMODE) == O_RDONLY)
    return ocirun_error_set(err, 0, "invalid --status-fd argument %d: not writable", fd);
  return 0;
}

static int write_descriptors(const struct criu_options *f, struct container_state *st,
                             ocirun_error_t **err) {
  _cleanup_free_ char *json = NULL, *path = NULL;

  /* A container made before the stdio was recorded: what the init has now. */
  if (st->stdio[0] == NULL && process_stdio_paths(st->init_pid, st->stdio) < 0)
    return ocirun_error_set(err, ENOMEM, "descriptors.json");
  json = descriptors_format(st->stdio);
  if (json == NULL || asprintf(&path, "%s/descriptors.json", f->image_path) < 0)
    return ocirun_error_set(err, ENOMEM, "descriptors.json");
  return fs_write_file_atomic(path, json, strlen(json), 0600, err);
}

/* Everything of the request that depends on the container. */
static int build_request(struct dump_ctx *d, const struct spec *spec, CriuOpts *o, int version,
                         ocirun_error_t **err) {
  const struct criu_options *f = d->f;
  struct container_state *st = d->st;
  struct cgroup *cg = NULL;

  o->root = strdup(st->rootfs);
  o->has_pid = true;
  o->pid = st->init_pid;
  o->has_leave_running = true;
  o->leave_running = f->leave_running;
  if (o->root == NULL)
    return ocirun_error_set(err, ENOMEM, "criu request");
  if (criu_external_ns_for_dump(o, spec, version, err) < 0)
    return -1;
  /* CRIU freezes through the cgroup (else with ptrace); v2 since CRIU 3.14. */
  if (st->cgroup_path &&
      cgroup_open_recorded(st->id, st->cgroup_path, st->cgroup_mounts, st->cgroup_unit_dir,
                           st->systemd_cgroup, &cg, NULL) == 0) {
    const char *dir = cgroup_freezer_dir(cg);
    bool v1 = dir && access(dir, F_OK) == 0 && strstr(dir, "/freezer") != NULL;
    if (dir && (v1 || version >= CRIU_V2_FREEZER_VERSION))
      o->freeze_cgroup = strdup(dir);
    cgroup_close(cg);
  }
  if (f->page_server_addr) {
    o->ps = malloc(sizeof(*o->ps));
    if (o->ps == NULL)
      return ocirun_error_set(err, ENOMEM, "criu request");
    *o->ps = (CriuPageServerInfo)CRIU_PAGE_SERVER_INFO__INIT;
    o->ps->address = strdup(f->page_server_addr);
    o->ps->has_port = true;
    o->ps->port = f->page_server_port;
  }
  if (f->parent_path) {
    o->parent_img = strdup(f->parent_path);
    o->has_track_mem = true;
    o->track_mem = true;
  }
  if (f->pre_dump) {
    CriuFeatures want = CRIU_FEATURES__INIT;
    want.has_mem_track = want.mem_track = true;
    if (criu_check_features(f->criu_path, o, &want, err) < 0)
      return -1;
  }
  if (f->lazy_pages) {
    CriuFeatures want = CRIU_FEATURES__INIT;
    want.has_lazy_pages = want.lazy_pages = true;
    if (criu_check_features(f->criu_path, o, &want, err) < 0)
      return -1;
    if (f->status_fd >= 0) {
      if (check_status_fd(f->status_fd, err) < 0)
        return -1;
      /* Newer CRIUs say "status-ready" (dump_notify writes the byte); older ones
       * write to the fd themselves. */
      if (version < CRIU_STATUS_NOTIFY_VERSION) {
        o->has_status_fd = true;
        o->status_fd = f->status_fd;
      } else {
        d->status_fd = f->status_fd;
      }
    }
  }
  /* A pre-dump is memory only: mounts and descriptors come with the final dump. */
  if (!f->pre_dump) {
    if (criu_mounts_for_dump(o, spec, masked_is_file, d) < 0)
      return ocirun_error_set(err, ENOMEM, "criu request");
    if (write_descriptors(f, st, err) < 0)
      return -1;
  }
  return 0;
}

static int run_dump(struct dump_ctx *d, const struct spec *spec, const char *state_dir,
                    ocirun_error_t **err) {
  const struct criu_options *f = d->f;
  _cleanup_free_ char *work = NULL, *log_path = NULL;
  _cleanup_close_ int image_fd = -1, work_fd = -1;
  CriuOpts o = CRIU_OPTS__INIT;
  CriuReq req = CRIU_REQ__INIT;
  CriuResp *resp = NULL;
  int version = 0, r = -1;

  if (criu_require_version(f->criu_path, CRIU_MIN_VERSION, "checkpoint", err) < 0 ||
      criu_version(f->criu_path, &version, NULL, 0, err) < 0)
    return -1;
  if (f->work_path)
    work = strdup(f->work_path);
  else if (asprintf(&work, "%s/criu.work", state_dir) < 0)
    work = NULL;
  if (work == NULL || asprintf(&log_path, "%s/dump.log", work) < 0)
    return ocirun_error_set(err, ENOMEM, "checkpoint");
  if ((image_fd = open_dir(f->image_path, 0700, err)) < 0 ||
      (work_fd = open_dir(work, 0700, err)) < 0)
    return -1;
  if (criu_opts_common(&o, f, spec, image_fd, work_fd, "dump.log") < 0) {
    criu_opts_free(&o);
    return ocirun_error_set(err, ENOMEM, "criu request");
  }
  if (build_request(d, spec, &o, version, err) == 0) {
    struct criu_session s = {.criu_path = f->criu_path,
                             .stdio = {-1, -1, -1},
                             .log_path = log_path,
                             .on_notify = dump_notify,
                             .arg = d};
    req.type = f->pre_dump ? CRIU_REQ_TYPE__PRE_DUMP : CRIU_REQ_TYPE__DUMP;
    req.opts = &o;
    r = criu_swrk_run(&s, &req, &resp, err);
    if (resp)
      criu_resp__free_unpacked(resp, NULL);
  }
  criu_opts_free(&o);
  return r;
}

int container_checkpoint(const char *root, const char *id, const struct criu_options *f,
                         ocirun_error_t **err) {
  struct container_state st = {0};
  struct spec *spec = NULL;
  _cleanup_close_ int lock = -1;
  _cleanup_free_ char *dir = NULL;
  struct dump_ctx d = {.f = f, .st = &st, .status_fd = -1, .lock_fd = &lock};
  enum container_status status;
  int r = -1;

  if (container_id_validate(id, err) < 0)
    return -1;
  lock = state_lock(root, id, err);
  if (lock < 0 || state_read(root, id, &st, err) < 0)
    return -1;
  status = state_status(root, &st);
  if (status != CONTAINER_RUNNING && status != CONTAINER_PAUSED) {
    ocirun_error_set(err, 0, "Container cannot be checkpointed in %s state",
                     container_status_name(status));
    goto out;
  }
  dir = state_dir_path(root, id);
  if (dir == NULL || checkpoint_prepare_image_dir(f->image_path, f->parent_path, err) < 0 ||
      container_load_spec(root, id, &spec, err) < 0)
    goto out;
  r = run_dump(&d, spec, dir, err);
  /* The dump ended the processes (unless told not to): the container goes too.
   * A failed dump leaves them running, and the container with them. */
  if (r == 0 && !(f->leave_running || f->pre_dump))
    r = container_destroy(root, &st, spec, err);
out:
  if (d.status_fd >= 0)
    close(d.status_fd);
  if (spec)
    spec_free(spec);
  state_clear(&st);
  return r;
}
