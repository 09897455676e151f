/* exec --cgroup: which sub-cgroup of the container's cgroup an exec'd process joins, per
 * hierarchy.  Each flag is [CONTROLLER[,CONTROLLER...]:]PATH; a PATH without controllers
 * applies to every hierarchy not named by another flag, "/" is the container's cgroup
 * itself, and nothing may lead out of it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup/cgroup.h"

void cgroup_subs_free(struct cgroup_sub *s, size_t n) {
  for (size_t i = 0; s && i < n; i++) {
    free(s[i].controllers);
    free(s[i].path);
  }
  free(s);
}

/* PATH relative to the container's cgroup, without "." or empty components; NULL when a
 * ".." component would leave it. */
static char *local_path(const char *path) {
  char *out = calloc(1, strlen(path) + 1);
  const char *p = path;

  if (out == NULL)
    return NULL;
  while (*p) {
    size_t len = strcspn(p, "/");
    if (len == 2 && p[0] == '.' && p[1] == '.') {
      free(out);
      errno = EINVAL;
      return NULL;
    }
    if (len > 0 && !(len == 1 && p[0] == '.')) {
      if (out[0])
        strcat(out, "/");
      strncat(out, p, len);
    }
    p += len;
    while (*p == '/')
      p++;
  }
  return out;
}

int cgroup_subs_parse(char *const *args, size_t n, struct cgroup_sub **out, ocirun_error_t **err) {
  struct cgroup_sub *s = calloc(n ? n : 1, sizeof(*s));

  *out = NULL;
  if (s == NULL)
    return ocirun_error_set(err, ENOMEM, "--cgroup");
  for (size_t i = 0; i < n; i++) {
    const char *colon = strchr(args[i], ':');
    const char *path = colon ? colon + 1 : args[i];
    if (colon) {
      s[i].controllers = strndup(args[i], (size_t)(colon - args[i]));
      if (s[i].controllers && (s[i].controllers[0] == '\0' || strstr(s[i].controllers, ",,"))) {
        cgroup_subs_free(s, n);
        return ocirun_error_set(err, EINVAL, "invalid --cgroup argument: %s (empty <controller>)",
                                args[i]);
      }
    }
    s[i].path = local_path(path);
    if (s[i].path == NULL || (colon && s[i].controllers == NULL)) {
      int e = errno;
      cgroup_subs_free(s, n);
      if (e == EINVAL)
        return ocirun_error_set(err, EINVAL, "bad sub cgroup path: %s", path);
      return ocirun_error_set(err, ENOMEM, "--cgroup");
    }
  }
  *out = s;
  return 0;
}

bool cgroup_controllers_overlap(const char *a, const char *b) {
  const char *p = a;
  while (*p) {
    size_t len = strcspn(p, ",");
    for (const char *q = b; *q;) {
      size_t qlen = strcspn(q, ",");
      if (qlen == len && strncmp(p, q, len) == 0)
        return true;
      q += qlen + (q[qlen] == ',');
    }
    p += len + (p[len] == ',');
  }
  return false;
}

const char *cgroup_subs_pick(const struct cgroup_sub *s, size_t n, const char *controllers) {
  const char *all = NULL;
  /* The last flag naming one of this hierarchy's controllers wins, then the last one
   * without controllers. */
  for (size_t i = n; i-- > 0;) {
    if (s[i].controllers == NULL) {
      if (all == NULL)
        all = s[i].path;
    } else if (cgroup_controllers_overlap(s[i].controllers, controllers)) {
      return s[i].path;
    }
  }
  return all;
}
