#include "linux/intel_rdt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/mountinfo.h"

int intel_rdt_find_mount(const char *mountinfo, char **mountpoint) {
  _cleanup_free_ char *text = strdup(mountinfo);
  struct mountinfo_entry e;

  if (text == NULL)
    return -1;
  for (char *cur = text; mountinfo_next(&cur, &e);)
    if (strcmp(e.fstype, "resctrl") == 0)
      return (*mountpoint = strdup(e.mountpoint)) ? 0 : -1;
  return -1;
}

int intel_rdt_root(char **root, ocirun_error_t **err) {
  _cleanup_free_ char *mi = NULL;

  if (mountinfo_read_self(&mi, err) < 0)
    return -1;
  if (intel_rdt_find_mount(mi, root) < 0)
    return ocirun_error_set(err, ENOENT,
                            ".linux.intelRdt: Intel RDT is not available: no resctrl filesystem "
                            "is mounted");
  return 0;
}

static bool exists_below(const char *root, const char *rel) {
  _cleanup_free_ char *p = NULL;
  struct stat st;
  return asprintf(&p, "%s/%s", root, rel) >= 0 && stat(p, &st) == 0;
}

static bool has_newline(const char *s) {
  return s && strchr(s, '\n') != NULL;
}

int intel_rdt_validate(const struct spec_intel_rdt *rdt, ocirun_error_t **err) {
  const char *clos = rdt->clos_id;
  _cleanup_free_ char *root = NULL;

  if (!rdt->present)
    return 0;
  if (clos && strcmp(clos, "/") != 0 &&
      (strcmp(clos, ".") == 0 || strcmp(clos, "..") == 0 || strchr(clos, '/')))
    return ocirun_error_set(err, 0, ".linux.intelRdt.closID: invalid intelRdt.ClosID \"%s\"", clos);
  if (has_newline(rdt->l3_cache_schema))
    return ocirun_error_set(err, 0, ".linux.intelRdt.l3CacheSchema: must not contain a newline");
  for (size_t i = 0; i < rdt->schemata.len; i++)
    if (has_newline(rdt->schemata.items[i]))
      return ocirun_error_set(err, 0, ".linux.intelRdt.schemata[%zu]: must not contain a newline",
                              i);
  if (intel_rdt_root(&root, err) < 0)
    return -1;
  /* runc's checks: the kernel offers the resource (rdt= may disable one). */
  if (rdt->l3_cache_schema && rdt->l3_cache_schema[0] && !exists_below(root, "info/L3"))
    return ocirun_error_set(err, 0,
                            "intelRdt.l3CacheSchema is specified in config, but Intel RDT/CAT is "
                            "not enabled");
  if (rdt->mem_bw_schema && rdt->mem_bw_schema[0] && !exists_below(root, "info/MB"))
    return ocirun_error_set(err, 0,
                            "intelRdt.memBwSchema is specified in config, but Intel RDT/MBA is "
                            "not enabled");
  if (rdt->enable_monitoring && !exists_below(root, "info/L3_MON"))
    return ocirun_error_set(err, 0,
                            "intelRdt.enableMonitoring is specified in config, but resctrl has "
                            "no monitoring (info/L3_MON)");
  return 0;
}

int intel_rdt_group_path(const struct spec_intel_rdt *rdt, const char *id, char **path,
                         ocirun_error_t **err) {
  _cleanup_free_ char *root = NULL;
  const char *clos = rdt->clos_id && rdt->clos_id[0] ? rdt->clos_id : id;

  if (intel_rdt_root(&root, err) < 0)
    return -1;
  if (strcmp(clos, "/") == 0) {
    *path = root;
    root = NULL;
    return 0;
  }
  if (asprintf(path, "%s/%s", root, clos) < 0) {
    *path = NULL;
    return ocirun_error_set(err, ENOMEM, "Intel RDT path");
  }
  return 0;
}

/* The kernel says why it refused a write in info/last_cmd_status. */
static int rdt_error(const char *path, int errno_, const char *what, ocirun_error_t **err) {
  _cleanup_free_ char *root = NULL, *status = NULL, *file = NULL;
  ocirun_error_t *ignored = NULL;

  if (intel_rdt_root(&root, &ignored) == 0 &&
      asprintf(&file, "%s/info/last_cmd_status", root) >= 0 &&
      fs_read_file(file, 4096, &status, NULL, &ignored) == 0) {
    status[strcspn(status, "\n")] = '\0';
    return ocirun_error_set(err, errno_, "Intel RDT: %s %s (last_cmd_status: %s)", what, path,
                            status);
  }
  ocirun_error_free(&ignored);
  return ocirun_error_set(err, errno_, "Intel RDT: %s %s", what, path);
}

/* One write of value into dir/name.  resctrl's files always exist and take each
 * write as a whole whatever the offset: O_CREAT never creates one there and
 * O_APPEND changes nothing, and they let the same code run against a tree of
 * plain files (where every write is kept, in order). */
static int write_file(const char *dir, const char *name, const char *value, ocirun_error_t **err) {
  _cleanup_free_ char *p = NULL;
  _cleanup_close_ int fd = -1;
  size_t len = strlen(value);

  if (asprintf(&p, "%s/%s", dir, name) < 0) {
    p = NULL;
    return ocirun_error_set(err, ENOMEM, "Intel RDT path");
  }
  fd = open(p, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0)
    return rdt_error(p, errno, "open", err);
  if (write(fd, value, len) != (ssize_t)len)
    return rdt_error(p, errno ? errno : EIO, "write", err);
  return 0;
}

int intel_rdt_add_task(const char *path, pid_t pid, ocirun_error_t **err) {
  char buf[24];
  snprintf(buf, sizeof(buf), "%d\n", (int)pid);
  return write_file(path, "tasks", buf, err);
}

static bool has_schema(const struct spec_intel_rdt *rdt) {
  return (rdt->l3_cache_schema && rdt->l3_cache_schema[0]) ||
         (rdt->mem_bw_schema && rdt->mem_bw_schema[0]) || rdt->schemata.len > 0;
}

int intel_rdt_apply(const struct spec_intel_rdt *rdt, const char *id, const char *path, pid_t pid,
                    bool *created, char **mon_path, ocirun_error_t **err) {
  struct stat st;

  *created = false;
  if (rdt->clos_id && rdt->clos_id[0] && !has_schema(rdt) && stat(path, &st) < 0)
    return ocirun_error_set(err, errno,
                            ".linux.intelRdt.closID: the group %s must exist when no schema is "
                            "given",
                            path);
  /* A group named by closID belongs to whoever configured it: never ours to
   * remove, even when made here (the runtime-spec; runc likewise). */
  if (mkdir(path, 0755) == 0)
    *created = !(rdt->clos_id && rdt->clos_id[0]);
  else if (errno != EEXIST)
    return rdt_error(path, errno, "create group", err);
  if (intel_rdt_add_task(path, pid, err) < 0)
    return -1;
  if (rdt->enable_monitoring) {
    _cleanup_free_ char *mon = NULL;
    if (asprintf(&mon, "%s/mon_groups/%s", path, id) < 0) {
      mon = NULL;
      return ocirun_error_set(err, ENOMEM, "Intel RDT path");
    }
    /* resctrl makes mon_groups in every group itself; a plain tree has to be told. */
    char *slash = strrchr(mon, '/');
    *slash = '\0';
    if (mkdir(mon, 0755) < 0 && errno != EEXIST)
      return rdt_error(mon, errno, "create monitoring groups directory", err);
    *slash = '/';
    if (mkdir(mon, 0755) < 0 && errno != EEXIST)
      return rdt_error(mon, errno, "create monitoring group", err);
    *mon_path = mon;
    mon = NULL;
    if (intel_rdt_add_task(*mon_path, pid, err) < 0)
      return -1;
  }
  return 0;
}

int intel_rdt_set(const struct spec_intel_rdt *rdt, const char *path, ocirun_error_t **err) {
  const char *l3 = rdt->l3_cache_schema && rdt->l3_cache_schema[0] ? rdt->l3_cache_schema : NULL;
  const char *mb = rdt->mem_bw_schema && rdt->mem_bw_schema[0] ? rdt->mem_bw_schema : NULL;

  if (l3 || mb) {
    _cleanup_free_ char *v = NULL;
    if (asprintf(&v, "%s%s%s\n", l3 ? l3 : "", l3 && mb ? "\n" : "", mb ? mb : "") < 0) {
      v = NULL;
      return ocirun_error_set(err, ENOMEM, "Intel RDT schemata");
    }
    if (write_file(path, "schemata", v, err) < 0)
      return -1;
  }
  if (rdt->schemata.len > 0) {
    size_t len = 1;
    for (size_t i = 0; i < rdt->schemata.len; i++)
      len += strlen(rdt->schemata.items[i]) + 1;
    _cleanup_free_ char *v = malloc(len);
    if (v == NULL)
      return ocirun_error_set(err, ENOMEM, "Intel RDT schemata");
    v[0] = '\0';
    for (size_t i = 0; i < rdt->schemata.len; i++) {
      strcat(v, rdt->schemata.items[i]);
      strcat(v, "\n");
    }
    if (write_file(path, "schemata", v, err) < 0)
      return -1;
  }
  return 0;
}

#define RDTGROUP_SUPER_MAGIC 0x7655821

/* rmdir removes a resctrl group with its files (its tasks go to the parent).
 * Outside resctrl — the plain tree the tests lay out — the files this code
 * wrote are ordinary files and go first. */
static int remove_group(const char *path) {
  static const char *const written[] = {"tasks", "schemata", "mon_groups"};
  struct statfs sfs;

  if (rmdir(path) == 0 || errno == ENOENT)
    return 0;
  if (errno != ENOTEMPTY || statfs(path, &sfs) < 0 || sfs.f_type == RDTGROUP_SUPER_MAGIC)
    return -1;
  for (size_t i = 0; i < sizeof(written) / sizeof(written[0]); i++) {
    _cleanup_free_ char *p = NULL;
    if (asprintf(&p, "%s/%s", path, written[i]) >= 0 && unlink(p) < 0 && errno == EISDIR)
      rmdir(p);
  }
  return rmdir(path);
}

int intel_rdt_remove(const char *path, bool created, const char *mon_path, ocirun_error_t **err) {
  if (mon_path && remove_group(mon_path) < 0)
    return rdt_error(mon_path, errno, "remove monitoring group", err);
  if (created && path && remove_group(path) < 0)
    return rdt_error(path, errno, "remove group", err);
  return 0;
}
