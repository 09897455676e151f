/* The order of the rootfs set-up (runc's prepareRootfs / finalizeRootfs):
 *   prepare:  propagation of "/", rootfs bound onto itself, spec mounts in
 *             order, /dev (devices, links), /dev/console;
 *   (createContainer hooks run in between, the host's root still visible)
 *   finalize: switch of root, readonly paths, masked paths, read-only /dev,
 *             propagation again, the process cwd, read-only root. */
#include "linux/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "linux/mount_options.h"
#include "linux/mounts.h"
#include "linux/path_resolve.h"
#include "util/cleanup.h"
#include "util/trace.h"

int rootfs_prepare(const struct spec *spec, const struct rootfs_options *opts,
                   ocirun_error_t **err) {
  _cleanup_close_ int root_fd = -1;
  struct rootfs_ctx ctx = {.spec = spec, .opts = opts};

  if (opts->rootfs == NULL || opts->rootfs[0] != '/')
    return ocirun_error_set(err, 0, "rootfs path must be absolute: %s",
                            opts->rootfs ? opts->rootfs : "(none)");
  if (propagation_prepare(spec, opts->rootfs, err) < 0)
    return -1;
  trace_point("propagation + rootfs bind");
  /* Opened after the bind so that lookups start on the rootfs' own mount. */
  root_fd = open(opts->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0)
    return ocirun_error_set(err, errno, "open rootfs %s", opts->rootfs);
  ctx.root_fd = root_fd;
  for (size_t i = 0; i < spec->mounts_len; i++) {
    if (mount_spec_entry(&ctx, i, err) < 0)
      return -1;
    trace_pointf("mount", "%s (%s)", spec->mounts[i].destination,
                 spec->mounts[i].type ? spec->mounts[i].type : "bind");
  }
  if (rootfs_needs_dev_setup(spec) && devices_setup(&ctx, err) < 0)
    return -1;
  trace_point("/dev devices + links");
  if (dev_console_setup(&ctx, err) < 0)
    return -1;
  trace_point("/dev/console");
  return 0;
}

/* A /dev mounted read-only in the spec was mounted writable so that the
 * devices could be made; it becomes read-only now, as in runc. */
static int dev_readonly(const struct spec *spec, int root_fd, ocirun_error_t **err) {
  for (size_t i = 0; i < spec->mounts_len; i++) {
    const struct spec_mount *m = &spec->mounts[i];
    char dest[PATH_MAX];
    struct mount_options mo;
    _cleanup_close_ int fd = -1;
    bool ro;

    if (m->destination == NULL || path_clean(m->destination, dest, sizeof(dest)) < 0 ||
        strcmp(dest, "/dev") != 0)
      continue;
    if (mount_options_parse(&m->options, i, &mo, err) < 0)
      return -1;
    ro = (mo.flags & MS_RDONLY) && !(mo.flags & MS_BIND);
    mount_options_clear(&mo);
    if (!ro)
      continue;
    fd = path_open_in_root(root_fd, "/dev", PATH_CREATE_NONE, false);
    if (fd < 0 || mount_set_attrs(fd, false, MOUNT_ATTR_RDONLY, 0) < 0)
      return ocirun_error_set(err, errno, "make /dev read-only");
  }
  return 0;
}

int rootfs_finalize(const struct spec *spec, const struct rootfs_options *opts,
                    ocirun_error_t **err) {
  _cleanup_close_ int host_null = -1, root_fd = -1;

  /* Taken while the host's /dev is still reachable. */
  if (spec->linux_.masked_paths.len > 0 && masked_open_host_null(&host_null, err) < 0)
    return -1;
  bool host_ns = spec_find_namespace(spec, SPEC_NS_MOUNT) == NULL;
  if (rootfs_switch(opts->rootfs, opts->no_pivot, host_ns, err) < 0)
    return -1;
  trace_point(opts->no_pivot || host_ns ? "chroot" : "pivot_root");
  if (!host_ns && rootfs_needs_dev_setup(spec) && devices_reopen_null_stdio(err) < 0)
    return -1;
  root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0)
    return ocirun_error_set(err, errno, "open /");
  if (readonly_paths_apply(spec, root_fd, err) < 0)
    return -1;
  trace_pointf("readonly paths", "%zu", spec->linux_.readonly_paths.len);
  if (masked_paths_apply(spec, root_fd, host_null, err) < 0)
    return -1;
  trace_pointf("masked paths", "%zu", spec->linux_.masked_paths.len);
  if (dev_readonly(spec, root_fd, err) < 0 || (!host_ns && propagation_finalize(spec, err) < 0))
    return -1;
  if (spec->process.cwd && spec->process.cwd[0]) {
    _cleanup_close_ int cwd = path_open_in_root(root_fd, spec->process.cwd, PATH_CREATE_DIR, false);
    if (cwd < 0)
      return ocirun_error_set(err, errno, "create cwd %s", spec->process.cwd);
  }
  if (spec->root.readonly && mount_set_attrs(root_fd, false, MOUNT_ATTR_RDONLY, 0) < 0)
    return ocirun_error_set(err, errno, "make the root filesystem read-only");
  if (chdir("/") < 0)
    return ocirun_error_set(err, errno, "chdir /");
  trace_point("read-only root");
  return 0;
}
