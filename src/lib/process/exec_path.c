#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "process/init.h"

static const char *env_path(char *const env[]) {
  for (size_t i = 0; env && env[i]; i++)
    if (strncmp(env[i], "PATH=", 5) == 0)
      return env[i] + 5;
  /* execvp's default when PATH is unset */
  return "/usr/local/bin:/bin:/usr/bin";
}

static int is_executable_file(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0)
    return -errno;
  if (!S_ISREG(st.st_mode))
    return -EACCES;
  if (access(path, X_OK) < 0)
    return -errno;
  return 0;
}

int exec_path_lookup(const char *file, char *const env[], char **out, ocirun_error_t **err) {
  const char *path;

  if (file == NULL || file[0] == '\0')
    return ocirun_error_set(err, EINVAL, "exec: no command given (.process.args is empty)");
  if (strchr(file, '/')) {
    int r = is_executable_file(file);
    if (r < 0) {
      /* Worded like the reference runtime (lower-case errno text): docker maps
       * "no such file or directory" to exit code 127 and "permission denied" to 126. */
      char reason[128];
      snprintf(reason, sizeof(reason), "%s", strerror(-r));
      reason[0] = (char)tolower((unsigned char)reason[0]);
      if (r == -ENOENT)
        return ocirun_error_set(err, 0, "exec: \"%s\": stat %s: %s", file, file, reason);
      return ocirun_error_set(err, 0, "exec: \"%s\": %s", file, reason);
    }
    *out = strdup(file);
    return *out ? 0 : ocirun_error_set(err, ENOMEM, "exec: \"%s\"", file);
  }
  path = env_path(env);
  while (path) {
    const char *colon = strchr(path, ':');
    size_t dlen = colon ? (size_t)(colon - path) : strlen(path);
    char *candidate = NULL;
    if (asprintf(&candidate, "%.*s/%s", (int)dlen, dlen ? path : ".", file) < 0)
      return ocirun_error_set(err, ENOMEM, "exec: \"%s\"", file);
    if (is_executable_file(candidate) == 0) {
      *out = candidate;
      return 0;
    }
    free(candidate);
    path = colon ? colon + 1 : NULL;
  }
  return ocirun_error_set(err, 0, "exec: \"%s\": executable file not found in $PATH", file);
}

int process_chdir(const char *cwd, ocirun_error_t **err) {
  char buf[4096];

  if (cwd == NULL || cwd[0] == '\0')
    return 0;
  if (chdir(cwd) < 0)
    return ocirun_error_set(err, errno, "chdir to cwd %s", cwd);
  /* The kernel reports a directory outside our root as "(unreachable)/...", which
   * glibc's getcwd turns into ENOENT. */
  if (getcwd(buf, sizeof(buf)) == NULL || buf[0] != '/')
    return ocirun_error_set(err, 0, "cwd %s is outside the container's root filesystem", cwd);
  return 0;
}

int exec_failed(const char *path, int errnum, ocirun_error_t **err) {
  char reason[128];
  /* The reference runtime's text, which callers match: "exec /run.sh: no such file or
   * directory" (its error strings start in lower case). */
  snprintf(reason, sizeof(reason), "%s", strerror(errnum));
  reason[0] = (char)tolower((unsigned char)reason[0]);
  ocirun_error_set(err, 0, "exec %s: %s", path, reason);
  if (*err)
    (*err)->status = errnum;
  return -1;
}
