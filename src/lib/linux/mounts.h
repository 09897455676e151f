/* The pieces of the container rootfs set-up, shared by the files of
 * src/lib/linux that implement rootfs.h.  Not a public interface. */
#ifndef OCIRUN_LINUX_MOUNTS_H
#define OCIRUN_LINUX_MOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "linux/mount_options.h"
#include "linux/rootfs.h"
#include "spec/spec.h"
#include "util/error.h"

struct rootfs_ctx {
  const struct spec *spec;
  const struct rootfs_options *opts;
  int root_fd; /* O_PATH fd of the rootfs mount (after its bind onto itself) */
};

/* mounts.c: one entry of spec->mounts, in place. */
int mount_spec_entry(struct rootfs_ctx *ctx, size_t index, ocirun_error_t **err);

/* mounts.c: mount(2) of a new filesystem onto the object target_fd refers to. */
int mount_fs_on_fd(const char *source, int target_fd, const char *type, unsigned long flags,
                   const char *data);
/* mounts.c: a detached filesystem (fsopen + fsconfig + fsmount), data split into
 * fsconfig parameters.  Returns the mount fd, or -1 with errno set and the
 * filesystem's own message (if any) in msg. */
int mount_new_detached(const char *type, const char *source, const char *data,
                       unsigned long sb_flags, uint64_t attrs, char *msg, size_t msg_size);
/* mounts.c: mount_setattr(2) on a mount fd (AT_EMPTY_PATH). */
int mount_set_attrs(int mnt_fd, bool recursive, uint64_t set, uint64_t clr);
/* mounts.c: apply each propagation option on the mount mnt_fd refers to. */
int mount_apply_propagation(int mnt_fd, const struct mount_options *mo);
/* mounts.c: move a detached mount onto target_fd. */
int mount_move_onto(int tree_fd, int target_fd);

/* cgroup_mount.c: a "cgroup" type entry on target_fd (a directory). */
int mount_cgroup(struct rootfs_ctx *ctx, size_t index, const struct mount_options *mo,
                 int target_fd, ocirun_error_t **err);

/* tmpcopyup.c: copy the content of directory src into directory dst. */
int copy_tree(int src_dir, int dst_dir);

/* propagation.c */
int propagation_prepare(const struct spec *spec, const char *rootfs, ocirun_error_t **err);
int propagation_finalize(const struct spec *spec, ocirun_error_t **err);

/* pivot_root.c: make the rootfs "/" (pivot_root or MS_MOVE + chroot). */
int rootfs_switch(const char *rootfs, bool no_pivot, bool host_mount_ns, ocirun_error_t **err);

/* masked_paths.c: host_null is an O_PATH fd of a verified /dev/null (or -1 when
 * no masked path needs it). Call after the switch of root. */
int masked_paths_apply(const struct spec *spec, int root_fd, int host_null, ocirun_error_t **err);
/* masked_paths.c: open and verify the host's /dev/null (before the switch). */
int masked_open_host_null(int *out, ocirun_error_t **err);

/* readonly_paths.c */
int readonly_paths_apply(const struct spec *spec, int root_fd, ocirun_error_t **err);

/* devices.c */
bool rootfs_needs_dev_setup(const struct spec *spec);
/* After the switch into the rootfs: stdio that is the host's /dev/null (what conmon and
 * containerd give a detached container) is replaced by the container's /dev/null, as runc
 * does: CRIU cannot dump a descriptor of a mount outside the container. */
int devices_reopen_null_stdio(ocirun_error_t **err);
int devices_setup(struct rootfs_ctx *ctx, ocirun_error_t **err);
int dev_console_setup(struct rootfs_ctx *ctx, ocirun_error_t **err);

/* dev_links.c: /dev/fd, std{in,out,err}, core, ptmx, shm in the /dev of dev_fd. */
int dev_links_setup(struct rootfs_ctx *ctx, int dev_fd, ocirun_error_t **err);

#endif
