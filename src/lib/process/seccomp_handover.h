/* Parent side of the seccomp notify hand-over, shared by create and exec: take
 * the listener fd out of the child, send it with the container's state to the
 * agent at listenerPath, and let the child go on. */
#ifndef OCIRUN_PROCESS_SECCOMP_HANDOVER_H
#define OCIRUN_PROCESS_SECCOMP_HANDOVER_H

#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

int seccomp_handover_parent(const struct spec_seccomp *s, int child_pidfd, pid_t child_pid,
                            int child_fd, const char *state_json, int sync_fd,
                            ocirun_error_t **err);

#endif
