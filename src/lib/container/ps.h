/* `ps`: the host's ps(1) output for the processes of a container. */
#ifndef OCIRUN_CONTAINER_PS_H
#define OCIRUN_CONTAINER_PS_H

#include <sys/types.h>

#include "util/error.h"

/* Run ps(1) with ps_args (none: "-ef") and keep its header and the lines whose PID column
 * names one of pids; *out is the text (malloc'd).  A ps that fails, or a header without a
 * PID column, is an error. */
int container_ps_table(char **ps_args, int nargs, const pid_t *pids, size_t n, char **out,
                       ocirun_error_t **err);

#endif
