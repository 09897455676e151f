#include "container/events.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "cgroup/cgroup_stats.h"
#include "container/container_cgroup.h"
#include "util/cleanup.h"
#include "util/log.h"

static int open_alive(const char *root, const char *id, struct container_cgroup *c,
                      ocirun_error_t **err) {
  _cleanup_free_ char *refusal = NULL;
  if (asprintf(&refusal, "container with id %s is not running", id) < 0)
    refusal = NULL;
  return container_cgroup_open(root, id, false, CONTAINER_ALIVE, refusal ? refusal : "not running",
                               c, err);
}

static int emit_stats(struct cgroup *cg, container_event_fn fn, void *arg, ocirun_error_t **err) {
  struct cgroup_stats st;
  _cleanup_free_ char *json = NULL;
  if (cgroup_get_stats(cg, &st, err) < 0)
    return -1;
  json = cgroup_stats_to_json(&st);
  cgroup_stats_clear(&st);
  if (json == NULL)
    return ocirun_error_set(err, ENOMEM, "stats");
  fn("stats", json, arg);
  return 0;
}

int container_events_stats(const char *root, const char *id, container_event_fn fn, void *arg,
                           ocirun_error_t **err) {
  struct container_cgroup c;
  int r;
  if (open_alive(root, id, &c, err) < 0)
    return -1;
  r = emit_stats(c.cgroup, fn, arg, err);
  container_cgroup_close(&c);
  return r;
}

static int interval_timer(int64_t interval_ns, ocirun_error_t **err) {
  struct itimerspec its = {0};
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  if (fd < 0)
    return ocirun_error_set(err, errno, "timerfd_create");
  its.it_value.tv_sec = its.it_interval.tv_sec = interval_ns / 1000000000;
  its.it_value.tv_nsec = its.it_interval.tv_nsec = interval_ns % 1000000000;
  if (timerfd_settime(fd, 0, &its, NULL) < 0) {
    ocirun_error_set(err, errno, "timerfd_settime");
    close(fd);
    return -1;
  }
  return fd;
}

/* On a tick: a stats event; returns 1 when the cgroup is gone and nothing else can say so. */
static int on_tick(int tfd, struct cgroup *cg, bool watched, container_event_fn fn, void *arg) {
  ocirun_error_t *serr = NULL;
  uint64_t ticks;
  if (read(tfd, &ticks, sizeof(ticks)) < 0 || emit_stats(cg, fn, arg, &serr) == 0)
    return 0;
  log_error("%s", serr->msg);
  ocirun_error_free(&serr);
  _cleanup_free_ pid_t *pids = NULL;
  size_t n = 0;
  return !watched && cgroup_pids(cg, &pids, &n, NULL) < 0 ? 1 : 0;
}

static int watch_loop(struct cgroup *cg, int64_t interval_ns, container_event_fn fn, void *arg,
                      ocirun_error_t **err) {
  struct cgroup_oom_watch *w = NULL;
  _cleanup_close_ int tfd = interval_timer(interval_ns, err);
  int ret = -1;

  if (tfd < 0 || cgroup_oom_watch_open(cg, &w, err) < 0)
    return -1;
  for (;;) {
    struct pollfd p[2] = {{.fd = tfd, .events = POLLIN},
                          {.fd = cgroup_oom_watch_fd(w), .events = POLLIN}};
    if (poll(p, w ? 2 : 1, -1) < 0) {
      if (errno == EINTR)
        continue;
      ocirun_error_set(err, errno, "poll");
      goto out;
    }
    if (w && (p[1].revents & (POLLIN | POLLERR | POLLHUP))) {
      bool oom = false;
      int gone = cgroup_oom_watch_read(w, &oom);
      if (oom)
        fn("oom", NULL, arg);
      if (gone)
        break;
    }
    if ((p[0].revents & POLLIN) && on_tick(tfd, cg, w != NULL, fn, arg))
      break;
  }
  ret = 0;
out:
  cgroup_oom_watch_close(w);
  return ret;
}

int container_events_watch(const char *root, const char *id, int64_t interval_ns,
                           container_event_fn fn, void *arg, ocirun_error_t **err) {
  struct container_cgroup c;
  int r;
  if (interval_ns <= 0)
    return ocirun_error_set(err, 0, "duration interval must be greater than 0");
  if (open_alive(root, id, &c, err) < 0)
    return -1;
  r = watch_loop(c.cgroup, interval_ns, fn, arg, err);
  container_cgroup_close(&c);
  return r;
}
