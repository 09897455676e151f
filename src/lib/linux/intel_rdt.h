/* linux.intelRdt: the container's resctrl group (CLOS), its schemata, an
 * optional monitoring group, as runc 1.4 does.  Untested on real hardware:
 * the tests run against a tree of plain files laid out like resctrl. */
#ifndef OCIRUN_LINUX_INTEL_RDT_H
#define OCIRUN_LINUX_INTEL_RDT_H

#include <stdbool.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

/* The mount point of the first resctrl filesystem in mountinfo text, malloc'd
 * into *mountpoint; 0 when found, -1 when there is none.  Pure. */
int intel_rdt_find_mount(const char *mountinfo, char **mountpoint);

/* The resctrl mount of the runtime's mount namespace (/proc/self/mountinfo);
 * none is the runtime-spec's error "no mounted resctrl". */
int intel_rdt_root(char **root, ocirun_error_t **err);

/* Before anything is made: closID is a plain name (or "/"), resctrl is
 * mounted, L3 and MB schemas only where the kernel offers CAT (info/L3) and
 * MBA (info/MB), no newline in any schema line. */
int intel_rdt_validate(const struct spec_intel_rdt *rdt, ocirun_error_t **err);

/* The group directory for a container: <root>/<closID>, <root> for "/", or
 * <root>/<id>.  malloc'd. */
int intel_rdt_group_path(const struct spec_intel_rdt *rdt, const char *id, char **path,
                         ocirun_error_t **err);

/* Makes (or joins) the group at path and adds pid to its tasks; *created says
 * whether it is ours to remove at delete (made here, and not named by closID).  A closID without
 * any schema must exist already (the runtime-spec: a pre-configured group).  With enableMonitoring,
 * mon_groups/<id> is made below it and pid joins it too (*mon_path). */
int intel_rdt_apply(const struct spec_intel_rdt *rdt, const char *id, const char *path, pid_t pid,
                    bool *created, char **mon_path, ocirun_error_t **err);

/* Writes the schemata: l3CacheSchema and memBwSchema together (L3 first),
 * then the schemata lines. */
int intel_rdt_set(const struct spec_intel_rdt *rdt, const char *path, ocirun_error_t **err);

/* Adds pid to the tasks of path (an exec process). */
int intel_rdt_add_task(const char *path, pid_t pid, ocirun_error_t **err);

/* At delete: the monitoring group, and the group itself when created. */
int intel_rdt_remove(const char *path, bool created, const char *mon_path, ocirun_error_t **err);

#endif
