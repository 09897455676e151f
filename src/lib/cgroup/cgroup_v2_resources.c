/* linux.resources on one cgroup v2 directory, in runc's order (pids, memory,
 * io, cpu, cpuset, hugetlb, rdma, unified), with the v1 -> v2 conversions of
 * cgroup_convert.c.  Device rules are cgroup_devices_bpf.c. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup/cgroup_convert.h"
#include "cgroup/cgroup_internal.h"
#include "util/cleanup.h"
#include "util/log.h"

#define R ".linux.resources."

int cgroup_rdma_line(const struct spec_rdma_limit *l, char *buf, size_t len) {
  int n;
  if (!l->has_hca_handles && !l->has_hca_objects)
    return -1;
  n = snprintf(buf, len, "%s", l->device);
  if (l->has_hca_handles)
    n += snprintf(buf + n, len - (size_t)n, " hca_handle=%u", l->hca_handles);
  if (l->has_hca_objects)
    snprintf(buf + n, len - (size_t)n, " hca_object=%u", l->hca_objects);
  return 0;
}

static int set_pids(const char *dir, const struct spec_resources *res, ocirun_error_t **err) {
  char buf[24];
  if (!res->has_pids_limit)
    return 0;
  /* A limit of 0 given explicitly becomes 1, as in current runc: systemd cannot express
   * TasksMax=0, and both drivers must agree (1.1.5 ignored it). */
  if (res->pids_limit == 0)
    strcpy(buf, "1");
  else
    cgroup_convert_num(res->pids_limit, buf);
  return cg_write(dir, "pids.max", buf, R "pids.limit", err);
}

int cgroup_v2_check_memory(const char *dir, const struct spec_memory *m, ocirun_error_t **err) {
  uint64_t usage, swap_usage;
  ocirun_error_t *uerr = NULL;
  int64_t limit = m->has_limit ? m->limit : 0, swap = m->has_swap ? m->swap : 0;

  if (!m->present || !m->has_check_before_update || !m->check_before_update ||
      (limit <= 0 && swap <= 0))
    return 0;
  /* runc's rule: a usage that cannot be read checks nothing */
  if (cg_read_u64(dir, "memory.current", &usage, &uerr) < 0) {
    ocirun_error_free(&uerr);
    return 0;
  }
  if (swap > 0) {
    if (cg_read_u64(dir, "memory.swap.current", &swap_usage, &uerr) < 0) {
      ocirun_error_free(&uerr);
      return 0;
    }
    if (usage + swap_usage >= (uint64_t)swap)
      return ocirun_error_set(
          err, 0, "rejecting memory+swap limit %" PRId64 " below current usage %" PRIu64, swap,
          usage + swap_usage);
  }
  if (limit > 0 && usage >= (uint64_t)limit)
    return ocirun_error_set(
        err, 0, "rejecting memory limit %" PRId64 " below current usage %" PRIu64, limit, usage);
  return 0;
}

static int set_memory(const char *dir, const struct spec_memory *m, ocirun_error_t **err) {
  int64_t limit = m->has_limit ? m->limit : 0, swap = m->has_swap ? m->swap : 0, v2swap;
  char buf[24];

  if (!m->present)
    return 0;
  if (m->has_kernel && m->kernel != 0)
    log_warn("kernel memory settings are ignored (" R "memory.kernel)");
  if (m->has_kernel_tcp && m->kernel_tcp != 0)
    log_warn("kernel memory settings are ignored (" R "memory.kernelTCP)");
  if (m->has_swappiness && (int64_t)m->swappiness != -1)
    log_warn(R "memory.swappiness is not supported on cgroup v2, ignored");
  if (m->has_disable_oom_killer && m->disable_oom_killer)
    log_warn(R "memory.disableOOMKiller is not supported on cgroup v2, ignored");
  if (limit == 0 && swap == 0 && !(m->has_reservation && m->reservation))
    return 0;
  if (cgroup_v2_check_memory(dir, m, err) < 0)
    return -1;
  if (cgroup_convert_swap_v2(swap, limit, &v2swap, err) < 0)
    return ocirun_error_prefix(err, R "memory.swap");
  cgroup_convert_num(v2swap, buf);
  if (buf[0] == '\0' && v2swap == 0 && swap > 0)
    strcpy(buf, "0"); /* swap == limit: no swap at all */
  if (buf[0]) {
    ocirun_error_t *serr = NULL;
    if (cg_write(dir, "memory.swap.max", buf, R "memory.swap", &serr) < 0) {
      /* Without swap accounting there is nothing to limit or disable. */
      if (!(serr->status == ENOENT && (strcmp(buf, "max") == 0 || strcmp(buf, "0") == 0))) {
        ocirun_error_move(err, &serr);
        return -1;
      }
      ocirun_error_free(&serr);
    }
  }
  if (cgroup_convert_num(limit, buf)[0] &&
      cg_write(dir, "memory.max", buf, R "memory.limit", err) < 0)
    return -1;
  if (m->has_reservation && cgroup_convert_num(m->reservation, buf)[0] &&
      cg_write(dir, "memory.low", buf, R "memory.reservation", err) < 0)
    return -1;
  return 0;
}

static int write_io_max(const char *dir, const struct spec_throttle_list *l, const char *key,
                        const char *what, ocirun_error_t **err) {
  for (size_t i = 0; i < l->len; i++) {
    const struct spec_throttle_device *t = &l->items[i];
    /* rate 0 removes the limit */
    if (t->rate == 0) {
      if (cg_writef(dir, "io.max", what, err, "%" PRId64 ":%" PRId64 " %s=max", t->major, t->minor,
                    key) < 0)
        return -1;
    } else if (cg_writef(dir, "io.max", what, err, "%" PRId64 ":%" PRId64 " %s=%" PRIu64, t->major,
                         t->minor, key, t->rate) < 0)
      return -1;
  }
  return 0;
}

static int set_io(const char *dir, const struct spec_block_io *b, ocirun_error_t **err) {
  bool bfq;
  if (!b->present)
    return 0;
  bfq = cg_exists(dir, "io.bfq.weight");
  if (b->has_weight && b->weight != 0) {
    /* BFQ takes the v1 range as is; io.weight needs the conversion. */
    if (bfq) {
      if (cg_writef(dir, "io.bfq.weight", R "blockIO.weight", err, "%u", b->weight) < 0)
        return -1;
    } else if (cg_writef(dir, "io.weight", R "blockIO.weight", err, "%" PRIu64,
                         cgroup_convert_blkio_to_io_weight(b->weight)) < 0)
      return -1;
  }
  if (b->has_leaf_weight && b->leaf_weight != 0)
    log_warn(R "blockIO.leafWeight is not supported on cgroup v2, ignored");
  for (size_t i = 0; i < b->weight_device_len; i++) {
    const struct spec_weight_device *w = &b->weight_device[i];
    if (!w->has_weight || w->weight == 0)
      continue;
    if (!bfq)
      return ocirun_error_set(
          err, ENOENT, R "blockIO.weightDevice: needs the BFQ I/O scheduler (no %s/io.bfq.weight)",
          dir);
    if (cg_writef(dir, "io.bfq.weight", R "blockIO.weightDevice", err, "%" PRId64 ":%" PRId64 " %u",
                  w->major, w->minor, w->weight) < 0)
      return -1;
  }
  if (write_io_max(dir, &b->throttle_read_bps, "rbps", R "blockIO.throttleReadBpsDevice", err) <
          0 ||
      write_io_max(dir, &b->throttle_write_bps, "wbps", R "blockIO.throttleWriteBpsDevice", err) <
          0 ||
      write_io_max(dir, &b->throttle_read_iops, "riops", R "blockIO.throttleReadIOPSDevice", err) <
          0 ||
      write_io_max(dir, &b->throttle_write_iops, "wiops", R "blockIO.throttleWriteIOPSDevice",
                   err) < 0)
    return -1;
  return 0;
}

static int set_cpu(const char *dir, const struct spec_cpu *c, ocirun_error_t **err) {
  char buf[48];
  if (!c->present)
    return 0;
  if ((c->has_realtime_period && c->realtime_period) ||
      (c->has_realtime_runtime && c->realtime_runtime))
    return ocirun_error_set(err, 0, R "cpu.realtimeRuntime: cgroup v2 does not support CPU rt");
  if (c->has_idle && cg_writef(dir, "cpu.idle", R "cpu.idle", err, "%" PRId64, c->idle) < 0)
    return -1;
  if (c->has_shares && c->shares != 0 &&
      cg_writef(dir, "cpu.weight", R "cpu.shares", err, "%" PRIu64,
                cgroup_convert_shares_to_weight(c->shares)) < 0)
    return -1;
  if (cgroup_convert_cpu_max(c->has_quota ? c->quota : 0, c->has_period ? c->period : 0, buf) &&
      cg_write(dir, "cpu.max", buf, R "cpu.quota", err) < 0)
    return -1;
  if (c->has_burst && cg_writef(dir, "cpu.max.burst", R "cpu.burst", err, "%" PRIu64, c->burst) < 0)
    return -1;
  return 0;
}

static int set_cpuset(const char *dir, const struct spec_cpu *c, ocirun_error_t **err) {
  if (c->cpus && c->cpus[0] && cg_write(dir, "cpuset.cpus", c->cpus, R "cpu.cpus", err) < 0)
    return -1;
  if (c->mems && c->mems[0] && cg_write(dir, "cpuset.mems", c->mems, R "cpu.mems", err) < 0)
    return -1;
  return 0;
}

static int set_hugetlb(const char *dir, const struct spec_resources *res, ocirun_error_t **err) {
  for (size_t i = 0; i < res->hugepage_limits_len; i++) {
    const struct spec_hugepage_limit *l = &res->hugepage_limits[i];
    _cleanup_free_ char *file = NULL, *rsvd = NULL;
    if (asprintf(&file, "hugetlb.%s.max", l->page_size) < 0 ||
        asprintf(&rsvd, "hugetlb.%s.rsvd.max", l->page_size) < 0)
      return ocirun_error_set(err, ENOMEM, R "hugepageLimits");
    if (cg_writef(dir, file, R "hugepageLimits", err, "%" PRIu64, l->limit) < 0)
      return -1;
    /* Kernels since 5.7 also count reservations (mmap without touching): the same limit
     * there, or a process could reserve past it and fault later. */
    if (cg_exists(dir, rsvd) &&
        cg_writef(dir, rsvd, R "hugepageLimits", err, "%" PRIu64, l->limit) < 0)
      return -1;
  }
  return 0;
}

static int set_rdma(const char *dir, const struct spec_resources *res, ocirun_error_t **err) {
  for (size_t i = 0; i < res->rdma_len; i++) {
    char line[512];
    if (cgroup_rdma_line(&res->rdma[i], line, sizeof(line)) < 0)
      continue;
    if (cg_write(dir, "rdma.max", line, R "rdma", err) < 0)
      return -1;
  }
  return 0;
}

static int set_network(const struct spec_network_resources *n, ocirun_error_t **err) {
  if (n->present && n->has_class_id)
    return ocirun_error_set(
        err, ENOENT, R "network.classID: the net_cls controller does not exist on cgroup v2");
  if (n->present && n->priorities_len)
    return ocirun_error_set(
        err, ENOENT, R "network.priorities: the net_prio controller does not exist on cgroup v2");
  return 0;
}

/* A unified value of several lines ("8:0 riops=1\n8:16 riops=2" for io.max): the kernel takes
 * one line per write, so each is written on its own, as runc does. */
static int write_lines(const char *dir, const char *key, const char *value, ocirun_error_t **err) {
  const char *nl = strchr(value, '\n');
  if (nl == NULL || nl[strspn(nl, "\n")] == '\0')
    return cg_write(dir, key, value, R "unified", err);
  for (const char *p = value; *p;) {
    size_t n = strcspn(p, "\n");
    if (n > 0) {
      _cleanup_free_ char *line = strndup(p, n);
      if (line == NULL)
        return ocirun_error_set(err, ENOMEM, R "unified: %s", key);
      if (cg_write(dir, key, line, R "unified", err) < 0)
        return -1;
    }
    p += n;
    p += *p == '\n';
  }
  return 0;
}

static int set_unified(const char *dir, const struct spec_kv_list *u, ocirun_error_t **err) {
  for (size_t i = 0; i < u->len; i++) {
    const char *key = u->items[i].key;
    if (strchr(key, '/') || key[0] == '.' || key[0] == '\0')
      return ocirun_error_set(err, EINVAL, R "unified: %s: invalid key", key);
    if (!cg_exists(dir, key)) {
      _cleanup_free_ char *ctrl = strndup(key, strcspn(key, "."));
      return ocirun_error_set(
          err, ENOENT, R "unified: %s: no such file in %s (cgroup controller %s not available)",
          key, dir, ctrl ? ctrl : key);
    }
    if (write_lines(dir, key, u->items[i].value, err) < 0)
      return -1;
  }
  return 0;
}

int cgroup_v2_set_resources_at(const char *dir, const struct spec_resources *res,
                               ocirun_error_t **err) {
  if (set_network(&res->network, err) < 0 || set_pids(dir, res, err) < 0 ||
      set_memory(dir, &res->memory, err) < 0 || set_io(dir, &res->block_io, err) < 0 ||
      set_cpu(dir, &res->cpu, err) < 0 || set_cpuset(dir, &res->cpu, err) < 0 ||
      set_hugetlb(dir, res, err) < 0 || set_rdma(dir, res, err) < 0 ||
      set_unified(dir, &res->unified, err) < 0)
    return -1;
  return 0;
}
