/* The foreground of `run` (and of a foreground `exec`): forward signals to the
 * container process, relay its terminal, reap children (we are a subreaper),
 * and return the process's wait status. */
#ifndef OCIRUN_PROCESS_RELAY_H
#define OCIRUN_PROCESS_RELAY_H

#include <signal.h>
#include <sys/types.h>

#include "process/stdio_pipes.h"
#include "util/error.h"

/* Block the signals that will be forwarded; call before the child is spawned
 * (the child restores its own mask).  *old receives the previous mask. */
void relay_block_signals(sigset_t *old);

/* console_master < 0: no terminal to relay.  pipes (or NULL): the process's
 * stdio pipes (stdio_pipes.h), relayed from/to ours until the process exited
 * and its outputs are drained.  Returns 0 with *wait_status. */
int relay_foreground(pid_t pid, int pidfd, int console_master, struct stdio_pipes *pipes,
                     int *wait_status, ocirun_error_t **err);

#endif
