/* `ps [-f|--format table|json] ID [PS_ARGS...]`: the container's processes from
 * its cgroup.  json: an array of host pids; table: the host's ps(1) output
 * (default `ps -ef`) keeping the header and the lines of those pids. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "container/container_cgroup.h"
#include "container/ps.h"
#include "util/cleanup.h"

static const struct option ps_options[] = {
    {"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
static const char *const ps_descriptions[] = {"select one of: table or json (default: \"table\")",
                                              "show help"};

int cmd_ps(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("ps");
  struct cli_simple_flags f = {.value_opt = 'f', .value = "table"};
  ocirun_error_t *err = NULL;
  pid_t *pids = NULL;
  size_t n = 0;
  int r;
  int parsed = cli_parse(cmd, argc, argv, "+f:h", ps_options, ps_descriptions, 1, -1,
                         cli_set_simple_flag, &f);

  const char *format = f.value;

  if (parsed != 0)
    return cli_parse_exit(parsed);
  if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
    return cli_usage_error(cmd, "invalid format option");
  if (container_pids(g->root, argv[optind], &pids, &n, &err) < 0)
    return cli_fail(&err);
  if (strcmp(format, "json") == 0) {
    printf("[");
    for (size_t i = 0; i < n; i++)
      printf("%s%d", i ? "," : "", (int)pids[i]);
    printf("]\n");
    r = 0;
  } else {
    _cleanup_free_ char *table = NULL;
    r = container_ps_table(argv + optind + 1, argc - optind - 1, pids, n, &table, &err);
    if (table)
      fputs(table, stdout);
  }
  free(pids);
  return r < 0 ? cli_fail(&err) : 0;
}
