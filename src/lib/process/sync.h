/* The parent <-> child sync protocol, over a SOCK_SEQPACKET socketpair (one
 * message per send, so no framing is needed).  The parent's side is one
 * launcher for both children (launch.c); the order follows the reference
 * runtime (libcontainer/sync.go, process_linux.go).
 *
 * The container's init (`create`, `run`; init_child.c):
 *
 *   from    message       when                                   answer
 *   parent  GO            cgroup joined, rlimits, id maps, stdio  - (arg: the child's pid;
 *                         pipes owned; only with                  with join_after_go the
 *                         init_config.wait_for_go                 `tasks` fd of each v1
 *                                                                 hierarchy, SCM_RIGHTS)
 *   child   MOUNT_SOURCE  per bind mount in a user namespace or   the tree's fd (SCM_RIGHTS),
 *                         id-mapped, parent privileged            made in the child's mount
 *                                                                 namespace (arg: .mounts[i])
 *   child   HOOKS         mounts done; prestart/createRuntime     RESUME, after the hooks ran
 *                         hooks exist
 *   child   SECCOMP       notify filter loaded (arg: the          SECCOMP_DONE, after the fd
 *                         listener's fd number in the child)      and the state went to
 *                                                                 listenerPath
 *   child   READY         set up, about to wait for start         RUN (arg: the child's pid),
 *                                                                 after state.json says created;
 *                                                                 none with exec_at_ready
 *                                                                 (`run` that nobody watches,
 *                                                                 init.h): the child execs
 *   parent  START         `run` only (no exec fifo): exec now;    -
 *                         not with exec_at_ready
 *   child   ERROR         any failure (text and errno)            - (the parent kills and reaps)
 *
 * An exec process (`exec`; exec_child.c):
 *
 *   from    message       when                                   answer
 *   parent  GO            in the container's cgroup (and Intel    - (arg: the child's pid)
 *                         RDT group), rlimits, stdio pipes owned
 *   child   SECCOMP       as for the init                        SECCOMP_DONE
 *   child   (EOF)         execve succeeded: the socket is         - (the process runs)
 *                         close-on-exec
 *   child   ERROR         any failure (text and errno)            - (the parent kills and reaps)
 *
 * Anything else is a protocol error ("sync: unexpected X from Y"). */
#ifndef OCIRUN_PROCESS_SYNC_H
#define OCIRUN_PROCESS_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

enum sync_type {
  SYNC_GO = 1,
  SYNC_HOOKS,
  SYNC_RESUME,
  SYNC_SECCOMP,
  SYNC_SECCOMP_DONE,
  SYNC_READY,
  SYNC_RUN,
  SYNC_START,
  SYNC_MOUNT_SOURCE,
  SYNC_ERROR,
};

#define SYNC_TEXT_MAX 4000

struct sync_msg {
  uint32_t type;
  int32_t arg;
  int32_t status; /* errno of an ERROR */
  uint32_t text_len;
  char text[SYNC_TEXT_MAX];
};

const char *sync_type_name(enum sync_type type);

int sync_send(int fd, enum sync_type type, int32_t arg, ocirun_error_t **err);
/* The same with fds[0..n) (at most LIMIT_SYNC_FDS) as SCM_RIGHTS of the message: they stay
 * open here, the receiver gets its own copies. */
int sync_send_fds(int fd, enum sync_type type, int32_t arg, const int *fds, size_t n,
                  ocirun_error_t **err);
/* Send an ERROR carrying the message of *child_err (consumed). */
void sync_send_error(int fd, ocirun_error_t **child_err);
/* Receive one message; EOF is an error ("container init exited during setup").  A message
 * that carries fds is a protocol error (the fds are closed). */
int sync_recv(int fd, struct sync_msg *msg, ocirun_error_t **err);
/* The same taking up to cap fds (close-on-exec) into fds, *n_fds of them; more than cap is
 * a protocol error.  On any error none are left open. */
int sync_recv_fds(int fd, struct sync_msg *msg, int *fds, size_t cap, size_t *n_fds,
                  ocirun_error_t **err);
/* Receive and require `want`; an ERROR becomes *err with the child's message. */
int sync_expect(int fd, enum sync_type want, struct sync_msg *msg, ocirun_error_t **err);
/* sync_expect with the fds of sync_recv_fds (none left open on an error). */
int sync_expect_fds(int fd, enum sync_type want, struct sync_msg *msg, int *fds, size_t cap,
                    size_t *n_fds, ocirun_error_t **err);

#endif
