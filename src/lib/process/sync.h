/* The parent <-> container-init sync protocol, over a SOCK_SEQPACKET socketpair
 * (one message per send, so no framing is needed).  The order follows the
 * reference runtime:
 *
 *   parent                         child
 *     -- GO -------------------->    (only with init_config.wait_for_go: cgroup joined,
 *                                     rlimits set, resources written; arg: the child's pid)
 *     <------------ MOUNT_SOURCE --  (user namespace only: the tree of .mounts[arg], made by
 *     -- fd (SCM_RIGHTS) ------->     the parent in the child's mount namespace; per bind mount)
 *     <------------------- HOOKS --  (mounts done; only when prestart/createRuntime hooks exist)
 *     -- RESUME ---------------->
 *     <----------------- SECCOMP --  (seccomp notify listener fd number in `arg`)
 *     -- SECCOMP_DONE ---------->
 *     <------------------- READY --  (everything set up, about to wait for start)
 *     -- RUN ------------------->    (state.json written, rlimits set; arg: the child's pid)
 *     -- START ----------------->    (`run` only: exec now, no exec fifo)
 *
 * Any failure in the child is sent as ERROR with its message; the parent turns
 * it into its own error. */
#ifndef OCIRUN_PROCESS_SYNC_H
#define OCIRUN_PROCESS_SYNC_H

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
/* Send an ERROR carrying the message of *child_err (consumed). */
void sync_send_error(int fd, ocirun_error_t **child_err);
/* Receive one message; EOF is an error ("container init exited during setup"). */
int sync_recv(int fd, struct sync_msg *msg, ocirun_error_t **err);
/* Receive and require `want`; an ERROR becomes *err with the child's message. */
int sync_expect(int fd, enum sync_type want, struct sync_msg *msg, ocirun_error_t **err);

#endif
