/* OCI hooks: each one is run with the container state on its stdin. */
#ifndef OCIRUN_LINUX_HOOKS_H
#define OCIRUN_LINUX_HOOKS_H

#include "spec/spec.h"
#include "util/error.h"

/* Runs the hooks in order and stops at the first failure.  Each hook gets
 * state_json on stdin; its stdout and stderr are captured and, as runc does,
 * shown in the error when it fails (non-zero exit, signal, or its timeout,
 * after which it is killed).  Hooks without "env" inherit the runtime's
 * environment, as in runc; fds other than 0-2 are not inherited.
 * Single-threaded and timer-free (pidfd + poll), so it also works in the
 * container's init process.  SIGCHLD must not be ignored by the caller. */
int hooks_run(const struct spec_hook_list *hooks, const char *phase, const char *state_json,
              ocirun_error_t **err);

/* What a hook gets when the config does not say: the environment of a hook without "env"
 * (NULL: the runtime's), and the working directory (NULL: the caller's). */
struct hooks_defaults {
  char *const *env;
  const char *cwd;
};
/* hooks_run with those defaults.  Errors read "error running PHASE hook #N: ...", as runc's. */
int hooks_run_with(const struct spec_hook_list *hooks, const char *phase, const char *state_json,
                   const struct hooks_defaults *defaults, ocirun_error_t **err);

#endif
