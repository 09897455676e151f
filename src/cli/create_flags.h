/* Flags shared by `create` and `run`. */
#ifndef OCIRUN_CLI_CREATE_FLAGS_H
#define OCIRUN_CLI_CREATE_FLAGS_H

#include "cli/cli.h"
#include "container/lifecycle.h"

enum {
  OPT_BUNDLE = 'b',
  OPT_DETACH = 'd',
  OPT_CONSOLE_SOCKET = 300,
  OPT_PID_FILE,
  OPT_NO_PIVOT,
  OPT_NO_NEW_KEYRING,
  OPT_PRESERVE_FDS,
  OPT_KEEP,
  OPT_NO_SUBREAPER,
  OPT_HELP,
};

/* Handle one option common to create and run; returns 1 when handled, 0 when
 * not a common option, -1 on a bad value (message printed). */
int create_flags_handle(int c, struct create_options *o, const char **pid_file_arg);

/* Make the pid file path absolute (it is written after we chdir into the bundle). */
int create_flags_finish(struct create_options *o, const char *pid_file_arg, char **abs_pid_file);

#endif
