/* `spec [-b|--bundle DIR] [--rootless]`: write a starter config.json, as `runc spec`. */
#include "cli/cli.h"
#include "spec/spec.h"

static const struct option spec_options[] = {{"bundle", required_argument, NULL, 'b'},
                                             {"rootless", no_argument, NULL, 'r'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
static const char *const spec_descriptions[] = {"path to the root of the bundle directory",
                                                "generate a configuration for a rootless container",
                                                "show help"};

int cmd_spec(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("spec");
  ocirun_error_t *err = NULL;
  const char *bundle = NULL;
  bool rootless = false;
  int opt;

  (void)g;
  while ((opt = cli_getopt(argc, argv, "b:h", spec_options)) != -1) {
    switch (opt) {
    case 'b':
      bundle = optarg;
      break;
    case 'r':
      rootless = true;
      break;
    case 'h':
      cli_print_command_help(cmd, spec_options, spec_descriptions);
      return 0;
    default:
      return CLI_EXIT_FAILURE;
    }
  }
  if (cli_require_args(cmd, argc, argv, 0, 0) != 0)
    return CLI_EXIT_FAILURE;
  if (spec_write_template(bundle, rootless, &err) < 0)
    return cli_fail(&err);
  return 0;
}
