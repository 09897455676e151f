/* `delete`: not yet available in this build. */
#include "cli/cli.h"

int cmd_delete(struct cli_global *g, int argc, char **argv) {
  ocirun_error_t *err = NULL;
  (void)g;
  (void)argc;
  (void)argv;
  ocirun_error_set(&err, 0, "delete: not supported by this build");
  return cli_fail(&err);
}
