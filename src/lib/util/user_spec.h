/* The `exec --user UID[:GID]` argument. */
#ifndef OCIRUN_USER_SPEC_H
#define OCIRUN_USER_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

/* Strict decimal ids from 0 to 4294967294 ((uid_t)-1 means "unchanged" to the
 * kernel and is refused).  User and group names are refused: resolving them
 * would mean reading the container's /etc/passwd, which the container owns. */
int user_spec_parse(const char *s, uint32_t *uid, uint32_t *gid, bool *has_gid,
                    ocirun_error_t **err);

#endif
