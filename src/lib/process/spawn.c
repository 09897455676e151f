#include "process/spawn.h"
#include "process/fd_passing.h"
#include "util/log.h"
#include "util/syscalls.h"

#include <errno.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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

int spawn_clone_entering(spawn_child_fn enter, void *enter_arg, unsigned long ns_flags,
                         int cgroup_fd, spawn_child_fn fn, void *arg, pid_t *pid, int *pidfd,
                         ocirun_error_t **err) {
  int sock[2], status, fd = -1;
  char text[32];
  pid_t helper;

  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock) < 0)
    return ocirun_error_set(err, errno, "socketpair");
  helper = fork();
  if (helper == 0) {
    struct clone_args args = {.flags = ns_flags | CLONE_PIDFD | CLONE_PARENT,
                              .pidfd = (uint64_t)(uintptr_t)&fd};
    long r;
    close(sock[0]);
    if (cgroup_fd >= 0) {
      args.flags |= CLONE_INTO_CGROUP;
      args.cgroup = (uint64_t)cgroup_fd;
    }
    if (enter(enter_arg) < 0) {
      snprintf(text, sizeof(text), "e%d", errno);
      _exit(send(sock[1], text, strlen(text), 0) < 0);
    }
    /* CLONE_PARENT: the exit signal is the helper's own (SIGCHLD), to us. */
    r = sys_clone3(&args);
    if (r == 0) {
      close(sock[1]);
      _exit(fn(arg));
    }
    if (r < 0) {
      snprintf(text, sizeof(text), "c%d", errno);
      _exit(send(sock[1], text, strlen(text), 0) < 0);
    }
    snprintf(text, sizeof(text), "p%ld", r);
    _exit(fd_send(sock[1], fd, text, strlen(text), NULL) < 0);
  }
  close(sock[1]);
  if (helper < 0) {
    close(sock[0]);
    return ocirun_error_set(err, errno, "fork");
  }
  text[0] = '\0';
  ssize_t n = recv(sock[0], text, sizeof(text) - 1, MSG_PEEK);
  if (n > 0)
    text[n] = '\0';
  if (n > 0 && text[0] == 'p' && fd_recv(sock[0], &fd, text, sizeof(text), err) == 0)
    *pid = (pid_t)strtol(text + 1, NULL, 10);
  close(sock[0]);
  wait_pid(helper, &status, NULL);
  if (fd >= 0) {
    *pidfd = fd;
    return 0;
  }
  if (n > 0 && (text[0] == 'e' || text[0] == 'c'))
    return ocirun_error_set(err, (int)strtol(text + 1, NULL, 10), "%s",
                            text[0] == 'e' ? "enter the container's user namespace"
                                           : "clone3 in the container's user namespace");
  return ocirun_error_set(err, EPROTO, "clone in the container's user namespace: no process");
}

int spawn_exit_code(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return 255;
}
