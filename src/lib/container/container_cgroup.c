#include "container/container_cgroup.h"

#include <unistd.h>

int container_cgroup_open(const char *root, const char *id, bool lock, unsigned allowed,
                          const char *refusal, struct container_cgroup *out, ocirun_error_t **err) {
  *out = (struct container_cgroup){.lock_fd = -1};
  if (container_id_validate(id, err) < 0)
    return -1;
  if (lock && (out->lock_fd = state_lock(root, id, err)) < 0)
    return -1;
  if (state_read(root, id, &out->state, err) < 0)
    goto fail;
  if (!(allowed & CONTAINER_STATUS_BIT(state_status(root, &out->state)))) {
    ocirun_error_set(err, 0, "%s", refusal);
    goto fail;
  }
  if (out->state.cgroup_path == NULL) {
    ocirun_error_set(err, 0, "container %s has no cgroup", id);
    goto fail;
  }
  if (cgroup_open_recorded(id, out->state.cgroup_path, out->state.cgroup_mounts,
                           out->state.cgroup_unit_dir, out->state.systemd_cgroup, &out->cgroup,
                           err) < 0)
    goto fail;
  return 0;
fail:
  container_cgroup_close(out);
  return -1;
}

void container_cgroup_close(struct container_cgroup *c) {
  if (c->cgroup)
    cgroup_close(c->cgroup);
  c->cgroup = NULL;
  state_clear(&c->state);
  if (c->lock_fd >= 0)
    close(c->lock_fd);
  c->lock_fd = -1;
}

int container_pause(const char *root, const char *id, ocirun_error_t **err) {
  struct container_cgroup c;
  unsigned allowed =
      CONTAINER_STATUS_BIT(CONTAINER_RUNNING) | CONTAINER_STATUS_BIT(CONTAINER_CREATED);
  int r;

  if (container_cgroup_open(root, id, true, allowed, "container not running", &c, err) < 0)
    return -1;
  r = cgroup_freeze(c.cgroup, err);
  container_cgroup_close(&c);
  return r;
}

int container_resume(const char *root, const char *id, ocirun_error_t **err) {
  struct container_cgroup c;
  int r;

  if (container_cgroup_open(root, id, true, CONTAINER_STATUS_BIT(CONTAINER_PAUSED),
                            "container not paused", &c, err) < 0)
    return -1;
  r = cgroup_thaw(c.cgroup, err);
  container_cgroup_close(&c);
  return r;
}

int container_pids(const char *root, const char *id, pid_t **pids, size_t *n,
                   ocirun_error_t **err) {
  struct container_cgroup c;
  int r;

  /* A stopped container lists what is left in its cgroup (nothing, or processes that
   * outlived an init without a pid namespace), as runc. */
  if (container_cgroup_open(root, id, false,
                            CONTAINER_ALIVE | CONTAINER_STATUS_BIT(CONTAINER_STOPPED),
                            "container not running", &c, err) < 0)
    return -1;
  r = cgroup_pids(c.cgroup, pids, n, err);
  container_cgroup_close(&c);
  return r;
}
