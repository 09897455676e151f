/* Checkpoint and restore of a container with CRIU, driven over its RPC
 * (`criu swrk`): `checkpoint` dumps the container's process tree into an image
 * directory, `restore` makes the container's state, cgroup and rootfs mount as
 * create does and asks CRIU to bring the tree back into them. */
#ifndef OCIRUN_CHECKPOINT_H
#define OCIRUN_CHECKPOINT_H

#include <stdbool.h>

#include "container/lifecycle.h"
#include "util/error.h"

/* --manage-cgroups-mode; CRIU_CG_UNSET leaves CRIU's own default (soft). */
enum criu_cg_choice {
  CRIU_CG_UNSET = -1,
  CRIU_CG_IGNORE = 0,
  CRIU_CG_SOFT = 3,
  CRIU_CG_FULL = 4,
  CRIU_CG_STRICT = 5,
};

/* The flags checkpoint and restore share, as runc names them. */
struct criu_options {
  const char *criu_path;   /* --criu; NULL: "criu" from PATH */
  const char *image_path;  /* absolute */
  const char *work_path;   /* NULL: <state dir>/criu.work */
  const char *parent_path; /* checkpoint only: relative to image_path */
  bool leave_running;
  bool tcp_established;
  bool tcp_skip_in_flight;
  bool link_remap;
  bool ext_unix_sk;
  bool shell_job;
  bool lazy_pages;
  bool file_locks;
  bool pre_dump;
  bool auto_dedup;
  int status_fd;          /* -1: none */
  char *page_server_addr; /* NULL: none */
  int page_server_port;
  int manage_cgroups_mode; /* enum criu_cg_choice */
  unsigned empty_ns;       /* CLONE_NEW* flags; CLONE_NEWNET always (not managed here) */
  const char *lsm_profile;
  const char *lsm_mount_context;
};

struct restore_options {
  struct create_options create; /* bundle, console socket, pid file, no-pivot, detach, subreaper */
  struct criu_options criu;
};

/* Check the --image-path/--parent-path pair as runc does (parent relative, an
 * existing directory below the image path), creating the image directory. */
int checkpoint_prepare_image_dir(const char *image_path, const char *parent_path,
                                 ocirun_error_t **err);

/* Parse "ADDRESS:PORT" (IPv6 in brackets) for --page-server. */
int checkpoint_parse_page_server(const char *arg, char **addr, int *port, ocirun_error_t **err);

/* Dump a running (or paused) container (the image directory is made first).  Unless --leave-running
 * or --pre-dump the container is gone afterwards, as with runc. */
int container_checkpoint(const char *root, const char *id, const struct criu_options *o,
                         ocirun_error_t **err);

/* Restore a container from an image.  On success c holds it (pid, pidfd, and for
 * a foreground restore the terminal to relay); on failure nothing is left. */
int container_restore(const struct restore_options *o, struct container *c, ocirun_error_t **err);

/* The version of the criu found ("3.17.1" in buf), 0 on success; -1 when it
 * cannot be run or does not answer. */
int criu_probe_version(const char *criu_path, char *buf, size_t len, ocirun_error_t **err);

#endif
