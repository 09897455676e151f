/* Make the prepared rootfs the container's "/".
 * pivot_root(".", ".") stacks the old root on top of the new one, so that no
 * directory for the old root is needed inside the rootfs; the old root is then
 * made rslave (its unmount must not propagate to the host) and detached.
 * With --no-pivot (e.g. a rootfs on a ramfs, where pivot_root is refused) the
 * rootfs is moved over "/" and entered with chroot. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "linux/mounts.h"
#include "util/cleanup.h"
#include "util/mountinfo.h"
#include "util/syscalls.h"

static int switch_pivot(const char *rootfs, ocirun_error_t **err) {
  _cleanup_close_ int old_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  _cleanup_close_ int new_root = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (old_root < 0)
    return ocirun_error_set(err, errno, "open /");
  if (new_root < 0)
    return ocirun_error_set(err, errno, "open rootfs %s", rootfs);
  if (fchdir(new_root) < 0)
    return ocirun_error_set(err, errno, "chdir to rootfs %s", rootfs);
  if (sys_pivot_root(".", ".") < 0)
    return ocirun_error_set(err, errno, "pivot_root to %s", rootfs);
  if (fchdir(old_root) < 0)
    return ocirun_error_set(err, errno, "chdir to the old root");
  if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    return ocirun_error_set(err, errno, "make the old root rslave");
  if (umount2(".", MNT_DETACH) < 0)
    return ocirun_error_set(err, errno, "unmount the old root");
  if (chdir("/") < 0)
    return ocirun_error_set(err, errno, "chdir /");
  return 0;
}

/* With --no-pivot the old root stays in the mount namespace, so a whole procfs or sysfs of
 * the host would still be visible to the kernel's check for a new proc/sysfs mount, and a
 * process in a user namespace of its own could mount a bare /proc (no masked paths).  As
 * runc, every such mount outside the rootfs is detached first (or covered with a tmpfs
 * where it cannot be). */
static int hide_full_proc_and_sys(const char *rootfs, ocirun_error_t **err) {
  _cleanup_free_ char *info = NULL;
  size_t rootfs_len = strlen(rootfs);
  struct mountinfo_entry e;

  if (mountinfo_read_self(&info, err) < 0)
    return -1;
  for (char *cur = info; mountinfo_next(&cur, &e);) {
    const char *mp = e.mountpoint, *fstype = e.fstype;
    if (strcmp(e.root, "/") != 0 || (strcmp(fstype, "proc") != 0 && strcmp(fstype, "sysfs") != 0))
      continue;
    if (strncmp(mp, rootfs, rootfs_len) == 0 && (mp[rootfs_len] == '/' || mp[rootfs_len] == '\0'))
      continue;
    /* The unmount must not propagate to the host. */
    if (mount(NULL, mp, NULL, MS_SLAVE | MS_REC, NULL) < 0) {
      if (errno == ENOENT)
        continue; /* under a mount detached already */
      return ocirun_error_set(err, errno, "make %s rslave", mp);
    }
    if (umount2(mp, MNT_DETACH) < 0) {
      if ((errno != EINVAL && errno != EPERM) || mount("tmpfs", mp, "tmpfs", 0, NULL) < 0)
        return ocirun_error_set(err, errno, "hide the host's %s at %s", fstype, mp);
    }
  }
  return 0;
}

/* chdir into the rootfs, (move: move it onto "/"), chroot there.  In the host's mount
 * namespace (a config without one) neither pivot_root nor MS_MOVE may touch the host's
 * "/": the process is only chrooted into the rootfs, as runc does. */
static int switch_chroot(const char *rootfs, bool move, ocirun_error_t **err) {
  if (chdir(rootfs) < 0)
    return ocirun_error_set(err, errno, "chdir to rootfs %s", rootfs);
  if (move && mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
    return ocirun_error_set(err, errno, "move rootfs %s onto /", rootfs);
  if (chroot(".") < 0)
    return ocirun_error_set(err, errno, "chroot to rootfs %s", rootfs);
  if (chdir("/") < 0)
    return ocirun_error_set(err, errno, "chdir /");
  return 0;
}

static int switch_move(const char *rootfs, ocirun_error_t **err) {
  if (hide_full_proc_and_sys(rootfs, err) < 0)
    return -1;
  return switch_chroot(rootfs, true, err);
}

int rootfs_switch(const char *rootfs, bool no_pivot, bool host_mount_ns, ocirun_error_t **err) {
  if (host_mount_ns)
    return switch_chroot(rootfs, false, err);
  return no_pivot ? switch_move(rootfs, err) : switch_pivot(rootfs, err);
}
