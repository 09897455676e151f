/* `resume ID`: thaw the processes of a paused container. */
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "cli/cli.h"
#include "container/state.h"
#include "util/cleanup.h"

static const struct option resume_options[] = {{"help", no_argument, NULL, 'h'},
                                               {NULL, 0, NULL, 0}};
static const char *const resume_descriptions[] = {"show help"};

static int resume_container(const char *root, const char *id, ocirun_error_t **err) {
  struct container_state st = {0};
  struct cgroup *cg = NULL;
  _cleanup_close_ int lock = -1;
  enum container_status status;
  int r = -1;

  if (container_id_validate(id, err) < 0 || (lock = state_lock(root, id, err)) < 0 ||
      state_read(root, id, &st, err) < 0)
    return -1;
  status = state_status(root, &st);
  if (status != CONTAINER_PAUSED) {
    ocirun_error_set(err, 0, "container not paused");
    goto out;
  }
  if (st.cgroup_path == NULL) {
    ocirun_error_set(err, 0, "container %s has no cgroup", id);
    goto out;
  }
  if (cgroup_open_existing(id, st.cgroup_path, st.systemd_cgroup, &cg, err) < 0)
    goto out;
  r = cgroup_thaw(cg, err);
out:
  cgroup_close(cg);
  state_clear(&st);
  return r;
}

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
  if (resume_container(g->root, argv[optind], &err) < 0)
    return cli_fail(&err);
  return 0;
}
