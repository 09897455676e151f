/* The foreground of `run` (and of a foreground `exec`): forward signals to the
 * container process, relay its terminal, reap children (we are a subreaper),
 * and return the process's wait status. */
#ifndef OCIRUN_PROCESS_RELAY_H
#define OCIRUN_PROCESS_RELAY_H

#include <signal.h>
#include <sys/types.h>

#include "util/error.h"

/* Block the signals that will be forwarded; call before the child is spawned
 * (the child restores its own mask).  *old receives the previous mask. */
void relay_block_signals(sigset_t *old);

/* console_master < 0: no terminal to relay.  Returns 0 with *wait_status. */
int relay_foreground(pid_t pid, int pidfd, int console_master, int *wait_status,
                     ocirun_error_t **err);

#endif
