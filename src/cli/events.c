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

struct events_flags {
  int64_t interval;
  bool stats_only;
};

static int events_flag(int opt, const char *arg, void *ctx) {
  struct events_flags *f = ctx;
  ocirun_error_t *err = NULL;
  if (opt == OPT_STATS) {
    f->stats_only = true;
    return 0;
  }
  if (opt != OPT_INTERVAL)
    return -1;
  if (units_parse_duration(arg, &f->interval, &err) < 0) {
    ocirun_error_prefix(&err, "invalid value \"%s\" for flag -interval", arg);
    cli_fail(&err);
    return -1;
  }
  return 0;
}

int cmd_events(struct cli_global *g, int argc, char **argv) {
  ocirun_error_t *err = NULL;
  struct events_flags f = {.interval = 5000000000LL};
  const char *id;
  int r;
  int parsed = cli_parse(cli_find_command("events"), argc, argv, "h", events_options,
                         events_descriptions, 1, 1, events_flag, &f);

  if (parsed != 0)
    return cli_parse_exit(parsed);
  id = argv[optind];
  if (f.interval <= 0) {
    ocirun_error_set(&err, 0, "duration interval must be greater than 0");
    return cli_fail(&err);
  }
  if (f.stats_only)
    r = container_events_stats(g->root, id, print_event, (void *)id, &err);
  else
    r = container_events_watch(g->root, id, f.interval, print_event, (void *)id, &err);
  return r < 0 ? cli_fail(&err) : 0;
}
