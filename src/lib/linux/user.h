/* Switching the process to the configured user. */
#ifndef OCIRUN_LINUX_USER_H
#define OCIRUN_LINUX_USER_H

#include <stdbool.h>

#include "spec/spec.h"
#include "util/error.h"

/* setgroups(additionalGids) — always, so that the runtime's own supplementary
 * groups never leak into the container — then setresgid, setresuid and the
 * umask when given.  In a user namespace whose setgroups file says "deny"
 * (or with setgroups_allowed false) additional gids are an error and the
 * groups are left as they are.  Call
 * caps_keep_on_setuid() first to keep the permitted capabilities. */
int user_apply(const struct spec_user *u, bool setgroups_allowed, ocirun_error_t **err);

/* In a user namespace just created or joined: drop supplementary groups (unless
 * setgroups is denied there) and become uid/gid 0 of the namespace, so that
 * what the runtime creates in the container belongs to the container's root. */
int user_become_namespace_root(ocirun_error_t **err);

#endif
