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
  OPT_PIDFD_SOCKET,
  OPT_KEEP,
  OPT_NO_SUBREAPER,
  OPT_HELP,
};

/* Options of create that run has too, with their help texts (same order). */
/* clang-format off */
#define CREATE_COMMON_OPTIONS                                                   \
  {"bundle", required_argument, NULL, OPT_BUNDLE},                              \
  {"console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET},              \
  {"pid-file", required_argument, NULL, OPT_PID_FILE},                          \
  {"no-pivot", no_argument, NULL, OPT_NO_PIVOT},                                \
  {"no-new-keyring", no_argument, NULL, OPT_NO_NEW_KEYRING},                    \
  {"preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS},                  \
  {"pidfd-socket", required_argument, NULL, OPT_PIDFD_SOCKET}
#define CREATE_COMMON_DESCRIPTIONS                                              \
  "path to the root of the bundle directory, defaults to the current directory", \
  "path to an AF_UNIX socket which will receive a file descriptor referencing " \
  "the master end of the console's pseudoterminal",                             \
  "specify the file to write the process id to",                                \
  "do not use pivot root to jail process inside rootfs",                        \
  "do not create a new session keyring for the container",                      \
  "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)", \
  "path to an AF_UNIX socket which will receive a file descriptor referencing the init process"
/* clang-format on */

/* Handle one option common to create and run; returns 1 when handled, 0 when
 * not a common option, -1 on a bad value (message printed). */
int create_flags_handle(int c, struct create_options *o, const char **pid_file_arg);

/* Make the pid file path absolute (it is written after we chdir into the bundle). */
int create_flags_finish(struct create_options *o, const char *pid_file_arg, char **abs_pid_file);

/* After the flags of create and run: the one argument is the id, and the pid file is made
 * absolute; -1 after a usage error was printed. */
int create_flags_take_id(const struct cli_command *cmd, int argc, char **argv,
                         struct create_options *o, const char *pid_file_arg, char **abs_pid_file);

#endif
