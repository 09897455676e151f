/* The commands that take a container id and nothing else, each one library call:
 *   `start ID`   run the user process of a created container
 *   `pause ID`   freeze every process of a running (or created) container
 *   `resume ID`  thaw the processes of a paused container */
#include "cli/cli.h"
#include "container/container_cgroup.h"
#include "container/lifecycle.h"

typedef int (*container_op)(const char *root, const char *id, ocirun_error_t **err);

static const struct option help_only[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
static const char *const help_description[] = {"show help"};

/* list_help: the help lists --help (pause and resume do, as runc's; start does not). */
static int run_on_id(struct cli_global *g, const char *name, bool list_help, container_op op,
                     int argc, char **argv) {
  ocirun_error_t *err = NULL;
  int parsed = cli_parse(cli_find_command(name), argc, argv, "h", help_only,
                         list_help ? help_description : NULL, 1, 1, NULL, NULL);
  if (parsed != 0)
    return cli_parse_exit(parsed);
  return op(g->root, argv[optind], &err) < 0 ? cli_fail(&err) : 0;
}

int cmd_start(struct cli_global *g, int argc, char **argv) {
  return run_on_id(g, "start", false, container_start, argc, argv);
}

int cmd_pause(struct cli_global *g, int argc, char **argv) {
  return run_on_id(g, "pause", true, container_pause, argc, argv);
}

int cmd_resume(struct cli_global *g, int argc, char **argv) {
  return run_on_id(g, "resume", true, container_resume, argc, argv);
}
