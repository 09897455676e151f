/* The live status of a container, derived each time from what state.json recorded and
 * what the system shows now (runc does the same: nothing keeps the status current). */
#include "cgroup/cgroup.h"
#include "container/state.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static bool paused_in_cgroup(const struct container_state *st) {
  return st->cgroup_path != NULL && cgroup_path_is_frozen(st->cgroup_path, st->cgroup_mounts,
                                                          st->cgroup_unit_dir, st->systemd_cgroup);
}

bool (*state_is_paused_hook)(const struct container_state *st) = paused_in_cgroup;

const char *container_status_name(enum container_status s) {
  switch (s) {
  case CONTAINER_CREATING:
    return "creating";
  case CONTAINER_CREATED:
    return "created";
  case CONTAINER_RUNNING:
    return "running";
  case CONTAINER_PAUSED:
    return "paused";
  case CONTAINER_STOPPED:
    return "stopped";
  }
  return "unknown";
}

static bool exec_fifo_exists(const char *root, const char *id) {
  char *path = NULL;
  struct stat sb;
  bool exists;

  if (asprintf(&path, "%s/%s/exec.fifo", root, id) < 0)
    return false;
  exists = lstat(path, &sb) == 0;
  free(path);
  return exists;
}

enum container_status state_status(const char *root, const struct container_state *st) {
  if (!st->created_done) {
    /* `create` records the state before it forks the init process, so a creating state
     * without a pid is a create in progress or one that died before the fork: both are
     * `creating`, and `delete --force` cleans the latter up. */
    if (st->init_pid <= 0)
      return CONTAINER_CREATING;
    return process_is_same(st->init_pid, st->init_start_time) ? CONTAINER_CREATING
                                                              : CONTAINER_STOPPED;
  }
  if (st->init_pid <= 0 || !process_is_same(st->init_pid, st->init_start_time))
    return CONTAINER_STOPPED;
  if (state_is_paused_hook && state_is_paused_hook(st))
    return CONTAINER_PAUSED;
  /* The fifo lives until `start` opens it: until then the init waits before execve. */
  if (exec_fifo_exists(root, st->id))
    return CONTAINER_CREATED;
  return CONTAINER_RUNNING;
}
