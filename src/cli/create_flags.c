#include "cli/create_flags.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int create_flags_handle(int c, struct create_options *o, const char **pid_file_arg) {
  char *end = NULL;
  long n;

  switch (c) {
  case OPT_BUNDLE:
    o->bundle = optarg;
    return 1;
  case OPT_CONSOLE_SOCKET:
    o->console_socket = optarg;
    return 1;
  case OPT_PID_FILE:
    *pid_file_arg = optarg;
    return 1;
  case OPT_PIDFD_SOCKET:
    o->pidfd_socket = optarg;
    return 1;
  case OPT_NO_PIVOT:
    o->no_pivot = true;
    return 1;
  case OPT_NO_NEW_KEYRING:
    o->no_new_keyring = true;
    return 1;
  case OPT_PRESERVE_FDS:
    errno = 0;
    n = strtol(optarg, &end, 10);
    if (errno || *end || n < 0 || n > 65536) {
      fprintf(stderr, "ocirun: invalid value \"%s\" for flag --preserve-fds\n", optarg);
      return -1;
    }
    o->preserve_fds = (int)n;
    return 1;
  default:
    return 0;
  }
}

int create_flags_finish(struct create_options *o, const char *pid_file_arg, char **abs_pid_file) {
  char cwd[PATH_MAX];

  *abs_pid_file = NULL;
  if (pid_file_arg == NULL)
    return 0;
  if (pid_file_arg[0] == '/') {
    *abs_pid_file = strdup(pid_file_arg);
  } else {
    if (getcwd(cwd, sizeof(cwd)) == NULL)
      return -1;
    if (asprintf(abs_pid_file, "%s/%s", cwd, pid_file_arg) < 0)
      *abs_pid_file = NULL;
  }
  o->pid_file = *abs_pid_file;
  return *abs_pid_file ? 0 : -1;
}

int create_flags_take_id(const struct cli_command *cmd, int argc, char **argv,
                         struct create_options *o, const char *pid_file_arg, char **abs_pid_file) {
  if (cli_require_args(cmd, argc, argv, 1, 1) < 0)
    return -1;
  o->id = argv[optind];
  if (create_flags_finish(o, pid_file_arg, abs_pid_file) < 0) {
    cli_usage_error(cmd, "invalid --pid-file");
    return -1;
  }
  return 0;
}
