/* Mount propagation of the container's mount namespace.
 * Before anything is mounted, "/" gets linux.rootfsPropagation (default
 * rslave): mounts made for the container never reach the host, host mounts
 * still reach the container.  pivot_root(2) refuses shared mounts around the
 * new root, so when the chosen propagation keeps the rootfs' parent mount
 * shared, that one mount is made private.  After the switch the propagation
 * is applied again to the new "/". */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/mounts.h"
#include "util/cleanup.h"
#include "util/mountinfo.h"

static int root_propagation(const struct spec *spec, unsigned long *out, ocirun_error_t **err) {
  const char *name = spec->linux_.rootfs_propagation;

  if (name == NULL || *name == '\0') {
    *out = MS_SLAVE | MS_REC;
    return 0;
  }
  *out = mount_propagation_from_name(name);
  if (*out == 0)
    return ocirun_error_set(err, 0, ".linux.rootfsPropagation: unknown propagation \"%s\"", name);
  return 0;
}

/* The mount point of the mount holding `path`, when that mount is shared. */
static int shared_parent_mount(const char *path, char *out, size_t size, bool *shared,
                               ocirun_error_t **err) {
  _cleanup_free_ char *info = NULL;
  struct statx stx;
  struct mountinfo_entry e;

  *shared = false;
  if (statx(AT_FDCWD, path, 0, STATX_MNT_ID, &stx) < 0)
    return ocirun_error_set(err, errno, "statx %s", path);
  if (mountinfo_read_self(&info, err) < 0)
    return -1;
  for (char *cur = info; mountinfo_next(&cur, &e);) {
    if (e.id != stx.stx_mnt_id)
      continue;
    *shared = mountinfo_is_shared(&e);
    snprintf(out, size, "%s", e.mountpoint);
    return 0;
  }
  return 0;
}

int propagation_prepare(const struct spec *spec, const char *rootfs, ocirun_error_t **err) {
  unsigned long flags;

  if (root_propagation(spec, &flags, err) < 0)
    return -1;
  /* Without a mount namespace of its own the container mounts into the host's (as runc
   * does); the host's "/" keeps its propagation, which runc would change. */
  if (spec_find_namespace(spec, SPEC_NS_MOUNT) == NULL)
    goto bind;
  /* An unbindable "/" would refuse the rootfs bind below (EINVAL): as crun, the set-up runs
   * private, and propagation_finalize makes the new "/" unbindable. */
  if (flags & MS_UNBINDABLE)
    flags = MS_PRIVATE | (flags & MS_REC);
  if (mount(NULL, "/", NULL, flags, NULL) < 0)
    return ocirun_error_set(err, errno, "set propagation of / (rootfsPropagation)");
  /* A recursive slave/private/unbindable leaves nothing shared: the common
   * rslave case skips the mountinfo read. */
  if ((flags & MS_SHARED) || !(flags & MS_REC)) {
    char mp[PATH_MAX] = "";
    bool shared;
    if (shared_parent_mount(rootfs, mp, sizeof(mp), &shared, err) < 0)
      return -1;
    if (shared && mount(NULL, mp, NULL, MS_PRIVATE, NULL) < 0)
      return ocirun_error_set(err, errno, "make parent mount %s of rootfs %s private", mp, rootfs);
  }
bind:
  /* The rootfs must be a mount point of its own for pivot_root(2). */
  if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
    return ocirun_error_set(err, errno, "bind mount rootfs %s onto itself", rootfs);
  return 0;
}

int propagation_finalize(const struct spec *spec, ocirun_error_t **err) {
  unsigned long flags;

  if (spec->linux_.rootfs_propagation == NULL || *spec->linux_.rootfs_propagation == '\0')
    return 0;
  if (root_propagation(spec, &flags, err) < 0)
    return -1;
  if (mount(NULL, "/", NULL, flags, NULL) < 0)
    return ocirun_error_set(err, errno, "set propagation %s of the container's /",
                            spec->linux_.rootfs_propagation);
  return 0;
}
