/* linux.readonlyPaths: each path is bound onto itself (recursively) and the
 * bind made read-only while still detached.  mount_setattr(2) only adds
 * MOUNT_ATTR_RDONLY, so nosuid/nodev/noexec of the original stay as they are
 * (a classic MS_REMOUNT|MS_BIND would have to restate them).  Missing paths
 * are skipped, as in runc. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include "linux/mounts.h"
#include "linux/path_resolve.h"
#include "util/cleanup.h"
#include "util/syscalls.h"

int readonly_paths_apply(const struct spec *spec, int root_fd, ocirun_error_t **err) {
  const struct spec_strv *paths = &spec->linux_.readonly_paths;

  for (size_t i = 0; i < paths->len; i++) {
    const char *path = paths->items[i];
    _cleanup_close_ int target = path_open_in_root(root_fd, path, PATH_CREATE_NONE, false);
    _cleanup_close_ int tree = -1;

    if (target < 0) {
      if (errno == ENOENT)
        continue;
      return ocirun_error_set(err, errno, "make %s read-only: open", path);
    }
    tree = sys_open_tree(target, "",
                         OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
    if (tree < 0)
      return ocirun_error_set(err, errno, "make %s read-only: clone", path);
    if (mount_set_attrs(tree, false, MOUNT_ATTR_RDONLY, 0) < 0)
      return ocirun_error_set(err, errno, "make %s read-only: set attributes", path);
    if (mount_move_onto(tree, target) < 0)
      return ocirun_error_set(err, errno, "make %s read-only: mount", path);
  }
  return 0;
}
