/* `features`: the OCI features structure of this runtime. */
#include <stdio.h>
#include <stdlib.h>

#include "checkpoint/checkpoint.h"
#include "cli/cli.h"
#include "container/features.h"

static const struct option features_options[] = {
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cmd_features(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("features");
  ocirun_error_t *err = NULL;
  char *json;
  int c;

  while ((c = cli_getopt(argc, argv, "h", features_options)) != -1) {
    if (c == 'h') {
      cli_print_command_help(cmd, NULL, NULL);
      return 0;
    }
    return CLI_EXIT_FAILURE;
  }
  if (cli_require_args(cmd, argc, argv, 0, 0) != 0)
    return CLI_EXIT_FAILURE;
  {
    char criu[64];
    ocirun_error_t *probe = NULL;
    bool found = criu_probe_version(g->criu, criu, sizeof(criu), &probe) == 0;
    ocirun_error_free(&probe);
    json = features_to_json_with_criu(found ? criu : NULL);
  }
  if (json == NULL) {
    ocirun_error_set(&err, 0, "features: out of memory");
    return cli_fail(&err);
  }
  fputs(json, stdout);
  free(json);
  return fflush(stdout) == 0 ? 0 : CLI_EXIT_FAILURE;
}
