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
  struct container_state st = {0};
  ocirun_error_t *err = NULL;
  char *json;
  int parsed =
      cli_parse(cli_find_command("state"), argc, argv, "h", state_options, NULL, 1, 1, NULL, NULL);

  if (parsed != 0)
    return cli_parse_exit(parsed);
  if (state_read(g->root, argv[optind], &st, &err) < 0)
    return cli_fail(&err);
  json = state_to_oci_json(&st, state_status(g->root, &st));
  state_clear(&st);
  /* Like runc: no newline after the closing brace. */
  return cli_print_json(json, "state");
}
