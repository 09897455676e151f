#include "container/cgroup_owner.h"

#include <stdbool.h>
#include <string.h>

/* "/sys/fs/cgroup", "/sys/fs/cgroup/", "//sys/fs//cgroup": the same place once cleaned. */
static bool is_cgroup_root(const char *dest) {
  static const char *const parts[] = {"sys", "fs", "cgroup"};
  const char *p = dest;
  for (size_t i = 0; i < 3; i++) {
    size_t n = strlen(parts[i]);
    while (*p == '/')
      p++;
    if (strncmp(p, parts[i], n) != 0 || (p[n] != '/' && p[n] != '\0'))
      return false;
    p += n;
  }
  while (*p == '/')
    p++;
  return *p == '\0';
}

/* The options as the mount flags see them: the last of "ro"/"rw" wins. */
static bool read_only(const struct spec_mount *m) {
  bool ro = false;
  for (size_t i = 0; i < m->options.len; i++) {
    if (strcmp(m->options.items[i], "ro") == 0)
      ro = true;
    else if (strcmp(m->options.items[i], "rw") == 0)
      ro = false;
  }
  return ro;
}

int64_t container_cgroup_owner(const struct spec *spec) {
  const struct spec_linux *l = &spec->linux_;
  const struct spec_namespace *user = spec_find_namespace(spec, SPEC_NS_USER);
  const struct spec_namespace *cgroupns = spec_find_namespace(spec, SPEC_NS_CGROUP);
  uint32_t uid = spec->process.present ? spec->process.user.uid : 0;
  bool rw_cgroupfs = false;

  /* a namespace of its own: one joined by path is someone else's */
  if (cgroupns == NULL || cgroupns->path != NULL)
    return -1;
  for (size_t i = 0; i < spec->mounts_len && !rw_cgroupfs; i++) {
    const struct spec_mount *m = &spec->mounts[i];
    rw_cgroupfs = m->source && strcmp(m->source, "cgroup") == 0 && m->destination &&
                  is_cgroup_root(m->destination) && !read_only(m);
  }
  if (!rw_cgroupfs)
    return -1;
  if (user == NULL)
    return uid;
  for (size_t i = 0; i < l->uid_mappings_len; i++) {
    const struct spec_id_mapping *map = &l->uid_mappings[i];
    if (uid >= map->container_id && uid - map->container_id < map->size)
      return (int64_t)map->host_id + (uid - map->container_id);
  }
  return -1;
}
