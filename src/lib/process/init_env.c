#include "process/init_env.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"

static size_t key_len(const char *kv) {
  const char *eq = strchr(kv, '=');
  return eq ? (size_t)(eq - kv) : strlen(kv);
}

/* True when a later entry sets the same key: the last one wins, each key is set once. */
static bool overridden_later(const struct spec_strv *env, size_t i) {
  size_t klen = key_len(env->items[i]);
  for (size_t j = i + 1; j < env->len; j++)
    if (key_len(env->items[j]) == klen && strncmp(env->items[j], env->items[i], klen) == 0)
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
  bool has_home = false;
  for (size_t i = 0; i < env->len; i++) {
    const char *kv = env->items[i];
    if (listen_fds && (strncmp(kv, "LISTEN_FDS=", 11) == 0 || strncmp(kv, "LISTEN_PID=", 11) == 0))
      continue;
    if (overridden_later(env, i))
      continue;
    /* An empty HOME is replaced by the user's home, as runc does. */
    if (strncmp(kv, "HOME=", 5) == 0) {
      if (kv[5] == '\0')
        continue;
      has_home = true;
    }
    v[n++] = (char *)kv;
  }
  if (listen_fds) {
    /* The container's init is pid 1 of its namespace: that is the LISTEN_PID it sees. */
    if (asprintf(&v[n++], "LISTEN_FDS=%d", nfds) < 0 || !(v[n++] = strdup("LISTEN_PID=1")))
      return ocirun_error_set(err, ENOMEM, "build process environment");
  }
  if (!has_home) {
    _cleanup_free_ char *home = home_of(uid);
    if (asprintf(&v[n++], "HOME=%s", home && home[0] ? home : "/") < 0)
      return ocirun_error_set(err, ENOMEM, "build process environment");
  }
  v[n] = NULL;
  *out = v;
  return 0;
}
