/* The on-disk store: <root> (0700), <root>/<id> (0700), state.json (0600, replaced
 * atomically so a reader never sees half a file), and the lock file. */
#include "container/state.h"
#include "container/state_view.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/seccomp_program.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/limits.h"

#define STATE_FILE "state.json"
/* "container does not exist" carries ENOENT for callers, but the text stays runc's,
 * without a strerror suffix. */
static int error_not_exist(ocirun_error_t **err, const char *id) {
  if (id)
    ocirun_error_set(err, 0, "container does not exist: %s", id);
  else
    ocirun_error_set(err, 0, "container does not exist");
  if (err && *err)
    (*err)->status = ENOENT;
  return -1;
}

int state_root_ensure(const char *root, ocirun_error_t **err) {
  if (root == NULL || root[0] == '\0')
    return ocirun_error_set(err, 0, "root directory is empty");
  return fs_mkdir_p(root, 0700, err);
}

char *state_dir_path(const char *root, const char *id) {
  char *path = NULL;
  if (asprintf(&path, "%s/%s", root, id) < 0)
    return NULL;
  return path;
}

char *state_seccomp_cache_path(const char *root) {
  (void)root; /* the cache is no longer kept in the state root */
  return seccomp_cache_default_dir();
}

int state_dir_create(const char *root, const char *id, ocirun_error_t **err) {
  _cleanup_free_ char *dir = NULL;

  if (container_id_validate(id, err) < 0)
    return -1;
  if (state_root_ensure(root, err) < 0)
    return -1;
  dir = state_dir_path(root, id);
  if (dir == NULL)
    return ocirun_error_set(err, ENOMEM, "create container directory");
  if (mkdir(dir, 0700) < 0) {
    if (errno == EEXIST)
      return ocirun_error_set(err, 0, "container with given ID already exists: %s", id);
    return ocirun_error_set(err, errno, "mkdir %s", dir);
  }
  return 0;
}

/* Remove everything below dirfd, then nothing else: symlinks are unlinked, never
 * followed, so a planted link cannot redirect the removal. */
static int remove_tree_at(int dirfd, const char *path_for_errors, ocirun_error_t **err) {
  int fd = dup(dirfd);
  _cleanup_closedir_ DIR *d = NULL;
  struct dirent *de;

  if (fd < 0)
    return ocirun_error_set(err, errno, "dup fd of %s", path_for_errors);
  d = fdopendir(fd);
  if (d == NULL) {
    int saved = errno;
    close(fd);
    return ocirun_error_set(err, saved, "opendir %s", path_for_errors);
  }
  while ((errno = 0, de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    if (unlinkat(dirfd, de->d_name, 0) == 0 || errno == ENOENT)
      continue;
    if (errno != EISDIR) {
      return ocirun_error_set(err, errno, "remove %s/%s", path_for_errors, de->d_name);
    }
    _cleanup_close_ int sub =
        openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0)
      return ocirun_error_set(err, errno, "open %s/%s", path_for_errors, de->d_name);
    if (remove_tree_at(sub, path_for_errors, err) < 0)
      return -1;
    if (unlinkat(dirfd, de->d_name, AT_REMOVEDIR) < 0 && errno != ENOENT)
      return ocirun_error_set(err, errno, "remove %s/%s", path_for_errors, de->d_name);
  }
  if (errno != 0)
    return ocirun_error_set(err, errno, "readdir %s", path_for_errors);
  return 0;
}

int state_dir_remove(const char *root, const char *id, ocirun_error_t **err) {
  _cleanup_free_ char *dir = NULL;
  _cleanup_close_ int fd = -1;

  if (container_id_validate(id, err) < 0)
    return -1;
  dir = state_dir_path(root, id);
  if (dir == NULL)
    return ocirun_error_set(err, ENOMEM, "remove container directory");
  fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return 0; /* already gone: removal is idempotent */
    return ocirun_error_set(err, errno, "open %s", dir);
  }
  /* What create leaves there, removed by name: no directory listing in the common case. */
  static const char *const known[] = {STATE_FILE, "config.json", "exec.fifo"};
  for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
    if (unlinkat(fd, known[i], 0) < 0 && errno != ENOENT)
      break; /* the listing below reports it */
  if (rmdir(dir) == 0 || errno == ENOENT)
    return 0;
  /* A command that opened the directory just before the removal may still create its
   * lock file in it: empty the directory again when rmdir finds it not empty. */
  for (int attempt = 0;; attempt++) {
    if (remove_tree_at(fd, dir, err) < 0)
      return -1;
    if (rmdir(dir) == 0 || errno == ENOENT)
      return 0;
    if (errno != ENOTEMPTY || attempt == 3)
      return ocirun_error_set(err, errno, "rmdir %s", dir);
  }
}

static int lock_container(const char *root, const char *id, int flock_flags, ocirun_error_t **err) {
  _cleanup_free_ char *dir = NULL;
  _cleanup_close_ int dirfd = -1, fd = -1;
  struct stat sb;
  int rc;

  if (container_id_validate(id, err) < 0)
    return -1;
  dir = state_dir_path(root, id);
  if (dir == NULL)
    return ocirun_error_set(err, ENOMEM, "lock container %s", id);
  dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dirfd < 0) {
    if (errno == ENOENT)
      return error_not_exist(err, id);
    return ocirun_error_set(err, errno, "open %s", dir);
  }
  /* The lock is the directory itself: nothing is created in a directory that a
   * concurrent `delete` may be emptying. */
  fd = steal_fd(&dirfd);
  do
    rc = flock(fd, flock_flags);
  while (rc < 0 && errno == EINTR);
  if (rc < 0) {
    if (errno == EWOULDBLOCK) {
      ocirun_error_set(err, 0, "container %s is busy: another command holds its lock", id);
      if (err && *err)
        (*err)->status = EWOULDBLOCK;
      return -1;
    }
    return ocirun_error_set(err, errno, "lock %s", dir);
  }
  /* A `delete` that held the lock while we waited has removed the directory: the lock
   * we got is on a removed directory, and the container is gone. */
  if (fstat(fd, &sb) < 0)
    return ocirun_error_set(err, errno, "stat %s", dir);
  if (sb.st_nlink == 0)
    return error_not_exist(err, id);
  return steal_fd(&fd);
}

int state_lock(const char *root, const char *id, ocirun_error_t **err) {
  return lock_container(root, id, LOCK_EX, err);
}

int state_lock_try(const char *root, const char *id, ocirun_error_t **err) {
  return lock_container(root, id, LOCK_EX | LOCK_NB, err);
}

int state_write(const char *root, const struct container_state *st, ocirun_error_t **err) {
  _cleanup_free_ char *json = NULL, *path = NULL;

  if (container_id_validate(st->id, err) < 0)
    return -1;
  json = state_format_json(st);
  if (json == NULL)
    return ocirun_error_set(err, 0,
                            "encode state of container %s (are the bundle path and "
                            "annotations valid UTF-8?)",
                            st->id);
  if (asprintf(&path, "%s/%s/" STATE_FILE, root, st->id) < 0)
    return ocirun_error_set(err, ENOMEM, "write state of %s", st->id);
  if (fs_write_file_atomic(path, json, strlen(json), 0600, err) < 0)
    return -1;
  return state_view_write(root, st, err);
}

int state_read(const char *root, const char *id, struct container_state *st, ocirun_error_t **err) {
  _cleanup_free_ char *path = NULL, *data = NULL;
  ocirun_error_t *read_err = NULL;
  size_t len = 0;

  memset(st, 0, sizeof(*st));
  if (container_id_validate(id, err) < 0)
    return -1;
  if (asprintf(&path, "%s/%s/" STATE_FILE, root, id) < 0)
    return ocirun_error_set(err, ENOMEM, "read state of %s", id);
  if (fs_read_file(path, LIMIT_DOCUMENT_FILE, &data, &len, &read_err) < 0) {
    /* Missing dir or missing file: a container whose create has not yet written its
     * first state is, for readers, not there yet. */
    if (read_err->status == ENOENT || read_err->status == ENOTDIR) {
      ocirun_error_free(&read_err);
      return error_not_exist(err, NULL);
    }
    ocirun_error_move(err, &read_err);
    return -1;
  }
  if (state_parse_json(path, data, len, st, err) < 0)
    return -1;
  if (strcmp(st->id, id) != 0) {
    ocirun_error_set(err, 0, "%s: records id \"%s\", not \"%s\"", path, st->id, id);
    state_clear(st);
    return -1;
  }
  return 0;
}
