/* The one home of raw system calls: those glibc 2.36 has no wrapper for, and the newer
 * fd-based ones (pidfd, openat2, the mount API) called through syscall(2) so that the
 * code does not depend on a glibc that wraps them.  Each sys_* function is the bare
 * call: it returns what the kernel returns, -1 with errno on failure (the one place
 * where -1/errno is the interface; callers turn it into an ocirun_error_t).
 *
 * Below the raw calls: the process handles built on them — one pidfd opener that
 * proves the recorded identity of a process, one wait, one kill-and-reap. */
#ifndef OCIRUN_UTIL_SYSCALLS_H
#define OCIRUN_UTIL_SYSCALLS_H

#include <stdint.h>
#include <sys/types.h>

#include "util/error.h"

struct clone_args;
struct open_how;
struct mount_attr;
struct sock_fprog;
struct __user_cap_header_struct;
struct __user_cap_data_struct;
union bpf_attr;

/* Processes */
long sys_clone3(struct clone_args *args);
/* clone(2) with a pidfd, for environments without clone3 (valgrind). */
long sys_clone_pidfd(unsigned long flags, int *pidfd);
int sys_pidfd_open(pid_t pid, unsigned int flags);
int sys_pidfd_send_signal(int pidfd, int sig);
int sys_pidfd_getfd(int pidfd, int target_fd);

/* Files */
int sys_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);
int sys_close_range(unsigned int first, unsigned int last, unsigned int flags);

/* The mount API */
int sys_open_tree(int dirfd, const char *path, unsigned int flags);
int sys_move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path,
                   unsigned int flags);
int sys_mount_setattr(int dirfd, const char *path, unsigned int flags, struct mount_attr *attr);
int sys_fsopen(const char *fstype, unsigned int flags);
int sys_fsconfig(int fs_fd, unsigned int cmd, const char *key, const void *value, int aux);
int sys_fsmount(int fs_fd, unsigned int flags, unsigned int attr_flags);
int sys_pivot_root(const char *new_root, const char *put_old);

/* Security and scheduling attributes of the calling process */
long sys_seccomp(unsigned int op, unsigned int flags, const struct sock_fprog *prog);
int sys_capget(struct __user_cap_header_struct *hdr, struct __user_cap_data_struct *data);
int sys_capset(struct __user_cap_header_struct *hdr, const struct __user_cap_data_struct *data);
int sys_keyctl_join_session(const char *name);
int sys_sched_setattr(const void *attr);
/* sched_getattr(2) of the calling thread into attr, of `size` bytes. */
int sys_sched_getattr(void *attr, unsigned int size);
int sys_ioprio_set(int which, int who, int ioprio);
int sys_set_mempolicy(int mode, const unsigned long *nodemask, unsigned long maxnode);
int sys_bpf(int cmd, union bpf_attr *attr);

/* A pidfd of process pid (-1 with *err naming `what` and pid when pidfd_open fails) and,
 * when start_time is not NULL, its start time read after the fd was opened, so that both
 * name the same process (0 when it is a zombie already). */
int pidfd_open_process(pid_t pid, const char *what, uint64_t *start_time, ocirun_error_t **err);

/* A pidfd for the process recorded as (pid, start time): the fd pins the process, the
 * start time read after opening it proves that it is still the recorded one (not a reused
 * pid) and not a zombie.  0 with *pidfd >= 0 when it is; 0 with *pidfd = -1 when the
 * process is gone or another one has its pid; -1 with *err when pidfd_open fails for
 * another reason.  `what` names the process in that error ("container init"). */
int pidfd_open_recorded(pid_t pid, uint64_t start_time, const char *what, int *pidfd,
                        ocirun_error_t **err);

/* Wait for a child (any kind: __WALL), retrying on EINTR; *status as waitpid's.  err may
 * be NULL. */
int wait_pid(pid_t pid, int *status, ocirun_error_t **err);

/* SIGKILL a child of ours that is not reaped yet (so its pid cannot have been reused) and
 * reap it.  pid <= 0 does nothing. */
void kill_and_reap(pid_t pid);

#endif
