/* The kernel's struct sched_attr (sched_setattr(2), sched_getattr(2)): glibc 2.36 has
 * neither the type nor the wrappers. */
#ifndef OCIRUN_LINUX_SCHED_ATTR_H
#define OCIRUN_LINUX_SCHED_ATTR_H

#include <stdint.h>

struct kernel_sched_attr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime; /* SCHED_DEADLINE's runtime; the requested slice of a fair task */
  uint64_t sched_deadline;
  uint64_t sched_period;
  uint32_t sched_util_min;
  uint32_t sched_util_max;
};

#endif
