/* `start ID` */
#include "cli/cli.h"
#include "container/lifecycle.h"

static const struct option start_options[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};

int cmd_start(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("start");
  ocirun_error_t *err = NULL;
  int opt;

  while ((opt = cli_getopt(argc, argv, "h", start_options)) != -1) {
    if (opt == 'h') {
      cli_print_command_help(cmd, NULL, NULL);
      return 0;
    }
    return CLI_EXIT_FAILURE;
  }
  if (cli_require_args(cmd, argc, argv, 1, 1) < 0)
    return CLI_EXIT_FAILURE;
  if (container_start(g->root, argv[optind], &err) < 0)
    return cli_fail(&err);
  return 0;
}
