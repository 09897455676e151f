/* `delete`: remove a stopped container (or, with --force, kill it first).
 * Works from whatever state.json recorded, so a create that crashed half-way
 * is cleaned up too. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "container/lifecycle.h"
#include "linux/hooks.h"
#include "linux/intel_rdt.h"
#include "util/cleanup.h"
#include "util/limits.h"
#include "util/log.h"
#include "util/syscalls.h"
#include "util/trace.h"

/* Wait until the pidfd's process has exited (it may stay a zombie: that is fine). */
static void wait_exit(int pidfd, int timeout_ms) {
  struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
  while (poll(&pfd, 1, timeout_ms) < 0 && errno == EINTR)
    ;
}

static int kill_init(struct container_state *st, struct cgroup *cg, ocirun_error_t **err) {
  _cleanup_close_ int pidfd = -1;

  if (cg) {
    /* A container that exited by itself (the usual `run` and `delete`) has an empty
     * cgroup: skip the freeze-signal-thaw round of kill_all. */
    pid_t *pids = NULL;
    size_t n = 0;
    if (cgroup_pids(cg, &pids, &n, err) < 0)
      return -1;
    free(pids);
    trace_pointf("cgroup pids", "%zu", n);
    if (n > 0 && cgroup_kill_all(cg, SIGKILL, err) < 0)
      return -1;
    if (n > 0)
      trace_point("cgroup kill");
  }
  if (st->init_pid <= 0)
    return 0;
  if (pidfd_open_recorded(st->init_pid, st->init_start_time, "container init", &pidfd, NULL) < 0 ||
      pidfd < 0)
    return 0;
  if (sys_pidfd_send_signal(pidfd, SIGKILL) < 0 && errno != ESRCH)
    return ocirun_error_set(err, errno, "kill container init %d", (int)st->init_pid);
  trace_point("kill init");
  wait_exit(pidfd, 10000);
  trace_point("wait for init exit");
  return 0;
}

/* Every process of the cgroup must be gone before it can be removed. */
static int wait_cgroup_empty(struct cgroup *cg, ocirun_error_t **err) {
  for (int i = 0; i < LIMIT_CGROUP_EMPTY_ROUNDS; i++) {
    pid_t *pids = NULL;
    size_t n = 0;
    if (cgroup_pids(cg, &pids, &n, err) < 0)
      return -1;
    free(pids);
    if (n == 0) {
      trace_pointf("wait for empty cgroup", "%d rounds", i + 1);
      return 0;
    }
    if (i % 50 == 49)
      cgroup_kill_all(cg, SIGKILL, NULL);
    struct timespec ts = {0, LIMIT_CGROUP_EMPTY_PAUSE_MS * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  return ocirun_error_set(err, EBUSY, "processes of the container are still alive after SIGKILL");
}

int container_destroy(const char *root, struct container_state *st, const struct spec *spec,
                      ocirun_error_t **err) {
  struct cgroup *cg = NULL;
  int r = 0;

  if (st->cgroup_path) {
    if (cgroup_open_recorded(st->id, st->cgroup_path, st->cgroup_mounts, st->cgroup_unit_dir,
                             st->systemd_cgroup, &cg, err) < 0)
      return -1;
    trace_point("cgroup open");
    if (kill_init(st, cg, err) < 0 || wait_cgroup_empty(cg, err) < 0 ||
        cgroup_destroy(cg, err) < 0) {
      cgroup_close(cg);
      return -1;
    }
    trace_point("cgroup destroy");
    cgroup_close(cg);
  } else if (kill_init(st, NULL, err) < 0) {
    return -1;
  }
  /* Only once every process is gone: the group made at create goes with it. */
  if (st->intel_rdt_path &&
      intel_rdt_remove(st->intel_rdt_path, st->intel_rdt_created, st->intel_rdt_mon_path, err) < 0)
    return -1;
  if (spec && spec->hooks.poststop.len > 0) {
    _cleanup_free_ char *json = state_to_hook_json(st, CONTAINER_STOPPED);
    ocirun_error_t *hook_err = NULL;
    /* As runc: a failing poststop hook is reported, the delete goes on. */
    if (json && hooks_run(&spec->hooks.poststop, "poststop", json, &hook_err) < 0) {
      log_warn("%s", hook_err->msg);
      ocirun_error_free(&hook_err);
    }
    trace_pointf("hooks", "poststop (%zu)", spec->hooks.poststop.len);
  }
  if (state_dir_remove(root, st->id, err) < 0)
    r = -1;
  trace_point("state dir remove");
  return r;
}

int container_delete(const char *root, const char *id, bool force, ocirun_error_t **err) {
  struct container_state st = {0};
  struct spec *spec = NULL;
  ocirun_error_t *read_err = NULL;
  _cleanup_close_ int lock = -1;
  enum container_status status;
  int r = -1;

  if (container_id_validate(id, err) < 0)
    return -1;
  lock = state_lock(root, id, err);
  if (lock < 0) {
    if (force && (*err)->status == ENOENT) {
      ocirun_error_free(err);
      return 0;
    }
    return -1;
  }
  trace_point("lock");
  if (state_read(root, id, &st, &read_err) < 0) {
    /* A create killed before it wrote any state leaves only the directory. */
    if (read_err->status == ENOENT) {
      ocirun_error_free(&read_err);
      if (state_dir_remove(root, id, err) < 0)
        return -1;
      if (force)
        return 0;
      return ocirun_error_set(err, 0, "container does not exist");
    }
    ocirun_error_move(err, &read_err);
    return -1;
  }
  trace_point("state read");
  status = state_status(root, &st);
  trace_pointf("status", "%s", container_status_name(status));
  if (!force && status != CONTAINER_STOPPED && status != CONTAINER_CREATED) {
    ocirun_error_set(err, 0, "cannot delete container %s that is not stopped: %s", id,
                     container_status_name(status));
    goto out;
  }
  if (container_load_spec_for_hooks(root, id, "poststop", &spec, &read_err) < 0) {
    /* Without its config the container can still be removed; only hooks are lost. */
    log_warn("delete %s: %s", id, read_err->msg);
    ocirun_error_free(&read_err);
  }
  trace_point("load config");
  r = container_destroy(root, &st, spec, err);
out:
  if (spec)
    spec_free(spec);
  state_clear(&st);
  return r;
}
