/* Switching the process to the configured user. */
#ifndef OCIRUN_LINUX_USER_H
#define OCIRUN_LINUX_USER_H

#include <stdbool.h>

#include "spec/spec.h"
#include "util/error.h"

/* setgroups(additionalGids) — always, so that the runtime's own supplementary
 * groups never leak into the container — then setresgid, setresuid and the
 * umask when given.  setgroups_allowed is false in a user namespace whose
 * setgroups file says "deny"; additional gids are then an error.  Call
 * caps_keep_on_setuid() first to keep the permitted capabilities. */
int user_apply(const struct spec_user *u, bool setgroups_allowed, ocirun_error_t **err);

#endif
