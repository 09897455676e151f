/* Paths inside the container rootfs, resolved through file descriptors so that
 * a symlink in the rootfs can never lead out of it: absolute link targets
 * restart at the rootfs, ".." stops there (openat2 RESOLVE_IN_ROOT, and a
 * component-by-component walk with the same rules where components must be
 * created). */
#ifndef OCIRUN_LINUX_PATH_RESOLVE_H
#define OCIRUN_LINUX_PATH_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum path_create {
  PATH_CREATE_NONE, /* missing: fail with ENOENT */
  PATH_CREATE_DIR,  /* missing components become directories (0755) */
  PATH_CREATE_FILE, /* ... and the last one an empty regular file (0644) */
};

/* Open `path` (absolute or relative, both taken from the rootfs) as an O_PATH
 * fd below root_fd.  Symlinks are followed inside the root; with nofollow the
 * last component is not followed (the fd is then the symlink itself when it is
 * one).  Missing components are created according to `create`.
 * Returns the fd, or -1 with errno set. */
int path_open_in_root(int root_fd, const char *path, enum path_create create, bool nofollow);

/* Lexically clean an absolute path inside the rootfs: "//", "." and ".." are
 * collapsed, ".." never climbs above "/".  out has room for size bytes;
 * returns -1 (ENAMETOOLONG) when it does not fit. */
int path_clean(const char *in, char *out, size_t size);

/* A cleaned destination that names the rootfs by its host path ("<rootfs>/mnt"), as
 * runc accepts, becomes the path inside it ("/mnt"), in place.  rootfs is absolute;
 * anything else is left as it is. */
void path_strip_root(const char *rootfs, char *path);

/* "/proc/self/fd/<fd>" into buf (for the few syscalls that only take paths). */
const char *path_proc_fd(char buf[32], int fd);

#endif
