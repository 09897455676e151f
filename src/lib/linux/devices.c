/* /dev of the container: the default device nodes, linux.devices, and the
 * console.  Nodes are made with mknod; where that is refused (EPERM in a user
 * namespace) the host's node is bound over an empty file, as runc does. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "linux/mounts.h"
#include "linux/path_resolve.h"
#include "util/cleanup.h"
#include "util/syscalls.h"

struct device {
  const char *path;
  char type;
  unsigned maj, min;
  mode_t mode;
  uid_t uid;
  gid_t gid;
};

static const struct device default_devices[] = {
    {"/dev/null", 'c', 1, 3, 0666, 0, 0},    {"/dev/zero", 'c', 1, 5, 0666, 0, 0},
    {"/dev/full", 'c', 1, 7, 0666, 0, 0},    {"/dev/random", 'c', 1, 8, 0666, 0, 0},
    {"/dev/urandom", 'c', 1, 9, 0666, 0, 0}, {"/dev/tty", 'c', 5, 0, 0666, 0, 0},
};

bool rootfs_needs_dev_setup(const struct spec *spec) {
  /* A /dev bound from the host is used as it is. */
  for (size_t i = 0; i < spec->mounts_len; i++) {
    const struct spec_mount *m = &spec->mounts[i];
    char dest[PATH_MAX];
    bool bind = m->type && strcmp(m->type, "bind") == 0;

    for (size_t j = 0; !bind && j < m->options.len; j++)
      bind = strcmp(m->options.items[j], "bind") == 0 || strcmp(m->options.items[j], "rbind") == 0;
    if (bind && m->destination && path_clean(m->destination, dest, sizeof(dest)) == 0 &&
        strcmp(dest, "/dev") == 0)
      return false;
  }
  return true;
}

static int bind_host_node(int dir_fd, const char *name, const char *path) {
  _cleanup_close_ int tree = -1, target = -1;
  int fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

  if (fd < 0)
    return -1;
  close(fd);
  target = openat(dir_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (target < 0)
    return -1;
  tree = sys_open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (tree < 0)
    return -1;
  return mount_move_onto(tree, target);
}

/* mknod, or keep what the rootfs has there when it is this very node.  Anything
 * else in its place is replaced: a symlink (say to /proc/sys/kernel/core_pattern)
 * or a regular file at /dev/null would turn every write to it into something
 * else (CVE-2025-31133).  Returns 0 or -errno. */
static int make_node(int dir, const char *name, mode_t mode, dev_t dev) {
  struct stat st;

  if (mknodat(dir, name, mode, dev) == 0)
    return 0;
  if (errno != EEXIST)
    return -errno;
  if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return -errno;
  if ((st.st_mode & S_IFMT) == (mode & S_IFMT) && (S_ISFIFO(st.st_mode) || st.st_rdev == dev))
    return 0;
  if (S_ISDIR(st.st_mode))
    return -EISDIR;
  if (unlinkat(dir, name, 0) < 0)
    return -errno;
  return mknodat(dir, name, mode, dev) == 0 ? 0 : -errno;
}

static int create_device(struct rootfs_ctx *ctx, const struct device *d, ocirun_error_t **err) {
  char clean[PATH_MAX], *slash, *name;
  _cleanup_close_ int dir = -1;
  mode_t type;

  if (path_clean(d->path, clean, sizeof(clean)) < 0 || strcmp(clean, "/") == 0)
    return ocirun_error_set(err, EINVAL, "create device %s", d->path);
  switch (d->type) {
  case 'c':
  case 'u':
    type = S_IFCHR;
    break;
  case 'b':
    type = S_IFBLK;
    break;
  case 'p':
    type = S_IFIFO;
    break;
  default:
    return ocirun_error_set(err, 0, "create device %s: unknown type '%c'", d->path, d->type);
  }
  slash = strrchr(clean, '/');
  name = slash + 1;
  *slash = '\0';
  dir = path_open_in_root(ctx->root_fd, clean[0] ? clean : "/", PATH_CREATE_DIR, false);
  if (dir < 0)
    return ocirun_error_set(err, errno, "create device %s: open %s (in rootfs %s)", d->path,
                            clean[0] ? clean : "/", ctx->opts->rootfs);
  int r = make_node(dir, name, type | (d->mode & 07777), makedev(d->maj, d->min));
  if (r == -EISDIR)
    return ocirun_error_set(err, EISDIR, "create device %s (in rootfs %s): a directory is there",
                            d->path, ctx->opts->rootfs);
  if (r == -EPERM && type != S_IFIFO) {
    /* No mknod here (user namespace): the host's node, bound over an empty file. */
    if (bind_host_node(dir, name, d->path) < 0)
      return ocirun_error_set(err, errno, "bind host device %s (in rootfs %s)", d->path,
                              ctx->opts->rootfs);
    return 0;
  }
  if (r < 0)
    return ocirun_error_set(err, -r, "mknod %s (in rootfs %s)", d->path, ctx->opts->rootfs);
  if ((d->uid || d->gid) && fchownat(dir, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
    return ocirun_error_set(err, errno, "chown device %s (in rootfs %s)", d->path,
                            ctx->opts->rootfs);
  return 0;
}

static bool spec_has_device(const struct spec *spec, const char *path) {
  for (size_t i = 0; i < spec->linux_.devices_len; i++) {
    if (spec->linux_.devices[i].path && strcmp(spec->linux_.devices[i].path, path) == 0)
      return true;
  }
  return false;
}

int devices_setup(struct rootfs_ctx *ctx, ocirun_error_t **err) {
  _cleanup_close_ int dev = -1;
  mode_t old_umask;
  int r = 0;

  dev = path_open_in_root(ctx->root_fd, "/dev", PATH_CREATE_DIR, false);
  if (dev < 0)
    return ocirun_error_set(err, errno, "open /dev (in rootfs %s)", ctx->opts->rootfs);
  /* The modes of the spec are meant exactly. */
  old_umask = umask(0);
  for (size_t i = 0; r == 0 && i < sizeof(default_devices) / sizeof(default_devices[0]); i++) {
    if (!spec_has_device(ctx->spec, default_devices[i].path))
      r = create_device(ctx, &default_devices[i], err);
  }
  for (size_t i = 0; r == 0 && i < ctx->spec->linux_.devices_len; i++) {
    const struct spec_device *sd = &ctx->spec->linux_.devices[i];
    struct device d = {
        .path = sd->path,
        .type = sd->type,
        .maj = (unsigned)sd->major,
        .min = (unsigned)sd->minor,
        .mode = sd->has_file_mode ? sd->file_mode : 0666,
        .uid = sd->has_uid ? sd->uid : 0,
        .gid = sd->has_gid ? sd->gid : 0,
    };
    if (d.path == NULL)
      r = ocirun_error_set(err, 0, ".linux.devices[%zu].path: required", i);
    else if (strcmp(d.path, "/dev/ptmx") == 0)
      continue; /* the link to the container's own pts/ptmx replaces it (dev_links.c) */
    else
      r = create_device(ctx, &d, err);
    if (r < 0)
      ocirun_error_prefix(err, ".linux.devices[%zu]", i);
  }
  if (r == 0)
    r = dev_links_setup(ctx, dev, err);
  umask(old_umask);
  return r;
}

/* Open the mount-able object for the pty: the fd itself when its mount is in
 * this namespace; else (the pty was opened before the mount namespace was
 * unshared) the same node by path, checked to be the same device. */
static int clone_console(int slave, ocirun_error_t **err) {
  char proc[32], path[PATH_MAX];
  struct stat want, got;
  ssize_t n;
  int tree = sys_open_tree(slave, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
  _cleanup_close_ int fd = -1;

  if (tree >= 0 || errno != EINVAL)
    return tree >= 0 ? tree : ocirun_error_set(err, errno, "clone console pty");
  if (fstat(slave, &want) < 0)
    return ocirun_error_set(err, errno, "stat console pty");
  n = readlink(path_proc_fd(proc, slave), path, sizeof(path) - 1);
  if (n < 0)
    return ocirun_error_set(err, errno, "readlink %s", proc);
  path[n] = '\0';
  fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &got) < 0)
    return ocirun_error_set(err, errno, "open console pty %s", path);
  if (!S_ISCHR(got.st_mode) || got.st_rdev != want.st_rdev || got.st_dev != want.st_dev)
    return ocirun_error_set(err, 0, "console pty %s is not the one passed", path);
  tree = sys_open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
  if (tree < 0)
    return ocirun_error_set(err, errno, "clone console pty %s", path);
  return tree;
}

int dev_console_setup(struct rootfs_ctx *ctx, ocirun_error_t **err) {
  _cleanup_close_ int dev = -1, target = -1, tree = -1;
  struct stat st;

  if (ctx->opts->console_slave_fd < 0)
    return 0;
  dev = path_open_in_root(ctx->root_fd, "/dev", PATH_CREATE_DIR, false);
  if (dev < 0)
    return ocirun_error_set(err, errno, "open /dev (in rootfs %s)", ctx->opts->rootfs);
  /* Never through a symlink (CVE-2025-52565): whatever is not a plain file or
   * device node at /dev/console is removed and replaced by an empty file. */
  target = openat(dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (target >= 0 && fstat(target, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
    close(target);
    target = -1;
    if (unlinkat(dev, "console", S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0)
      return ocirun_error_set(err, errno, "remove /dev/console (in rootfs %s)", ctx->opts->rootfs);
  }
  if (target < 0) {
    int fd = openat(dev, "console", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
      return ocirun_error_set(err, errno, "create /dev/console (in rootfs %s)", ctx->opts->rootfs);
    close(fd);
    target = openat(dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (target < 0)
      return ocirun_error_set(err, errno, "open /dev/console (in rootfs %s)", ctx->opts->rootfs);
  }
  tree = clone_console(ctx->opts->console_slave_fd, err);
  if (tree < 0)
    return -1;
  if (mount_move_onto(tree, target) < 0)
    return ocirun_error_set(err, errno, "bind console pty over /dev/console (in rootfs %s)",
                            ctx->opts->rootfs);
  return 0;
}

int devices_reopen_null_stdio(ocirun_error_t **err) {
  _cleanup_close_ int null_fd = -1;
  struct stat st[3], null_st;
  bool any_chr = false;

  for (int fd = 0; fd < 3; fd++) {
    if (fstat(fd, &st[fd]) < 0) {
      if (errno != EBADF)
        return ocirun_error_set(err, errno, "fstat stdio fd %d", fd);
      st[fd].st_mode = 0;
    }
    any_chr = any_chr || S_ISCHR(st[fd].st_mode);
  }
  /* Pipes and files need nothing: no open on the start path then. */
  if (!any_chr)
    return 0;
  null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0)
    return ocirun_error_set(err, errno, "open /dev/null inside the container");
  if (fstat(null_fd, &null_st) < 0)
    return ocirun_error_set(err, errno, "fstat /dev/null inside the container");
  for (int fd = 0; fd < 3; fd++) {
    /* By device number, as runc: in a user namespace the container's /dev/null is a bind
     * of the host's node, the same inode on another mount. */
    bool is_null = S_ISCHR(st[fd].st_mode) && st[fd].st_rdev == null_st.st_rdev;
    if (is_null && dup3(null_fd, fd, 0) < 0)
      return ocirun_error_set(err, errno, "replace stdio fd %d by the container's /dev/null", fd);
  }
  return 0;
}
