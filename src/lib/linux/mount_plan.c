/* The decision of what a mount entry does (see mount_plan.h); no syscall in here. */
#include "linux/mount_plan.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>

#include "linux/mount_source.h"
#include "linux/path_resolve.h"

static bool type_is(const char *type, const char *name) {
  return type != NULL && strcmp(type, name) == 0;
}

int mount_plan_entry(const struct spec_mount *m, size_t index, const struct mount_options *mo,
                     const char *rootfs, bool in_userns, struct mount_plan *out,
                     ocirun_error_t **err) {
  const char *type = m->type && *m->type ? m->type : NULL;
  bool bind = (mo->flags & MS_BIND) || type_is(type, "bind");

  memset(out, 0, sizeof(*out));
  if (m->destination == NULL || *m->destination == '\0')
    return ocirun_error_set(err, 0, ".mounts[%zu].destination: empty", index);
  if (path_clean(m->destination, out->dest, sizeof(out->dest)) < 0)
    return ocirun_error_set(err, ENAMETOOLONG, ".mounts[%zu].destination", index);
  path_strip_root(rootfs, out->dest);
  if (bind) {
    out->kind = MOUNT_KIND_BIND;
    out->type = "bind";
    return 0;
  }
  if (mount_idmap_of(m, mo) != MOUNT_IDMAP_NONE)
    return ocirun_error_set(err, 0, ".mounts[%zu]: id-mapped mounts are bind mounts only", index);
  if (type == NULL)
    return ocirun_error_set(err, 0, ".mounts[%zu].type: required for a mount that is not a bind",
                            index);
  out->type = type;
  if (type_is(type, "cgroup")) {
    out->kind = MOUNT_KIND_CGROUP;
    return 0;
  }
  out->kind =
      mo->tmpcopyup && type_is(type, "tmpfs") ? MOUNT_KIND_TMPFS_COPYUP : MOUNT_KIND_FILESYSTEM;
  out->directory_only = type_is(type, "proc") || type_is(type, "sysfs");
  out->label_after_mount = type_is(type, "mqueue");
  out->label_in_data = !out->directory_only && !out->label_after_mount;
  out->fs_flags = mo->flags;
  if (strcmp(out->dest, "/dev") == 0)
    out->fs_flags &= ~(unsigned long)MS_RDONLY;
  if (in_userns && type_is(type, "sysfs"))
    out->userns_host_instance = "/sys";
  else if (in_userns && type_is(type, "mqueue"))
    out->userns_host_instance = "/dev/mqueue";
  return 0;
}
