/* Stats for `events`: read from the v1 controllers or the v2 directory and
 * printed in runc's JSON shape (field names, omitted zero fields). */
#include "cgroup/cgroup_stats.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup_internal.h"
#include "util/cleanup.h"

int cgroup_stats_add_u64(uint64_t **v, size_t *n, uint64_t value) {
  uint64_t *nv = realloc(*v, (*n + 1) * sizeof(**v));
  if (nv == NULL)
    return -1;
  nv[(*n)++] = value;
  *v = nv;
  return 0;
}

int cgroup_stats_add_kv(struct cgroup_kv **v, size_t *n, const char *key, uint64_t value) {
  struct cgroup_kv *nv = realloc(*v, (*n + 1) * sizeof(**v));
  if (nv == NULL)
    return -1;
  *v = nv;
  nv[*n].key = strdup(key);
  nv[*n].value = value;
  if (nv[*n].key == NULL)
    return -1;
  (*n)++;
  return 0;
}

int cgroup_stats_add_blkio(struct cgroup_blkio_entry **v, size_t *n, uint64_t major, uint64_t minor,
                           const char *op, uint64_t value) {
  struct cgroup_blkio_entry *nv = realloc(*v, (*n + 1) * sizeof(**v));
  if (nv == NULL)
    return -1;
  *v = nv;
  nv[*n].major = major;
  nv[*n].minor = minor;
  snprintf(nv[*n].op, sizeof(nv[*n].op), "%s", op);
  nv[*n].value = value;
  (*n)++;
  return 0;
}

void cgroup_stats_clear(struct cgroup_stats *st) {
  free(st->percpu);
  free(st->percpu_kernel);
  free(st->percpu_user);
  free(st->cpuset_cpus);
  free(st->cpuset_mems);
  for (size_t i = 0; i < st->nmem_raw; i++)
    free(st->mem_raw[i].key);
  free(st->mem_raw);
  free(st->io_bytes);
  free(st->io_serviced);
  free(st->hugetlb);
  memset(st, 0, sizeof(*st));
}

/* Quiet readers: a missing file leaves the field zero. */
static uint64_t rd(const char *dir, const char *file) {
  uint64_t v = 0;
  if (dir == NULL || cg_read_u64(dir, file, &v, NULL) < 0)
    return 0;
  return v;
}

static char *rds(const char *dir, const char *file) {
  char *s = NULL;
  if (dir == NULL || cg_read(dir, file, &s, NULL) < 0)
    return NULL;
  return s;
}

static uint64_t keyed(const char *dir, const char *file, const char *key) {
  uint64_t v = 0;
  if (dir == NULL || cg_read_keyed(dir, file, key, &v, NULL) != 0)
    return 0;
  return v;
}

static void parse_list(const char *s, uint64_t **v, size_t *n) {
  /* "0-3,5" */
  while (s && *s && *s != '\n') {
    char *end;
    unsigned long a = strtoul(s, &end, 10), b = a;
    if (end == s)
      break;
    if (*end == '-')
      b = strtoul(end + 1, &end, 10);
    for (unsigned long i = a; i <= b && i < 65536; i++)
      cgroup_stats_add_u64(v, n, i);
    s = *end == ',' ? end + 1 : end;
  }
}

static void parse_u64s(const char *s, uint64_t **v, size_t *n) {
  while (s && *s) {
    char *end;
    uint64_t x = strtoull(s, &end, 10);
    if (end == s)
      break;
    cgroup_stats_add_u64(v, n, x);
    s = end;
  }
}

static void read_raw(const char *dir, const char *file, struct cgroup_stats *st) {
  _cleanup_free_ char *s = rds(dir, file);
  for (char *line = s, *nl; line && *line; line = nl ? nl + 1 : NULL) {
    char key[128];
    unsigned long long v;
    nl = strchr(line, '\n');
    if (sscanf(line, "%127s %llu", key, &v) == 2)
      cgroup_stats_add_kv(&st->mem_raw, &st->nmem_raw, key, v);
  }
}

static uint64_t raw(const struct cgroup_stats *st, const char *key) {
  for (size_t i = 0; i < st->nmem_raw; i++)
    if (strcmp(st->mem_raw[i].key, key) == 0)
      return st->mem_raw[i].value;
  return 0;
}

static void mem_entry_v1(const char *dir, const char *prefix, struct cgroup_mem_entry *e) {
  char f[96];
  snprintf(f, sizeof(f), "%s.usage_in_bytes", prefix);
  e->usage = rd(dir, f);
  snprintf(f, sizeof(f), "%s.max_usage_in_bytes", prefix);
  e->max = rd(dir, f);
  snprintf(f, sizeof(f), "%s.failcnt", prefix);
  e->failcnt = rd(dir, f);
  snprintf(f, sizeof(f), "%s.limit_in_bytes", prefix);
  e->limit = rd(dir, f);
}

static void blkio_v1(const char *dir, const char *file, struct cgroup_blkio_entry **v, size_t *n) {
  _cleanup_free_ char *s = rds(dir, file);
  for (char *line = s, *nl; line && *line; line = nl ? nl + 1 : NULL) {
    unsigned long long maj, min, val;
    char op[16];
    nl = strchr(line, '\n');
    if (sscanf(line, "%llu:%llu %15s %llu", &maj, &min, op, &val) == 4)
      cgroup_stats_add_blkio(v, n, maj, min, op, val);
  }
}

static void cpuset_v1(const char *dir, struct cgroup_stats *st) {
  _cleanup_free_ char *cpus = rds(dir, "cpuset.cpus"), *mems = rds(dir, "cpuset.mems");
  _cleanup_free_ char *rdl = rds(dir, "cpuset.sched_relax_domain_level");
  st->has_cpuset = true;
  parse_list(cpus, &st->cpuset_cpus, &st->ncpuset_cpus);
  parse_list(mems, &st->cpuset_mems, &st->ncpuset_mems);
  st->cpu_exclusive = rd(dir, "cpuset.cpu_exclusive");
  st->mem_hardwall = rd(dir, "cpuset.mem_hardwall");
  st->mem_exclusive = rd(dir, "cpuset.mem_exclusive");
  st->memory_migrate = rd(dir, "cpuset.memory_migrate");
  st->memory_spread_page = rd(dir, "cpuset.memory_spread_page");
  st->memory_spread_slab = rd(dir, "cpuset.memory_spread_slab");
  st->memory_pressure = rd(dir, "cpuset.memory_pressure");
  st->sched_load_balance = rd(dir, "cpuset.sched_load_balance");
  st->sched_relax_domain_level = rdl ? strtoll(rdl, NULL, 10) : 0;
}

int cgroup_v1_stats(struct cgroup *cg, struct cgroup_stats *st, ocirun_error_t **err) {
  struct cgroup_hier *h;
  (void)err;
  if ((h = cgroup_v1_find(cg, "cpu")) != NULL) {
    st->throttle_periods = keyed(h->path, "cpu.stat", "nr_periods");
    st->throttled_periods = keyed(h->path, "cpu.stat", "nr_throttled");
    st->throttled_time = keyed(h->path, "cpu.stat", "throttled_time");
  }
  if ((h = cgroup_v1_find(cg, "cpuacct")) != NULL) {
    long tck = sysconf(_SC_CLK_TCK);
    _cleanup_free_ char *pc = rds(h->path, "cpuacct.usage_percpu");
    _cleanup_free_ char *all = rds(h->path, "cpuacct.usage_all");
    st->cpu_total = rd(h->path, "cpuacct.usage");
    if (tck > 0) {
      st->cpu_kernel = keyed(h->path, "cpuacct.stat", "system") * (1000000000ULL / (uint64_t)tck);
      st->cpu_user = keyed(h->path, "cpuacct.stat", "user") * (1000000000ULL / (uint64_t)tck);
    }
    parse_u64s(pc, &st->percpu, &st->npercpu);
    /* "cpu user system" lines after a header */
    for (char *line = all ? strchr(all, '\n') : NULL; line && line[1];) {
      unsigned long long c, u, s;
      line++;
      if (sscanf(line, "%llu %llu %llu", &c, &u, &s) == 3) {
        cgroup_stats_add_u64(&st->percpu_user, &st->npercpu_user, u);
        cgroup_stats_add_u64(&st->percpu_kernel, &st->npercpu_kernel, s);
      }
      line = strchr(line, '\n');
    }
  }
  if ((h = cgroup_v1_find(cg, "cpuset")) != NULL)
    cpuset_v1(h->path, st);
  if ((h = cgroup_v1_find(cg, "memory")) != NULL) {
    read_raw(h->path, "memory.stat", st);
    st->mem_cache = raw(st, "cache");
    mem_entry_v1(h->path, "memory", &st->mem_usage);
    mem_entry_v1(h->path, "memory.memsw", &st->mem_swap);
    mem_entry_v1(h->path, "memory.kmem", &st->mem_kernel);
    mem_entry_v1(h->path, "memory.kmem.tcp", &st->mem_kernel_tcp);
  }
  if ((h = cgroup_v1_find(cg, "pids")) != NULL) {
    st->pids_current = rd(h->path, "pids.current");
    st->pids_limit = rd(h->path, "pids.max");
    if (st->pids_limit == UINT64_MAX)
      st->pids_limit = 0;
  }
  if ((h = cgroup_v1_find(cg, "blkio")) != NULL) {
    const char *bytes = cg_exists(h->path, "blkio.io_service_bytes_recursive")
                            ? "blkio.io_service_bytes_recursive"
                            : "blkio.throttle.io_service_bytes_recursive";
    const char *ios = cg_exists(h->path, "blkio.io_serviced_recursive")
                          ? "blkio.io_serviced_recursive"
                          : "blkio.throttle.io_serviced_recursive";
    blkio_v1(h->path, bytes, &st->io_bytes, &st->nio_bytes);
    blkio_v1(h->path, ios, &st->io_serviced, &st->nio_serviced);
  }
  return 0;
}

int cgroup_v2_stats_at(const char *dir, struct cgroup_stats *st, ocirun_error_t **err) {
  (void)err;
  st->cpu_total = keyed(dir, "cpu.stat", "usage_usec") * 1000;
  st->cpu_user = keyed(dir, "cpu.stat", "user_usec") * 1000;
  st->cpu_kernel = keyed(dir, "cpu.stat", "system_usec") * 1000;
  st->throttle_periods = keyed(dir, "cpu.stat", "nr_periods");
  st->throttled_periods = keyed(dir, "cpu.stat", "nr_throttled");
  st->throttled_time = keyed(dir, "cpu.stat", "throttled_usec") * 1000;
  if (cg_exists(dir, "cpuset.cpus.effective")) {
    _cleanup_free_ char *cpus = rds(dir, "cpuset.cpus.effective");
    _cleanup_free_ char *mems = rds(dir, "cpuset.mems.effective");
    st->has_cpuset = true;
    parse_list(cpus, &st->cpuset_cpus, &st->ncpuset_cpus);
    parse_list(mems, &st->cpuset_mems, &st->ncpuset_mems);
  }
  if (cg_exists(dir, "memory.current")) {
    read_raw(dir, "memory.stat", st);
    st->mem_cache = raw(st, "file");
    st->mem_usage.usage = rd(dir, "memory.current");
    st->mem_usage.max = rd(dir, "memory.peak");
    st->mem_usage.limit = rd(dir, "memory.max");
    st->mem_usage.failcnt = keyed(dir, "memory.events", "max");
    /* v1's memsw counts memory plus swap; keep that meaning. */
    st->mem_swap.usage = rd(dir, "memory.swap.current") + st->mem_usage.usage;
    st->mem_swap.limit = rd(dir, "memory.swap.max");
    if (st->mem_swap.limit != UINT64_MAX && st->mem_usage.limit != UINT64_MAX)
      st->mem_swap.limit += st->mem_usage.limit;
    else
      st->mem_swap.limit = UINT64_MAX;
  }
  st->pids_current = rd(dir, "pids.current");
  st->pids_limit = rd(dir, "pids.max");
  if (st->pids_limit == UINT64_MAX)
    st->pids_limit = 0;
  {
    _cleanup_free_ char *s = rds(dir, "io.stat");
    for (char *line = s, *nl; line && *line; line = nl ? nl + 1 : NULL) {
      unsigned long long maj, min;
      int off = 0;
      nl = strchr(line, '\n');
      if (nl)
        *nl = '\0';
      if (sscanf(line, "%llu:%llu %n", &maj, &min, &off) < 2)
        continue;
      for (char *kv = strtok(line + off, " "); kv; kv = strtok(NULL, " ")) {
        unsigned long long v = strtoull(strchr(kv, '=') ? strchr(kv, '=') + 1 : "0", NULL, 10);
        if (strncmp(kv, "rbytes=", 7) == 0)
          cgroup_stats_add_blkio(&st->io_bytes, &st->nio_bytes, maj, min, "Read", v);
        else if (strncmp(kv, "wbytes=", 7) == 0)
          cgroup_stats_add_blkio(&st->io_bytes, &st->nio_bytes, maj, min, "Write", v);
        else if (strncmp(kv, "rios=", 5) == 0)
          cgroup_stats_add_blkio(&st->io_serviced, &st->nio_serviced, maj, min, "Read", v);
        else if (strncmp(kv, "wios=", 5) == 0)
          cgroup_stats_add_blkio(&st->io_serviced, &st->nio_serviced, maj, min, "Write", v);
      }
    }
  }
  return 0;
}

/* ---- JSON ---- */

static void set_u64(json_t *o, const char *k, uint64_t v, bool omitempty) {
  if (omitempty && v == 0)
    return;
  /* Go prints uint64 in full; jansson integers are signed 64-bit. */
  json_object_set_new(o, k, json_integer((json_int_t)(v > INT64_MAX ? INT64_MAX : v)));
}

static json_t *u64_array(const uint64_t *v, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(a, json_integer((json_int_t)v[i]));
  return a;
}

static json_t *mem_entry(const struct cgroup_mem_entry *e) {
  json_t *o = json_object();
  set_u64(o, "limit", e->limit, false);
  set_u64(o, "usage", e->usage, true);
  set_u64(o, "max", e->max, true);
  set_u64(o, "failcnt", e->failcnt, false);
  return o;
}

static json_t *blkio_list(const struct cgroup_blkio_entry *v, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_object();
    set_u64(o, "major", v[i].major, true);
    set_u64(o, "minor", v[i].minor, true);
    if (v[i].op[0])
      json_object_set_new(o, "op", json_string(v[i].op));
    set_u64(o, "value", v[i].value, true);
    json_array_append_new(a, o);
  }
  return a;
}

static int cmp_kv(const void *a, const void *b) {
  return strcmp(((const struct cgroup_kv *)a)->key, ((const struct cgroup_kv *)b)->key);
}

char *cgroup_stats_to_json(const struct cgroup_stats *st) {
  json_t *root = json_object(), *cpu = json_object(), *usage = json_object(), *thr = json_object(),
         *mem = json_object(), *pids = json_object(), *blk = json_object(), *cs = json_object();
  char *out;

  set_u64(usage, "total", st->cpu_total, true);
  if (st->npercpu)
    json_object_set_new(usage, "percpu", u64_array(st->percpu, st->npercpu));
  if (st->npercpu_kernel)
    json_object_set_new(usage, "percpu_kernel", u64_array(st->percpu_kernel, st->npercpu_kernel));
  if (st->npercpu_user)
    json_object_set_new(usage, "percpu_user", u64_array(st->percpu_user, st->npercpu_user));
  set_u64(usage, "kernel", st->cpu_kernel, false);
  set_u64(usage, "user", st->cpu_user, false);
  set_u64(thr, "periods", st->throttle_periods, true);
  set_u64(thr, "throttled_periods", st->throttled_periods, true);
  set_u64(thr, "throttled_time", st->throttled_time, true);
  json_object_set_new(cpu, "usage", usage);
  json_object_set_new(cpu, "throttling", thr);
  json_object_set_new(root, "cpu", cpu);

  if (st->ncpuset_cpus)
    json_object_set_new(cs, "cpus", u64_array(st->cpuset_cpus, st->ncpuset_cpus));
  set_u64(cs, "cpu_exclusive", st->cpu_exclusive, false);
  if (st->ncpuset_mems)
    json_object_set_new(cs, "mems", u64_array(st->cpuset_mems, st->ncpuset_mems));
  set_u64(cs, "mem_hardwall", st->mem_hardwall, false);
  set_u64(cs, "mem_exclusive", st->mem_exclusive, false);
  set_u64(cs, "memory_migrate", st->memory_migrate, false);
  set_u64(cs, "memory_spread_page", st->memory_spread_page, false);
  set_u64(cs, "memory_spread_slab", st->memory_spread_slab, false);
  set_u64(cs, "memory_pressure", st->memory_pressure, false);
  set_u64(cs, "sched_load_balance", st->sched_load_balance, false);
  json_object_set_new(cs, "sched_relax_domain_level",
                      json_integer((json_int_t)st->sched_relax_domain_level));
  json_object_set_new(root, "cpuset", cs);

  set_u64(mem, "cache", st->mem_cache, true);
  json_object_set_new(mem, "usage", mem_entry(&st->mem_usage));
  json_object_set_new(mem, "swap", mem_entry(&st->mem_swap));
  json_object_set_new(mem, "kernel", mem_entry(&st->mem_kernel));
  json_object_set_new(mem, "kernelTCP", mem_entry(&st->mem_kernel_tcp));
  if (st->nmem_raw) {
    json_t *r = json_object();
    struct cgroup_kv *sorted = malloc(st->nmem_raw * sizeof(*sorted));
    if (sorted) {
      memcpy(sorted, st->mem_raw, st->nmem_raw * sizeof(*sorted));
      qsort(sorted, st->nmem_raw, sizeof(*sorted), cmp_kv);
      for (size_t i = 0; i < st->nmem_raw; i++)
        set_u64(r, sorted[i].key, sorted[i].value, false);
      free(sorted);
    }
    json_object_set_new(mem, "raw", r);
  }
  json_object_set_new(root, "memory", mem);

  set_u64(pids, "current", st->pids_current, true);
  set_u64(pids, "limit", st->pids_limit, true);
  json_object_set_new(root, "pids", pids);

  if (st->nio_bytes)
    json_object_set_new(blk, "ioServiceBytesRecursive", blkio_list(st->io_bytes, st->nio_bytes));
  if (st->nio_serviced)
    json_object_set_new(blk, "ioServicedRecursive", blkio_list(st->io_serviced, st->nio_serviced));
  json_object_set_new(root, "blkio", blk);

  json_t *huge = json_object();
  for (size_t i = 0; i < st->nhugetlb; i++) {
    json_t *o = json_object();
    set_u64(o, "usage", st->hugetlb[i].usage, true);
    set_u64(o, "max", st->hugetlb[i].max, true);
    set_u64(o, "failcnt", st->hugetlb[i].failcnt, false);
    json_object_set_new(huge, st->hugetlb[i].size, o);
  }
  json_object_set_new(root, "hugetlb", huge);
  json_object_set_new(root, "intel_rdt", json_object());
  json_object_set_new(root, "network_interfaces", json_null());
  out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(root);
  return out;
}
