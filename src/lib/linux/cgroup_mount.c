/* A "cgroup" mount: the container's view of its cgroups.
 * - pure cgroup v2 host: a cgroup2 mount (its root is the cgroup namespace
 *   root); where the kernel refuses it, a bind of /sys/fs/cgroup, as runc does;
 * - v1 / hybrid host: a tmpfs holding, per v1 hierarchy, a bind of the
 *   container's own cgroup directory (or, with a cgroup namespace, a fresh
 *   mount of the hierarchy), symlinks for co-mounted controllers
 *   ("cpu" -> "cpu,cpuacct"), and on a hybrid host the cgroup2 view in
 *   "unified"; the entry's attributes (`ro` ...) go on every piece and the tmpfs in
 *   one recursive mount_setattr once the tree is built. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "linux/lsm.h"
#include "linux/mounts.h"
#include "linux/path_resolve.h"
#include "util/cleanup.h"
#include "util/limits.h"
#include "util/mountinfo.h"
#include "util/fs.h"
#include "util/syscalls.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

struct cg_ctx {
  struct rootfs_ctx *ctx;
  size_t index;
  const struct mount_options *mo;
  const char *dest;
  uint64_t attr_set, attr_clr;
};

static int cg_error(const struct cg_ctx *c, int errno_, const char *what, const char *sub,
                    ocirun_error_t **err) {
  return ocirun_error_set(err, errno_, "%s cgroup %s%s%s (in rootfs %s)", what, c->dest,
                          sub ? "/" : "", sub ? sub : "", c->ctx->opts->rootfs);
}

/* Bind the host directory `source` onto dir_fd/name, a directory made here in the tmpfs
 * we just mounted (nothing else can have put a symlink there, and move_mount does not
 * follow one as the last component): the entry's attributes come with the tmpfs's, in one
 * recursive mount_setattr once every piece is in place (mount_cgroup_v1). */
static int cg_bind(const struct cg_ctx *c, int dir_fd, const char *name, const char *source,
                   ocirun_error_t **err) {
  _cleanup_close_ int tree = -1;

  if (mkdirat(dir_fd, name, 0755) < 0 && errno != EEXIST)
    return cg_error(c, errno, "mkdir", name, err);
  tree = sys_open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
  if (tree < 0)
    return ocirun_error_set(err, errno, "open cgroup directory %s", source);
  if (sys_move_mount(tree, "", dir_fd, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
    return cg_error(c, errno, "bind mount", name, err);
  return 0;
}

/* A fresh hierarchy mount (cgroup namespace: the kernel shows its root). */
static int cg_mount_fresh(const struct cg_ctx *c, int dir_fd, const char *name, const char *type,
                          const char *data, ocirun_error_t **err) {
  _cleanup_close_ int target = -1;

  if (mkdirat(dir_fd, name, 0755) < 0 && errno != EEXIST)
    return cg_error(c, errno, "mkdir", name, err);
  target = openat(dir_fd, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
  if (target < 0)
    return cg_error(c, errno, "open", name, err);
  if (mount_fs_on_fd(type, target, type, c->mo->flags, data) < 0)
    return cg_error(c, errno, "mount", name, err);
  return 0;
}

/* Does the comma list `super` (mount super options) hold every controller of
 * the comma list `ctrls` (from /proc/self/cgroup)? */
static bool has_controllers(const char *super, const char *ctrls) {
  const char *p = ctrls;

  while (*p) {
    const char *end = strchrnul(p, ',');
    size_t n = (size_t)(end - p);
    const char *s = super;
    bool found = false;

    while (*s && !found) {
      const char *send = strchrnul(s, ',');
      found = (size_t)(send - s) == n && strncmp(s, p, n) == 0;
      s = *send ? send + 1 : send;
    }
    if (!found)
      return false;
    p = *end ? end + 1 : end;
  }
  return true;
}

/* The v1 cgroup mounts of mountinfo (parsed once, in place: the entries point into it). */
static int v1_mounts(char *mountinfo, struct mountinfo_entry **out, size_t *n,
                     ocirun_error_t **err) {
  struct mountinfo_entry e, *v = NULL;
  size_t len = 0, cap = 0;

  for (char *cur = mountinfo; mountinfo_next(&cur, &e);) {
    if (strcmp(e.fstype, "cgroup") != 0)
      continue;
    if (len == cap) {
      struct mountinfo_entry *bigger = reallocarray(v, cap ? cap * 2 : 16, sizeof(*v));
      if (bigger == NULL) {
        free(v);
        return ocirun_error_set(err, ENOMEM, "cgroup mounts");
      }
      v = bigger;
      cap = cap ? cap * 2 : 16;
    }
    v[len++] = e;
  }
  *out = v;
  *n = len;
  return 0;
}

/* Find the v1 mount of the hierarchy holding `ctrls`: its mount point and root. */
static bool find_hierarchy(const struct mountinfo_entry *v, size_t n, const char *ctrls, char *mnt,
                           char *root) {
  for (size_t i = 0; i < n; i++) {
    if (!has_controllers(v[i].super_options, ctrls))
      continue;
    if (strlen(v[i].mountpoint) >= PATH_MAX || strlen(v[i].root) >= PATH_MAX)
      continue;
    strcpy(mnt, v[i].mountpoint);
    strcpy(root, v[i].root);
    return true;
  }
  return false;
}

/* The host directory of the container's cgroup in the hierarchy mounted at
 * mnt whose root is root; path is the one /proc/self/cgroup shows. */
static int cg_source(char *out, size_t size, const char *mnt, const char *root, const char *path) {
  size_t rl = strlen(root);

  if (strcmp(root, "/") != 0 && strncmp(path, root, rl) == 0 &&
      (path[rl] == '/' || path[rl] == '\0'))
    path += rl;
  return snprintf(out, size, "%s%s", mnt, path) >= (int)size ? -1 : 0;
}

static int mount_cgroup_v1(struct cg_ctx *c, int target, ocirun_error_t **err) {
  _cleanup_free_ char *self = NULL, *mountinfo = NULL, *labelled = NULL;
  _cleanup_free_ struct mountinfo_entry *mounts = NULL;
  _cleanup_close_ int top = -1;
  char *save = NULL;
  size_t nmounts = 0;
  struct statfs sfs;

  if (selinux_mount_data("mode=755", c->ctx->spec->linux_.mount_label, &labelled, err) < 0)
    return -1;
  if (fs_read_file("/proc/self/cgroup", LIMIT_PROC_CGROUP_FILE, &self, NULL, err) < 0 ||
      mountinfo_read_self(&mountinfo, err) < 0 || v1_mounts(mountinfo, &mounts, &nmounts, err) < 0)
    return -1;
  if (mount_fs_on_fd("tmpfs", target, "tmpfs", c->mo->flags & ~(unsigned long)MS_RDONLY,
                     labelled ? labelled : "mode=755") < 0)
    return cg_error(c, errno, "mount tmpfs for", NULL, err);
  top = path_open_in_root(c->ctx->root_fd, c->dest, PATH_CREATE_NONE, false);
  if (top < 0)
    return cg_error(c, errno, "open", NULL, err);

  for (char *line = strtok_r(self, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *ctrls = strchr(line, ':'), *path, mnt[PATH_MAX], root[PATH_MAX], src[PATH_MAX];
    const char *name;

    if (ctrls == NULL || (path = strchr(++ctrls, ':')) == NULL)
      continue;
    *path++ = '\0';
    if (*ctrls == '\0') {
      /* The cgroup2 hierarchy of a hybrid host. */
      if (statfs(CGROUP_ROOT "/unified", &sfs) < 0 || sfs.f_type != CGROUP2_SUPER_MAGIC)
        continue;
      if (c->ctx->opts->new_cgroupns) {
        if (cg_mount_fresh(c, top, "unified", "cgroup2", NULL, err) < 0)
          return -1;
      } else {
        if (cg_source(src, sizeof(src), CGROUP_ROOT "/unified", "/", path) < 0)
          return ocirun_error_set(err, ENAMETOOLONG, "cgroup path %s", path);
        if (cg_bind(c, top, "unified", src, err) < 0)
          return -1;
      }
      continue;
    }
    if (!find_hierarchy(mounts, nmounts, ctrls, mnt, root))
      continue; /* a hierarchy not mounted on the host: nothing to show */
    name = strrchr(mnt, '/') ? strrchr(mnt, '/') + 1 : mnt;
    if (c->ctx->opts->new_cgroupns) {
      char data[512];
      snprintf(data, sizeof(data), "%s", ctrls);
      if (cg_mount_fresh(c, top, name, "cgroup", data, err) < 0)
        return -1;
    } else {
      if (cg_source(src, sizeof(src), mnt, root, path) < 0)
        return ocirun_error_set(err, ENAMETOOLONG, "cgroup path %s%s", mnt, path);
      if (cg_bind(c, top, name, src, err) < 0)
        return -1;
    }
    /* Co-mounted controllers ("cpu,cpuacct") get one symlink each. */
    if (strchr(name, ',')) {
      _cleanup_free_ char *names = strdup(name);
      char *s2 = NULL;
      if (names == NULL)
        return ocirun_error_set(err, ENOMEM, "mount cgroup %s", c->dest);
      for (char *n = strtok_r(names, ",", &s2); n; n = strtok_r(NULL, ",", &s2)) {
        if (symlinkat(name, top, n) < 0 && errno != EEXIST)
          return cg_error(c, errno, "symlink", n, err);
      }
    }
  }
  /* The entry's attributes on every piece at once, the tmpfs with them (it was mounted
   * writable, to be filled). */
  if ((c->attr_set | c->attr_clr | (c->mo->flags & MS_RDONLY)) &&
      mount_set_attrs(top, true, c->attr_set | ((c->mo->flags & MS_RDONLY) ? MOUNT_ATTR_RDONLY : 0),
                      c->attr_clr) < 0)
    return cg_error(c, errno, "set attributes of", NULL, err);
  if (mount_apply_propagation(top, c->mo) < 0)
    return cg_error(c, errno, "set propagation of", NULL, err);
  return 0;
}

static int mount_cgroup_v2(struct cg_ctx *c, int target, ocirun_error_t **err) {
  _cleanup_close_ int top = -1;

  if (mount_fs_on_fd("cgroup2", target, "cgroup2", c->mo->flags, c->mo->data) < 0) {
    /* Without its own cgroup namespace a user namespace may not mount
     * cgroup2: show the host's hierarchy instead, as runc does. */
    if (errno != EPERM && errno != EBUSY)
      return cg_error(c, errno, "mount cgroup2 on", NULL, err);
    _cleanup_close_ int tree =
        sys_open_tree(AT_FDCWD, CGROUP_ROOT, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
    if (tree < 0)
      return ocirun_error_set(err, errno, "open %s", CGROUP_ROOT);
    if ((c->attr_set | c->attr_clr) && mount_set_attrs(tree, false, c->attr_set, c->attr_clr) < 0)
      return cg_error(c, errno, "set attributes of", NULL, err);
    if (mount_move_onto(tree, target) < 0)
      return cg_error(c, errno, "bind mount " CGROUP_ROOT " on", NULL, err);
  }
  if (c->mo->propagation_len == 0 && !(c->mo->rec_attr_set | c->mo->rec_attr_clr))
    return 0;
  top = path_open_in_root(c->ctx->root_fd, c->dest, PATH_CREATE_NONE, false);
  if (top < 0)
    return cg_error(c, errno, "open", NULL, err);
  if ((c->mo->rec_attr_set | c->mo->rec_attr_clr) &&
      mount_set_attrs(top, true, c->mo->rec_attr_set, c->mo->rec_attr_clr) < 0)
    return cg_error(c, errno, "set recursive attributes of", NULL, err);
  if (mount_apply_propagation(top, c->mo) < 0)
    return cg_error(c, errno, "set propagation of", NULL, err);
  return 0;
}

int mount_cgroup(struct rootfs_ctx *ctx, size_t index, const struct mount_options *mo,
                 int target_fd, ocirun_error_t **err) {
  char dest[PATH_MAX];
  struct cg_ctx c = {.ctx = ctx, .index = index, .mo = mo, .dest = dest};
  struct statfs sfs;

  if (path_clean(ctx->spec->mounts[index].destination, dest, sizeof(dest)) < 0)
    return ocirun_error_set(err, ENAMETOOLONG, ".mounts[%zu].destination", index);
  mount_options_attrs(mo, &c.attr_set, &c.attr_clr);
  if (statfs(CGROUP_ROOT, &sfs) < 0)
    return ocirun_error_set(err, errno, "statfs %s", CGROUP_ROOT);
  if (sfs.f_type == CGROUP2_SUPER_MAGIC)
    return mount_cgroup_v2(&c, target_fd, err);
  return mount_cgroup_v1(&c, target_fd, err);
}
