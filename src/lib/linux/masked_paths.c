/* linux.maskedPaths: directories are covered by an empty read-only tmpfs,
 * other files by /dev/null.  Missing paths are skipped, as in runc.
 * One tmpfs is made for all directories and cloned (open_tree) for each, and
 * the /dev/null is the host's, verified to be the 1:3 character device: the
 * container's own /dev/null could have been swapped for anything
 * (CVE-2025-31133). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "linux/lsm.h"
#include "linux/mounts.h"
#include "linux/path_resolve.h"
#include "util/cleanup.h"
#include "util/syscalls.h"

int masked_open_host_null(int *out, ocirun_error_t **err) {
  _cleanup_close_ int tree = -1;
  struct stat st;

  /* A detached clone of the mount holding the host's /dev/null: after the
   * switch of root the host's mounts are gone, the clone stays usable. */
  tree = sys_open_tree(AT_FDCWD, "/dev/null", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (tree < 0)
    return ocirun_error_set(err, errno, "open_tree /dev/null");
  if (fstat(tree, &st) < 0)
    return ocirun_error_set(err, errno, "stat /dev/null");
  if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3)
    return ocirun_error_set(err, 0, "/dev/null is not the 1:3 character device");
  /* The covering node needs nothing but to be opened: no writes to its
   * filesystem, no set-id, no exec.  (nodev would make it unopenable.) */
  if (mount_set_attrs(tree, false, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, 0) <
      0)
    return ocirun_error_set(err, errno, "make /dev/null clone read-only");
  *out = steal_fd(&tree);
  return 0;
}

/* The first use moves the detached mount itself; later uses clone it (a
 * mount in this namespace can be cloned, a detached one not always). */
static int place(int *source, bool *attached, int target) {
  _cleanup_close_ int clone = -1;
  int from = *source;

  if (*attached) {
    clone = sys_open_tree(*source, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
    if (clone < 0)
      return -1;
    from = clone;
  }
  if (mount_move_onto(from, target) < 0)
    return -1;
  *attached = true;
  return 0;
}

/* A path given twice is masked once (a second mount would only stack on the first). */
static bool listed_before(const struct spec_strv *paths, size_t i) {
  char a[PATH_MAX], b[PATH_MAX];
  if (path_clean(paths->items[i], a, sizeof(a)) < 0)
    return false;
  for (size_t j = 0; j < i; j++)
    if (path_clean(paths->items[j], b, sizeof(b)) == 0 && strcmp(a, b) == 0)
      return true;
  return false;
}

int masked_paths_apply(const struct spec *spec, int root_fd, int host_null, ocirun_error_t **err) {
  const struct spec_strv *paths = &spec->linux_.masked_paths;
  _cleanup_close_ int empty = -1;
  bool empty_attached = false, null_attached = false;
  int null_fd = host_null;

  for (size_t i = 0; i < paths->len; i++) {
    const char *path = paths->items[i];
    if (listed_before(paths, i))
      continue;
    _cleanup_close_ int target = path_open_in_root(root_fd, path, PATH_CREATE_NONE, false);
    struct stat st;

    if (target < 0) {
      if (errno == ENOENT)
        continue;
      return ocirun_error_set(err, errno, "mask %s: open", path);
    }
    if (fstat(target, &st) < 0)
      return ocirun_error_set(err, errno, "mask %s: stat", path);
    if (S_ISDIR(st.st_mode)) {
      if (empty < 0) {
        char msg[128];
        _cleanup_free_ char *labelled = NULL;
        /* runc labels the masking tmpfs with linux.mountLabel too. */
        if (selinux_mount_data("mode=0755", spec->linux_.mount_label, &labelled, err) < 0)
          return -1;
        empty = mount_new_detached("tmpfs", "tmpfs", labelled ? labelled : "mode=0755", MS_RDONLY,
                                   MOUNT_ATTR_RDONLY, msg, sizeof(msg));
        if (empty < 0)
          return ocirun_error_set(err, errno, "mask %s: create empty tmpfs", path);
      }
      if (place(&empty, &empty_attached, target) < 0)
        return ocirun_error_set(err, errno, "mask %s: mount empty tmpfs", path);
    } else {
      if (null_fd < 0)
        return ocirun_error_set(err, 0, "mask %s: no verified /dev/null", path);
      if (place(&null_fd, &null_attached, target) < 0)
        return ocirun_error_set(err, errno, "mask %s: bind /dev/null", path);
    }
  }
  return 0;
}
