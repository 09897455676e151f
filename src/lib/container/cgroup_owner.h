/* Who owns the container's cgroup (cgroup v2 delegation): runc's rule, decided from the
 * config alone. */
#ifndef OCIRUN_CONTAINER_CGROUP_OWNER_H
#define OCIRUN_CONTAINER_CGROUP_OWNER_H

#include <stdint.h>

#include "spec/spec.h"

/* The host uid of the container's process user when the container has a cgroup namespace of
 * its own (a new one) and mounts the cgroup filesystem ("cgroup" at /sys/fs/cgroup) read-write: the
 * processes may then manage their cgroup, so it is handed to them.  Without a user namespace
 * the uid is the process's own; with one it goes through linux.uidMappings (none, or a uid
 * they do not map: -1).  -1: the cgroup stays root's. */
int64_t container_cgroup_owner(const struct spec *spec);

#endif
