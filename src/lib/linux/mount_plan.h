/* What one entry of the config's "mounts" will do, decided from the config alone.  The
 * decision is kept apart from the syscalls that carry it out (mounts.c), so that it can be
 * checked without root (tests/unit/test_plans.c). */
#ifndef OCIRUN_LINUX_MOUNT_PLAN_H
#define OCIRUN_LINUX_MOUNT_PLAN_H

#include <limits.h>
#include <stdbool.h>

#include "linux/mount_options.h"
#include "spec/spec.h"
#include "util/error.h"

enum mount_kind {
  MOUNT_KIND_BIND,         /* a clone of the source's tree moved onto the destination */
  MOUNT_KIND_CGROUP,       /* the container's view of its cgroups (cgroup_mount.c) */
  MOUNT_KIND_FILESYSTEM,   /* a new instance of the entry's type */
  MOUNT_KIND_TMPFS_COPYUP, /* a tmpfs that first receives what the destination held */
};

struct mount_plan {
  enum mount_kind kind;
  const char *type;    /* "bind" for every bind, else the entry's type (not owned) */
  char dest[PATH_MAX]; /* the destination cleaned, as a path inside the rootfs */
  /* proc and sysfs: only onto a real directory, never through a symlink (the
   * CVE-2019-19921 class of attacks) */
  bool directory_only;
  /* linux.mountLabel: as context= in the data (not for proc and sysfs, which the kernel
   * labels itself, nor mqueue), or on the root of the new mqueue after the mount */
  bool label_in_data;
  bool label_after_mount;
  /* the flags of a new instance: a read-only /dev is made read-only only once the
   * devices are in it */
  unsigned long fs_flags;
  /* in a user namespace that owns no network (ipc) namespace the kernel refuses a sysfs
   * (mqueue) of the container's own: the host's instance at this path is bound instead,
   * as runc does.  NULL where no such fallback exists. */
  const char *userns_host_instance;
};

/* The plan of .mounts[index] (options already parsed into mo), for a rootfs at rootfs
 * (a destination written as a host path below it is taken as the path inside) and a
 * container in a user namespace or not.  Errors name the JSON path. */
int mount_plan_entry(const struct spec_mount *m, size_t index, const struct mount_options *mo,
                     const char *rootfs, bool in_userns, struct mount_plan *out,
                     ocirun_error_t **err);

#endif
