/* The container's root filesystem, built in the child inside its new mount
 * namespace.  Every path inside the rootfs is resolved through file
 * descriptors (openat2 RESOLVE_IN_ROOT), never by string concatenation. */
#ifndef OCIRUN_LINUX_ROOTFS_H
#define OCIRUN_LINUX_ROOTFS_H

#include <stdbool.h>

#include "spec/spec.h"
#include "util/error.h"

struct rootfs_options {
  const char *rootfs;   /* absolute host path of root.path */
  bool no_pivot;        /* --no-pivot: MS_MOVE + chroot instead of pivot_root */
  int console_slave_fd; /* >= 0: bind it over /dev/console */
  bool new_cgroupns;    /* a cgroup namespace is unshared: mount cgroup views accordingly */
  bool in_userns;       /* in a user namespace: locked mount flags are kept, not cleared */
  /* The detached tree of bind mount .mounts[index], made by the runtime
   * outside (see mount_source.h): used for every bind mount in a user
   * namespace and for id-mapped ones everywhere; NULL when the runtime is an
   * ordinary user (binds are made here, id-mapped ones refused). */
  int (*bind_source)(void *arg, size_t index, ocirun_error_t **err);
  void *bind_source_arg;
};

/* Step 1 (before the createContainer hooks): propagation (rootfsPropagation, default
 * rslave), bind the rootfs onto itself, every spec mount in order, /dev (default
 * devices, linux.devices, links, /dev/pts, /dev/console).
 * Called in the container's own mount namespace, with the bundle as cwd (relative
 * bind sources are relative to it) and the container's cgroup already joined (the
 * cgroup v1 view binds the caller's own cgroup directories). */
int rootfs_prepare(const struct spec *spec, const struct rootfs_options *opts,
                   ocirun_error_t **err);

/* Step 2 (after createContainer hooks): pivot_root (or MS_MOVE + chroot), readonly
 * paths, masked paths, a read-only /dev, the final propagation, process.cwd created,
 * root.readonly; ends with cwd "/". */
int rootfs_finalize(const struct spec *spec, const struct rootfs_options *opts,
                    ocirun_error_t **err);

#endif
