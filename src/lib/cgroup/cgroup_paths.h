/* Cgroup mounts and the container's cgroup path computation. */
#ifndef OCIRUN_CGROUP_PATHS_H
#define OCIRUN_CGROUP_PATHS_H

#include <stdbool.h>
#include <stddef.h>

#include "cgroup/cgroup.h"

struct cgroup_mount {
  bool v2;
  char *controllers; /* "cpu,cpuacct" / "name=systemd"; "" for cgroup2 */
  char *mountpoint;
  char *root; /* the mount's root inside the hierarchy ("/" unless a bind/cgroupns) */
};

/* Parse mountinfo text: every cgroup/cgroup2 mount, first of each hierarchy. */
int cgroup_mounts_parse(const char *text, struct cgroup_mount **out, size_t *count);
int cgroup_read_mounts(struct cgroup_mount **out, size_t *count, ocirun_error_t **err);
void cgroup_mounts_free(struct cgroup_mount *m, size_t n);
/* The caller's cgroup in the hierarchy with these controllers (or the v2 "0::"
 * line) from /proc/self/cgroup text; "/" when not listed.  malloc'd. */
char *cgroup_own_path(const char *proc_self_cgroup, const char *controllers, bool v2);
/* cgroup_compute_rel; v2_parent: relative paths start at the parent of the
 * caller's cgroup (runc's cgroup v2 rule). */
char *cgroup_compute_rel_mode(const char *cgroups_path, const char *id, const char *own,
                              const char *mount_root, bool v2_parent);

#endif
