/* `state <container-id>`: print the container's state as runc does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "container/state.h"

static const struct option state_options[] = {
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cmd_state(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("state");
  struct container_state st = {0};
  ocirun_error_t *err = NULL;
  char *json;
  int c;

  while ((c = cli_getopt(argc, argv, "h", state_options)) != -1) {
    if (c == 'h') {
      cli_print_command_help(cmd, NULL, NULL);
      return 0;
    }
    return CLI_EXIT_FAILURE;
  }
  if (cli_require_args(cmd, argc, argv, 1, 1) != 0)
    return CLI_EXIT_FAILURE;
  if (state_read(g->root, argv[optind], &st, &err) < 0)
    return cli_fail(&err);
  json = state_to_oci_json(&st, state_status(g->root, &st));
  state_clear(&st);
  if (json == NULL) {
    ocirun_error_set(&err, 0, "state: out of memory");
    return cli_fail(&err);
  }
  /* Like runc: no newline after the closing brace. */
  fputs(json, stdout);
  free(json);
  return fflush(stdout) == 0 ? 0 : CLI_EXIT_FAILURE;
}
