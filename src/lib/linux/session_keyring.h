/* The container's session keyring ("_ses.<id>"), joined by the init and by
 * every exec process unless --no-new-keyring: no process of the container
 * inherits the runtime caller's session keyring. */
#ifndef OCIRUN_LINUX_SESSION_KEYRING_H
#define OCIRUN_LINUX_SESSION_KEYRING_H

#include "util/error.h"

/* Joins (or creates) "_ses.<id>".  With an SELinux label, the keyring made
 * here carries it (attr/keycreate is written first).  A kernel or seccomp
 * policy without keyrings (ENOSYS, EACCES, EPERM) is not an error: a keyring
 * is a nicety, not isolation. */
int session_keyring_join(const char *id, const char *selinux_label, ocirun_error_t **err);

#endif
