/* `pause ID`: freeze every process of a running (or created) container. */
#include "cli/cli.h"
#include "container/container_cgroup.h"

static const struct option pause_options[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
static const char *const pause_descriptions[] = {"show help"};

int cmd_pause(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("pause");
  ocirun_error_t *err = NULL;
  int opt;

  while ((opt = cli_getopt(argc, argv, "h", pause_options)) != -1) {
    if (opt == 'h') {
      cli_print_command_help(cmd, pause_options, pause_descriptions);
      return 0;
    }
    return CLI_EXIT_FAILURE;
  }
  if (cli_require_args(cmd, argc, argv, 1, 1) < 0)
    return CLI_EXIT_FAILURE;
  if (container_pause(g->root, argv[optind], &err) < 0)
    return cli_fail(&err);
  return 0;
}
