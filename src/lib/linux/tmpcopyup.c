/* tmpcopyup: the content a tmpfs is about to cover is copied into it first
 * (directories, regular files, symlinks, device nodes and fifos, with their
 * modes, owners and times). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/mounts.h"
#include "util/cleanup.h"

static int copy_meta(int dir, const char *name, const struct stat *st) {
  struct timespec times[2] = {st->st_atim, st->st_mtim};

  if (fchownat(dir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
    return -1;
  if (!S_ISLNK(st->st_mode) && fchmodat(dir, name, st->st_mode & 07777, 0) < 0)
    return -1;
  return utimensat(dir, name, times, AT_SYMLINK_NOFOLLOW);
}

static int copy_file(int src_dir, int dst_dir, const char *name, const struct stat *st) {
  _cleanup_close_ int in = openat(src_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  _cleanup_close_ int out = -1;
  off_t left = st->st_size;

  if (in < 0)
    return -1;
  out = openat(dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (out < 0)
    return -1;
  while (left > 0) {
    ssize_t n = sendfile(out, in, NULL, (size_t)left);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (n == 0)
      break;
    left -= n;
  }
  return 0;
}

static int copy_dir(int src, int dst, int depth) {
  _cleanup_closedir_ DIR *d = NULL;
  int dup_fd;
  struct dirent *de;

  if (depth > 128) {
    errno = ELOOP;
    return -1;
  }
  dup_fd = fcntl(src, F_DUPFD_CLOEXEC, 3);
  if (dup_fd < 0)
    return -1;
  d = fdopendir(dup_fd);
  if (d == NULL) {
    close(dup_fd);
    return -1;
  }
  while ((errno = 0, de = readdir(d)) != NULL) {
    const char *name = de->d_name;
    struct stat st;

    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
      continue;
    if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
      return -1;
    if (S_ISDIR(st.st_mode)) {
      _cleanup_close_ int s = -1, t = -1;
      if (mkdirat(dst, name, 0700) < 0)
        return -1;
      s = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      t = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (s < 0 || t < 0 || copy_dir(s, t, depth + 1) < 0)
        return -1;
    } else if (S_ISREG(st.st_mode)) {
      if (copy_file(src, dst, name, &st) < 0)
        return -1;
    } else if (S_ISLNK(st.st_mode)) {
      char target[PATH_MAX];
      ssize_t n = readlinkat(src, name, target, sizeof(target) - 1);
      if (n < 0)
        return -1;
      target[n] = '\0';
      if (symlinkat(target, dst, name) < 0)
        return -1;
    } else if (mknodat(dst, name, st.st_mode, st.st_rdev) < 0) {
      return -1; /* device, fifo or socket */
    }
    if (copy_meta(dst, name, &st) < 0)
      return -1;
  }
  return errno ? -1 : 0;
}

int copy_tree(int src_dir, int dst_dir) {
  /* The tmpfs root keeps its own mode (the "mode=" option), as in runc. */
  return copy_dir(src_dir, dst_dir, 0);
}
