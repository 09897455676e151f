/* `resume ID`: thaw the processes of a paused container. */
#include "cli/cli.h"
#include "container/container_cgroup.h"

static const struct option resume_options[] = {{"help", no_argument, NULL, 'h'},
                                               {NULL, 0, NULL, 0}};
static const char *const resume_descriptions[] = {"show help"};

int cmd_resume(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("resume");
  ocirun_error_t *err = NULL;
  int opt;

  while ((opt = cli_getopt(argc, argv, "h", resume_options)) != -1) {
    if (opt == 'h') {
      cli_print_command_help(cmd, resume_options, resume_descriptions);
      return 0;
    }
    return CLI_EXIT_FAILURE;
  }
  if (cli_require_args(cmd, argc, argv, 1, 1) < 0)
    return CLI_EXIT_FAILURE;
  if (container_resume(g->root, argv[optind], &err) < 0)
    return cli_fail(&err);
  return 0;
}
