/* linux.resources on cgroup v1, controller by controller in runc's order
 * (cpuset, devices, memory, cpu, pids, blkio, hugetlb, net_cls, net_prio,
 * rdma).  A resource whose controller is not mounted is an error only when the
 * config asks for it. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup/cgroup_internal.h"
#include "util/cleanup.h"
#include "util/log.h"

#define R ".linux.resources."

static const char *need(struct cgroup *cg, const char *controller, const char *what,
                        ocirun_error_t **err) {
  struct cgroup_hier *h = cgroup_v1_find(cg, controller);
  if (h == NULL) {
    ocirun_error_set(err, ENOENT, "%s: the %s cgroup controller is not mounted", what, controller);
    return NULL;
  }
  return h->path;
}

static int set_cpuset(struct cgroup *cg, const struct spec_cpu *c, ocirun_error_t **err) {
  const char *dir;
  if (!c->cpus && !c->mems)
    return 0;
  if ((dir = need(cg, "cpuset", R "cpu.cpus", err)) == NULL)
    return -1;
  if (c->cpus && c->cpus[0] && cg_write(dir, "cpuset.cpus", c->cpus, R "cpu.cpus", err) < 0)
    return -1;
  if (c->mems && c->mems[0] && cg_write(dir, "cpuset.mems", c->mems, R "cpu.mems", err) < 0)
    return -1;
  return 0;
}

static int set_devices(struct cgroup *cg, const struct spec_resources *res, ocirun_error_t **err) {
  _cleanup_free_ struct spec_device_cgroup_rule *rules = NULL;
  size_t n = 0;
  const char *dir;
  if (!cg->manage_devices && res->devices_len == 0)
    return 0;
  if (cgroup_v1_find(cg, "devices") == NULL && res->devices_len == 0)
    return 0; /* only the defaults, and nowhere to write them */
  if ((dir = need(cg, "devices", R "devices", err)) == NULL)
    return -1;
  if (cgroup_device_rules(res, &rules, &n) < 0)
    return ocirun_error_set(err, ENOMEM, R "devices");
  return cgroup_devices_v1_apply(dir, rules, n, err);
}

static int write_limit(const char *dir, const char *file, int64_t v, const char *what,
                       ocirun_error_t **err) {
  return cg_writef(dir, file, what, err, "%" PRId64, v);
}

/* memory.limit_in_bytes and memory.memsw.limit_in_bytes: memsw must stay >=
 * the limit at every step, so the order depends on the direction. */
static int set_memory_and_swap(const char *dir, const struct spec_memory *m, ocirun_error_t **err) {
  int64_t limit = m->has_limit ? m->limit : 0, swap = m->has_swap ? m->swap : 0;
  bool swap_first = false;

  if (limit == -1 && swap == 0 && cg_exists(dir, "memory.memsw.limit_in_bytes"))
    swap = -1; /* unlimited memory means unlimited memory+swap */
  if (limit != 0 && swap != 0) {
    uint64_t cur = 0;
    if (cg_read_u64(dir, "memory.limit_in_bytes", &cur, err) < 0)
      return ocirun_error_prefix(err, R "memory.limit");
    swap_first = swap == -1 || cur < (uint64_t)swap;
  }
  for (int step = 0; step < 2; step++) {
    bool do_swap = (step == 0) == swap_first;
    if (do_swap && swap != 0) {
      if (write_limit(dir, "memory.memsw.limit_in_bytes", swap, R "memory.swap", err) < 0)
        return -1;
    } else if (!do_swap && limit != 0) {
      if (write_limit(dir, "memory.limit_in_bytes", limit, R "memory.limit", err) < 0) {
        uint64_t usage = 0, peak = 0;
        /* EBUSY: the usage is above the new limit; say by how much. */
        if ((*err)->status == EBUSY &&
            cg_read_u64(dir, "memory.usage_in_bytes", &usage, NULL) == 0 &&
            cg_read_u64(dir, "memory.max_usage_in_bytes", &peak, NULL) == 0) {
          ocirun_error_free(err);
          return ocirun_error_set(err, EBUSY,
                                  R "memory.limit: unable to set memory limit to %" PRId64
                                    " (current usage: %" PRIu64 ", peak usage: %" PRIu64
                                    "): write %" PRId64 " to %s/memory.limit_in_bytes",
                                  limit, usage, peak, limit, dir);
        }
        return -1;
      }
    }
  }
  return 0;
}

static int set_memory(struct cgroup *cg, const struct spec_memory *m, ocirun_error_t **err) {
  const char *dir;
  if (!m->present)
    return 0;
  if (m->has_kernel && m->kernel != 0)
    log_warn("kernel memory settings are ignored (" R "memory.kernel)");
  if (m->has_kernel_tcp && m->kernel_tcp != 0)
    log_warn("kernel memory settings are ignored (" R "memory.kernelTCP)");
  bool any = (m->has_limit && m->limit) || (m->has_swap && m->swap) ||
             (m->has_reservation && m->reservation) || m->has_disable_oom_killer ||
             m->has_swappiness || m->has_use_hierarchy;
  if (!any)
    return 0;
  if ((dir = need(cg, "memory", R "memory", err)) == NULL)
    return -1;
  if (set_memory_and_swap(dir, m, err) < 0)
    return -1;
  if (m->has_reservation && m->reservation != 0 &&
      write_limit(dir, "memory.soft_limit_in_bytes", m->reservation, R "memory.reservation", err) <
          0)
    return -1;
  if (m->has_disable_oom_killer && m->disable_oom_killer &&
      cg_write(dir, "memory.oom_control", "1", R "memory.disableOOMKiller", err) < 0)
    return -1;
  if (m->has_swappiness) {
    if ((int64_t)m->swappiness != -1) {
      if (m->swappiness > 100)
        return ocirun_error_set(err, 0,
                                R "memory.swappiness: invalid memory swappiness value: %" PRIu64
                                  " (valid range is 0-100)",
                                m->swappiness);
      if (cg_writef(dir, "memory.swappiness", R "memory.swappiness", err, "%" PRIu64,
                    m->swappiness) < 0)
        return -1;
    }
  }
  if (m->has_use_hierarchy && cg_write(dir, "memory.use_hierarchy", m->use_hierarchy ? "1" : "0",
                                       R "memory.useHierarchy", err) < 0)
    return -1;
  return 0;
}

/* A period and the time granted within it (cfs quota, rt runtime): the kernel refuses a
 * period that the time already written no longer fits in, so a period refused with
 * EINVAL is written again after the time, as runc does. */
static int write_period_pair(const char *dir, const char *period_file, const char *period_what,
                             bool has_period, uint64_t period, const char *time_file,
                             const char *time_what, bool has_time, int64_t time,
                             ocirun_error_t **err) {
  bool period_pending = false;

  if (has_period) {
    ocirun_error_t *perr = NULL;
    if (cg_writef(dir, period_file, period_what, &perr, "%" PRIu64, period) < 0) {
      if (perr->status != EINVAL || !has_time) {
        ocirun_error_move(err, &perr);
        return -1;
      }
      ocirun_error_free(&perr);
      period_pending = true;
    }
  }
  if (has_time) {
    if (cg_writef(dir, time_file, time_what, err, "%" PRId64, time) < 0)
      return -1;
    if (period_pending && cg_writef(dir, period_file, period_what, err, "%" PRIu64, period) < 0)
      return -1;
  }
  return 0;
}

static int set_cpu(struct cgroup *cg, const struct spec_cpu *c, ocirun_error_t **err) {
  const char *dir;
  bool any = (c->has_shares && c->shares) || (c->has_quota && c->quota) ||
             (c->has_period && c->period) || c->has_burst || c->has_idle ||
             (c->has_realtime_period && c->realtime_period) ||
             (c->has_realtime_runtime && c->realtime_runtime);
  if (!c->present || !any)
    return 0;
  if ((dir = need(cg, "cpu", R "cpu", err)) == NULL)
    return -1;
  if (c->has_shares && c->shares != 0) {
    uint64_t got = 0;
    if (cg_writef(dir, "cpu.shares", R "cpu.shares", err, "%" PRIu64, c->shares) < 0)
      return -1;
    /* The kernel clamps out-of-range shares silently: report it. */
    if (cg_read_u64(dir, "cpu.shares", &got, err) < 0)
      return -1;
    if (got != c->shares)
      return ocirun_error_set(err, 0, R "cpu.shares: the %s allowed cpu-shares is %" PRIu64,
                              c->shares > got ? "maximum" : "minimum", got);
  }
  if (write_period_pair(dir, "cpu.cfs_period_us", R "cpu.period", c->has_period && c->period != 0,
                        c->period, "cpu.cfs_quota_us", R "cpu.quota", c->has_quota && c->quota != 0,
                        c->quota, err) < 0)
    return -1;
  if (c->has_burst &&
      cg_writef(dir, "cpu.cfs_burst_us", R "cpu.burst", err, "%" PRIu64, c->burst) < 0)
    return -1;
  if (c->has_idle && cg_writef(dir, "cpu.idle", R "cpu.idle", err, "%" PRId64, c->idle) < 0)
    return -1;
  return write_period_pair(dir, "cpu.rt_period_us", R "cpu.realtimePeriod",
                           c->has_realtime_period && c->realtime_period != 0, c->realtime_period,
                           "cpu.rt_runtime_us", R "cpu.realtimeRuntime",
                           c->has_realtime_runtime && c->realtime_runtime != 0, c->realtime_runtime,
                           err);
}

static int set_pids(struct cgroup *cg, const struct spec_resources *res, ocirun_error_t **err) {
  const char *dir;
  if (!res->has_pids_limit)
    return 0;
  if ((dir = need(cg, "pids", R "pids.limit", err)) == NULL)
    return -1;
  if (res->pids_limit < 0)
    return cg_write(dir, "pids.max", "max", R "pids.limit", err);
  /* 0 is 1, as current runc on every driver (systemd cannot say 0 tasks). */
  return cg_writef(dir, "pids.max", R "pids.limit", err, "%" PRId64,
                   res->pids_limit == 0 ? 1 : res->pids_limit);
}

static int write_throttle(const char *dir, const char *file, const struct spec_throttle_list *l,
                          const char *what, ocirun_error_t **err) {
  for (size_t i = 0; i < l->len; i++)
    if (cg_writef(dir, file, what, err, "%" PRId64 ":%" PRId64 " %" PRIu64, l->items[i].major,
                  l->items[i].minor, l->items[i].rate) < 0)
      return -1;
  return 0;
}

static int set_blkio(struct cgroup *cg, const struct spec_block_io *b, ocirun_error_t **err) {
  const char *dir;
  bool bfq;
  if (!b->present)
    return 0;
  bool any = (b->has_weight && b->weight) || (b->has_leaf_weight && b->leaf_weight) ||
             b->weight_device_len || b->throttle_read_bps.len || b->throttle_write_bps.len ||
             b->throttle_read_iops.len || b->throttle_write_iops.len;
  if (!any)
    return 0;
  if ((dir = need(cg, "blkio", R "blockIO", err)) == NULL)
    return -1;
  /* With the BFQ scheduler the weight files carry a "bfq." prefix. */
  bfq = !cg_exists(dir, "blkio.weight") && cg_exists(dir, "blkio.bfq.weight");
  if (b->has_weight && b->weight != 0 &&
      cg_writef(dir, bfq ? "blkio.bfq.weight" : "blkio.weight", R "blockIO.weight", err, "%u",
                b->weight) < 0)
    return -1;
  if (b->has_leaf_weight && b->leaf_weight != 0 &&
      cg_writef(dir, "blkio.leaf_weight", R "blockIO.leafWeight", err, "%u", b->leaf_weight) < 0)
    return -1;
  for (size_t i = 0; i < b->weight_device_len; i++) {
    const struct spec_weight_device *w = &b->weight_device[i];
    if (w->has_weight && w->weight != 0 &&
        cg_writef(dir, bfq ? "blkio.bfq.weight_device" : "blkio.weight_device",
                  R "blockIO.weightDevice", err, "%" PRId64 ":%" PRId64 " %u", w->major, w->minor,
                  w->weight) < 0)
      return -1;
    if (w->has_leaf_weight && w->leaf_weight != 0 &&
        cg_writef(dir, "blkio.leaf_weight_device", R "blockIO.weightDevice", err,
                  "%" PRId64 ":%" PRId64 " %u", w->major, w->minor, w->leaf_weight) < 0)
      return -1;
  }
  if (write_throttle(dir, "blkio.throttle.read_bps_device", &b->throttle_read_bps,
                     R "blockIO.throttleReadBpsDevice", err) < 0 ||
      write_throttle(dir, "blkio.throttle.write_bps_device", &b->throttle_write_bps,
                     R "blockIO.throttleWriteBpsDevice", err) < 0 ||
      write_throttle(dir, "blkio.throttle.read_iops_device", &b->throttle_read_iops,
                     R "blockIO.throttleReadIOPSDevice", err) < 0 ||
      write_throttle(dir, "blkio.throttle.write_iops_device", &b->throttle_write_iops,
                     R "blockIO.throttleWriteIOPSDevice", err) < 0)
    return -1;
  return 0;
}

/* Hybrid: a controller missing from v1 but enabled on the cgroup2 mount.  The
 * controller must be enabled in every ancestor's cgroup.subtree_control. */
static const char *unified_with(struct cgroup *cg, const char *controller, ocirun_error_t **err) {
  _cleanup_free_ char *ctrls = NULL, *want = NULL;
  if (cg->unified_path == NULL ||
      cg_read(cg->unified_mount, "cgroup.controllers", &ctrls, NULL) < 0)
    return NULL;
  size_t cl = strlen(controller);
  bool found = false;
  for (char *p = ctrls; (p = strstr(p, controller)) != NULL; p += cl)
    if ((p == ctrls || p[-1] == ' ') && (p[cl] == ' ' || p[cl] == '\n' || p[cl] == '\0'))
      found = true;
  if (!found)
    return NULL;
  if (asprintf(&want, "+%s", controller) < 0)
    return NULL;
  /* Enable from the root down to the container's parent. */
  _cleanup_free_ char *cur = strdup(cg->unified_path);
  if (cur == NULL)
    return NULL;
  size_t ml = strlen(cg->unified_mount);
  for (char *p = cur + ml;;) {
    char saved = *p;
    *p = '\0';
    const char *dir = cur[0] ? cur : "/";
    if (cg_write(dir, "cgroup.subtree_control", want, NULL, err) < 0)
      return NULL;
    *p = saved;
    if (saved == '\0')
      break;
    p = strchr(p + 1, '/');
    if (p == NULL)
      break;
  }
  return cg->unified_path;
}

static int set_hugetlb(struct cgroup *cg, const struct spec_resources *res, ocirun_error_t **err) {
  const char *dir;
  bool v2 = false;
  if (res->hugepage_limits_len == 0)
    return 0;
  if ((dir = cgroup_v1_find(cg, "hugetlb") ? cgroup_v1_find(cg, "hugetlb")->path : NULL) == NULL) {
    ocirun_error_t *uerr = NULL;
    dir = unified_with(cg, "hugetlb", &uerr);
    if (dir == NULL) {
      if (uerr) {
        ocirun_error_move(err, &uerr);
        return ocirun_error_prefix(err, R "hugepageLimits");
      }
      return ocirun_error_set(err, ENOENT,
                              R "hugepageLimits: the hugetlb cgroup controller is not mounted");
    }
    v2 = true;
  }
  for (size_t i = 0; i < res->hugepage_limits_len; i++) {
    const struct spec_hugepage_limit *l = &res->hugepage_limits[i];
    _cleanup_free_ char *file = NULL;
    if (asprintf(&file, v2 ? "hugetlb.%s.max" : "hugetlb.%s.limit_in_bytes", l->page_size) < 0)
      return ocirun_error_set(err, ENOMEM, R "hugepageLimits");
    if (cg_writef(dir, file, R "hugepageLimits", err, "%" PRIu64, l->limit) < 0)
      return -1;
  }
  return 0;
}

static int set_network(struct cgroup *cg, const struct spec_network_resources *n,
                       ocirun_error_t **err) {
  const char *dir;
  if (!n->present)
    return 0;
  if (n->has_class_id) {
    if ((dir = need(cg, "net_cls", R "network.classID", err)) == NULL)
      return -1;
    if (cg_writef(dir, "net_cls.classid", R "network.classID", err, "%u", n->class_id) < 0)
      return -1;
  }
  if (n->priorities_len) {
    if ((dir = need(cg, "net_prio", R "network.priorities", err)) == NULL)
      return -1;
    for (size_t i = 0; i < n->priorities_len; i++)
      if (cg_writef(dir, "net_prio.ifpriomap", R "network.priorities", err, "%s %u",
                    n->priorities[i].name, n->priorities[i].priority) < 0)
        return -1;
  }
  return 0;
}

static int set_rdma(struct cgroup *cg, const struct spec_resources *res, ocirun_error_t **err) {
  const char *dir;
  if (res->rdma_len == 0)
    return 0;
  if ((dir = need(cg, "rdma", R "rdma", err)) == NULL)
    return -1;
  for (size_t i = 0; i < res->rdma_len; i++) {
    char line[512];
    if (cgroup_rdma_line(&res->rdma[i], line, sizeof(line)) < 0)
      continue;
    if (cg_write(dir, "rdma.max", line, R "rdma", err) < 0)
      return -1;
  }
  return 0;
}

static int set_unified(struct cgroup *cg, const struct spec_kv_list *u, ocirun_error_t **err) {
  if (u->len == 0)
    return 0;
  /* Only keys whose controller lives on the cgroup2 mount of a hybrid host. */
  for (size_t i = 0; i < u->len; i++) {
    const char *key = u->items[i].key;
    _cleanup_free_ char *ctrl = strndup(key, strcspn(key, "."));
    const char *dir = NULL;
    if (ctrl == NULL)
      return ocirun_error_set(err, ENOMEM, R "unified");
    if (strchr(key, '/'))
      return ocirun_error_set(err, EINVAL, R "unified: %s: invalid key", key);
    if (strcmp(ctrl, "cgroup") == 0)
      dir = cg->unified_path;
    else {
      ocirun_error_t *uerr = NULL;
      dir = unified_with(cg, ctrl, &uerr);
      ocirun_error_free(&uerr);
    }
    if (dir == NULL)
      return ocirun_error_set(err, 0,
                              "invalid configuration: " R "unified: %s: cgroup v2 key on a "
                              "cgroup v1 host (the %s controller is "
                              "not on the cgroup2 mount)",
                              key, ctrl);
    if (cg_write(dir, key, u->items[i].value, R "unified", err) < 0)
      return -1;
  }
  return 0;
}

int cgroup_v1_set_resources(struct cgroup *cg, const struct spec_resources *res,
                            ocirun_error_t **err) {
  if (set_cpuset(cg, &res->cpu, err) < 0 || set_devices(cg, res, err) < 0 ||
      set_memory(cg, &res->memory, err) < 0 || set_cpu(cg, &res->cpu, err) < 0 ||
      set_pids(cg, res, err) < 0 || set_blkio(cg, &res->block_io, err) < 0 ||
      set_hugetlb(cg, res, err) < 0 || set_network(cg, &res->network, err) < 0 ||
      set_rdma(cg, res, err) < 0 || set_unified(cg, &res->unified, err) < 0)
    return -1;
  return 0;
}
