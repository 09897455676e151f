/* The symlinks every /dev has (runc's set): fd, stdin, stdout, stderr, core
 * (only when the host has /proc/kcore), ptmx -> pts/ptmx (the devpts
 * instance of the container, replacing any ptmx node), and a /dev/shm
 * directory when the rootfs has none. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/mounts.h"

int dev_links_setup(struct rootfs_ctx *ctx, int dev_fd, ocirun_error_t **err) {
  static const struct {
    const char *target, *name;
  } links[] = {
      {"/proc/self/fd", "fd"},
      {"/proc/self/fd/0", "stdin"},
      {"/proc/self/fd/1", "stdout"},
      {"/proc/self/fd/2", "stderr"},
  };

  for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
    if (symlinkat(links[i].target, dev_fd, links[i].name) < 0 && errno != EEXIST)
      return ocirun_error_set(err, errno, "symlink /dev/%s (in rootfs %s)", links[i].name,
                              ctx->opts->rootfs);
  }
  if (access("/proc/kcore", F_OK) == 0 && symlinkat("/proc/kcore", dev_fd, "core") < 0 &&
      errno != EEXIST)
    return ocirun_error_set(err, errno, "symlink /dev/core (in rootfs %s)", ctx->opts->rootfs);
  if (unlinkat(dev_fd, "ptmx", 0) < 0 && errno != ENOENT)
    return ocirun_error_set(err, errno, "remove /dev/ptmx (in rootfs %s)", ctx->opts->rootfs);
  if (symlinkat("pts/ptmx", dev_fd, "ptmx") < 0)
    return ocirun_error_set(err, errno, "symlink /dev/ptmx (in rootfs %s)", ctx->opts->rootfs);
  if (mkdirat(dev_fd, "shm", 01777) < 0 && errno != EEXIST)
    return ocirun_error_set(err, errno, "mkdir /dev/shm (in rootfs %s)", ctx->opts->rootfs);
  return 0;
}
