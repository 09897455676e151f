/* Make the prepared rootfs the container's "/".
 * pivot_root(".", ".") stacks the old root on top of the new one, so that no
 * directory for the old root is needed inside the rootfs; the old root is then
 * made rslave (its unmount must not propagate to the host) and detached.
 * With --no-pivot (e.g. a rootfs on a ramfs, where pivot_root is refused) the
 * rootfs is moved over "/" and entered with chroot. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include "linux/mounts.h"
#include "util/cleanup.h"
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

static int switch_move(const char *rootfs, ocirun_error_t **err) {
  if (chdir(rootfs) < 0)
    return ocirun_error_set(err, errno, "chdir to rootfs %s", rootfs);
  if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
    return ocirun_error_set(err, errno, "move rootfs %s onto /", rootfs);
  if (chroot(".") < 0)
    return ocirun_error_set(err, errno, "chroot to rootfs %s", rootfs);
  if (chdir("/") < 0)
    return ocirun_error_set(err, errno, "chdir /");
  return 0;
}

/* In the host's mount namespace (a config without one) neither pivot_root nor MS_MOVE may
 * touch the host's "/": the process is only chrooted into the rootfs, as runc does. */
static int switch_chroot(const char *rootfs, ocirun_error_t **err) {
  if (chdir(rootfs) < 0)
    return ocirun_error_set(err, errno, "chdir to rootfs %s", rootfs);
  if (chroot(".") < 0)
    return ocirun_error_set(err, errno, "chroot to rootfs %s", rootfs);
  if (chdir("/") < 0)
    return ocirun_error_set(err, errno, "chdir /");
  return 0;
}

int rootfs_switch(const char *rootfs, bool no_pivot, bool host_mount_ns, ocirun_error_t **err) {
  if (host_mount_ns)
    return switch_chroot(rootfs, err);
  return no_pivot ? switch_move(rootfs, err) : switch_pivot(rootfs, err);
}
