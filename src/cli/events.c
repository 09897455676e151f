/* `events [--stats] [--interval D] ID`: runc's JSON event lines.  --stats
 * prints one stats event; otherwise a stats event every interval (default
 * 5s) and an "oom" event on each OOM kill, until the container's cgroup goes
 * away.  OOM: v1 eventfd registered on memory.oom_control through
 * cgroup.event_control; v2 inotify on memory.events (and cgroup.events for
 * the end). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "cgroup/cgroup_stats.h"
#include "cgroup/cgroup_units.h"
#include "cli/cli.h"
#include "container/container_cgroup.h"
#include "util/cleanup.h"
#include "util/json_escape.h"
#include "util/log.h"

enum { OPT_INTERVAL = 256, OPT_STATS };

static const struct option events_options[] = {{"interval", required_argument, NULL, OPT_INTERVAL},
                                               {"stats", no_argument, NULL, OPT_STATS},
                                               {"help", no_argument, NULL, 'h'},
                                               {NULL, 0, NULL, 0}};
static const char *const events_descriptions[] = {"set the stats collection interval (default: 5s)",
                                                  "display the container's stats then exit",
                                                  "show help"};

static void print_event(const char *type, const char *id, const char *data) {
  _cleanup_free_ char *qid = json_escape_string(id);
  if (data)
    printf("{\"type\":\"%s\",\"id\":%s,\"data\":%s}\n", type, qid ? qid : "\"\"", data);
  else
    printf("{\"type\":\"%s\",\"id\":%s}\n", type, qid ? qid : "\"\"");
  fflush(stdout);
}

static int print_stats(struct cgroup *cg, const char *id, ocirun_error_t **err) {
  struct cgroup_stats st;
  _cleanup_free_ char *json = NULL;
  if (cgroup_get_stats(cg, &st, err) < 0)
    return -1;
  json = cgroup_stats_to_json(&st);
  cgroup_stats_clear(&st);
  if (json == NULL)
    return ocirun_error_set(err, ENOMEM, "stats");
  print_event("stats", id, json);
  return 0;
}

struct oom_watch {
  int fd; /* eventfd (v1) or inotify (v2); -1 without a memory controller */
  bool v2;
  const char *dir;
  uint64_t kills;
};

static int oom_watch_open(struct cgroup *cg, struct oom_watch *w, ocirun_error_t **err) {
  w->fd = -1;
  w->dir = cgroup_memory_dir(cg, &w->v2);
  if (w->dir == NULL)
    return 0;
  if (w->v2) {
    char path[4096];
    w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (w->fd < 0)
      return ocirun_error_set(err, errno, "inotify_init1");
    snprintf(path, sizeof(path), "%s/memory.events", w->dir);
    if (inotify_add_watch(w->fd, path, IN_MODIFY) < 0)
      return ocirun_error_set(err, errno, "inotify_add_watch %s", path);
    snprintf(path, sizeof(path), "%s/cgroup.events", w->dir);
    if (inotify_add_watch(w->fd, path, IN_MODIFY) < 0)
      return ocirun_error_set(err, errno, "inotify_add_watch %s", path);
    cgroup_oom_kill_count(cg, &w->kills, NULL);
    return 0;
  }
  char path[4096], line[64];
  _cleanup_close_ int oc = -1, ec = -1;
  snprintf(path, sizeof(path), "%s/memory.oom_control", w->dir);
  oc = open(path, O_RDONLY | O_CLOEXEC);
  if (oc < 0)
    return ocirun_error_set(err, errno, "open %s", path);
  w->fd = eventfd(0, EFD_CLOEXEC);
  if (w->fd < 0)
    return ocirun_error_set(err, errno, "eventfd");
  snprintf(path, sizeof(path), "%s/cgroup.event_control", w->dir);
  ec = open(path, O_WRONLY | O_CLOEXEC);
  snprintf(line, sizeof(line), "%d %d", w->fd, oc);
  if (ec < 0 || write(ec, line, strlen(line)) < 0)
    return ocirun_error_set(err, errno, "register OOM notification in %s", path);
  return 0;
}

/* Returns 1 when the cgroup is gone, 0 otherwise; *oom set on an OOM kill. */
static int oom_watch_read(struct cgroup *cg, struct oom_watch *w, bool *oom) {
  char buf[4096];
  *oom = false;
  if (!w->v2) {
    uint64_t n;
    if (read(w->fd, &n, sizeof(n)) < 0)
      return 0;
    /* The eventfd also fires when the cgroup is removed. */
    snprintf(buf, sizeof(buf), "%s/cgroup.event_control", w->dir);
    if (access(buf, F_OK) != 0)
      return 1;
    *oom = true;
    return 0;
  }
  while (read(w->fd, buf, sizeof(buf)) > 0)
    ;
  uint64_t kills = 0;
  if (cgroup_oom_kill_count(cg, &kills, NULL) < 0)
    return 1; /* memory.events gone with the cgroup */
  if (kills > w->kills)
    *oom = true;
  w->kills = kills;
  snprintf(buf, sizeof(buf), "%s/cgroup.events", w->dir);
  FILE *f = fopen(buf, "re");
  int gone = 1;
  if (f) {
    char line[128];
    while (fgets(line, sizeof(line), f))
      if (strcmp(line, "populated 1\n") == 0)
        gone = 0;
    fclose(f);
  }
  return gone;
}

static int events_loop(struct cgroup *cg, const char *id, int64_t interval_ns,
                       ocirun_error_t **err) {
  struct oom_watch w = {.fd = -1};
  _cleanup_close_ int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  struct itimerspec its = {0};
  int ret = -1;

  if (tfd < 0)
    return ocirun_error_set(err, errno, "timerfd_create");
  its.it_value.tv_sec = its.it_interval.tv_sec = interval_ns / 1000000000;
  its.it_value.tv_nsec = its.it_interval.tv_nsec = interval_ns % 1000000000;
  if (timerfd_settime(tfd, 0, &its, NULL) < 0)
    return ocirun_error_set(err, errno, "timerfd_settime");
  if (oom_watch_open(cg, &w, err) < 0)
    goto out;
  for (;;) {
    struct pollfd p[2] = {{.fd = tfd, .events = POLLIN}, {.fd = w.fd, .events = POLLIN}};
    if (poll(p, w.fd >= 0 ? 2 : 1, -1) < 0) {
      if (errno == EINTR)
        continue;
      ocirun_error_set(err, errno, "poll");
      goto out;
    }
    if (p[1].revents & (POLLIN | POLLERR | POLLHUP)) {
      bool oom = false;
      int gone = oom_watch_read(cg, &w, &oom);
      if (oom)
        print_event("oom", id, NULL);
      if (gone)
        break;
    }
    if (p[0].revents & POLLIN) {
      uint64_t ticks;
      ocirun_error_t *serr = NULL;
      if (read(tfd, &ticks, sizeof(ticks)) < 0)
        continue;
      /* A failed read is logged and the next interval tried, as runc does. */
      if (print_stats(cg, id, &serr) < 0) {
        log_error("%s", serr->msg);
        ocirun_error_free(&serr);
        pid_t *pids = NULL;
        size_t n = 0;
        bool gone = cgroup_pids(cg, &pids, &n, NULL) < 0;
        free(pids);
        if (w.fd < 0 && gone)
          break; /* no OOM watch to tell the end: the cgroup is gone */
      }
    }
  }
  ret = 0;
out:
  if (w.fd >= 0)
    close(w.fd);
  return ret;
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
  {
    struct container_cgroup c;
    unsigned alive = ~CONTAINER_STATUS_BIT(CONTAINER_STOPPED);
    _cleanup_free_ char *refusal = NULL;
    if (asprintf(&refusal, "container with id %s is not running", id) < 0)
      refusal = NULL;
    if (container_cgroup_open(g->root, id, false, alive, refusal ? refusal : "not running", &c,
                              &err) < 0)
      return cli_fail(&err);
    if (stats_only)
      r = print_stats(c.cgroup, id, &err);
    else
      r = events_loop(c.cgroup, id, interval, &err);
    container_cgroup_close(&c);
  }
  return r < 0 ? cli_fail(&err) : 0;
}
