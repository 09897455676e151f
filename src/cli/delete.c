/* `delete [-f|--force] ID` */
#include "cli/cli.h"
#include "container/lifecycle.h"

static const struct option delete_options[] = {
    {"force", no_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
static const char *const delete_descriptions[] = {
    "Forcibly deletes the container if it is still running (uses SIGKILL)", "show help"};

int cmd_delete(struct cli_global *g, int argc, char **argv) {
  ocirun_error_t *err = NULL;
  struct cli_simple_flags force = {.switch_opt = 'f'};
  int parsed = cli_parse(cli_find_command("delete"), argc, argv, "fh", delete_options,
                         delete_descriptions, 1, 1, cli_set_simple_flag, &force);

  if (parsed != 0)
    return cli_parse_exit(parsed);
  return container_delete(g->root, argv[optind], force.on, &err) < 0 ? cli_fail(&err) : 0;
}
