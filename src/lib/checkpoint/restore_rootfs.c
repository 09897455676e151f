/* The rootfs as CRIU needs it for a restore.  CRIU restores the container's
 * mounts itself but wants (a) a root that is a mount point whose parent is not
 * overmounted: the rootfs bound at <state dir>/criu-root, and (b) every mount
 * point to exist: destinations are made as create makes them, except below a
 * tmpfs (CRIU brings back its content).  A bind mount's source is bound at its
 * destination while the later destinations are made, so that a mount point
 * nested in it is made in the bound directory, as it was at create; those
 * binds are undone right after. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checkpoint/restore_rootfs.h"
#include "checkpoint/criu_internal.h"
#include "linux/path_resolve.h"
#include "util/cleanup.h"

static bool below(const char *path, const char *dir) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/')
    n--;
  return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static bool below_tmpfs(const struct spec *spec, const char *dest) {
  for (size_t i = 0; i < spec->mounts_len; i++) {
    const struct spec_mount *m = &spec->mounts[i];
    if (m->type && strcmp(m->type, "tmpfs") == 0 && m->destination && below(dest, m->destination) &&
        strcmp(dest, m->destination) != 0)
      return true;
  }
  return false;
}

static int push_bind(struct restore_rootfs *r, int fd) {
  int *grown = realloc(r->binds, (r->nbinds + 1) * sizeof(int));
  if (grown == NULL)
    return -1;
  r->binds = grown;
  r->binds[r->nbinds++] = fd;
  return 0;
}

static int make_mount_point(struct restore_rootfs *r, int root, const struct spec_mount *m,
                            ocirun_error_t **err) {
  bool bind = criu_mount_is_bind(m);
  enum path_create kind = PATH_CREATE_DIR;
  struct stat sb;
  int fd;
  char proc[32];

  if (bind && m->source && stat(m->source, &sb) == 0 && !S_ISDIR(sb.st_mode))
    kind = PATH_CREATE_FILE;
  fd = path_open_in_root(root, m->destination, kind, false);
  if (fd < 0)
    return ocirun_error_set(err, errno, "restore: make mount point %s", m->destination);
  if (!bind || m->source == NULL) {
    close(fd);
    return 0;
  }
  if (mount(m->source, path_proc_fd(proc, fd), NULL, MS_BIND | MS_REC, NULL) < 0) {
    int e = errno;
    close(fd);
    return ocirun_error_set(err, e, "restore: bind %s at %s", m->source, m->destination);
  }
  close(fd);
  /* The mount on top, by a fresh fd, for the unmount afterwards. */
  fd = path_open_in_root(root, m->destination, PATH_CREATE_NONE, false);
  if (fd < 0 || push_bind(r, fd) < 0) {
    if (fd >= 0)
      close(fd);
    return ocirun_error_set(err, errno ? errno : ENOMEM, "restore: track bind %s", m->destination);
  }
  return 0;
}

static void undo_binds(struct restore_rootfs *r) {
  char proc[32];
  /* Innermost first. */
  while (r->nbinds > 0) {
    int fd = r->binds[--r->nbinds];
    umount2(path_proc_fd(proc, fd), MNT_DETACH);
    close(fd);
  }
  free(r->binds);
  r->binds = NULL;
}

int restore_rootfs_prepare(const char *state_dir, const char *rootfs, const struct spec *spec,
                           struct restore_rootfs *r, ocirun_error_t **err) {
  _cleanup_close_ int root = -1;
  int rc = 0;

  memset(r, 0, sizeof(*r));
  root = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return ocirun_error_set(err, errno, "restore: open rootfs %s", rootfs);
  for (size_t i = 0; i < spec->mounts_len && rc == 0; i++) {
    const struct spec_mount *m = &spec->mounts[i];
    if (m->destination && !below_tmpfs(spec, m->destination))
      rc = make_mount_point(r, root, m, err);
  }
  undo_binds(r);
  if (rc < 0)
    return -1;
  if (asprintf(&r->criu_root, "%s/criu-root", state_dir) < 0) {
    r->criu_root = NULL;
    return ocirun_error_set(err, ENOMEM, "restore: criu root");
  }
  if (mkdir(r->criu_root, 0755) < 0 && errno != EEXIST)
    return ocirun_error_set(err, errno, "mkdir %s", r->criu_root);
  if (mount(rootfs, r->criu_root, NULL, MS_BIND | MS_REC, NULL) < 0)
    return ocirun_error_set(err, errno, "restore: bind %s at %s", rootfs, r->criu_root);
  r->mounted = true;
  return 0;
}

void restore_rootfs_release(struct restore_rootfs *r) {
  undo_binds(r);
  if (r->mounted)
    umount2(r->criu_root, MNT_DETACH);
  if (r->criu_root)
    rmdir(r->criu_root);
  free(r->criu_root);
  memset(r, 0, sizeof(*r));
}
