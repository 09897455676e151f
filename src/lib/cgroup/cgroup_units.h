/* The value syntaxes of the cgroup commands' flags, as runc reads them:
 * durations like Go's time.ParseDuration (`events --interval 1m30s`) and
 * sizes like go-units' RAMInBytes (`update --memory 100M`). */
#ifndef OCIRUN_CGROUP_UNITS_H
#define OCIRUN_CGROUP_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* "1h2m3.5s", "100ms", "-1.5h", "0"; units ns us µs μs ms s m h.  Nanoseconds
 * in *out; an error says `time: invalid duration "..."` like Go. */
int units_parse_duration(const char *s, int64_t *out, ocirun_error_t **err);
/* "1024", "100M", "1.5g", "64KiB", "2 GB": binary multiples (k = 1024). */
int units_parse_ram_bytes(const char *s, int64_t *out, ocirun_error_t **err);

#endif
