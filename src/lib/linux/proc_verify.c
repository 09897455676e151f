#include "linux/proc_verify.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/syscalls.h"

/* The root directory of every procfs mount has this inode number. */
#define PROC_ROOT_INO 1

static int open_beneath(int dirfd, const char *path, int flags) {
  /* openat2 rejects O_PATH combined with anything but O_DIRECTORY/O_NOFOLLOW. */
  return sys_openat2(
      dirfd, path, (uint64_t)(flags | O_CLOEXEC | ((flags & O_PATH) ? 0 : O_NOCTTY)), 0,
      RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
}

static int check_procfs(int fd, const char *what, ocirun_error_t **err) {
  struct statfs sfs;
  if (fstatfs(fd, &sfs) < 0)
    return ocirun_error_set(err, errno, "fstatfs %s", what);
  if (sfs.f_type != PROC_SUPER_MAGIC)
    return ocirun_error_set(err, 0, "%s is not on procfs (filesystem type %#lx)", what,
                            (unsigned long)sfs.f_type);
  return 0;
}

static int check_proc_root(int fd, const char *what, ocirun_error_t **err) {
  struct stat st;
  if (check_procfs(fd, what, err) < 0)
    return -1;
  if (fstat(fd, &st) < 0)
    return ocirun_error_set(err, errno, "stat %s", what);
  if (st.st_ino != PROC_ROOT_INO)
    return ocirun_error_set(err, 0, "%s is not the root of a procfs mount", what);
  return 0;
}

/* The file's mount is the proc root's (RESOLVE_NO_XDEV already refuses to
 * cross one; this says so with the mount ids, where the kernel reports them). */
static int check_same_mount(int root_fd, int fd, const char *what, ocirun_error_t **err) {
  struct statx a, b;
  if (statx(root_fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &a) < 0 ||
      statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &b) < 0)
    return ocirun_error_set(err, errno, "statx %s", what);
  if ((a.stx_mask & b.stx_mask & STATX_MNT_ID) && a.stx_mnt_id != b.stx_mnt_id)
    return ocirun_error_set(err, EXDEV, "%s is on another mount than its procfs", what);
  return 0;
}

/* A new procfs instance of the caller's pid namespace, attached nowhere: no
 * mount of anybody else can cover any part of it. */
static int open_private_procfs(void) {
  _cleanup_close_ int fs = sys_fsopen("proc", FSOPEN_CLOEXEC);
  if (fs < 0 || sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return -1;
  return sys_fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
}

int proc_open_safe(const char *proc_root, int *fd, ocirun_error_t **err) {
  ocirun_error_t *first = NULL;
  _cleanup_close_ int dfd = -1;

  /* proc_root itself when it is a procfs root: every open below it refuses to
   * cross a mount, so nothing mounted over its files is ever reached.  A new
   * procfs costs about half a millisecond to make and take down again. */
  if (proc_open_verified(proc_root, fd, &first) == 0)
    return 0;
  /* Shadowed (a tmpfs, a host directory...): a private instance, else a clone
   * of the mount alone (the kernel refuses a new procfs in a user namespace
   * whose procfs is not fully visible). */
  dfd = open_private_procfs();
  if (dfd < 0)
    dfd = sys_open_tree(AT_FDCWD, proc_root, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (dfd < 0 || check_proc_root(dfd, proc_root, NULL) < 0) {
    ocirun_error_move(err, &first);
    return -1;
  }
  ocirun_error_free(&first);
  *fd = steal_fd(&dfd);
  return 0;
}

int proc_safe_write(const char *relpath, const char *value, ocirun_error_t **err) {
  _cleanup_close_ int proc_fd = -1;
  if (proc_open_safe("/proc", &proc_fd, err) < 0)
    return -1;
  return proc_write_at(proc_fd, relpath, value, err);
}

int proc_open_verified(const char *proc_root, int *fd, ocirun_error_t **err) {
  _cleanup_close_ int dfd = open(proc_root, O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (dfd < 0)
    return ocirun_error_set(err, errno, "open %s", proc_root);
  if (check_proc_root(dfd, proc_root, err) < 0)
    return -1;
  *fd = steal_fd(&dfd);
  return 0;
}

int proc_open_sys(int proc_fd, int *fd, ocirun_error_t **err) {
  _cleanup_close_ int dfd = open_beneath(proc_fd, "sys", O_PATH | O_DIRECTORY);
  if (dfd < 0) {
    if (errno == EXDEV)
      return ocirun_error_set(err, errno,
                              "open /proc/sys: it is a separate mount (sysctls must be written "
                              "before it is made read-only)");
    return ocirun_error_set(err, errno, "open /proc/sys");
  }
  if (check_procfs(dfd, "/proc/sys", err) < 0)
    return -1;
  *fd = steal_fd(&dfd);
  return 0;
}

/* Replaces a leading "self" or "thread-self" by what the procfs link says
 * ("1234" or "1234/task/1234"), read without following it. */
static int resolve_self(int proc_fd, const char *relpath, char *buf, size_t size, const char **out,
                        ocirun_error_t **err) {
  static const char *const links[] = {"thread-self", "self"};
  *out = relpath;
  for (size_t i = 0; i < 2; i++) {
    size_t n = strlen(links[i]);
    char target[64];
    ssize_t len;
    if (strncmp(relpath, links[i], n) != 0 || (relpath[n] != '/' && relpath[n] != '\0'))
      continue;
    len = readlinkat(proc_fd, links[i], target, sizeof(target) - 1);
    if (len < 0)
      return ocirun_error_set(err, errno, "readlink /proc/%s", links[i]);
    target[len] = '\0';
    if (target[0] < '0' || target[0] > '9')
      return ocirun_error_set(err, 0, "/proc/%s points to unexpected \"%s\"", links[i], target);
    if ((size_t)snprintf(buf, size, "%s%s", target, relpath + n) >= size)
      return ocirun_error_set(err, ENAMETOOLONG, "proc path %s", relpath);
    *out = buf;
    return 0;
  }
  return 0;
}

int proc_open_at(int proc_fd, const char *relpath, int flags, int *fd, ocirun_error_t **err) {
  char buf[4096];
  const char *path;
  _cleanup_close_ int f = -1;

  if (resolve_self(proc_fd, relpath, buf, sizeof(buf), &path, err) < 0)
    return -1;
  f = open_beneath(proc_fd, path, flags);
  if (f < 0)
    return ocirun_error_set(err, errno, "open proc file %s", relpath);
  if (check_procfs(f, relpath, err) < 0 || check_same_mount(proc_fd, f, relpath, err) < 0)
    return -1;
  *fd = steal_fd(&f);
  return 0;
}

int proc_write_at(int proc_fd, const char *relpath, const char *value, ocirun_error_t **err) {
  _cleanup_close_ int fd = -1;
  size_t len = strlen(value);
  ssize_t n;

  if (proc_open_at(proc_fd, relpath, O_WRONLY, &fd, err) < 0)
    return -1;
  /* procfs files take a value in one write; a short write is a refusal. */
  n = write(fd, value, len);
  if (n < 0)
    return ocirun_error_set(err, errno, "write \"%s\" to proc file %s", value, relpath);
  if ((size_t)n != len)
    return ocirun_error_set(err, EIO, "write \"%s\" to proc file %s: short write", value, relpath);
  return 0;
}
