/* `events`: a running container's resource usage and OOM kills, as runc's event objects.
 * The library produces each event's data as JSON; the caller prints the lines. */
#ifndef OCIRUN_CONTAINER_EVENTS_H
#define OCIRUN_CONTAINER_EVENTS_H

#include <stdint.h>

#include "util/error.h"

/* One event: type "stats" with data (runc's types.Stats, compact JSON) or "oom" with
 * data NULL. */
typedef void (*container_event_fn)(const char *type, const char *data, void *arg);

/* `events --stats`: one stats event. */
int container_events_stats(const char *root, const char *id, container_event_fn fn, void *arg,
                           ocirun_error_t **err);
/* `events`: a stats event every interval_ns (> 0) and an oom event on each OOM kill, until
 * the container's cgroup goes away.  A stats read that fails is logged and the next
 * interval tried, as runc does. */
int container_events_watch(const char *root, const char *id, int64_t interval_ns,
                           container_event_fn fn, void *arg, ocirun_error_t **err);

#endif
