/* The detached tree of a bind mount: open_tree(OPEN_TREE_CLONE) of its source,
 * id-mapped (mount_setattr MOUNT_ATTR_IDMAP) when the entry asks for it.
 *
 * A plain bind without a user namespace is cloned by the container init
 * itself.  In a user namespace, and for every id-mapped mount, the runtime
 * makes the tree on the init's request inside the container's mount namespace:
 * the host's root reaches sources the container's root may not (a 0700
 * directory), only it may id-map a host filesystem (the kernel wants
 * CAP_SYS_ADMIN over the filesystem's user namespace), and its children are
 * in the host's pid namespace (the mapping's user namespace is made by one). */
#ifndef OCIRUN_LINUX_MOUNT_SOURCE_H
#define OCIRUN_LINUX_MOUNT_SOURCE_H

#include <stdbool.h>
#include <sys/types.h>

#include "linux/mount_options.h"
#include "spec/spec.h"
#include "util/error.h"

enum mount_idmap {
  MOUNT_IDMAP_NONE,
  MOUNT_IDMAP_TOP,       /* uidMappings/gidMappings or "idmap": the top mount only */
  MOUNT_IDMAP_RECURSIVE, /* "ridmap": every mount of the tree */
};

/* What the entry asks for (runc's rules: mappings alone or "idmap" map the top
 * mount, "ridmap" all of them). */
enum mount_idmap mount_idmap_of(const struct spec_mount *m, const struct mount_options *mo);

/* Whether an id-mapped entry takes the container's own mapping (no mappings of
 * its own: runc's "implied mapping"). */
bool mount_idmap_implied(const struct spec_mount *m);

/* open_tree(source) as a detached clone (recursive for rbind), id-mapped with
 * userns_fd unless idmap is MOUNT_IDMAP_NONE.  A relative source is relative
 * to the cwd.  Returns the tree's fd (O_CLOEXEC). */
int mount_source_clone(const char *source, bool recursive, enum mount_idmap idmap, int userns_fd,
                       ocirun_error_t **err);

/* Runtime side: the tree of .mounts[index] made inside the init's mount
 * namespace (entered with setns on its pidfd and left again before
 * returning); relative sources are relative to bundle.  The implied mapping is
 * the init's user namespace (/proc/<pid>/ns/user), an error when the init has
 * none of its own. */
int mount_source_for_container(const struct spec *spec, size_t index, int init_pidfd,
                               pid_t init_pid, const char *bundle, ocirun_error_t **err);

#endif
