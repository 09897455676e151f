#include "process/spawn.h"
#include "util/log.h"
#include "util/syscalls.h"

#include <errno.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int spawn_clone(unsigned long ns_flags, int cgroup_fd, spawn_child_fn fn, void *arg, pid_t *pid,
                int *pidfd, ocirun_error_t **err) {
  struct clone_args args;
  int fd = -1;
  long r;

  memset(&args, 0, sizeof(args));
  args.flags = ns_flags | CLONE_PIDFD;
  args.pidfd = (uint64_t)(uintptr_t)&fd;
  args.exit_signal = SIGCHLD;
  if (cgroup_fd >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = (uint64_t)cgroup_fd;
  }
  r = sys_clone3(&args);
  if (r < 0 && errno == ENOSYS && cgroup_fd < 0) {
    /* Environments without clone3 (older kernels, valgrind): clone(2) gives the
     * same child and pidfd; only the cgroup placement needs clone3. */
    log_debug("clone3 unavailable (ENOSYS), falling back to clone");
    r = sys_clone_pidfd(ns_flags, &fd);
  }
  if (r < 0)
    return ocirun_error_set(err, errno, "clone3 (namespace flags 0x%lx)", ns_flags);
  if (r == 0)
    _exit(fn(arg));
  *pid = (pid_t)r;
  *pidfd = fd;
  return 0;
}

int spawn_exit_code(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return 255;
}
