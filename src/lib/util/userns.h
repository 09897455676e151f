/* Which user namespace the runtime runs in, read from /proc/self/uid_map. */
#ifndef OCIRUN_UTIL_USERNS_H
#define OCIRUN_UTIL_USERNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when the runtime is not in the initial user namespace (its uid_map is not the
 * identity "0 0 4294967295"), as under rootless podman. */
bool userns_running_in_nested(void);

/* Whether the text of a uid_map is the initial namespace's identity map, alone
 * ("0 0 4294967295"); false for anything else, text that does not parse included. */
bool userns_map_is_identity(const char *map, size_t len);

#endif
