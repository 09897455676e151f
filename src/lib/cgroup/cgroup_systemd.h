/* systemd cgroup driver helpers: cgroupsPath "slice:prefix:name", slice
 * expansion, and the unit properties runc sets for linux.resources. */
#ifndef OCIRUN_CGROUP_SYSTEMD_H
#define OCIRUN_CGROUP_SYSTEMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

/* A unit property.  type is the D-Bus signature of the value where it is one letter:
 * 't' uint64 (u), 'i' int32, 'u' uint32, 'x' int64, 'n' int16, 'q' uint16, 'Y' byte
 * (all in i but 't'), 'd' double (d), 'b' bool (b), 's' string, 'o' object path,
 * 'g' signature (s); and 'y' byte array "ay" (bytes), 'A' string array "as" (strv),
 * 'D' device list "a(ss)" (dev_paths[i], dev_perms[i]). */
struct cgroup_systemd_prop {
  const char *name;
  char type;
  uint64_t u;
  int64_t i;
  double d;
  bool b;
  char *s;
  uint8_t *bytes;
  size_t nbytes;
  char **strv;
  size_t nstrv;
  char **dev_paths, **dev_perms;
  size_t ndev;
  char *owned_name; /* name, when it is not a literal */
};

struct cgroup_systemd_props {
  struct cgroup_systemd_prop *items;
  size_t len;
};

/* "system.slice:runc:abc" -> slice "system.slice", unit "runc-abc.scope";
 * empty -> system.slice (user.slice for the user's own manager, as runc), runc-<id>.scope.
 * Errors name the expected format. */
int cgroup_systemd_parse_path(const char *cgroups_path, const char *id, bool user, char **slice,
                              char **unit, ocirun_error_t **err);
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
/* Sorts the properties by the name of the drop-in systemd writes for each (stable). systemd
 * lists a unit's drop-ins in the order it wrote them and compares that list with the sorted
 * one on disk: written in another order, the unit reports NeedDaemonReload=yes. */
void cgroup_systemd_props_dropin_order(struct cgroup_systemd_props *p);
/* The cpu quota systemd puts in force for (quota, period): CPUQuotaPerSecUSec is rounded up
 * to whole percents, so the cgroupfs write after it uses the same value (runc's rule). */
int64_t cgroup_systemd_quota_in_force(int64_t quota, uint64_t period);
void cgroup_systemd_prop_clear(struct cgroup_systemd_prop *p);

/* cgroup_systemd_variant.c: one value in the GVariant text format (the subset unit
 * properties take: numbers with or without a type, booleans, strings, string arrays)
 * into v (name unset); -1 when the text is not such a value. */
int cgroup_systemd_parse_variant(const char *text, struct cgroup_systemd_prop *v);
/* The "org.systemd.property.NAME" annotations as unit properties, appended to out;
 * errors as runc's ("Annotation KEY name incorrect: NAME", "... value parse error"). */
int cgroup_systemd_annotation_props(const struct spec_kv_list *annotations,
                                    struct cgroup_systemd_props *out, ocirun_error_t **err);
/* The linux.resources.unified keys systemd also knows (cpu.weight, cpu.max, cpuset.*,
 * memory.{min,low,high,max,swap.max}, pids.max) as unit properties, appended to out
 * after the converted ones so that they win; other keys only go to cgroupfs. */
int cgroup_systemd_unified_props(const struct spec_kv_list *unified,
                                 struct cgroup_systemd_props *out, ocirun_error_t **err);

/* cgroup_systemd.c: the systemd1.Manager calls the driver makes, and the body of one
 * (unit, then per method: "replace", true, the (sv) properties: base, PIDs (with
 * SD_START), annotated, props; no auxiliary units) in cgroup_systemd_signatures[kind]. */
enum cgroup_systemd_method { SD_START, SD_SET, SD_STOP, SD_RESET_FAILED };
extern const char *const cgroup_systemd_signatures[];
struct dbus_writer;
int cgroup_systemd_marshal(enum cgroup_systemd_method kind, const char *unit,
                           const struct cgroup_systemd_prop *base, size_t nbase, pid_t pid,
                           const struct cgroup_systemd_props *annotated,
                           const struct cgroup_systemd_props *props, struct dbus_writer *w);

/* The string in the reply m of org.freedesktop.DBus.Properties.Get (a variant holding a
 * string), malloc'd into *out; any other reply is an error (EBADMSG) that says what the
 * reply held (the caller names the property). */
struct dbus_message;
int cgroup_systemd_string_property(const struct dbus_message *m, char **out, ocirun_error_t **err);
/* The unit's cgroup below a user manager whose ControlGroup is manager_cg, joined as runc
 * joins them: manager_cg, the expanded slice ("/user.slice"), the unit, cleaned ("" and "/"
 * are the root; ".." never climbs above it).  malloc'd; NULL when out of memory. */
char *cgroup_systemd_unit_dir(const char *manager_cg, const char *expanded_slice, const char *unit);

#endif
