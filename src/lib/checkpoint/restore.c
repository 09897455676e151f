/* `restore`: the container's state, cgroup and rootfs are made as create makes
 * them (container_load_bundle, container_make_shell), then CRIU restores the
 * image into them (RESTORE, with the restored tree made our child: rst_sibling).
 * The caller's stdio replaces the pipes the checkpointed init had
 * (descriptors.json -> inherit_fd).  Any failure undoes everything. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checkpoint/criu_internal.h"
#include "checkpoint/restore_rootfs.h"
#include "process/fd_passing.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define CRIU_LSM_VERSION 31600

static int prepare_terminal(struct restore_ctx *x, ocirun_error_t **err) {
  const struct create_options *o = &x->o->create;
  bool terminal = x->c->spec->process.terminal;

  if (container_terminal_check(o, terminal, err) < 0)
    return -1;
  /* Without a socket, a foreground restore keeps the pty master CRIU sends. */
  if (terminal && o->console_socket) {
    x->console_sock = unix_socket_connect(o->console_socket, err);
    return x->console_sock < 0 ? ocirun_error_prefix(err, "console socket") : 0;
  }
  return 0;
}

/* The pipes among the checkpointed init's stdio: CRIU puts our fd i in their place. */
static int add_stdio_pipes(CriuOpts *o, const char *image_path, ocirun_error_t **err) {
  _cleanup_free_ char *path = NULL, *data = NULL;
  char *paths[3] = {NULL, NULL, NULL};
  size_t len = 0;
  int r = 0;

  if (asprintf(&path, "%s/descriptors.json", image_path) < 0)
    return ocirun_error_set(err, ENOMEM, "descriptors.json");
  if (fs_read_file(path, 1 << 20, &data, &len, err) < 0 ||
      descriptors_parse(data, len, paths, err) < 0)
    return ocirun_error_prefix(err, "restore: image %s", image_path);
  for (int i = 0; i < 3 && r == 0; i++)
    if (paths[i] && strstr(paths[i], "pipe:") && criu_opts_add_inherit_fd(o, paths[i], i) < 0)
      r = ocirun_error_set(err, ENOMEM, "criu request");
  for (int i = 0; i < 3; i++)
    free(paths[i]);
  return r;
}

static int build_request(struct restore_ctx *x, CriuOpts *o, int version, const char *criu_root,
                         int **extra, size_t *nextra, ocirun_error_t **err) {
  const struct criu_options *f = &x->o->criu;
  const struct spec *spec = x->c->spec;

  o->root = strdup(criu_root);
  o->has_evasive_devices = o->evasive_devices = true;
  o->has_rst_sibling = o->rst_sibling = true;
  if (o->root == NULL)
    return ocirun_error_set(err, ENOMEM, "criu request");
  if (f->lsm_profile || f->lsm_mount_context) {
    if (criu_require_version(f->criu_path, CRIU_LSM_VERSION,
                             f->lsm_profile ? "--lsm-profile" : "--lsm-mount-context", err) < 0)
      return -1;
    if ((f->lsm_profile && (o->lsm_profile = strdup(f->lsm_profile)) == NULL) ||
        (f->lsm_mount_context && (o->lsm_mount_context = strdup(f->lsm_mount_context)) == NULL))
      return ocirun_error_set(err, ENOMEM, "criu request");
  }
  if (f->lazy_pages) {
    CriuFeatures want = CRIU_FEATURES__INIT;
    want.has_lazy_pages = want.lazy_pages = true;
    if (criu_check_features(f->criu_path, o, &want, err) < 0)
      return -1;
  }
  if (criu_external_ns_for_restore(o, spec, version, extra, nextra, err) < 0)
    return -1;
  if (criu_mounts_for_restore(o, spec) < 0)
    return ocirun_error_set(err, ENOMEM, "criu request");
  return add_stdio_pipes(o, f->image_path, err);
}

static int run_restore(struct restore_ctx *x, struct restore_rootfs *rr, int image_fd,
                       ocirun_error_t **err) {
  const struct criu_options *f = &x->o->criu;
  struct container *c = x->c;
  _cleanup_free_ char *work = NULL, *log_path = NULL;
  _cleanup_close_ int work_fd = -1;
  _cleanup_free_ int *extra = NULL;
  size_t nextra = 0;
  CriuOpts o = CRIU_OPTS__INIT;
  CriuReq req = CRIU_REQ__INIT;
  CriuResp *resp = NULL;
  int version = 0, r = -1;

  if (f->work_path)
    work = strdup(f->work_path);
  else if (asprintf(&work, "%s/criu.work", c->state_dir) < 0)
    work = NULL;
  if (work == NULL || asprintf(&log_path, "%s/restore.log", work) < 0)
    return ocirun_error_set(err, ENOMEM, "restore");
  if (mkdir(work, 0700) < 0 && errno != EEXIST)
    return ocirun_error_set(err, errno, "mkdir %s", work);
  work_fd = open(work, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (work_fd < 0)
    return ocirun_error_set(err, errno, "open %s", work);
  if (criu_version(f->criu_path, &version, NULL, 0, err) < 0)
    return -1;
  if (restore_rootfs_prepare(c->state_dir, c->state.rootfs, c->spec, rr, err) < 0)
    return -1;
  if (criu_opts_common(&o, f, c->spec, image_fd, work_fd, "restore.log") < 0)
    r = ocirun_error_set(err, ENOMEM, "criu request");
  else if (build_request(x, &o, version, rr->criu_root, &extra, &nextra, err) == 0) {
    struct criu_session s = {.criu_path = f->criu_path,
                             .stdio = {0, 1, 2},
                             .extra_fds = extra,
                             .extra_len = nextra,
                             .log_path = log_path,
                             .on_spawn = restore_on_spawn,
                             .on_notify = restore_notify,
                             .arg = x};
    req.type = CRIU_REQ_TYPE__RESTORE;
    req.opts = &o;
    r = criu_swrk_run(&s, &req, &resp, err);
    /* Should CRIU not have said post-restore, its answer names the init. */
    if (r == 0 && !x->restored && resp->restore)
      r = restore_notify(x, "post-restore", resp->restore->pid, -1, err);
    if (resp)
      criu_resp__free_unpacked(resp, NULL);
  }
  for (size_t i = 0; i < nextra; i++)
    close(extra[i]);
  criu_opts_free(&o);
  return r;
}

static int write_pid_file(const char *path, pid_t pid, ocirun_error_t **err) {
  char buf[32];
  int n = snprintf(buf, sizeof(buf), "%d", (int)pid);
  return fs_write_file_atomic(path, buf, (size_t)n, 0644, err);
}

int container_restore(const struct restore_options *ro, struct container *c, ocirun_error_t **err) {
  const struct create_options *co = &ro->create;
  struct restore_ctx x = {.o = ro, .c = c, .console_sock = -1};
  struct restore_rootfs rr = {0};
  _cleanup_free_ char *raw = NULL, *rootfs = NULL;
  _cleanup_close_ int image_fd = -1;
  size_t raw_len = 0;
  bool state_dir_made = false;

  container_init_empty(c);
  if (container_load_bundle(co, c, &raw, &raw_len, &rootfs, err) < 0 ||
      prepare_terminal(&x, err) < 0)
    goto fail;
  /* What can fail without making anything is checked first. */
  if (criu_require_version(ro->criu.criu_path, CRIU_MIN_VERSION, "restore", err) < 0)
    goto fail;
  image_fd = open(ro->criu.image_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (image_fd < 0) {
    ocirun_error_set(err, errno, "restore: open image directory %s", ro->criu.image_path);
    goto fail;
  }
  if (container_make_shell(co, c, rootfs, &state_dir_made, err) < 0 ||
      container_save_config(c, raw, raw_len, err) < 0 || container_make_cgroup(co, c, err) < 0)
    goto fail;
  if (!co->detach && co->subreaper)
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  if (run_restore(&x, &rr, image_fd, err) < 0)
    goto fail;
  if (co->pid_file && write_pid_file(co->pid_file, c->pid, err) < 0)
    goto fail;
  restore_rootfs_release(&rr);
  if (x.console_sock >= 0)
    close(x.console_sock);
  return 0;

fail:
  restore_rootfs_release(&rr);
  if (x.console_sock >= 0)
    close(x.console_sock);
  container_create_undo(co->root, co->id, c, state_dir_made, err);
  container_release(c);
  return -1;
}
