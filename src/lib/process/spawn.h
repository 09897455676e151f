/* Starting a child in new namespaces with clone3: one syscall gives the pid, a
 * pidfd (no pid-reuse races when we wait or signal) and, on cgroup v2, the
 * cgroup placement (CLONE_INTO_CGROUP) without a write to cgroup.procs. */
#ifndef OCIRUN_PROCESS_SPAWN_H
#define OCIRUN_PROCESS_SPAWN_H

#include <sys/types.h>

#include "util/error.h"

typedef int (*spawn_child_fn)(void *arg);

/* Runs fn(arg) in the child and _exit()s with its return value.
 * cgroup_fd < 0: no CLONE_INTO_CGROUP.  On success *pid and *pidfd are set. */
int spawn_clone(unsigned long ns_flags, int cgroup_fd, spawn_child_fn fn, void *arg, pid_t *pid,
                int *pidfd, ocirun_error_t **err);

/* The same through a helper that first runs enter(enter_arg) (0, or -1 with
 * errno set): to clone into namespaces that only a process inside a user
 * namespace may make or enter (the new namespaces of a container that joins
 * a user namespace by path; the pid namespace of a rootless container for an
 * exec).  The helper clones with CLONE_PARENT, so the child is still ours,
 * passes the pidfd back and exits. */
int spawn_clone_entering(spawn_child_fn enter, void *enter_arg, unsigned long ns_flags,
                         int cgroup_fd, spawn_child_fn fn, void *arg, pid_t *pid, int *pidfd,
                         ocirun_error_t **err);

/* Exit code of a wait status as a shell reports it (128+N for a signal). */
int spawn_exit_code(int status);

#endif
