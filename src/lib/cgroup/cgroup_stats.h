/* Resource usage of a container's cgroup, in the shape of runc's `events`
 * stats (types.Stats): the drivers fill it, cgroup_stats_to_json prints it. */
#ifndef OCIRUN_CGROUP_STATS_H
#define OCIRUN_CGROUP_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "util/error.h"

struct cgroup_mem_entry {
  uint64_t limit, usage, max, failcnt;
};

struct cgroup_kv {
  char *key;
  uint64_t value;
};

struct cgroup_blkio_entry {
  uint64_t major, minor;
  char op[16];
  uint64_t value;
};

struct cgroup_hugetlb_entry {
  char size[16];
  uint64_t usage, max, failcnt;
};

struct cgroup_stats {
  /* cpu, nanoseconds */
  uint64_t cpu_total, cpu_kernel, cpu_user;
  uint64_t *percpu, *percpu_kernel, *percpu_user;
  size_t npercpu, npercpu_kernel, npercpu_user;
  uint64_t throttle_periods, throttled_periods, throttled_time;
  /* cpuset (v1 files; v2 fills cpus and mems) */
  bool has_cpuset;
  uint64_t *cpuset_cpus, *cpuset_mems;
  size_t ncpuset_cpus, ncpuset_mems;
  uint64_t cpu_exclusive, mem_hardwall, mem_exclusive, memory_migrate, memory_spread_page,
      memory_spread_slab, memory_pressure, sched_load_balance;
  int64_t sched_relax_domain_level;
  /* memory */
  uint64_t mem_cache;
  struct cgroup_mem_entry mem_usage, mem_swap, mem_kernel, mem_kernel_tcp;
  struct cgroup_kv *mem_raw;
  size_t nmem_raw;
  /* pids */
  uint64_t pids_current, pids_limit;
  /* blkio */
  struct cgroup_blkio_entry *io_bytes, *io_serviced;
  size_t nio_bytes, nio_serviced;
  struct cgroup_hugetlb_entry *hugetlb;
  size_t nhugetlb;
};

struct cgroup;

void cgroup_stats_clear(struct cgroup_stats *st);
/* runc's `events --stats` data object, compact JSON (malloc'd), NULL on ENOMEM. */
char *cgroup_stats_to_json(const struct cgroup_stats *st);

/* Helpers for the drivers. */
int cgroup_stats_add_kv(struct cgroup_kv **v, size_t *n, const char *key, uint64_t value);
int cgroup_stats_add_u64(uint64_t **v, size_t *n, uint64_t value);
int cgroup_stats_add_blkio(struct cgroup_blkio_entry **v, size_t *n, uint64_t major, uint64_t minor,
                           const char *op, uint64_t value);

#endif
