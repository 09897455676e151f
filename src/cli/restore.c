/* `restore`: not yet available in this build. */
#include "cli/cli.h"

int cmd_restore(struct cli_global *g, int argc, char **argv) {
  ocirun_error_t *err = NULL;
  (void)g;
  if (cli_help_requested(cli_find_command("restore"), argc, argv))
    return 0;
  ocirun_error_set(&err, 0, "restore: not supported by this build");
  return cli_fail(&err);
}
