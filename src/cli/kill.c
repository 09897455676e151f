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
  ocirun_error_t *err = NULL;
  struct cli_simple_flags all = {.switch_opt = 'a'};
  int signo = SIGTERM;
  int parsed = cli_parse(cli_find_command("kill"), argc, argv, "ah", kill_options,
                         kill_descriptions, 1, 2, cli_set_simple_flag, &all);

  if (parsed != 0)
    return cli_parse_exit(parsed);
  if (argc - optind == 2 && signal_parse(argv[optind + 1], &signo, &err) < 0)
    return cli_fail(&err);
  return container_kill(g->root, argv[optind], signo, all.on, &err) < 0 ? cli_fail(&err) : 0;
}
