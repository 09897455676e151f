/* `events [--stats] [--interval D] ID`: runc's JSON event lines.  --stats
 * prints one stats event; otherwise a stats event every interval (default
 * 5s) and an "oom" event on each OOM kill, until the container's cgroup goes
 * away (container/events.c). */
#include <stdint.h>
#include <stdio.h>

#include "cgroup/cgroup_units.h"
#include "cli/cli.h"
#include "container/events.h"
#include "util/cleanup.h"
#include "util/json_escape.h"

enum { OPT_INTERVAL = 256, OPT_STATS };

static const struct option events_options[] = {{"interval", required_argument, NULL, OPT_INTERVAL},
                                               {"stats", no_argument, NULL, OPT_STATS},
                                               {"help", no_argument, NULL, 'h'},
                                               {NULL, 0, NULL, 0}};
static const char *const events_descriptions[] = {"set the stats collection interval (default: 5s)",
                                                  "display the container's stats then exit",
                                                  "show help"};

static void print_event(const char *type, const char *data, void *arg) {
  _cleanup_free_ char *qid = json_escape_string(arg);
  if (data)
    printf("{\"type\":\"%s\",\"id\":%s,\"data\":%s}\n", type, qid ? qid : "\"\"", data);
  else
    printf("{\"type\":\"%s\",\"id\":%s}\n", type, qid ? qid : "\"\"");
  fflush(stdout);
}

int cmd_events(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("events");
  ocirun_error_t *err = NULL;
  int64_t interval = 5000000000LL;
  bool stats_only = false;
  const char *id;
  int opt, r = -1;

  while ((opt = cli_getopt(argc, argv, "h", events_options)) != -1) {
    if (opt == OPT_INTERVAL) {
      if (units_parse_duration(optarg, &interval, &err) < 0) {
        ocirun_error_prefix(&err, "invalid value \"%s\" for flag -interval", optarg);
        return cli_fail(&err);
      }
      continue;
    }
    if (opt == OPT_STATS) {
      stats_only = true;
      continue;
    }
    if (opt == 'h') {
      cli_print_command_help(cmd, events_options, events_descriptions);
      return 0;
    }
    return CLI_EXIT_FAILURE;
  }
  if (cli_require_args(cmd, argc, argv, 1, 1) < 0)
    return CLI_EXIT_FAILURE;
  id = argv[optind];
  if (interval <= 0) {
    ocirun_error_set(&err, 0, "duration interval must be greater than 0");
    return cli_fail(&err);
  }
  if (stats_only)
    r = container_events_stats(g->root, id, print_event, (void *)id, &err);
  else
    r = container_events_watch(g->root, id, interval, print_event, (void *)id, &err);
  return r < 0 ? cli_fail(&err) : 0;
}
