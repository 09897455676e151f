/* Which user namespace the runtime runs in, read from /proc/self/uid_map. */
#ifndef OCIRUN_UTIL_USERNS_H
#define OCIRUN_UTIL_USERNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when the runtime is not in the initial user namespace (its uid_map is not the
 * identity "0 0 4294967295"), as under rootless podman. */
bool userns_running_in_nested(void);

/* The id of the parent user namespace that id of this one maps to, from the text of a
 * uid_map or gid_map ("inside outside count" lines).  -1 when no line maps it or the text
 * does not parse. */
int userns_outer_id(const char *map, size_t len, uint32_t id, uint32_t *outer);

#endif
