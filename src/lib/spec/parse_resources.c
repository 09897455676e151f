/* .linux.resources: cgroup limits.  Only syntax and ranges here; whether the host's
 * cgroup can apply a value is the cgroup driver's business. */
#include <string.h>

#include "spec/parse.h"

/* One optional member with its has_ flag. */
#define OPT(getter, key, field) GET_OPT(getter, obj, key, out, field)

static bool is_device_access(const char *s) {
  return strspn(s, "rwm") == strlen(s);
}

static const char *const cgroup_device_types[] = {"a", "b", "c", "", NULL};

static int parse_device_rule(struct pctx *c, json_t *obj, void *items, size_t i) {
  struct spec_device_cgroup_rule *out = (struct spec_device_cgroup_rule *)items + i;
  int idx, r;
  if (value_object(c, obj) < 0 || need_bool(c, obj, "allow", &out->allow) < 0)
    return -1;
  if ((r = get_enum(c, obj, "type", cgroup_device_types, "one of \"a\", \"b\", \"c\"", &idx)) < 0)
    return -1;
  out->type = (r > 0 && idx < 3) ? cgroup_device_types[idx][0] : 'a';
  out->major = out->minor = -1;
  OPT(get_i64, "major", major);
  OPT(get_i64, "minor", minor);
  if (get_string(c, obj, "access", &out->access) < 0)
    return -1;
  /* A deny rule may name letters beyond r, w and m (runc tolerates "rwa" there: it can
   * only take away access); they are dropped.  An allow rule must be exact. */
  if (out->access && !out->allow && !is_device_access(out->access)) {
    char *o = out->access;
    for (const char *p = out->access; *p; p++)
      if (strchr("rwm", *p))
        *o++ = *p;
    if (o == out->access)
      return pctx_fail_key(c, "access",
                           "expected an access string of \"r\", \"w\" and \"m\", "
                           "got none of them");
    *o = '\0';
  } else if (out->access && !is_device_access(out->access)) {
    return pctx_fail_key(c, "access",
                         "expected an access string of \"r\", \"w\" and \"m\", got \"%s\"",
                         out->access);
  }
  return 0;
}

static int parse_memory(struct pctx *c, json_t *obj, struct spec_memory *out) {
  out->present = true;
  OPT(get_i64, "limit", limit);
  OPT(get_i64, "reservation", reservation);
  OPT(get_i64, "swap", swap);
  OPT(get_i64, "kernel", kernel);
  OPT(get_i64, "kernelTCP", kernel_tcp);
  OPT(get_u64, "swappiness", swappiness);
  OPT(get_bool, "disableOOMKiller", disable_oom_killer);
  OPT(get_bool, "useHierarchy", use_hierarchy);
  OPT(get_bool, "checkBeforeUpdate", check_before_update);
  return 0;
}

static int parse_cpu(struct pctx *c, json_t *obj, struct spec_cpu *out) {
  out->present = true;
  OPT(get_u64, "shares", shares);
  OPT(get_i64, "quota", quota);
  OPT(get_u64, "burst", burst);
  OPT(get_u64, "period", period);
  OPT(get_i64, "realtimeRuntime", realtime_runtime);
  OPT(get_u64, "realtimePeriod", realtime_period);
  OPT(get_i64, "idle", idle);
  if (get_string(c, obj, "cpus", &out->cpus) < 0 || get_string(c, obj, "mems", &out->mems) < 0)
    return -1;
  return 0;
}

static int parse_weight_device(struct pctx *c, json_t *obj, void *items, size_t i) {
  struct spec_weight_device *out = (struct spec_weight_device *)items + i;
  if (value_object(c, obj) < 0 || need_i64(c, obj, "major", &out->major) < 0 ||
      need_i64(c, obj, "minor", &out->minor) < 0)
    return -1;
  OPT(get_u16, "weight", weight);
  OPT(get_u16, "leafWeight", leaf_weight);
  return 0;
}

static int parse_throttle_device(struct pctx *c, json_t *obj, void *items, size_t i) {
  struct spec_throttle_device *out = (struct spec_throttle_device *)items + i;
  if (value_object(c, obj) < 0 || need_i64(c, obj, "major", &out->major) < 0 ||
      need_i64(c, obj, "minor", &out->minor) < 0 || get_u64(c, obj, "rate", &out->rate) < 0)
    return -1;
  return 0;
}

/* runtime-spec pattern ^[1-9][0-9]*[KMG]B$ */
static bool is_page_size(const char *s) {
  size_t n = strspn(s, "0123456789");
  return n > 0 && s[0] != '0' && strchr("KMG", s[n]) && s[n] != '\0' && strcmp(s + n + 1, "B") == 0;
}

static int parse_hugepage_limit(struct pctx *c, json_t *obj, void *items, size_t i) {
  struct spec_hugepage_limit *out = (struct spec_hugepage_limit *)items + i;
  int r;
  if (value_object(c, obj) < 0)
    return -1;
  r = get_string_checked(c, obj, "pageSize", is_page_size, "a page size such as \"2MB\"",
                         &out->page_size);
  if (r == 0)
    return pctx_fail_key(c, "pageSize", "required");
  if (r < 0 || need_u64(c, obj, "limit", &out->limit) < 0)
    return -1;
  return 0;
}

static int parse_net_priority(struct pctx *c, json_t *obj, void *items, size_t i) {
  struct spec_net_priority *out = (struct spec_net_priority *)items + i;
  if (value_object(c, obj) < 0 || need_string(c, obj, "name", &out->name) < 0 ||
      need_u32(c, obj, "priority", &out->priority) < 0)
    return -1;
  return 0;
}

static int parse_block_io(struct pctx *c, json_t *obj, struct spec_block_io *out) {
  out->present = true;
  OPT(get_u16, "weight", weight);
  OPT(get_u16, "leafWeight", leaf_weight);
  PARSE_ARRAY(obj, "weightDevice", out->weight_device, out->weight_device_len, parse_weight_device);
  PARSE_ARRAY(obj, "throttleReadBpsDevice", out->throttle_read_bps.items,
              out->throttle_read_bps.len, parse_throttle_device);
  PARSE_ARRAY(obj, "throttleWriteBpsDevice", out->throttle_write_bps.items,
              out->throttle_write_bps.len, parse_throttle_device);
  PARSE_ARRAY(obj, "throttleReadIOPSDevice", out->throttle_read_iops.items,
              out->throttle_read_iops.len, parse_throttle_device);
  PARSE_ARRAY(obj, "throttleWriteIOPSDevice", out->throttle_write_iops.items,
              out->throttle_write_iops.len, parse_throttle_device);
  return 0;
}

static int parse_network(struct pctx *c, json_t *obj, struct spec_network_resources *out) {
  out->present = true;
  OPT(get_u32, "classID", class_id);
  PARSE_ARRAY(obj, "priorities", out->priorities, out->priorities_len, parse_net_priority);
  return 0;
}

static int parse_rdma_limit(struct pctx *c, const char *device, json_t *obj, void *item) {
  struct spec_rdma_limit *out = item;
  if (value_object(c, obj) < 0)
    return -1;
  if ((out->device = strdup(device)) == NULL)
    return pctx_fail(c, "out of memory");
  OPT(get_u32, "hcaHandles", hca_handles);
  OPT(get_u32, "hcaObjects", hca_objects);
  return 0;
}

/* An optional sub-object parsed by fn(c, obj, field). */
#define SUB_OBJECT(parent, key, fn, field)                                                         \
  do {                                                                                             \
    json_t *o_;                                                                                    \
    int r_ = get_object(c, parent, key, &o_);                                                      \
    if (r_ < 0)                                                                                    \
      return -1;                                                                                   \
    if (r_ > 0) {                                                                                  \
      size_t saved_ = pctx_push_key(c, key);                                                       \
      if (fn(c, o_, field) < 0)                                                                    \
        return -1;                                                                                 \
      pctx_pop(c, saved_);                                                                         \
    }                                                                                              \
  } while (0)

static int parse_pids(struct pctx *c, json_t *obj, struct spec_resources *out) {
  /* runc reads an absent limit as 0 ("no change") rather than refusing it */
  OPT(get_i64, "limit", pids_limit);
  return 0;
}

int parse_resources(struct pctx *c, json_t *obj, struct spec_resources *out) {
  out->present = true;
  PARSE_ARRAY(obj, "devices", out->devices, out->devices_len, parse_device_rule);
  SUB_OBJECT(obj, "memory", parse_memory, &out->memory);
  SUB_OBJECT(obj, "cpu", parse_cpu, &out->cpu);
  SUB_OBJECT(obj, "pids", parse_pids, out);
  SUB_OBJECT(obj, "blockIO", parse_block_io, &out->block_io);
  PARSE_ARRAY(obj, "hugepageLimits", out->hugepage_limits, out->hugepage_limits_len,
              parse_hugepage_limit);
  SUB_OBJECT(obj, "network", parse_network, &out->network);
  PARSE_MAP(obj, "rdma", out->rdma, out->rdma_len, parse_rdma_limit);
  if (get_string_map(c, obj, "unified", &out->unified) < 0)
    return -1;
  return 0;
}
