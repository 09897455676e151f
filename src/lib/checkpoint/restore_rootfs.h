/* The rootfs prepared for CRIU's restore (restore_rootfs.c) and the state of a
 * restore in progress, shared by restore.c and restore_notify.c. */
#ifndef OCIRUN_CHECKPOINT_RESTORE_ROOTFS_H
#define OCIRUN_CHECKPOINT_RESTORE_ROOTFS_H

#include <stdbool.h>
#include <stddef.h>

#include "checkpoint/checkpoint.h"
#include "rpc.pb-c.h"
#include "spec/spec.h"
#include "util/error.h"

struct restore_rootfs {
  char *criu_root; /* <state dir>/criu-root, the rootfs bound there */
  bool mounted;
  int *binds; /* temporary binds while mount points are made */
  size_t nbinds;
};

/* Make the mount points in rootfs and bind it at <state dir>/criu-root. */
int restore_rootfs_prepare(const char *state_dir, const char *rootfs, const struct spec *spec,
                           struct restore_rootfs *r, ocirun_error_t **err);
/* Unmount and remove criu-root (idempotent). */
void restore_rootfs_release(struct restore_rootfs *r);

struct restore_ctx {
  const struct restore_options *o;
  struct container *c;
  int console_sock; /* connected --console-socket, or -1 */
  bool restored;    /* post-restore seen: c->pid is the restored init */
};

/* The notifications CRIU sends during a restore (a criu_session on_notify). */
int restore_notify(void *arg, const char *script, pid_t pid, int fd, ocirun_error_t **err);
/* criu_session on_spawn: CRIU (and so the restored tree) into the container's cgroup. */
int restore_on_spawn(void *arg, pid_t criu_pid, CriuReq *req, ocirun_error_t **err);

#endif
