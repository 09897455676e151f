/* `ps`: not yet available in this build. */
#include "cli/cli.h"

int cmd_ps(struct cli_global *g, int argc, char **argv) {
  ocirun_error_t *err = NULL;
  (void)g;
  (void)argc;
  (void)argv;
  ocirun_error_set(&err, 0, "ps: not supported by this build");
  return cli_fail(&err);
}
