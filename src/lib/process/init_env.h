/* The environment of the container process: process.env, plus the socket
 * activation variables when LISTEN_FDS is passed through, plus HOME when the
 * config does not set it (as the reference runtime does). */
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
