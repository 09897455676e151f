/* linux.uidMappings / gidMappings: the id maps of a new user namespace, written
 * from outside by the parent while the child waits in the namespace, and user
 * namespaces made only to carry a mapping (for id-mapped mounts). */
#ifndef OCIRUN_LINUX_ID_MAP_H
#define OCIRUN_LINUX_ID_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

/* "containerID hostID size\n" for each entry into buf (NUL-terminated), the
 * format of /proc/<pid>/uid_map.  -1 when an entry is empty (size 0), wraps
 * past 2^32, or the text does not fit. */
int id_map_format(const struct spec_id_mapping *m, size_t n, char *buf, size_t size);

/* True when the mapping is exactly one id of the caller (own), once: the only
 * map an unprivileged process may write itself. */
bool id_map_is_own_id(const struct spec_id_mapping *m, size_t n, uint32_t own);

/* How the maps of a new user namespace get written, decided from the caller's
 * effective ids: as root directly; as an ordinary user its own single id
 * directly (with setgroups denied first for the gid map: the kernel requires
 * it), anything more through the setuid helpers newuidmap/newgidmap. */
struct id_map_plan {
  bool uid_helper;     /* newuidmap */
  bool gid_helper;     /* newgidmap */
  bool deny_setgroups; /* write "deny" to /proc/<pid>/setgroups before gid_map */
};
void id_map_plan_for(const struct spec_linux *l, uid_t euid, gid_t egid, struct id_map_plan *out);

/* argv of newuidmap/newgidmap: helper, pid, then containerID hostID size per
 * entry; NULL-terminated, freed with id_map_argv_free.  NULL on ENOMEM. */
char **id_map_helper_argv(const char *helper, pid_t pid, const struct spec_id_mapping *m, size_t n);
void id_map_argv_free(char **argv);

/* Writes the maps of linux.uidMappings/gidMappings for the process pid (which
 * waits in its new user namespace) following id_map_plan_for(geteuid(), ...).
 * Errors name the file or the helper and what it printed. */
int id_map_write_for(pid_t pid, const struct spec_linux *l, ocirun_error_t **err);

/* A user namespace carrying the given mapping and nothing else, for
 * mount_setattr(MOUNT_ATTR_IDMAP): a short-lived child unshares it, the maps
 * are written, its /proc/<pid>/ns/user is opened and the child is reaped.
 * Returns the O_RDONLY|O_CLOEXEC fd.  Needs the privilege to write the maps
 * (root, or a mapping of the caller's own ids). */
int id_map_userns_fd(const struct spec_id_mapping *uid, size_t nuid,
                     const struct spec_id_mapping *gid, size_t ngid, ocirun_error_t **err);

#endif
