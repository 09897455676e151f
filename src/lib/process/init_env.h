/* The environment of the container process: process.env (the last value of a key wins and
 * is set once), plus the socket activation variables when LISTEN_FDS is passed through,
 * plus HOME when the config does not set it or sets it empty (as the reference runtime
 * does). */
#ifndef OCIRUN_PROCESS_INIT_ENV_H
#define OCIRUN_PROCESS_INIT_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include "spec/spec.h"
#include "util/error.h"

/* Build a NULL-terminated env for execve; *out is malloc'd (strings too). */
int process_env_build(const struct spec_strv *env, bool listen_fds, int nfds, uint32_t uid,
                      char ***out, ocirun_error_t **err);

#endif
