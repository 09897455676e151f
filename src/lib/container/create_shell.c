/* The container shell that create and restore share: the bundle's config read
 * and checked, the state (creating) and its directory (locked, with the config
 * copy), the cgroup; and their undo.  What runs in it is create.c's (the init)
 * or restore.c's (CRIU's tree). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/cgroup_owner.h"
#include "container/create_checks.h"
#include "container/lifecycle.h"
#include "linux/intel_rdt.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/limits.h"
#include "util/log.h"
#include "util/syscalls.h"
#include "util/trace.h"

int container_terminal_check(const struct create_options *o, bool terminal, ocirun_error_t **err) {
  if (!terminal && o->console_socket)
    return ocirun_error_set(err, 0,
                            "cannot use console socket if the container does not have a "
                            "terminal (.process.terminal is false)");
  if (terminal && !o->console_socket && (!o->for_run || o->detach))
    return ocirun_error_set(err, 0,
                            "cannot allocate tty if ocirun will detach without setting "
                            "console socket");
  return 0;
}

/* Whether the config asks for a limit (device rules aside: they only restrict). */
static bool has_limits(const struct spec_resources *r) {
  return r->memory.present || r->cpu.present || r->has_pids_limit || r->block_io.present ||
         r->hugepage_limits_len > 0 || r->network.present || r->rdma_len > 0 || r->unified.len > 0;
}

/* As runc: rootless, a cgroup the user may not make is no error when the config
 * asks for neither a cgroup path nor limits; the container runs without one (no
 * limits, `kill --all` and `ps` have nothing to go by). */
static int create_cgroup(const struct create_options *opts, struct container *c,
                         ocirun_error_t **err) {
  const char *path = c->spec->linux_.cgroups_path;
  int e;

  if (cgroup_create(c->cgroup, err) == 0)
    return 0;
  e = (*err)->status;
  if (!opts->rootless || (e != EACCES && e != EPERM && e != EROFS))
    return -1;
  if (path && path[0])
    return ocirun_error_prefix(err, "unable to apply cgroup configuration (rootless: permission "
                                    "denied for .linux.cgroupsPath)");
  if (has_limits(&c->spec->linux_.resources))
    return ocirun_error_prefix(err, "rootless needs no limits + no cgrouppath when no permission "
                                    "is granted for cgroups");
  log_debug("rootless: no cgroup for the container: %s", (*err)->msg);
  ocirun_error_free(err);
  if (spec_find_namespace(c->spec, SPEC_NS_PID) == NULL)
    log_warn("rootless container without a pid namespace of its own and without cgroup "
             "permission: its processes cannot all be found to be killed. Such configuration "
             "is strongly discouraged");
  cgroup_destroy(c->cgroup, NULL);
  cgroup_close(c->cgroup);
  c->cgroup = NULL;
  free(c->state.cgroup_path);
  c->state.cgroup_path = NULL;
  return state_write(opts->root, &c->state, err);
}

void container_create_undo(const char *root, const char *id, struct container *c,
                           bool state_dir_made, ocirun_error_t **err) {
  ocirun_error_t *cleanup_err = NULL;
  uint64_t ooms = 0;

  if (c->pidfd >= 0)
    kill_and_reap(c->pid);
  if (c->cgroup) {
    /* Like the reference runtime: an OOM kill explains most "init died" errors. */
    if (cgroup_oom_kill_count(c->cgroup, &ooms, NULL) == 0 && ooms > 0)
      ocirun_error_prefix(err, "container init was OOM-killed (memory limit too low?)");
    cgroup_kill_all(c->cgroup, SIGKILL, NULL);
    if (cgroup_destroy(c->cgroup, &cleanup_err) < 0) {
      log_warn("cleanup after failed create: %s", cleanup_err->msg);
      ocirun_error_free(&cleanup_err);
    }
  }
  if (c->state.intel_rdt_path &&
      intel_rdt_remove(c->state.intel_rdt_path, c->state.intel_rdt_created,
                       c->state.intel_rdt_mon_path, &cleanup_err) < 0) {
    log_warn("cleanup after failed create: %s", cleanup_err->msg);
    ocirun_error_free(&cleanup_err);
  }
  if (state_dir_made && state_dir_remove(root, id, &cleanup_err) < 0) {
    log_warn("cleanup after failed create: %s", cleanup_err->msg);
    ocirun_error_free(&cleanup_err);
  }
}

static int load_config(const struct create_options *o, struct container *c, char **raw,
                       size_t *raw_len, char **rootfs, ocirun_error_t **err) {
  if (o->bundle && chdir(o->bundle) < 0)
    return ocirun_error_set(err, errno, "chdir to bundle %s", o->bundle);
  if (fs_read_file("config.json", LIMIT_CONFIG_FILE, raw, raw_len, err) < 0)
    return ocirun_error_prefix(err, "load config");
  trace_pointf("read config", "%zu bytes", *raw_len);
  if (spec_parse("config.json", *raw, *raw_len, &c->spec, err) < 0)
    return -1;
  trace_point("parse");
  if (create_checks_run(c->spec, rootfs, err) < 0)
    return -1;
  trace_point("checks");
  return 0;
}

static int fill_state(const struct create_options *o, struct container *c, const char *rootfs,
                      ocirun_error_t **err) {
  struct container_state *st = &c->state;
  char cwd[PATH_MAX];
  const struct spec_kv_list *ann = &c->spec->annotations;

  if (getcwd(cwd, sizeof(cwd)) == NULL)
    return ocirun_error_set(err, errno, "getcwd");
  st->id = strdup(o->id);
  st->bundle = strdup(cwd);
  st->rootfs = strdup(rootfs);
  st->created = container_now_rfc3339();
  st->owner = geteuid();
  st->systemd_cgroup = o->systemd_cgroup;
  st->no_new_keyring = o->no_new_keyring;
  if (!st->id || !st->bundle || !st->rootfs || !st->created)
    return ocirun_error_set(err, ENOMEM, "container state");
  if (ann->len) {
    st->annotations.items = calloc(ann->len, sizeof(struct spec_kv));
    if (st->annotations.items == NULL)
      return ocirun_error_set(err, ENOMEM, "container state");
    for (size_t i = 0; i < ann->len; i++) {
      st->annotations.items[i].key = strdup(ann->items[i].key);
      st->annotations.items[i].value = strdup(ann->items[i].value);
      st->annotations.len++;
    }
  }
  return 0;
}

int container_load_bundle(const struct create_options *opts, struct container *c, char **raw,
                          size_t *raw_len, char **rootfs, ocirun_error_t **err) {
  if (container_id_validate(opts->id, err) < 0)
    return -1;
  return load_config(opts, c, raw, raw_len, rootfs, err);
}

int container_make_shell(const struct create_options *opts, struct container *c, const char *rootfs,
                         bool *state_dir_made, ocirun_error_t **err) {
  struct cgroup_options cgo;
  int64_t owner;

  if (fill_state(opts, c, rootfs, err) < 0)
    return -1;
  if (state_dir_create(opts->root, opts->id, err) < 0) /* the root included */
    return -1;
  *state_dir_made = true;
  c->state_dir = state_dir_path(opts->root, opts->id);
  c->root = opts->root;
  c->lock_fd = state_lock(opts->root, opts->id, err);
  if (c->state_dir == NULL || c->lock_fd < 0)
    return -1;
  trace_point("state dir + lock");
  cgo = (struct cgroup_options){.id = opts->id,
                                .cgroups_path = c->spec->linux_.cgroups_path,
                                .systemd = opts->systemd_cgroup,
                                .rootless = opts->rootless,
                                .resources = &c->spec->linux_.resources,
                                .annotations = &c->spec->annotations};
  owner = container_cgroup_owner(c->spec);
  cgo.has_owner = owner >= 0;
  cgo.owner_uid = owner >= 0 ? (uint32_t)owner : 0;
  if (cgroup_open(&cgo, &c->cgroup, err) < 0)
    return -1;
  trace_pointf("cgroup open", "%s", cgroup_driver_name(c->cgroup));
  /* A cgroup in use is not ours: refused, and left as it is (no undo). */
  if (cgroup_check_unused(c->cgroup, err) < 0) {
    cgroup_close(c->cgroup);
    c->cgroup = NULL;
    return -1;
  }
  c->state.cgroup_path = strdup(cgroup_recorded_path(c->cgroup));
  c->state.cgroup_mounts = cgroup_mounts_record(c->cgroup);
  if ((c->state.freeze_probe = cgroup_freeze_probe(c->cgroup)) == NULL)
    return ocirun_error_set(err, ENOMEM, "record the cgroup");
  if (cgroup_unit_dir(c->cgroup) &&
      (c->state.cgroup_unit_dir = strdup(cgroup_unit_dir(c->cgroup))) == NULL)
    return ocirun_error_set(err, ENOMEM, "record the cgroup");
  if (state_write(opts->root, &c->state, err) < 0)
    return -1;
  trace_point("state write (creating)");
  return 0;
}

int container_save_config(const struct container *c, const char *raw, size_t raw_len,
                          ocirun_error_t **err) {
  _cleanup_free_ char *copy = NULL;

  if (asprintf(&copy, "%s/config.json", c->state_dir) < 0)
    return ocirun_error_set(err, ENOMEM, "config copy of %s", c->state.id);
  if (fs_write_file_atomic(copy, raw, raw_len, 0600, err) < 0)
    return -1;
  trace_point("state config copy");
  return 0;
}

int container_make_cgroup(const struct create_options *opts, struct container *c,
                          ocirun_error_t **err) {
  if (create_cgroup(opts, c, err) < 0)
    return -1;
  trace_point("cgroup create");
  return 0;
}

void container_init_empty(struct container *c) {
  memset(c, 0, sizeof(*c));
  c->pidfd = c->sync_fd = c->console_master = c->lock_fd = -1;
  c->pipes = (struct stdio_pipes)STDIO_PIPES_NONE;
}
