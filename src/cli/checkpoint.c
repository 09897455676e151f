/* `checkpoint [flags] ID`: save a running container with CRIU (runc's flags). */
#include <stdlib.h>

#include "cli/criu_flags.h"

static const struct option checkpoint_options[] = {
    CRIU_COMMON_OPTIONS,
    {"parent-path", required_argument, NULL, OPT_PARENT_PATH},
    {"leave-running", no_argument, NULL, OPT_LEAVE_RUNNING},
    {"status-fd", required_argument, NULL, OPT_STATUS_FD},
    {"page-server", required_argument, NULL, OPT_PAGE_SERVER},
    {"pre-dump", no_argument, NULL, OPT_PRE_DUMP},
    {NULL, 0, NULL, 0},
};

static const char *const checkpoint_descriptions[] = {
    CRIU_COMMON_DESCRIPTIONS,
    "path for previous criu image files in pre-dump",
    "leave the process running after checkpointing",
    "criu writes \\0 to this FD once lazy-pages is ready",
    "ADDRESS:PORT of the page server",
    "dump container's memory information only, leave the container running after this",
};

int cmd_checkpoint(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("checkpoint");
  struct criu_options o = {.status_fd = -1, .manage_cgroups_mode = CRIU_CG_UNSET};
  char *image = NULL, *work = NULL;
  ocirun_error_t *err = NULL;
  int opt, rc = CLI_EXIT_FAILURE;

  while ((opt = cli_getopt(argc, argv, "", checkpoint_options)) != -1) {
    if (opt == OPT_CRIU_HELP) {
      cli_print_command_help(cmd, checkpoint_options, checkpoint_descriptions);
      return 0;
    }
    if (criu_flags_handle(opt, &o) <= 0)
      goto out;
  }
  if (cli_require_args(cmd, argc, argv, 1, 1) < 0 || criu_flags_finish(g, &o, &image, &work) < 0)
    goto out;
  if (container_checkpoint(g->root, argv[optind], &o, &err) < 0) {
    rc = cli_fail(&err);
    goto out;
  }
  rc = 0;
out:
  free(image);
  free(work);
  free(o.page_server_addr);
  return rc;
}
