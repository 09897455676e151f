/* Where a container's cgroup lives: the cgroup mounts of this host (read once
 * from /proc/self/mountinfo), the caller's own cgroups (/proc/self/cgroup) and
 * the cgroupsPath rules of runc's cgroupfs drivers. */
#include "cgroup/cgroup_paths.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/mountinfo.h"

char *cgroup_clean_path(const char *path) {
  size_t len = strlen(path);
  bool abs = path[0] == '/';
  _cleanup_free_ char *copy = strdup(path);
  char *out = malloc(len + 2), *save = NULL;
  size_t n = 0;

  if (copy == NULL || out == NULL) {
    free(out);
    return NULL;
  }
  if (len == 0) {
    out[0] = '\0';
    return out;
  }
  /* Relative paths are cleaned as if rooted, so ".." never escapes. */
  out[n++] = '/';
  for (char *tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
    if (strcmp(tok, ".") == 0)
      continue;
    if (strcmp(tok, "..") == 0) {
      while (n > 1 && out[n - 1] != '/')
        n--;
      if (n > 1)
        n--; /* the separator */
      continue;
    }
    if (n > 1)
      out[n++] = '/';
    size_t tl = strlen(tok);
    memcpy(out + n, tok, tl);
    n += tl;
  }
  out[n] = '\0';
  if (!abs) {
    memmove(out, out + 1, n); /* drop the leading '/', keep the NUL */
    if (out[0] == '\0') {
      out[0] = '.';
      out[1] = '\0';
    }
  }
  return out;
}

static char *join2(const char *a, const char *b) {
  size_t la = strlen(a);
  char *r;
  while (la > 0 && a[la - 1] == '/')
    la--;
  while (*b == '/')
    b++;
  if (asprintf(&r, "%.*s/%s", (int)la, a, b) < 0)
    return NULL;
  return r;
}

char *cgroup_compute_rel_mode(const char *cgroups_path, const char *id, const char *own,
                              const char *mount_root, bool v2_parent) {
  _cleanup_free_ char *inner = NULL, *base = NULL, *joined = NULL;

  if (cgroups_path && cgroups_path[0])
    inner = cgroup_clean_path(cgroups_path);
  else
    inner = cgroup_clean_path(id); /* the default: a child named like the container */
  if (inner == NULL)
    return NULL;
  if (inner[0] == '/')
    return steal_pointer(&inner);

  /* Relative: below the caller's own cgroup as the hierarchy shows it. */
  if (own == NULL || own[0] == '\0')
    own = "/";
  if (mount_root && strcmp(mount_root, "/") != 0) {
    size_t lr = strlen(mount_root);
    if (strncmp(own, mount_root, lr) == 0 && (own[lr] == '/' || own[lr] == '\0'))
      own += lr;
  }
  base = cgroup_clean_path(own[0] ? own : "/");
  if (base == NULL)
    return NULL;
  if (v2_parent) {
    /* cgroup v2: the caller's own cgroup usually holds processes, so that
     * controllers cannot be enabled below it; runc uses its parent. */
    char *slash = strrchr(base, '/');
    if (slash == base)
      base[1] = '\0';
    else if (slash)
      *slash = '\0';
  }
  if (base[0] != '/') {
    char *b = join2("/", base);
    free(base);
    base = b;
    if (base == NULL)
      return NULL;
  }
  joined = join2(base, inner);
  if (joined == NULL)
    return NULL;
  return cgroup_clean_path(joined);
}

char *cgroup_compute_rel(const char *cgroups_path, const char *id, const char *own,
                         const char *mount_root) {
  return cgroup_compute_rel_mode(cgroups_path, id, own, mount_root, false);
}

static bool known_v1_controller(const char *c) {
  static const char *const names[] = {"cpuset",     "cpu",     "cpuacct", "memory",  "devices",
                                      "freezer",    "blkio",   "pids",    "net_cls", "net_prio",
                                      "perf_event", "hugetlb", "rdma",    "misc",    NULL};
  if (strcmp(c, "name=systemd") == 0)
    return true;
  for (size_t i = 0; names[i]; i++)
    if (strcmp(names[i], c) == 0)
      return true;
  return false;
}

void cgroup_mounts_free(struct cgroup_mount *m, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(m[i].controllers);
    free(m[i].mountpoint);
    free(m[i].root);
  }
  free(m);
}

static size_t drop_mountpoint(struct cgroup_mount *v, size_t n, const char *mountpoint) {
  for (size_t i = 0; i < n;) {
    if (strcmp(v[i].mountpoint, mountpoint) != 0) {
      i++;
      continue;
    }
    free(v[i].controllers);
    free(v[i].mountpoint);
    free(v[i].root);
    memmove(&v[i], &v[i + 1], (n - i - 1) * sizeof(*v));
    n--;
  }
  return n;
}

int cgroup_mounts_parse(const char *text, struct cgroup_mount **out, size_t *count) {
  _cleanup_free_ char *copy = strdup(text);
  struct cgroup_mount *v = NULL;
  size_t n = 0;
  struct mountinfo_entry e;

  if (copy == NULL)
    return -ENOMEM;
  for (char *cur = copy; mountinfo_next(&cur, &e);) {
    /* A later mount on the same mount point hides the earlier one (e.g. a tmpfs
     * over the cgroup2 mount of a hybrid host): forget what it hides. */
    n = drop_mountpoint(v, n, e.mountpoint);
    if (strcmp(e.fstype, "cgroup") != 0 && strcmp(e.fstype, "cgroup2") != 0)
      continue;
    bool v2 = strcmp(e.fstype, "cgroup2") == 0;
    char *superopts = (char *)e.super_options; /* in the copy: ours to cut */
    _cleanup_free_ char *ctrl = calloc(1, strlen(superopts) + 1);
    if (ctrl == NULL)
      goto oom;
    if (!v2) {
      char *s3 = NULL;
      for (char *o = strtok_r(superopts, ",", &s3); o; o = strtok_r(NULL, ",", &s3)) {
        if (!known_v1_controller(o))
          continue;
        if (ctrl[0])
          strcat(ctrl, ",");
        strcat(ctrl, o);
      }
      if (ctrl[0] == '\0')
        continue; /* a named hierarchy nobody asked for */
    }
    /* First mount of a hierarchy wins (bind mounts of it come later). */
    bool dup = false;
    for (size_t i = 0; i < n; i++)
      if (v[i].v2 == v2 && strcmp(v[i].controllers, ctrl) == 0)
        dup = true;
    if (dup)
      continue;
    struct cgroup_mount *nv = realloc(v, (n + 1) * sizeof(*v));
    if (nv == NULL)
      goto oom;
    v = nv;
    v[n].v2 = v2;
    v[n].controllers = steal_pointer(&ctrl);
    v[n].root = strdup(e.root);
    v[n].mountpoint = strdup(e.mountpoint);
    n++;
    if (v[n - 1].root == NULL || v[n - 1].mountpoint == NULL)
      goto oom;
  }
  *out = v;
  *count = n;
  return 0;
oom:
  cgroup_mounts_free(v, n);
  return -ENOMEM;
}

/* Does the comma list `list` contain every controller of `ctrls`? */
static bool same_controllers(const char *list, const char *ctrls) {
  size_t ll = strlen(list), lc = strlen(ctrls);
  if (ll != lc)
    return false;
  _cleanup_free_ char *c = strdup(ctrls);
  char *save = NULL;
  if (c == NULL)
    return false;
  for (char *t = strtok_r(c, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    size_t tl = strlen(t);
    const char *p = list;
    bool found = false;
    while ((p = strstr(p, t)) != NULL) {
      if ((p == list || p[-1] == ',') && (p[tl] == ',' || p[tl] == '\0')) {
        found = true;
        break;
      }
      p += tl;
    }
    if (!found)
      return false;
  }
  return true;
}

char *cgroup_own_path(const char *proc_self_cgroup, const char *controllers, bool v2) {
  _cleanup_free_ char *copy = strdup(proc_self_cgroup);
  char *save = NULL;
  if (copy == NULL)
    return NULL;
  for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *c1 = strchr(line, ':'), *c2;
    if (c1 == NULL || (c2 = strchr(c1 + 1, ':')) == NULL)
      continue;
    *c1 = *c2 = '\0';
    const char *ctrls = c1 + 1, *path = c2 + 1;
    if (v2 ? (strcmp(line, "0") == 0 && ctrls[0] == '\0') : same_controllers(ctrls, controllers))
      return strdup(path);
  }
  return strdup("/");
}

int cgroup_read_mounts(struct cgroup_mount **out, size_t *count, ocirun_error_t **err) {
  _cleanup_free_ char *mi = NULL;
  if (mountinfo_read_self(&mi, err) < 0)
    return -1;
  if (cgroup_mounts_parse(mi, out, count) < 0)
    return ocirun_error_set(err, ENOMEM, "parse /proc/self/mountinfo");
  return 0;
}
