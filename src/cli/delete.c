/* `delete [-f|--force] ID` */
#include "cli/cli.h"
#include "container/lifecycle.h"

static const struct option delete_options[] = {
    {"force", no_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
static const char *const delete_descriptions[] = {
    "Forcibly deletes the container if it is still running (uses SIGKILL)", "show help"};

int cmd_delete(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("delete");
  ocirun_error_t *err = NULL;
  bool force = false;
  int opt;

  while ((opt = cli_getopt(argc, argv, "fh", delete_options)) != -1) {
    if (opt == 'f') {
      force = true;
      continue;
    }
    if (opt == 'h') {
      cli_print_command_help(cmd, delete_options, delete_descriptions);
      return 0;
    }
    return CLI_EXIT_FAILURE;
  }
  if (cli_require_args(cmd, argc, argv, 1, 1) < 0)
    return CLI_EXIT_FAILURE;
  if (container_delete(g->root, argv[optind], force, &err) < 0)
    return cli_fail(&err);
  return 0;
}
