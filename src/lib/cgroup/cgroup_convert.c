#include "cgroup/cgroup_convert.h"

#include <inttypes.h>
#include <stdio.h>

uint64_t cgroup_convert_shares_to_weight(uint64_t shares) {
  if (shares == 0)
    return 0;
  /* Linear map of [2, 262144] onto [1, 10000]; values below 2 clamp to 1. */
  if (shares < 2)
    return 1;
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t cgroup_convert_blkio_to_io_weight(uint64_t weight) {
  if (weight == 0)
    return 0;
  if (weight < 10)
    return 1;
  return 1 + (weight - 10) * 9999 / 990;
}

int cgroup_convert_swap_v2(int64_t swap, int64_t limit, int64_t *out, ocirun_error_t **err) {
  /* memory unlimited and swap not given: both unlimited, as v1 behaves. */
  if (limit == -1 && swap == 0) {
    *out = -1;
    return 0;
  }
  if (swap == -1 || swap == 0) {
    *out = swap;
    return 0;
  }
  if (limit == 0 || limit == -1)
    return ocirun_error_set(err, 0, "unable to set swap limit without memory limit");
  if (limit < 0)
    return ocirun_error_set(err, 0, "invalid memory value: %" PRId64, limit);
  if (swap < limit)
    return ocirun_error_set(err, 0, "memory+swap limit should be >= memory limit");
  /* v1 limits memory+swap together, v2 limits swap alone. */
  *out = swap - limit;
  return 0;
}

const char *cgroup_convert_num(int64_t v, char buf[24]) {
  if (v == 0)
    buf[0] = '\0';
  else if (v < 0)
    snprintf(buf, 24, "max");
  else
    snprintf(buf, 24, "%" PRId64, v);
  return buf;
}

const char *cgroup_convert_cpu_max(int64_t quota, uint64_t period, char buf[48]) {
  int n;
  if (quota == 0 && period == 0)
    return NULL;
  if (quota > 0)
    n = snprintf(buf, 48, "%" PRId64, quota);
  else
    n = snprintf(buf, 48, "max");
  if (period != 0)
    snprintf(buf + n, 48 - (size_t)n, " %" PRIu64, period);
  return buf;
}
