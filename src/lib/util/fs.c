#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"

int fs_read_file_at(int dirfd, const char *path, size_t max_size, char **out, size_t *len,
                    ocirun_error_t **err) {
  _cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
  _cleanup_free_ char *buf = NULL;
  size_t cap = 4096, used = 0;

  if (fd < 0)
    return ocirun_error_set(err, errno, "open %s", path);
  buf = malloc(cap);
  if (buf == NULL)
    return ocirun_error_set(err, ENOMEM, "read %s", path);
  for (;;) {
    ssize_t n;
    if (used + 1 >= cap) {
      char *nbuf;
      if (cap > max_size)
        return ocirun_error_set(err, EFBIG, "read %s: larger than %zu bytes", path, max_size);
      cap *= 2;
      nbuf = realloc(buf, cap);
      if (nbuf == NULL)
        return ocirun_error_set(err, ENOMEM, "read %s", path);
      buf = nbuf;
    }
    n = read(fd, buf + used, cap - used - 1);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return ocirun_error_set(err, errno, "read %s", path);
    }
    if (n == 0)
      break;
    used += (size_t)n;
  }
  if (used > max_size)
    return ocirun_error_set(err, EFBIG, "read %s: larger than %zu bytes", path, max_size);
  buf[used] = '\0';
  if (len)
    *len = used;
  *out = steal_pointer(&buf);
  return 0;
}

int fs_read_file(const char *path, size_t max_size, char **out, size_t *len, ocirun_error_t **err) {
  return fs_read_file_at(AT_FDCWD, path, max_size, out, len, err);
}

int fs_write_file_at(int dirfd, const char *path, const char *data, size_t len,
                     ocirun_error_t **err) {
  _cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_TRUNC);
  ssize_t n;

  if (fd < 0)
    return ocirun_error_set(err, errno, "open %s", path);
  n = write(fd, data, len);
  if (n < 0)
    return ocirun_error_set(err, errno, "write %s to %s", data, path);
  if ((size_t)n != len)
    return ocirun_error_set(err, EIO, "short write to %s", path);
  return 0;
}

/* Puts the file tmp at path in one step.  A file already at path is swapped out
 * (RENAME_EXCHANGE) and then unlinked instead of being replaced by rename(2): ext4
 * (auto_da_alloc) allocates and starts writing the blocks of a file renamed over another
 * one, and unlinking them later waits for their discard where the device is mounted with
 * -o discard.  Swapped, a state file rewritten and removed within a container's short life
 * never reaches the disk.  Without an old file, or where the filesystem cannot exchange,
 * a plain rename. */
static int replace_file(const char *tmp, const char *path) {
  int saved;

  if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) < 0) {
    if (errno != ENOENT && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
      return -1;
    return rename(tmp, path);
  }
  if (unlink(tmp) == 0)
    return 0;
  /* Not a file (a directory at path): put it back, and fail as rename would have. */
  saved = errno;
  renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE);
  errno = saved;
  return -1;
}

int fs_write_file_atomic(const char *path, const char *data, size_t len, mode_t mode,
                         ocirun_error_t **err) {
  _cleanup_free_ char *tmp = NULL;
  _cleanup_close_ int fd = -1;
  size_t done = 0;

  if (asprintf(&tmp, "%s.tmp.%d", path, (int)getpid()) < 0)
    return ocirun_error_set(err, ENOMEM, "write %s", path);
  fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0)
    return ocirun_error_set(err, errno, "create %s", tmp);
  while (done < len) {
    ssize_t n = write(fd, data + done, len - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      int saved = errno;
      unlink(tmp);
      return ocirun_error_set(err, saved, "write %s", tmp);
    }
    done += (size_t)n;
  }
  if (replace_file(tmp, path) < 0) {
    int saved = errno;
    unlink(tmp);
    return ocirun_error_set(err, saved, "rename %s to %s", tmp, path);
  }
  return 0;
}

int fs_mkdir_p(const char *path, mode_t mode, ocirun_error_t **err) {
  char buf[PATH_MAX];
  size_t len = strlen(path);

  if (len == 0 || len >= sizeof(buf))
    return ocirun_error_set(err, ENAMETOOLONG, "mkdir %s", path);
  /* Mostly the directory is there already: one call then. */
  if (mkdir(path, mode) == 0 || errno == EEXIST)
    return 0;
  if (errno != ENOENT)
    return ocirun_error_set(err, errno, "mkdir %s", path);
  memcpy(buf, path, len + 1);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(buf, mode) < 0 && errno != EEXIST)
      return ocirun_error_set(err, errno, "mkdir %s", buf);
    *p = '/';
  }
  if (mkdir(buf, mode) < 0 && errno != EEXIST)
    return ocirun_error_set(err, errno, "mkdir %s", buf);
  return 0;
}
