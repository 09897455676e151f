/* Signal names and numbers as `kill` takes them: "KILL", "SIGKILL", "kill",
 * "9", and the real-time forms "RTMIN", "RTMIN+3", "SIGRTMAX-2". */
#ifndef OCIRUN_SIGNALS_H
#define OCIRUN_SIGNALS_H

#include "util/error.h"

/* Names are matched case-insensitively with or without the "SIG" prefix, as
 * runc does; a decimal number from 0 (kill(2)'s existence probe) to SIGRTMAX
 * is taken as is.  RTMIN is glibc's SIGRTMIN (34), the base systemd and
 * Docker use for "RTMIN+n". */
int signal_parse(const char *s, int *signo, ocirun_error_t **err);

/* "SIGTERM", "SIGRTMIN+3"; NULL when signo is not a signal. */
const char *signal_name(int signo);

#endif
