/* The rarer objects of .linux: intelRdt, personality, netDevices, memoryPolicy. */
#include <string.h>

#include "spec/parse.h"

/* runtime-spec pattern ^MB:[^\n]*$ */
static bool is_mem_bw_schema(const char *s) {
  return strncmp(s, "MB:", 3) == 0 && strchr(s, '\n') == NULL;
}

static int intel_rdt_members(struct pctx *c, json_t *obj, void *section) {
  struct spec_intel_rdt *out = section;
  out->present = true;
  if (get_string(c, obj, "closID", &out->clos_id) < 0 ||
      get_string(c, obj, "l3CacheSchema", &out->l3_cache_schema) < 0 ||
      get_string_checked(c, obj, "memBwSchema", is_mem_bw_schema,
                         "a memory bandwidth schema (\"MB:...\")", &out->mem_bw_schema) < 0 ||
      get_strv(c, obj, "schemata", &out->schemata) < 0 ||
      get_bool(c, obj, "enableMonitoring", &out->enable_monitoring) < 0)
    return -1;
  return 0;
}

static const char *const personality_domains[] = {"LINUX", "LINUX32", NULL};

static int personality_members(struct pctx *c, json_t *obj, void *section) {
  struct spec_personality *out = section;
  int idx, r;
  out->present = true;
  if ((r = get_enum(c, obj, "domain", personality_domains, NULL, &idx)) < 0)
    return -1;
  if (r > 0 && (out->domain = strdup(personality_domains[idx])) == NULL)
    return pctx_fail(c, "out of memory");
  if (get_strv(c, obj, "flags", &out->flags) < 0)
    return -1;
  return 0;
}

static int parse_net_device(struct pctx *c, const char *host_name, json_t *v, void *item) {
  struct spec_net_device *d = item;
  if (host_name[0] == '\0')
    return pctx_fail(c, "a device name must not be empty");
  if (value_object(c, v) < 0)
    return -1;
  if ((d->host_name = strdup(host_name)) == NULL)
    return pctx_fail(c, "out of memory");
  return get_string(c, v, "name", &d->name) < 0 ? -1 : 0;
}

static const char *const mempolicy_modes[] = {
    "MPOL_DEFAULT",   "MPOL_BIND",           "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE",
    "MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL",      NULL};
static const char *const mempolicy_flags[] = {"MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES",
                                              "MPOL_F_STATIC_NODES", NULL};

static bool listed(const char *const *names, const char *s) {
  for (size_t i = 0; names[i]; i++)
    if (strcmp(names[i], s) == 0)
      return true;
  return false;
}

/* Modes and flags in the kernel's (and runc's) spellings; anything else, or no mode, is
 * refused in runc's words ("invalid memory policy mode", "... flag"). */
static int memory_policy_members(struct pctx *c, json_t *obj, void *section) {
  struct spec_memory_policy *out = section;
  out->present = true;
  if (get_string(c, obj, "mode", &out->mode) < 0 || get_string(c, obj, "nodes", &out->nodes) < 0 ||
      get_strv(c, obj, "flags", &out->flags) < 0)
    return -1;
  if (out->mode == NULL || !listed(mempolicy_modes, out->mode))
    return pctx_fail_key(c, "mode", "invalid memory policy mode \"%s\"",
                         out->mode ? out->mode : "");
  for (size_t i = 0; i < out->flags.len; i++) {
    if (!listed(mempolicy_flags, out->flags.items[i])) {
      size_t s2 = pctx_push_key(c, "flags");
      pctx_push_index(c, i);
      pctx_fail(c, "invalid memory policy flag \"%s\"", out->flags.items[i]);
      pctx_pop(c, s2);
      return -1;
    }
  }
  return 0;
}

int parse_linux_misc(struct pctx *c, json_t *lnx, struct spec_linux *out) {
  if (parse_section(c, lnx, "intelRdt", intel_rdt_members, &out->intel_rdt) < 0 ||
      parse_section(c, lnx, "personality", personality_members, &out->personality) < 0)
    return -1;
  PARSE_MAP(lnx, "netDevices", out->net_devices, out->net_devices_len, parse_net_device);
  return parse_section(c, lnx, "memoryPolicy", memory_policy_members, &out->memory_policy) < 0 ? -1
                                                                                               : 0;
}
