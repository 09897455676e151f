/* .linux of config.json: namespaces, id mappings, time offsets, devices and the
 * plain members; resources, seccomp and the rarer objects have their own files. */
#include <stdlib.h>
#include <string.h>

#include "spec/parse.h"

static int parse_id_mapping(struct pctx *c, json_t *item, void *items, size_t i) {
  struct spec_id_mapping *m = (struct spec_id_mapping *)items + i;
  if (value_object(c, item) < 0 || need_u32(c, item, "containerID", &m->container_id) < 0 ||
      need_u32(c, item, "hostID", &m->host_id) < 0 || need_u32(c, item, "size", &m->size) < 0)
    return -1;
  return 0;
}

int parse_id_mappings(struct pctx *c, json_t *obj, const char *key, struct spec_id_mapping **out,
                      size_t *out_len) {
  int r;
  *out = parse_array_items(c, obj, key, sizeof(**out), out_len, parse_id_mapping, &r);
  return r;
}

static int parse_namespace(struct pctx *c, json_t *item, void *items, size_t i) {
  struct spec_namespace *all = items, *ns = &all[i];
  int type;
  if (value_object(c, item) < 0)
    return -1;
  if (need_enum(c, item, "type", spec_namespace_names, NULL, &type) < 0)
    return -1;
  ns->type = (enum spec_namespace_type)type;
  for (size_t j = 0; j < i; j++)
    if (all[j].type == ns->type)
      return pctx_fail_key(c, "type", "duplicate namespace type \"%s\"",
                           spec_namespace_name(ns->type));
  if (get_string(c, item, "path", &ns->path) < 0)
    return -1;
  /* runc: an empty path means "create", like no path at all */
  if (ns->path && ns->path[0] == '\0') {
    free(ns->path);
    ns->path = NULL;
  }
  return 0;
}

static int parse_time_offset(struct pctx *c, const char *clock, json_t *v, void *item) {
  struct spec_time_offset *t = item;
  /* the kernel's timens_offsets knows these two clocks only */
  if (strcmp(clock, "monotonic") != 0 && strcmp(clock, "boottime") != 0)
    return pctx_fail(c, "unknown clock (expected \"boottime\" or \"monotonic\")");
  if (json_is_null(v))
    return 1;
  if (value_object(c, v) < 0)
    return -1;
  if ((t->clock = strdup(clock)) == NULL)
    return pctx_fail(c, "out of memory");
  GET_OPT(get_i64, v, "secs", t, secs);
  GET_OPT(get_u32, v, "nanosecs", t, nanosecs);
  return 0;
}

static const char *const device_types[] = {"c", "b", "u", "p", NULL};

static int parse_device(struct pctx *c, json_t *obj, void *items, size_t i) {
  struct spec_device *d = (struct spec_device *)items + i;
  int type;
  if (value_object(c, obj) < 0)
    return -1;
  if (need_enum(c, obj, "type", device_types, NULL, &type) < 0)
    return -1;
  d->type = device_types[type][0];
  if (need_string(c, obj, "path", &d->path) < 0)
    return -1;
  if (d->path[0] == '\0')
    return pctx_fail_key(c, "path", "must not be empty");
  if (get_i64(c, obj, "major", &d->major) < 0 || get_i64(c, obj, "minor", &d->minor) < 0)
    return -1;
  /* runc takes a full os.FileMode here, so the schema's 0..511 is not enforced */
  GET_OPT(get_u32, obj, "fileMode", d, file_mode);
  GET_OPT(get_u32, obj, "uid", d, uid);
  GET_OPT(get_u32, obj, "gid", d, gid);
  return 0;
}

/* The spec's four, plus the recursive forms runc also accepts. */
static const char *const propagations[] = {"private",    "shared",      "slave",
                                           "unbindable", "rprivate",    "rshared",
                                           "rslave",     "runbindable", NULL};

static int parse_rootfs_propagation(struct pctx *c, json_t *lnx, struct spec_linux *out) {
  json_t *v = spec_member(lnx, "rootfsPropagation");
  int idx, r;
  /* "" is Go's zero value: no propagation change */
  if (json_is_string(v) && json_string_length(v) == 0)
    return 0;
  r = get_enum(c, lnx, "rootfsPropagation", propagations, NULL, &idx);
  if (r <= 0)
    return r;
  out->rootfs_propagation = strdup(propagations[idx]);
  return out->rootfs_propagation ? 1 : pctx_fail(c, "out of memory");
}

static int resources_fn(struct pctx *c, json_t *obj, void *out) {
  return parse_resources(c, obj, out);
}

static int seccomp_fn(struct pctx *c, json_t *obj, void *out) {
  return parse_seccomp(c, obj, out);
}

int parse_linux(struct pctx *c, json_t *obj, struct spec_linux *out) {
  out->present = true;
  PARSE_ARRAY(obj, "namespaces", out->namespaces, out->namespaces_len, parse_namespace);
  if (parse_id_mappings(c, obj, "uidMappings", &out->uid_mappings, &out->uid_mappings_len) < 0 ||
      parse_id_mappings(c, obj, "gidMappings", &out->gid_mappings, &out->gid_mappings_len) < 0)
    return -1;
  PARSE_MAP(obj, "timeOffsets", out->time_offsets, out->time_offsets_len, parse_time_offset);
  PARSE_ARRAY(obj, "devices", out->devices, out->devices_len, parse_device);
  if (get_string(c, obj, "cgroupsPath", &out->cgroups_path) < 0 ||
      parse_section(c, obj, "resources", resources_fn, &out->resources) < 0 ||
      get_string_map(c, obj, "sysctl", &out->sysctl) < 0 ||
      parse_section(c, obj, "seccomp", seccomp_fn, &out->seccomp) < 0 ||
      parse_rootfs_propagation(c, obj, out) < 0 ||
      get_strv(c, obj, "maskedPaths", &out->masked_paths) < 0 ||
      get_strv(c, obj, "readonlyPaths", &out->readonly_paths) < 0 ||
      get_string(c, obj, "mountLabel", &out->mount_label) < 0 || parse_linux_misc(c, obj, out) < 0)
    return -1;
  return 0;
}
