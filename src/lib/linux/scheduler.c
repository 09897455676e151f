#include "linux/process_attrs.h"
#include "linux/sched_attr.h"
#include "util/syscalls.h"

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

struct named_value {
  const char *name;
  uint64_t value;
};

static const struct named_value policies[] = {
    {"SCHED_OTHER", 0}, {"SCHED_FIFO", 1}, {"SCHED_RR", 2},
    {"SCHED_BATCH", 3}, {"SCHED_IDLE", 5}, {"SCHED_DEADLINE", 6},
};

static const struct named_value sched_flags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", 0x01},  {"SCHED_FLAG_RECLAIM", 0x02},
    {"SCHED_FLAG_DL_OVERRUN", 0x04},     {"SCHED_FLAG_KEEP_POLICY", 0x08},
    {"SCHED_FLAG_KEEP_PARAMS", 0x10},    {"SCHED_FLAG_UTIL_CLAMP_MIN", 0x20},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", 0x40},
};

static int lookup(const struct named_value *t, size_t n, const char *name, uint64_t *out) {
  for (size_t i = 0; name && i < n; i++) {
    if (strcmp(t[i].name, name) == 0) {
      *out = t[i].value;
      return 0;
    }
  }
  return -1;
}

static bool affinity_is_all_cpus(void) {
  cpu_set_t set;
  long online = sysconf(_SC_NPROCESSORS_CONF);
  if (sched_getaffinity(0, sizeof(set), &set) < 0 || online <= 0)
    return true;
  return CPU_COUNT(&set) >= online;
}

int scheduler_apply(const struct spec_scheduler *s, ocirun_error_t **err) {
  struct kernel_sched_attr attr = {.size = sizeof(attr)};
  uint64_t policy, flag;

  if (s == NULL || !s->present)
    return 0;
  if (lookup(policies, sizeof(policies) / sizeof(policies[0]), s->policy, &policy) < 0)
    return ocirun_error_set(err, 0, ".process.scheduler.policy: unknown policy \"%s\"",
                            s->policy ? s->policy : "");
  attr.sched_policy = (uint32_t)policy;
  for (size_t i = 0; i < s->flags.len; i++) {
    if (lookup(sched_flags, sizeof(sched_flags) / sizeof(sched_flags[0]), s->flags.items[i],
               &flag) < 0)
      return ocirun_error_set(err, 0, ".process.scheduler.flags[%zu]: unknown flag \"%s\"", i,
                              s->flags.items[i] ? s->flags.items[i] : "");
    attr.sched_flags |= flag;
  }
  if (s->has_nice) {
    if (s->nice < -20 || s->nice > 19)
      return ocirun_error_set(err, 0, ".process.scheduler.nice: %d is outside -20..19", s->nice);
    attr.sched_nice = s->nice;
  }
  if (s->has_priority) {
    if (s->priority < 0)
      return ocirun_error_set(err, 0, ".process.scheduler.priority: %d is negative", s->priority);
    attr.sched_priority = (uint32_t)s->priority;
  }
  attr.sched_runtime = s->has_runtime ? s->runtime : 0;
  attr.sched_deadline = s->has_deadline ? s->deadline : 0;
  attr.sched_period = s->has_period ? s->period : 0;
  if (sys_sched_setattr(&attr) < 0) {
    int e = errno;
    /* sched_setattr(2): SCHED_DEADLINE needs every CPU of the system in the affinity mask
     * (a cpuset restricts it).  Said in runc's words. */
    if (e == EPERM && attr.sched_policy == 6 /* SCHED_DEADLINE */ && !affinity_is_all_cpus())
      return ocirun_error_set(err, e, "process scheduler can't be used together with AllowedCPUs");
    return ocirun_error_set(err, e, "sched_setattr(%s, priority %u, nice %d)", s->policy,
                            attr.sched_priority, attr.sched_nice);
  }
  return 0;
}
