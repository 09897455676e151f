/* `create [-b DIR] [--console-socket P] [--pid-file P] [--no-pivot] [--no-new-keyring]
 *  [--preserve-fds N] ID`: the init waits in the exec fifo until `start`. */
#include <stdlib.h>

#include "cli/create_flags.h"

static const struct option create_options_table[] = {
    CREATE_COMMON_OPTIONS,
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

static const char *const create_descriptions[] = {CREATE_COMMON_DESCRIPTIONS, "show help"};

int cmd_create(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("create");
  struct create_options o = {
      .root = g->root, .systemd_cgroup = g->systemd_cgroup, .rootless = g->rootless_on};
  const char *pid_file_arg = NULL;
  char *pid_file = NULL;
  struct container c;
  ocirun_error_t *err = NULL;
  int opt;

  while ((opt = cli_getopt(argc, argv, "b:", create_options_table)) != -1) {
    if (opt == OPT_HELP) {
      cli_print_command_help(cmd, create_options_table, create_descriptions);
      return 0;
    }
    int r = create_flags_handle(opt, &o, &pid_file_arg);
    if (r <= 0)
      return CLI_EXIT_FAILURE;
  }
  if (create_flags_take_id(cmd, argc, argv, &o, pid_file_arg, &pid_file) < 0)
    return CLI_EXIT_FAILURE;
  if (container_create(&o, &c, &err) < 0) {
    free(pid_file);
    return cli_fail(&err);
  }
  container_release(&c);
  free(pid_file);
  return 0;
}
