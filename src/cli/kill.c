/* `kill [-a|--all] ID [SIGNAL]` (default SIGTERM) */
#include <signal.h>

#include "cli/cli.h"
#include "container/lifecycle.h"
#include "util/signals.h"

static const struct option kill_options[] = {
    {"all", no_argument, NULL, 'a'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
static const char *const kill_descriptions[] = {
    "send the specified signal to all processes inside the container", "show help"};

int cmd_kill(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("kill");
  ocirun_error_t *err = NULL;
  bool all = false;
  int opt, signo = SIGTERM;

  while ((opt = cli_getopt(argc, argv, "ah", kill_options)) != -1) {
    if (opt == 'a') {
      all = true;
      continue;
    }
    if (opt == 'h') {
      cli_print_command_help(cmd, kill_options, kill_descriptions);
      return 0;
    }
    return CLI_EXIT_FAILURE;
  }
  if (cli_require_args(cmd, argc, argv, 1, 2) < 0)
    return CLI_EXIT_FAILURE;
  if (argc - optind == 2 && signal_parse(argv[optind + 1], &signo, &err) < 0)
    return cli_fail(&err);
  if (container_kill(g->root, argv[optind], signo, all, &err) < 0)
    return cli_fail(&err);
  return 0;
}
