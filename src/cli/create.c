/* `create`: not yet available in this build. */
#include "cli/cli.h"

int cmd_create(struct cli_global *g, int argc, char **argv) {
  ocirun_error_t *err = NULL;
  (void)g;
  (void)argc;
  (void)argv;
  ocirun_error_set(&err, 0, "create: not supported by this build");
  return cli_fail(&err);
}
