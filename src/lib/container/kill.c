/* `kill`: signal the init through a pidfd (checked against the recorded start
 * time, so a reused pid is never signalled), or every process of the cgroup. */
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "container/lifecycle.h"
#include "util/cleanup.h"
#include "util/syscalls.h"

/* Without a pid namespace of its own, the init's death does not take the other processes
 * with it: SIGKILL goes to every process of the cgroup, init alive or not (as runc). */
static bool has_private_pid_ns(const char *root, const char *id) {
  struct spec *spec = NULL;
  ocirun_error_t *err = NULL;
  bool private_ns = true;

  if (container_load_spec(root, id, &spec, &err) < 0) {
    ocirun_error_free(&err);
    return true;
  }
  const struct spec_namespace *ns = spec_find_namespace(spec, SPEC_NS_PID);
  private_ns = ns != NULL && ns->path == NULL;
  spec_free(spec);
  return private_ns;
}

int container_kill(const char *root, const char *id, int signo, bool all, ocirun_error_t **err) {
  struct container_state st = {0};
  _cleanup_close_ int pidfd = -1;
  struct cgroup *cg = NULL;
  enum container_status status;
  int r = -1;

  if (container_id_validate(id, err) < 0)
    return -1;
  if (state_read(root, id, &st, err) < 0)
    return -1;
  status = state_status(root, &st);
  if (signo == SIGKILL && !all && st.cgroup_path && !has_private_pid_ns(root, id))
    all = true;
  if (status == CONTAINER_STOPPED && !all) {
    ocirun_error_set(err, 0, "container not running");
    goto out;
  }
  if (all && st.cgroup_path == NULL && status == CONTAINER_STOPPED) {
    /* As runc: --all on a stopped container is no error, cgroup or not. */
    r = 0;
    goto out;
  }
  /* Without a cgroup (rootless, none could be made) --all reaches the init only. */
  if (all && st.cgroup_path != NULL) {
    if (cgroup_open_recorded(id, st.cgroup_path, st.cgroup_mounts, st.cgroup_unit_dir,
                             st.systemd_cgroup, &cg, err) < 0 ||
        cgroup_kill_all(cg, signo, err) < 0)
      goto out;
    r = 0;
    goto out;
  }
  /* The pidfd pins the process: the signal cannot hit a reused pid. */
  if (pidfd_open_recorded(st.init_pid, st.init_start_time, "container init", &pidfd, err) < 0)
    goto out;
  if (pidfd < 0) {
    ocirun_error_set(err, 0, "container not running");
    goto out;
  }
  if (sys_pidfd_send_signal(pidfd, signo) < 0) {
    ocirun_error_set(err, errno, "send signal %d to container init %d", signo, (int)st.init_pid);
    goto out;
  }
  r = 0;
out:
  if (cg)
    cgroup_close(cg);
  state_clear(&st);
  return r;
}
