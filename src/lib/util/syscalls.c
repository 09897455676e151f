#include "util/syscalls.h"

#include <errno.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/keyctl.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/proc_stat.h"

long sys_clone3(struct clone_args *args) {
  return syscall(SYS_clone3, args, sizeof(*args));
}

long sys_clone_pidfd(unsigned long flags, int *pidfd) {
  return syscall(SYS_clone, flags | CLONE_PIDFD | SIGCHLD, NULL, pidfd, NULL, 0);
}

int sys_pidfd_open(pid_t pid, unsigned int flags) {
  return (int)syscall(SYS_pidfd_open, pid, flags);
}

int sys_pidfd_send_signal(int pidfd, int sig) {
  return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int sys_pidfd_getfd(int pidfd, int target_fd) {
  return (int)syscall(SYS_pidfd_getfd, pidfd, target_fd, 0);
}

int sys_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
  struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
  return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

int sys_close_range(unsigned int first, unsigned int last, unsigned int flags) {
  return (int)syscall(SYS_close_range, first, last, flags);
}

int sys_open_tree(int dirfd, const char *path, unsigned int flags) {
  return (int)syscall(SYS_open_tree, dirfd, path, flags);
}

int sys_move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path,
                   unsigned int flags) {
  return (int)syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd, to_path, flags);
}

int sys_mount_setattr(int dirfd, const char *path, unsigned int flags, struct mount_attr *attr) {
  return (int)syscall(SYS_mount_setattr, dirfd, path, flags, attr, sizeof(*attr));
}

int sys_fsopen(const char *fstype, unsigned int flags) {
  return (int)syscall(SYS_fsopen, fstype, flags);
}

int sys_fsconfig(int fs_fd, unsigned int cmd, const char *key, const void *value, int aux) {
  return (int)syscall(SYS_fsconfig, fs_fd, cmd, key, value, aux);
}

int sys_fsmount(int fs_fd, unsigned int flags, unsigned int attr_flags) {
  return (int)syscall(SYS_fsmount, fs_fd, flags, attr_flags);
}

int sys_pivot_root(const char *new_root, const char *put_old) {
  return (int)syscall(SYS_pivot_root, new_root, put_old);
}

long sys_seccomp(unsigned int op, unsigned int flags, const struct sock_fprog *prog) {
  return syscall(SYS_seccomp, op, flags, prog);
}

int sys_capget(struct __user_cap_header_struct *hdr, struct __user_cap_data_struct *data) {
  return (int)syscall(SYS_capget, hdr, data);
}

int sys_capset(struct __user_cap_header_struct *hdr, const struct __user_cap_data_struct *data) {
  return (int)syscall(SYS_capset, hdr, data);
}

int sys_keyctl_join_session(const char *name) {
  return (int)syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name, 0, 0, 0);
}

int sys_sched_setattr(const void *attr) {
  return (int)syscall(SYS_sched_setattr, 0, attr, 0);
}

int sys_sched_getattr(void *attr, unsigned int size) {
  return (int)syscall(SYS_sched_getattr, 0, attr, size, 0);
}

int sys_ioprio_set(int which, int who, int ioprio) {
  return (int)syscall(SYS_ioprio_set, which, who, ioprio);
}

int sys_set_mempolicy(int mode, const unsigned long *nodemask, unsigned long maxnode) {
  return (int)syscall(SYS_set_mempolicy, mode, nodemask, maxnode);
}

int sys_bpf(int cmd, union bpf_attr *attr) {
  return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

int pidfd_open_process(pid_t pid, const char *what, uint64_t *start_time, ocirun_error_t **err) {
  int fd = sys_pidfd_open(pid, 0);

  if (fd < 0)
    return ocirun_error_set(err, errno, "pidfd_open %s %d", what, (int)pid);
  /* Read after opening: from here on the fd cannot come to mean another process. */
  if (start_time)
    *start_time = process_start_time(pid);
  return fd;
}

int pidfd_open_recorded(pid_t pid, uint64_t start_time, const char *what, int *pidfd,
                        ocirun_error_t **err) {
  int fd;

  *pidfd = -1;
  if (pid <= 0)
    return 0;
  fd = sys_pidfd_open(pid, 0);
  if (fd < 0) {
    if (errno == ESRCH)
      return 0;
    return ocirun_error_set(err, errno, "pidfd_open %s %d", what, (int)pid);
  }
  /* Checked after opening: from here on the fd cannot come to mean another process. */
  if (!process_is_same(pid, start_time)) {
    close(fd);
    return 0;
  }
  *pidfd = fd;
  return 0;
}

int wait_pid(pid_t pid, int *status, ocirun_error_t **err) {
  int local;
  for (;;) {
    pid_t r = waitpid(pid, status ? status : &local, __WALL);
    if (r == pid)
      return 0;
    if (r < 0 && errno == EINTR)
      continue;
    return ocirun_error_set(err, errno, "wait for process %d", (int)pid);
  }
}

void kill_and_reap(pid_t pid) {
  int saved = errno;
  if (pid > 0) {
    kill(pid, SIGKILL);
    wait_pid(pid, NULL, NULL);
  }
  errno = saved;
}
