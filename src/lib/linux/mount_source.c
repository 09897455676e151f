#include "linux/mount_source.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/id_map.h"
#include "util/cleanup.h"
#include "util/syscalls.h"

enum mount_idmap mount_idmap_of(const struct spec_mount *m, const struct mount_options *mo) {
  if (mo->ridmap)
    return MOUNT_IDMAP_RECURSIVE;
  if (mo->idmap || m->uid_mappings_len > 0 || m->gid_mappings_len > 0)
    return MOUNT_IDMAP_TOP;
  return MOUNT_IDMAP_NONE;
}

bool mount_idmap_implied(const struct spec_mount *m) {
  return m->uid_mappings_len == 0 && m->gid_mappings_len == 0;
}

int mount_source_clone(const char *source, bool recursive, enum mount_idmap idmap, int userns_fd,
                       ocirun_error_t **err) {
  _cleanup_close_ int tree = -1;

  tree = sys_open_tree(AT_FDCWD, source,
                       OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
  if (tree < 0)
    return ocirun_error_set(err, errno, "open source of bind mount %s", source);
  if (idmap != MOUNT_IDMAP_NONE) {
    struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns_fd};
    if (sys_mount_setattr(tree, "",
                          AT_EMPTY_PATH | (idmap == MOUNT_IDMAP_RECURSIVE ? AT_RECURSIVE : 0),
                          &attr) < 0)
      return ocirun_error_set(err, errno, "id-map the mount of %s%s", source,
                              errno == EINVAL ? " (its filesystem has no id-mapped mounts)" : "");
  }
  return steal_fd(&tree);
}

/* Whether the namespace of fd is not the runtime's own user namespace. */
static bool namespace_differs(int fd) {
  struct stat a, b;
  return fstat(fd, &a) == 0 && stat("/proc/self/ns/user", &b) == 0 &&
         (a.st_ino != b.st_ino || a.st_dev != b.st_dev);
}

/* The user namespace carrying the entry's mapping (a new one), or the
 * container's (that of init_pid) for the implied mapping. */
static int idmap_userns(const struct spec_mount *m, size_t index, pid_t init_pid,
                        ocirun_error_t **err) {
  char path[64];
  int fd;

  if (!mount_idmap_implied(m)) {
    fd = id_map_userns_fd(m->uid_mappings, m->uid_mappings_len, m->gid_mappings,
                          m->gid_mappings_len, err);
    return fd < 0 ? ocirun_error_prefix(err, ".mounts[%zu].uidMappings", index) : fd;
  }
  snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)init_pid);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return ocirun_error_set(err, errno, "open %s", path);
  if (!namespace_differs(fd)) {
    close(fd);
    return ocirun_error_set(err, 0,
                            ".mounts[%zu]: an id-mapped mount without uidMappings/gidMappings "
                            "takes the container's user namespace, and there is none",
                            index);
  }
  return fd;
}

static int make_tree(const struct spec *spec, size_t index, pid_t init_pid, ocirun_error_t **err) {
  const struct spec_mount *m = &spec->mounts[index];
  struct mount_options mo;
  _cleanup_close_ int userns = -1;
  enum mount_idmap idmap;
  int r;

  if (m->source == NULL || m->source[0] == '\0')
    return ocirun_error_set(err, 0, ".mounts[%zu].source: a bind mount needs a source", index);
  if (mount_options_parse(&m->options, index, &mo, err) < 0)
    return -1;
  idmap = mount_idmap_of(m, &mo);
  if (idmap != MOUNT_IDMAP_NONE && (userns = idmap_userns(m, index, init_pid, err)) < 0) {
    mount_options_clear(&mo);
    return -1;
  }
  r = mount_source_clone(m->source, (mo.flags & MS_REC) != 0, idmap, userns, err);
  mount_options_clear(&mo);
  return r;
}

int mount_source_for_container(const struct spec *spec, size_t index, int init_pidfd,
                               pid_t init_pid, const char *bundle, ocirun_error_t **err) {
  _cleanup_close_ int own_mnt = -1, own_cwd = -1;
  int tree, r = 0;

  own_mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  own_cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (own_mnt < 0 || own_cwd < 0)
    return ocirun_error_set(err, errno, "open the runtime's own mount namespace and cwd");
  /* A mount namespace is entered by a process whose filesystem context is its
   * own (threads of a sanitizer share it otherwise). */
  if (unshare(CLONE_FS) < 0)
    return ocirun_error_set(err, errno, "unshare(CLONE_FS)");
  if (setns(init_pidfd, CLONE_NEWNS) < 0)
    return ocirun_error_set(err, errno, "enter the mount namespace of the container init");
  /* setns moved our cwd to the namespace's root: relative sources are the bundle's. */
  if (chdir(bundle) < 0)
    r = ocirun_error_set(err, errno, "chdir to bundle %s in the container's mount namespace",
                         bundle);
  tree = r < 0 ? -1 : make_tree(spec, index, init_pid, err);
  if (setns(own_mnt, CLONE_NEWNS) < 0 || fchdir(own_cwd) < 0) {
    /* Nothing the runtime does later may happen in the container's namespace. */
    if (tree >= 0)
      close(tree);
    return ocirun_error_set(err, errno, "return to the runtime's mount namespace");
  }
  return tree;
}
