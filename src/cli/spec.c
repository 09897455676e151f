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
  ocirun_error_t *err = NULL;
  struct cli_simple_flags f = {.value_opt = 'b', .switch_opt = 'r'};
  int parsed = cli_parse(cli_find_command("spec"), argc, argv, "b:h", spec_options,
                         spec_descriptions, 0, 0, cli_set_simple_flag, &f);

  (void)g;
  if (parsed != 0)
    return cli_parse_exit(parsed);
  return spec_write_template(f.value, f.on, &err) < 0 ? cli_fail(&err) : 0;
}
