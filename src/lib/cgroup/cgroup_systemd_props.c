/* Pure conversions for the systemd driver: names, slices and the unit
 * properties that stand for linux.resources, with runc's rules. */
#include "cgroup/cgroup_systemd.h"

#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup/cgroup_convert.h"
#include "cgroup/cgroup_internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

int cgroup_systemd_parse_path(const char *cgroups_path, const char *id, bool user, char **slice,
                              char **unit, ocirun_error_t **err) {
  _cleanup_free_ char *copy = NULL;
  const char *parts[3] = {user ? "user.slice" : "system.slice", "runc", id};
  if (cgroups_path && cgroups_path[0]) {
    char *c1, *c2;
    copy = strdup(cgroups_path);
    if (copy == NULL)
      return ocirun_error_set(err, ENOMEM, "cgroupsPath");
    c1 = strchr(copy, ':');
    c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (c1 == NULL || c2 == NULL || strchr(c2 + 1, ':'))
      return ocirun_error_set(err, EINVAL,
                              "expected cgroupsPath to be of format \"slice:prefix:name\" for "
                              "systemd cgroups, got \"%s\" instead",
                              cgroups_path);
    *c1 = *c2 = '\0';
    if (copy[0])
      parts[0] = copy;
    parts[1] = c1 + 1;
    parts[2] = c2 + 1;
  }
  if (strchr(parts[0], '/') || strlen(parts[0]) < 7 ||
      strcmp(parts[0] + strlen(parts[0]) - 6, ".slice") != 0)
    return ocirun_error_set(err, EINVAL, "invalid slice name %s", parts[0]);
  if (parts[2][0] == '\0' || strchr(parts[2], '/'))
    return ocirun_error_set(err, EINVAL, "invalid unit name \"%s\"", parts[2]);
  *slice = strdup(parts[0]);
  /* A name that is itself a slice is used as is. */
  size_t nl = strlen(parts[2]);
  if (nl > 6 && strcmp(parts[2] + nl - 6, ".slice") == 0)
    *unit = strdup(parts[2]);
  else if (parts[1][0])
    asprintf(unit, "%s-%s.scope", parts[1], parts[2]);
  else
    asprintf(unit, "%s.scope", parts[2]);
  if (*slice == NULL || *unit == NULL) {
    free(*slice);
    return ocirun_error_set(err, ENOMEM, "cgroupsPath");
  }
  return 0;
}

int cgroup_systemd_expand_slice(const char *slice, char **out, ocirun_error_t **err) {
  size_t len = strlen(slice), cap;
  char *r;
  if (len < 6 || strcmp(slice + len - 6, ".slice") != 0 || strchr(slice, '/'))
    return ocirun_error_set(err, EINVAL, "invalid slice name %s", slice);
  if (strcmp(slice, "-.slice") == 0) {
    *out = strdup("");
    return *out ? 0 : ocirun_error_set(err, ENOMEM, "slice");
  }
  len -= 6;
  if (slice[0] == '-' || slice[len - 1] == '-' || strstr(slice, "--"))
    return ocirun_error_set(err, EINVAL, "invalid slice name %s", slice);
  cap = (len + 8) * (len + 1) + 1;
  r = calloc(1, cap);
  if (r == NULL)
    return ocirun_error_set(err, ENOMEM, "slice");
  /* every '-' ends a parent slice: a-b-c -> /a.slice/a-b.slice/a-b-c.slice */
  for (size_t i = 0; i <= len; i++) {
    if (i == len || slice[i] == '-') {
      size_t n = strlen(r);
      snprintf(r + n, cap - n, "/%.*s.slice", (int)i, slice);
    }
  }
  *out = r;
  return 0;
}

int cgroup_systemd_range_to_bits(const char *list, uint8_t **out, size_t *len,
                                 ocirun_error_t **err) {
  uint8_t *bits = NULL;
  size_t n = 0;
  const char *s = list;
  while (*s) {
    char *end;
    unsigned long a = strtoul(s, &end, 10), b;
    if (end == s)
      goto bad;
    b = a;
    if (*end == '-') {
      const char *p = end + 1;
      b = strtoul(p, &end, 10);
      if (end == p || b < a)
        goto bad;
    }
    if (b >= 8192)
      goto bad;
    if (b / 8 + 1 > n) {
      uint8_t *nb = realloc(bits, b / 8 + 1);
      if (nb == NULL) {
        free(bits);
        return ocirun_error_set(err, ENOMEM, "cpu list");
      }
      memset(nb + n, 0, b / 8 + 1 - n);
      bits = nb;
      n = b / 8 + 1;
    }
    for (unsigned long i = a; i <= b; i++)
      bits[i / 8] |= (uint8_t)(1u << (i % 8));
    s = end;
    if (*s == ',')
      s++;
    else if (*s == '\n' || *s == ' ')
      break;
    else if (*s)
      goto bad;
  }
  *out = bits;
  *len = n;
  return 0;
bad:
  free(bits);
  return ocirun_error_set(err, EINVAL, "invalid CPU/memory-node list \"%s\"", list);
}

static struct cgroup_systemd_prop *add(struct cgroup_systemd_props *p, const char *name,
                                       char type) {
  struct cgroup_systemd_prop *n = realloc(p->items, (p->len + 1) * sizeof(*n));
  if (n == NULL)
    return NULL;
  p->items = n;
  n = &p->items[p->len++];
  memset(n, 0, sizeof(*n));
  n->name = name;
  n->type = type;
  return n;
}

static int add_u64(struct cgroup_systemd_props *p, const char *name, uint64_t v) {
  struct cgroup_systemd_prop *x = add(p, name, 't');
  if (x == NULL)
    return -1;
  x->u = v;
  return 0;
}

static int add_bool(struct cgroup_systemd_props *p, const char *name, bool v) {
  struct cgroup_systemd_prop *x = add(p, name, 'b');
  if (x == NULL)
    return -1;
  x->b = v;
  return 0;
}

void cgroup_systemd_prop_clear(struct cgroup_systemd_prop *p) {
  free(p->s);
  free(p->bytes);
  for (size_t j = 0; j < p->ndev; j++) {
    free(p->dev_paths[j]);
    free(p->dev_perms[j]);
  }
  free(p->dev_paths);
  free(p->dev_perms);
  for (size_t j = 0; j < p->nstrv; j++)
    free(p->strv[j]);
  free(p->strv);
  free(p->owned_name);
  memset(p, 0, sizeof(*p));
}

void cgroup_systemd_props_clear(struct cgroup_systemd_props *p) {
  for (size_t i = 0; i < p->len; i++)
    cgroup_systemd_prop_clear(&p->items[i]);
  free(p->items);
  p->items = NULL;
  p->len = 0;
}

/* The name of the drop-in systemd writes for a property that SetUnitProperties sets
 * (/run/systemd/system.control/UNIT.d/50-NAME.conf): the property's own name but for the
 * two cpu quota ones, kept as their unit-file settings. */
static const char *dropin_name(const char *prop) {
  if (strcmp(prop, "CPUQuotaPerSecUSec") == 0)
    return "CPUQuota";
  if (strcmp(prop, "CPUQuotaPeriodUSec") == 0)
    return "CPUQuotaPeriodSec";
  return prop;
}

void cgroup_systemd_props_dropin_order(struct cgroup_systemd_props *p) {
  /* insertion sort: stable (a property named twice keeps its order, the later wins) */
  for (size_t i = 1; i < p->len; i++) {
    struct cgroup_systemd_prop x = p->items[i];
    size_t j = i;
    for (; j > 0 && strcmp(dropin_name(p->items[j - 1].name), dropin_name(x.name)) > 0; j--)
      p->items[j] = p->items[j - 1];
    p->items[j] = x;
  }
}

/* CPUQuotaPerSecUSec: quota per second of wall time, rounded up to whole
 * percents of a CPU (systemd stores a percentage). */
static uint64_t quota_per_sec(int64_t quota, uint64_t period) {
  uint64_t v;
  if (quota <= 0)
    return UINT64_MAX;
  if (period == 0)
    period = 100000;
  v = (uint64_t)quota * 1000000 / period;
  if (v % 10000)
    v = (v / 10000 + 1) * 10000;
  return v;
}

int64_t cgroup_systemd_quota_in_force(int64_t quota, uint64_t period) {
  if (quota <= 0)
    return quota;
  return (int64_t)(quota_per_sec(quota, period) * (period ? period : 100000) / 1000000);
}

/* CPUQuotaPeriodUSec and CPUQuotaPerSecUSec for a cpu.max pair (0 = not given). */
static int add_cpu_quota(struct cgroup_systemd_props *p, int64_t quota, uint64_t period) {
  if (period != 0 && add_u64(p, "CPUQuotaPeriodUSec", period) < 0)
    return -1;
  if ((quota != 0 || period != 0) &&
      add_u64(p, "CPUQuotaPerSecUSec", quota_per_sec(quota, period)) < 0)
    return -1;
  return 0;
}

/* "char-pts" for char major 136: the group /proc/devices names for a major ("char" or
 * "block" section), as systemd's DeviceAllow= takes it; NULL when none. */
static char *device_group(const char *kind, int64_t major) {
  _cleanup_free_ char *text = NULL;
  ocirun_error_t *err = NULL;
  bool in_section = false;
  char *save = NULL;

  if (fs_read_file("/proc/devices", 1 << 16, &text, NULL, &err) < 0) {
    ocirun_error_free(&err);
    return NULL;
  }
  for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char name[128];
    long long m;
    if (strcmp(line, "Character devices:") == 0 || strcmp(line, "Block devices:") == 0) {
      in_section = (line[0] == 'C') == (strcmp(kind, "char") == 0);
      continue;
    }
    if (in_section && sscanf(line, " %lld %127s", &m, name) == 2 && m == major) {
      char *group = NULL;
      return asprintf(&group, "%s-%s", kind, name) < 0 ? NULL : group;
    }
  }
  return NULL;
}

/* The resources' rules and runc's default allowances after them (as the BPF filter has
 * them): with a deny-all among them, DevicePolicy=strict and what is allowed after it. */
static int add_devices(struct cgroup_systemd_props *p, const struct spec_resources *res) {
  _cleanup_free_ struct spec_device_cgroup_rule *rules = NULL;
  struct cgroup_systemd_prop *x;
  size_t start = 0, n = 0;
  bool strict = false;
  /* none named (an update of other resources): systemd keeps what it has */
  if (res->devices_len == 0)
    return 0;
  if (cgroup_device_rules(res, &rules, &n) < 0)
    return -1;
  for (size_t i = 0; i < n; i++) {
    const struct spec_device_cgroup_rule *r = &rules[i];
    if (r->type == 'a' && !r->has_major && !r->has_minor) {
      start = i + 1;
      strict = !r->allow;
    }
  }
  if (!strict)
    return 0; /* allow-all: systemd's default policy */
  /* an empty list first: systemd appends to DeviceAllow= otherwise */
  if (add(p, "DeviceAllow", 'D') == NULL)
    return -1;
  x = add(p, "DeviceAllow", 'D');
  if (x == NULL)
    return -1;
  x->dev_paths = calloc(n + 1, sizeof(char *));
  x->dev_perms = calloc(n + 1, sizeof(char *));
  if (!x->dev_paths || !x->dev_perms)
    return -1;
  for (size_t i = start; i < n; i++) {
    const struct spec_device_cgroup_rule *r = &rules[i];
    const char *kind = r->type == 'b' ? "block" : "char";
    char *path = NULL;
    if (!r->allow || r->type == 'a')
      continue; /* strict policy: only allowances can be expressed */
    if (!r->has_major || r->major < 0)
      asprintf(&path, "%s-*", kind);
    else if (!r->has_minor || r->minor < 0) {
      /* systemd knows every minor of a major only as its group in /proc/devices */
      path = device_group(kind, r->major);
      if (path == NULL) {
        log_warn("no device group for %s major %" PRId64 " in /proc/devices: rule skipped", kind,
                 r->major);
        continue;
      }
    } else
      asprintf(&path, "/dev/%s/%" PRId64 ":%" PRId64, kind, r->major, r->minor);
    if (path == NULL)
      return -1;
    x->dev_paths[x->ndev] = path;
    x->dev_perms[x->ndev] = strdup(r->access ? r->access : "rwm");
    if (x->dev_perms[x->ndev++] == NULL)
      return -1;
  }
  /* the policy after the list (SetUnitProperties sends them in drop-in order anyway: see
   * cgroup_systemd_props_dropin_order) */
  x = add(p, "DevicePolicy", 's');
  if (x == NULL || (x->s = strdup("strict")) == NULL)
    return -1;
  return 0;
}

int cgroup_systemd_properties(const struct spec_resources *res, bool v2,
                              struct cgroup_systemd_props *out, ocirun_error_t **err) {
  const struct spec_memory *m = &res->memory;
  const struct spec_cpu *c = &res->cpu;
  int64_t limit = m->has_limit ? m->limit : 0;
  memset(out, 0, sizeof(*out));

  if (add_bool(out, "MemoryAccounting", true) < 0 || add_bool(out, "CPUAccounting", true) < 0 ||
      add_bool(out, v2 ? "IOAccounting" : "BlockIOAccounting", true) < 0 ||
      add_bool(out, "TasksAccounting", true) < 0)
    goto oom;
  if (limit != 0 &&
      add_u64(out, v2 ? "MemoryMax" : "MemoryLimit", limit < 0 ? UINT64_MAX : (uint64_t)limit) < 0)
    goto oom;
  if (v2) {
    int64_t swap;
    if (m->has_reservation && m->reservation != 0 &&
        add_u64(out, "MemoryLow", m->reservation < 0 ? UINT64_MAX : (uint64_t)m->reservation) < 0)
      goto oom;
    if (cgroup_convert_swap_v2(m->has_swap ? m->swap : 0, limit, &swap, err) < 0) {
      cgroup_systemd_props_clear(out);
      return ocirun_error_prefix(err, ".linux.resources.memory.swap");
    }
    if (swap != 0 && add_u64(out, "MemorySwapMax", swap < 0 ? UINT64_MAX : (uint64_t)swap) < 0)
      goto oom;
  }
  if (c->has_shares && c->shares != 0) {
    if (v2 ? add_u64(out, "CPUWeight", cgroup_convert_shares_to_weight(c->shares))
           : add_u64(out, "CPUShares", c->shares))
      goto oom;
  }
  if (add_cpu_quota(out, c->has_quota ? c->quota : 0, c->has_period ? c->period : 0) < 0)
    goto oom;
  if (v2) {
    static const char *const names[2] = {"AllowedCPUs", "AllowedMemoryNodes"};
    const char *lists[2] = {c->cpus, c->mems};
    for (int i = 0; i < 2; i++) {
      struct cgroup_systemd_prop *x;
      if (lists[i] == NULL || lists[i][0] == '\0')
        continue;
      if ((x = add(out, names[i], 'y')) == NULL)
        goto oom;
      if (cgroup_systemd_range_to_bits(lists[i], &x->bytes, &x->nbytes, err) < 0) {
        cgroup_systemd_props_clear(out);
        return ocirun_error_prefix(err, ".linux.resources.cpu.%s", i ? "mems" : "cpus");
      }
    }
  }
  /* TasksMax=0 does not exist: an explicit limit of 0 is 1, as on cgroupfs */
  if (res->has_pids_limit && res->pids_limit >= -1 &&
      add_u64(out, "TasksMax",
              res->pids_limit < 0    ? UINT64_MAX
              : res->pids_limit == 0 ? 1
                                     : (uint64_t)res->pids_limit) < 0)
    goto oom;
  if (res->block_io.present && res->block_io.has_weight && res->block_io.weight != 0) {
    if (v2 ? add_u64(out, "IOWeight", cgroup_convert_blkio_to_io_weight(res->block_io.weight))
           : add_u64(out, "BlockIOWeight", res->block_io.weight))
      goto oom;
  }
  if (add_devices(out, res) < 0)
    goto oom;
  if (v2 && cgroup_systemd_unified_props(&res->unified, out, err) < 0) {
    cgroup_systemd_props_clear(out);
    return ocirun_error_prefix(err, ".linux.resources.unified");
  }
  return 0;
oom:
  cgroup_systemd_props_clear(out);
  return ocirun_error_set(err, ENOMEM, "systemd unit properties");
}

/* "max" or a decimal uint64, with the blanks the kernel also tolerates around it. */
static bool unified_u64(const char *v, uint64_t *out) {
  char *end;
  if (strcmp(v, "max") == 0) {
    *out = UINT64_MAX;
    return true;
  }
  if (*v < '0' || *v > '9')
    return false;
  errno = 0;
  *out = strtoull(v, &end, 10);
  return errno == 0 && *end == '\0';
}

static int unified_prop(struct cgroup_systemd_props *out, const char *key, const char *v,
                        ocirun_error_t **err) {
  static const struct {
    const char *key, *prop;
  } plain[] = {{"cpu.weight", "CPUWeight"}, {"memory.high", "MemoryHigh"},
               {"memory.low", "MemoryLow"}, {"memory.min", "MemoryMin"},
               {"memory.max", "MemoryMax"}, {"memory.swap.max", "MemorySwapMax"},
               {"pids.max", "TasksMax"}};
  uint64_t num;

  for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
    if (strcmp(key, plain[i].key) != 0)
      continue;
    /* cpu.weight has no "max" */
    if (!unified_u64(v, &num) || (i == 0 && strcmp(v, "max") == 0))
      return ocirun_error_set(err, EINVAL, "unified resource \"%s\" value conversion error: \"%s\"",
                              key, v);
    return add_u64(out, plain[i].prop, num) < 0 ? ocirun_error_set(err, ENOMEM, "%s", key) : 0;
  }
  if (strcmp(key, "cpu.max") == 0) {
    /* "QUOTA [PERIOD]", QUOTA "max" for none; the period defaults to 100ms */
    char quota_s[32] = "", period_s[32] = "", extra[2] = "";
    int64_t quota = 0;
    uint64_t period = 100000;
    if (sscanf(v, "%31s %31s %1s", quota_s, period_s, extra) < 1 || extra[0])
      return ocirun_error_set(err, EINVAL, "unified resource \"%s\" value invalid: \"%s\"", key, v);
    if (strcmp(quota_s, "max") != 0) {
      char *end;
      errno = 0;
      quota = strtoll(quota_s, &end, 10);
      if (errno || *end || end == quota_s)
        return ocirun_error_set(err, EINVAL, "unified resource \"%s\" value invalid: \"%s\"", key,
                                v);
    }
    if (period_s[0] && (!unified_u64(period_s, &period) || period == UINT64_MAX))
      return ocirun_error_set(err, EINVAL, "unified resource \"%s\" value invalid: \"%s\"", key, v);
    return add_cpu_quota(out, quota, period) < 0 ? ocirun_error_set(err, ENOMEM, "%s", key) : 0;
  }
  if (strcmp(key, "cpuset.cpus") == 0 || strcmp(key, "cpuset.mems") == 0) {
    struct cgroup_systemd_prop *x =
        add(out, strcmp(key, "cpuset.cpus") == 0 ? "AllowedCPUs" : "AllowedMemoryNodes", 'y');
    if (x == NULL)
      return ocirun_error_set(err, ENOMEM, "%s", key);
    if (cgroup_systemd_range_to_bits(v, &x->bytes, &x->nbytes, err) < 0)
      return ocirun_error_prefix(err, "unified resource \"%s\"", key);
    return 0;
  }
  return 0; /* not a unit property (memory.oom.group, io.*, ...): cgroupfs only */
}

int cgroup_systemd_unified_props(const struct spec_kv_list *unified,
                                 struct cgroup_systemd_props *out, ocirun_error_t **err) {
  for (size_t i = 0; unified && i < unified->len; i++) {
    const char *key = unified->items[i].key, *raw = unified->items[i].value;
    _cleanup_free_ char *v = NULL;
    size_t a, b;
    if (strchr(key, '/'))
      return ocirun_error_set(err, EINVAL,
                              "unified resource \"%s\" must be a file name (no slashes)", key);
    if (strchr(key, '.') == NULL)
      return ocirun_error_set(
          err, EINVAL, "unified resource \"%s\" must be in the form CONTROLLER.PARAMETER", key);
    raw = raw ? raw : "";
    a = strspn(raw, " \t\n");
    b = strlen(raw);
    while (b > a && strchr(" \t\n", raw[b - 1]))
      b--;
    if ((v = strndup(raw + a, b - a)) == NULL)
      return ocirun_error_set(err, ENOMEM, "%s", key);
    if (unified_prop(out, key, v, err) < 0)
      return -1;
  }
  return 0;
}
