/* systemd cgroup driver helpers: cgroupsPath "slice:prefix:name", slice
 * expansion, and the unit properties runc sets for linux.resources. */
#ifndef OCIRUN_CGROUP_SYSTEMD_H
#define OCIRUN_CGROUP_SYSTEMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec/spec.h"
#include "util/error.h"

/* D-Bus signature of the value: 't' uint64, 'b' bool, 's' string, 'y' byte
 * array (ay), 'D' device list a(ss) (names[i], values[i]). */
struct cgroup_systemd_prop {
  const char *name;
  char type;
  uint64_t u;
  bool b;
  char *s;
  uint8_t *bytes;
  size_t nbytes;
  char **dev_paths, **dev_perms;
  size_t ndev;
};

struct cgroup_systemd_props {
  struct cgroup_systemd_prop *items;
  size_t len;
};

/* "system.slice:runc:abc" -> slice "system.slice", unit "runc-abc.scope";
 * empty -> system.slice, runc-<id>.scope.  Errors name the expected format. */
int cgroup_systemd_parse_path(const char *cgroups_path, const char *id, char **slice, char **unit,
                              ocirun_error_t **err);
/* "a-b-c.slice" -> "/a.slice/a-b.slice/a-b-c.slice"; "-.slice" -> "". */
int cgroup_systemd_expand_slice(const char *slice, char **out, ocirun_error_t **err);
/* "0-2,7" -> bitmask bytes, CPU 0 = bit 0 of byte 0 (AllowedCPUs). */
int cgroup_systemd_range_to_bits(const char *list, uint8_t **out, size_t *len,
                                 ocirun_error_t **err);
/* Unit properties for the resources (v2: MemoryMax, CPUWeight, ...; v1:
 * MemoryLimit, CPUShares, ...).  Always the accounting switches first. */
int cgroup_systemd_properties(const struct spec_resources *res, bool v2,
                              struct cgroup_systemd_props *out, ocirun_error_t **err);
void cgroup_systemd_props_clear(struct cgroup_systemd_props *p);

#endif
