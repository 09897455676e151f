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
  char *json;
  int parsed = cli_parse(cli_find_command("features"), argc, argv, "h", features_options, NULL, 0,
                         0, NULL, NULL);

  if (parsed != 0)
    return cli_parse_exit(parsed);
  {
    char criu[64];
    ocirun_error_t *probe = NULL;
    bool found = criu_probe_version(g->criu, criu, sizeof(criu), &probe) == 0;
    ocirun_error_free(&probe);
    json = features_to_json_with_criu(found ? criu : NULL);
  }
  return cli_print_json(json, "features");
}
