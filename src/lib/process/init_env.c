#include "process/init_env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

static bool env_has(const struct spec_strv *env, const char *key) {
  size_t klen = strlen(key);
  for (size_t i = 0; i < env->len; i++)
    if (strncmp(env->items[i], key, klen) == 0 && env->items[i][klen] == '=')
      return true;
  return false;
}

/* HOME of uid from the container's /etc/passwd (we are inside its root now). */
static char *home_of(uint32_t uid) {
  _cleanup_fclose_ FILE *f = fopen("/etc/passwd", "re");
  char line[1024];

  if (f == NULL)
    return NULL;
  while (fgets(line, sizeof(line), f)) {
    char *fields[7];
    char *save = NULL, *p = line;
    int n = 0;
    /* name:pw:uid:gid:gecos:home:shell — empty fields are allowed, so split by hand */
    for (; n < 7 && p; n++) {
      fields[n] = p;
      p = strchr(p, ':');
      if (p)
        *p++ = '\0';
    }
    (void)save;
    if (n < 6)
      continue;
    char *end = NULL;
    unsigned long u = strtoul(fields[2], &end, 10);
    if (end == fields[2] || *end != '\0' || u != uid)
      continue;
    return strdup(fields[5]);
  }
  return NULL;
}

int process_env_build(const struct spec_strv *env, bool listen_fds, int nfds, uint32_t uid,
                      char ***out, ocirun_error_t **err) {
  size_t n = 0, cap = env->len + 4;
  char **v = calloc(cap, sizeof(char *));

  if (v == NULL)
    return ocirun_error_set(err, ENOMEM, "build process environment");
  for (size_t i = 0; i < env->len; i++) {
    if (listen_fds && (strncmp(env->items[i], "LISTEN_FDS=", 11) == 0 ||
                       strncmp(env->items[i], "LISTEN_PID=", 11) == 0))
      continue;
    v[n++] = env->items[i];
  }
  if (listen_fds) {
    /* The container's init is pid 1 of its namespace: that is the LISTEN_PID it sees. */
    if (asprintf(&v[n++], "LISTEN_FDS=%d", nfds) < 0 || !(v[n++] = strdup("LISTEN_PID=1")))
      return ocirun_error_set(err, ENOMEM, "build process environment");
  }
  if (!env_has(env, "HOME")) {
    _cleanup_free_ char *home = home_of(uid);
    if (asprintf(&v[n++], "HOME=%s", home && home[0] ? home : "/") < 0)
      return ocirun_error_set(err, ENOMEM, "build process environment");
  }
  v[n] = NULL;
  *out = v;
  return 0;
}
