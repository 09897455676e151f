#include "linux/id_map.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/proc_verify.h"
#include "util/cleanup.h"

/* The kernel takes at most a page of map text per write. */
#define MAP_TEXT_MAX 4096

int id_map_format(const struct spec_id_mapping *m, size_t n, char *buf, size_t size) {
  size_t used = 0;

  if (size == 0)
    return -1;
  buf[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    int w;
    if (m[i].size == 0 || (uint64_t)m[i].container_id + m[i].size > UINT32_MAX + (uint64_t)1 ||
        (uint64_t)m[i].host_id + m[i].size > UINT32_MAX + (uint64_t)1)
      return -1;
    w = snprintf(buf + used, size - used, "%" PRIu32 " %" PRIu32 " %" PRIu32 "\n",
                 m[i].container_id, m[i].host_id, m[i].size);
    if (w < 0 || (size_t)w >= size - used)
      return -1;
    used += (size_t)w;
  }
  return 0;
}

bool id_map_is_own_id(const struct spec_id_mapping *m, size_t n, uint32_t own) {
  return n == 1 && m[0].host_id == own && m[0].size == 1;
}

void id_map_plan_for(const struct spec_linux *l, uid_t euid, gid_t egid, struct id_map_plan *out) {
  memset(out, 0, sizeof(*out));
  if (euid == 0)
    return;
  out->uid_helper = l->uid_mappings_len > 0 &&
                    !id_map_is_own_id(l->uid_mappings, l->uid_mappings_len, (uint32_t)euid);
  out->gid_helper = l->gid_mappings_len > 0 &&
                    !id_map_is_own_id(l->gid_mappings, l->gid_mappings_len, (uint32_t)egid);
  /* Writing gid_map without CAP_SETGID over the parent namespace is refused
   * until setgroups is denied; newgidmap is privileged and needs no such step. */
  out->deny_setgroups = l->gid_mappings_len > 0 && !out->gid_helper;
}

void id_map_argv_free(char **argv) {
  if (argv == NULL)
    return;
  for (char **a = argv; *a; a++)
    free(*a);
  free(argv);
}

char **id_map_helper_argv(const char *helper, pid_t pid, const struct spec_id_mapping *m,
                          size_t n) {
  char **argv = calloc(3 + 3 * n, sizeof(char *));
  size_t k = 0;

  if (argv == NULL)
    return NULL;
  if ((argv[k++] = strdup(helper)) == NULL || asprintf(&argv[k++], "%d", (int)pid) < 0)
    goto fail;
  for (size_t i = 0; i < n; i++) {
    if (asprintf(&argv[k++], "%" PRIu32, m[i].container_id) < 0 ||
        asprintf(&argv[k++], "%" PRIu32, m[i].host_id) < 0 ||
        asprintf(&argv[k++], "%" PRIu32, m[i].size) < 0)
      goto fail;
  }
  return argv;
fail:
  /* asprintf leaves its pointer undefined on failure. */
  argv[k - 1] = NULL;
  id_map_argv_free(argv);
  return NULL;
}

/* exec.LookPath: the first executable `name` in $PATH (a default PATH when unset). */
static char *find_in_path(const char *name) {
  const char *path = getenv("PATH");
  _cleanup_free_ char *copy = strdup(path && *path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
  char *save = NULL;

  if (copy == NULL)
    return NULL;
  for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
    char *full = NULL;
    if (asprintf(&full, "%s/%s", *dir ? dir : ".", name) < 0)
      return NULL;
    if (access(full, X_OK) == 0)
      return full;
    free(full);
  }
  return NULL;
}

/* Runs the helper with the mapping; its stderr becomes part of the error. */
static int run_helper(const char *name, pid_t pid, const struct spec_id_mapping *m, size_t n,
                      ocirun_error_t **err) {
  _cleanup_free_ char *path = find_in_path(name);
  char **argv = NULL;
  char out[512];
  size_t used = 0;
  int pipefd[2], status;
  pid_t child;

  if (path == NULL)
    return ocirun_error_set(err, ENOENT,
                            "%s not found in PATH: mapping more than the caller's own id "
                            "needs it (Debian package uidmap) and ranges in /etc/sub%cid",
                            name, name[3] == 'u' ? 'u' : 'g');
  argv = id_map_helper_argv(path, pid, m, n);
  if (argv == NULL)
    return ocirun_error_set(err, ENOMEM, "%s arguments", name);
  if (pipe2(pipefd, O_CLOEXEC) < 0) {
    id_map_argv_free(argv);
    return ocirun_error_set(err, errno, "pipe for %s", name);
  }
  child = fork();
  if (child < 0) {
    int saved = errno;
    close(pipefd[0]);
    close(pipefd[1]);
    id_map_argv_free(argv);
    return ocirun_error_set(err, saved, "fork %s", name);
  }
  if (child == 0) {
    dup2(pipefd[1], STDOUT_FILENO);
    dup2(pipefd[1], STDERR_FILENO);
    execv(argv[0], argv);
    dprintf(STDERR_FILENO, "exec: %s", strerror(errno));
    _exit(127);
  }
  close(pipefd[1]);
  for (;;) {
    ssize_t r = read(pipefd[0], out + used, sizeof(out) - 1 - used);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    used += (size_t)r;
    if (used == sizeof(out) - 1)
      break;
  }
  close(pipefd[0]);
  out[used] = '\0';
  while (used > 0 && (out[used - 1] == '\n' || out[used - 1] == ' '))
    out[--used] = '\0';
  if (wait_pid(child, &status, err) < 0) {
    id_map_argv_free(argv);
    return ocirun_error_prefix(err, "%s", name);
  }
  id_map_argv_free(argv);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return 0;
  return ocirun_error_set(err, 0, "%s %d failed (exit status %d)%s%s", path, (int)pid,
                          WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
                          used ? ": " : "", out);
}

static int write_proc_file(pid_t pid, const char *file, const char *text, ocirun_error_t **err) {
  char rel[64];

  snprintf(rel, sizeof(rel), "%d/%s", (int)pid, file);
  return proc_safe_write(rel, text, err);
}

static int write_one(pid_t pid, const char *file, const char *helper, bool use_helper,
                     const struct spec_id_mapping *m, size_t n, const char *json_path,
                     ocirun_error_t **err) {
  char text[MAP_TEXT_MAX];

  if (n == 0)
    return 0;
  if (id_map_format(m, n, text, sizeof(text)) < 0)
    return ocirun_error_set(err, EINVAL, "%s: an entry is empty, wraps, or the map is too long",
                            json_path);
  if (use_helper)
    return run_helper(helper, pid, m, n, err);
  return write_proc_file(pid, file, text, err);
}

int id_map_write_for(pid_t pid, const struct spec_linux *l, ocirun_error_t **err) {
  struct id_map_plan plan;

  id_map_plan_for(l, geteuid(), getegid(), &plan);
  if (write_one(pid, "uid_map", "newuidmap", plan.uid_helper, l->uid_mappings, l->uid_mappings_len,
                ".linux.uidMappings", err) < 0)
    return -1;
  if (plan.deny_setgroups && write_proc_file(pid, "setgroups", "deny", err) < 0)
    return -1;
  return write_one(pid, "gid_map", "newgidmap", plan.gid_helper, l->gid_mappings,
                   l->gid_mappings_len, ".linux.gidMappings", err);
}

int id_map_userns_fd(const struct spec_id_mapping *uid, size_t nuid,
                     const struct spec_id_mapping *gid, size_t ngid, ocirun_error_t **err) {
  struct spec_linux l = {.uid_mappings = (struct spec_id_mapping *)uid,
                         .uid_mappings_len = nuid,
                         .gid_mappings = (struct spec_id_mapping *)gid,
                         .gid_mappings_len = ngid};
  int ready[2], hold[2], fd = -1;
  char path[64], c;
  pid_t child;

  if (pipe2(ready, O_CLOEXEC) < 0)
    return ocirun_error_set(err, errno, "pipe for an id-mapping user namespace");
  if (pipe2(hold, O_CLOEXEC) < 0) {
    int saved = errno;
    close(ready[0]);
    close(ready[1]);
    return ocirun_error_set(err, saved, "pipe for an id-mapping user namespace");
  }
  child = fork();
  if (child == 0) {
    /* Lives only until the parent holds its namespace: EOF on `hold` ends it. */
    close(ready[0]);
    close(hold[1]);
    c = unshare(CLONE_NEWUSER) == 0 ? 'y' : 'n';
    if (write(ready[1], &c, 1) != 1)
      _exit(1);
    while (read(hold[0], &c, 1) < 0 && errno == EINTR)
      ;
    _exit(0);
  }
  close(ready[1]);
  close(hold[0]);
  if (child < 0) {
    ocirun_error_set(err, errno, "fork for an id-mapping user namespace");
    goto out;
  }
  if (read(ready[0], &c, 1) != 1 || c != 'y') {
    ocirun_error_set(err, EPERM, "unshare a user namespace for an id mapping");
    goto out;
  }
  if (id_map_write_for(child, &l, err) < 0) {
    ocirun_error_prefix(err, "id-mapping user namespace");
    goto out;
  }
  snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)child);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    ocirun_error_set(err, errno, "open %s", path);
out:
  close(ready[0]);
  close(hold[1]);
  if (child > 0)
    wait_pid(child, NULL, NULL);
  return fd;
}
