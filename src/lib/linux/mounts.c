/* One entry of the spec's "mounts", mounted where its destination resolves
 * inside the rootfs. */
#include "linux/mounts.h"

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
#include <sys/statvfs.h>
#include <unistd.h>

#include "linux/lsm.h"
#include "linux/mount_plan.h"
#include "linux/mount_source.h"
#include "linux/path_resolve.h"
#include "util/cleanup.h"
#include "util/syscalls.h"

/* Files of /proc that may be covered (by bind mounts, e.g. from LXCFS): runc's
 * list.  Anything else inside a mounted /proc is refused, so that a container
 * config cannot hide or redirect the procfs files the runtime relies on. */
static const char *const proc_allowed[] = {
    "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo",
    "/proc/stat",    "/proc/swaps",     "/proc/uptime",
    "/proc/loadavg", "/proc/slabinfo",  "/proc/sys/kernel/ns_last_pid",
};

struct entry {
  struct rootfs_ctx *ctx;
  size_t index;
  const struct spec_mount *m;
  const struct mount_plan *plan; /* its type and cleaned destination among them */
};

static int entry_error(const struct entry *e, int errno_, const char *what, ocirun_error_t **err) {
  return ocirun_error_set(err, errno_, "%s %s on %s (in rootfs %s)", what,
                          e->m->source ? e->m->source : e->plan->type, e->plan->dest,
                          e->ctx->opts->rootfs);
}

static bool is_proc_allowed(const char *dest) {
  for (size_t i = 0; i < sizeof(proc_allowed) / sizeof(proc_allowed[0]); i++) {
    if (strcmp(dest, proc_allowed[i]) == 0)
      return true;
  }
  return false;
}

/* Refuse a target that lives on a procfs (inside a /proc mounted earlier),
 * unless it is a proc mount itself or one of the files runc lets through. */
static int check_proc_target(const struct entry *e, int target_fd, ocirun_error_t **err) {
  struct statfs sfs;

  if (fstatfs(target_fd, &sfs) < 0)
    return entry_error(e, errno, "statfs target of", err);
  if (sfs.f_type != PROC_SUPER_MAGIC)
    return 0;
  if (strcmp(e->plan->type, "proc") == 0 || is_proc_allowed(e->plan->dest))
    return 0;
  return ocirun_error_set(err, 0,
                          ".mounts[%zu]: %s cannot be mounted on %s because it is inside /proc",
                          e->index, e->m->source ? e->m->source : e->plan->type, e->plan->dest);
}

/* In a user namespace the kernel locks the flags a mount had on the host: a
 * bind keeps them (as runc does) instead of failing. */
static int keep_locked_attrs(int tree, uint64_t *set, uint64_t *clr) {
  struct statvfs sv;

  if (fstatvfs(tree, &sv) < 0)
    return -1;
  mount_attrs_keep_locked(sv.f_flag, set, clr);
  return 0;
}

/* The flags a bind asks for, on the top mount of its tree, as runc's MS_BIND|MS_REMOUNT:
 * what the options do not name is cleared.  A source whose flags a user namespace locked
 * refuses that (EPERM): then its locked flags are kept, as runc retries, also where the
 * options ask to clear one (runc fails there; a restriction kept is no harm).  An
 * access-time mode or nodiratime that the options name and the locked source does not
 * have fails, as in runc: keeping the source's would give other semantics silently. */
static int set_bind_flags(struct entry *e, int tree, const struct mount_options *mo,
                          ocirun_error_t **err) {
  uint64_t set, clr;
  struct statvfs sv;
  int e1;

  if (!mount_options_bind_changes_flags(mo))
    return 0;
  mount_remount_attrs(mo->flags, &set, &clr);
  if (mount_set_attrs(tree, false, set, clr) == 0)
    return 0;
  e1 = errno;
  if (e1 == EPERM && fstatvfs(tree, &sv) == 0) {
    unsigned long source = mount_flags_from_statvfs(sv.f_flag);

    if (mount_flags_change_locked_atime(mo->flags, source))
      return entry_error(e, e1,
                         "change the access-time flags (locked by the user namespace) of "
                         "bind mount",
                         err);
    mount_remount_attrs(mount_flags_keep_locked(mo->flags, source), &set, &clr);
    if (mount_set_attrs(tree, false, set, clr) == 0)
      return 0;
    e1 = errno;
  }
  return entry_error(e, e1, "set attributes of bind mount", err);
}

/* bind / rbind: clone the source tree, set its attributes while it is still
 * detached (no window where it is writable), then move it into place. */
static int mount_bind(struct entry *e, const struct mount_options *mo, ocirun_error_t **err) {
  const char *source = e->m->source;
  bool recursive = (mo->flags & MS_REC) != 0;
  _cleanup_close_ int tree = -1, target = -1;
  struct stat st;

  if (source == NULL || *source == '\0')
    return ocirun_error_set(err, 0, ".mounts[%zu].source: a bind mount needs a source", e->index);
  if (mount_idmap_of(e->m, mo) != MOUNT_IDMAP_NONE && e->ctx->opts->bind_source == NULL)
    return ocirun_error_set(err, 0,
                            ".mounts[%zu]: id-mapped mounts need a runtime run by root (of the "
                            "initial user namespace or of the one it runs in)",
                            e->index);
  if (e->ctx->opts->bind_source &&
      (e->ctx->opts->in_userns || mount_idmap_of(e->m, mo) != MOUNT_IDMAP_NONE)) {
    tree = e->ctx->opts->bind_source(e->ctx->opts->bind_source_arg, e->index, err);
    if (tree < 0)
      return ocirun_error_prefix(err, ".mounts[%zu]", e->index);
  } else {
    /* Relative sources are relative to the bundle, the caller's cwd. */
    tree = sys_open_tree(AT_FDCWD, source,
                         OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
    if (tree < 0)
      return entry_error(e, errno, "open source of bind mount", err);
  }
  if (fstat(tree, &st) < 0)
    return entry_error(e, errno, "stat source of bind mount", err);
  target = path_open_in_root(e->ctx->root_fd, e->plan->dest,
                             S_ISDIR(st.st_mode) ? PATH_CREATE_DIR : PATH_CREATE_FILE, false);
  if (target < 0)
    return entry_error(e, errno, "create destination for bind mount of", err);
  if (check_proc_target(e, target, err) < 0)
    return -1;
  if (set_bind_flags(e, tree, mo, err) < 0)
    return -1;
  if ((mo->rec_attr_set | mo->rec_attr_clr) &&
      mount_set_attrs(tree, true, mo->rec_attr_set, mo->rec_attr_clr) < 0)
    return entry_error(e, errno, "set recursive attributes of bind mount", err);
  if (mount_move_onto(tree, target) < 0)
    return entry_error(e, errno, "bind mount", err);
  if (mount_apply_propagation(tree, mo) < 0)
    return entry_error(e, errno, "set propagation of", err);
  return 0;
}

/* tmpfs with tmpcopyup: build the tmpfs detached, copy the destination's
 * content into it, then move it over the destination. */
static int mount_tmpfs_copyup(struct entry *e, const struct mount_options *mo, const char *data,
                              int target, ocirun_error_t **err) {
  _cleanup_close_ int mnt = -1, src = -1, dst = -1;
  char msg[256];
  uint64_t set, clr;

  mount_options_attrs(mo, &set, &clr);
  mnt = mount_new_detached(
      "tmpfs", e->m->source ? e->m->source : "tmpfs", data, mo->flags & ~(unsigned long)MS_RDONLY,
      set & ~(uint64_t)MOUNT_ATTR_RDONLY & ~(uint64_t)MOUNT_ATTR__ATIME, msg, sizeof(msg));
  if (mnt < 0) {
    if (msg[0])
      return ocirun_error_set(err, errno, "mount tmpfs on %s (in rootfs %s): %s", e->plan->dest,
                              e->ctx->opts->rootfs, msg);
    return entry_error(e, errno, "mount", err);
  }
  src = openat(target, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  dst = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (src < 0 || dst < 0)
    return entry_error(e, errno, "tmpcopyup: open", err);
  if (copy_tree(src, dst) < 0)
    return entry_error(e, errno, "tmpcopyup: copy content for", err);
  if ((set & MOUNT_ATTR_RDONLY) && mount_set_attrs(mnt, false, MOUNT_ATTR_RDONLY, 0) < 0)
    return entry_error(e, errno, "tmpcopyup: make read-only", err);
  if (mount_move_onto(mnt, target) < 0)
    return entry_error(e, errno, "mount", err);
  if ((mo->rec_attr_set | mo->rec_attr_clr) &&
      mount_set_attrs(mnt, true, mo->rec_attr_set, mo->rec_attr_clr) < 0)
    return entry_error(e, errno, "set recursive attributes of", err);
  if (mount_apply_propagation(mnt, mo) < 0)
    return entry_error(e, errno, "set propagation of", err);
  return 0;
}

/* mqueue takes no context= (no kernel labels it at mount): its root gets the
 * label as an attribute instead, as runc does. */
static int label_mqueue(struct entry *e, ocirun_error_t **err) {
  const char *label = e->ctx->spec->linux_.mount_label;
  _cleanup_close_ int top = -1, dir = -1;

  if (label == NULL || label[0] == '\0')
    return 0;
  top = path_open_in_root(e->ctx->root_fd, e->plan->dest, PATH_CREATE_NONE, false);
  if (top < 0)
    return entry_error(e, errno, "open new mount", err);
  dir = openat(top, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0)
    return entry_error(e, errno, "open new mount", err);
  if (selinux_label_fd(dir, label, err) < 0)
    return ocirun_error_prefix(err, ".mounts[%zu] (%s)", e->index, e->plan->dest);
  return 0;
}

/* The host's own instance at host_path, bound recursively onto target with the
 * entry's flags (those the host locked kept). */
static int bind_host_instead(struct entry *e, const struct mount_options *mo, const char *host_path,
                             int target, ocirun_error_t **err) {
  _cleanup_close_ int tree = -1;
  uint64_t set, clr;

  tree = sys_open_tree(AT_FDCWD, host_path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
  if (tree < 0)
    return ocirun_error_set(err, errno, "bind %s in place of %s on %s (in rootfs %s)", host_path,
                            e->plan->type, e->plan->dest, e->ctx->opts->rootfs);
  mount_options_attrs(mo, &set, &clr);
  if (keep_locked_attrs(tree, &set, &clr) < 0 ||
      ((set | clr) && mount_set_attrs(tree, false, set, clr) < 0))
    return entry_error(e, errno, "set attributes of the bind of", err);
  if (mount_move_onto(tree, target) < 0)
    return entry_error(e, errno, "bind mount in place of", err);
  return 0;
}

static bool has_mode_option(const char *data) {
  for (const char *p = data; p && *p;) {
    if (strncmp(p, "mode=", 5) == 0)
      return true;
    p = strchr(p, ',');
    p = p ? p + 1 : NULL;
  }
  return false;
}

/* A tmpfs without mode= on a directory that was already there keeps that directory's
 * permissions (as runc since 1.2); on one we created it gets tmpfs' 1777.  *out is the data
 * to mount with (malloc'd) or NULL for data unchanged. */
static int tmpfs_inherited_mode(const struct entry *e, const char *data, char **out,
                                ocirun_error_t **err) {
  _cleanup_close_ int existing = -1;
  struct stat st;

  *out = NULL;
  if (strcmp(e->plan->type, "tmpfs") != 0 || has_mode_option(data))
    return 0;
  existing = path_open_in_root(e->ctx->root_fd, e->plan->dest, PATH_CREATE_NONE, false);
  if (existing < 0 || fstat(existing, &st) < 0 || !S_ISDIR(st.st_mode))
    return 0;
  if (asprintf(out, "%s%smode=%o", data ? data : "", data ? "," : "",
               (unsigned)(st.st_mode & 07777)) < 0) {
    *out = NULL;
    return ocirun_error_set(err, ENOMEM, ".mounts[%zu]: tmpfs options", e->index);
  }
  return 0;
}

/* Every other type: a new filesystem instance on the resolved directory. */
static int mount_filesystem(struct entry *e, const struct mount_options *mo, ocirun_error_t **err) {
  const struct mount_plan *p = e->plan;
  _cleanup_close_ int target = -1, top = -1;
  _cleanup_free_ char *labelled = NULL;
  _cleanup_free_ char *tmpfs_data = NULL;
  const char *data = mo->data;
  struct stat st;

  if (p->label_in_data) {
    if (selinux_mount_data(mo->data, e->ctx->spec->linux_.mount_label, &labelled, err) < 0)
      return -1;
    if (labelled)
      data = labelled;
  }

  if (tmpfs_inherited_mode(e, data, &tmpfs_data, err) < 0)
    return -1;
  if (tmpfs_data)
    data = tmpfs_data;
  target = path_open_in_root(e->ctx->root_fd, e->plan->dest, PATH_CREATE_DIR, p->directory_only);
  if (target < 0)
    return entry_error(e, errno, "create destination for", err);
  if (fstat(target, &st) < 0)
    return entry_error(e, errno, "stat destination of", err);
  if (p->directory_only && !S_ISDIR(st.st_mode))
    return ocirun_error_set(
        err, 0, ".mounts[%zu]: %s must be mounted on ordinary directory, %s is %s", e->index,
        e->plan->type, e->plan->dest, S_ISLNK(st.st_mode) ? "a symlink" : "not a directory");
  if (check_proc_target(e, target, err) < 0)
    return -1;
  if (p->kind == MOUNT_KIND_TMPFS_COPYUP)
    return mount_tmpfs_copyup(e, mo, data, target, err);
  if (mount_fs_on_fd(e->m->source ? e->m->source : e->plan->type, target, e->plan->type,
                     p->fs_flags, data) < 0) {
    if (errno == EPERM && p->userns_host_instance)
      return bind_host_instead(e, mo, p->userns_host_instance, target, err);
    return entry_error(e, errno, "mount", err);
  }
  if (p->label_after_mount && label_mqueue(e, err) < 0)
    return -1;
  if (!(mo->rec_attr_set | mo->rec_attr_clr) && mo->propagation_len == 0)
    return 0;
  /* The fd still names the covered directory; the new mount is on top. */
  top = path_open_in_root(e->ctx->root_fd, e->plan->dest, PATH_CREATE_NONE, false);
  if (top < 0)
    return entry_error(e, errno, "open new mount", err);
  if ((mo->rec_attr_set | mo->rec_attr_clr) &&
      mount_set_attrs(top, true, mo->rec_attr_set, mo->rec_attr_clr) < 0)
    return entry_error(e, errno, "set recursive attributes of", err);
  if (mount_apply_propagation(top, mo) < 0)
    return entry_error(e, errno, "set propagation of", err);
  return 0;
}

int mount_spec_entry(struct rootfs_ctx *ctx, size_t index, ocirun_error_t **err) {
  const struct spec_mount *m = &ctx->spec->mounts[index];
  struct mount_plan plan;
  struct entry e = {.ctx = ctx, .index = index, .m = m, .plan = &plan};
  struct mount_options mo;
  int r;

  if (mount_options_parse(&m->options, index, &mo, err) < 0)
    return -1;
  if (mount_plan_entry(m, index, &mo, ctx->opts->rootfs, ctx->opts->in_userns, &plan, err) < 0) {
    mount_options_clear(&mo);
    return -1;
  }
  switch (plan.kind) {
  case MOUNT_KIND_BIND:
    r = mount_bind(&e, &mo, err);
    break;
  case MOUNT_KIND_CGROUP: {
    _cleanup_close_ int target = path_open_in_root(ctx->root_fd, plan.dest, PATH_CREATE_DIR, false);
    r = target < 0 ? entry_error(&e, errno, "create destination for", err)
                   : mount_cgroup(ctx, index, &mo, target, err);
    break;
  }
  default:
    r = mount_filesystem(&e, &mo, err);
    break;
  }
  mount_options_clear(&mo);
  return r;
}
