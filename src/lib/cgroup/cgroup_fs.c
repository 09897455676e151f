/* File helpers for cgroupfs: one write per value (the kernel parses each
 * write() separately), errors naming the resource, the value and the file. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup_internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/limits.h"

char *cg_join(const char *a, const char *b) {
  char *r;
  if (asprintf(&r, "%s/%s", a, b) < 0)
    return NULL;
  return r;
}

int cg_write(const char *dir, const char *file, const char *val, const char *what,
             ocirun_error_t **err) {
  _cleanup_free_ char *path = cg_join(dir, file);
  _cleanup_close_ int fd = -1;
  size_t len = strlen(val);
  ssize_t n;

  if (path == NULL)
    return ocirun_error_set(err, ENOMEM, "write %s", file);
  fd = open(path, O_WRONLY | O_CLOEXEC | O_TRUNC);
  if (fd < 0)
    n = -1;
  else
    do
      n = write(fd, val, len);
    while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (what)
      return ocirun_error_set(err, errno, "%s: write %s to %s", what, val, path);
    return ocirun_error_set(err, errno, "write %s to %s", val, path);
  }
  if ((size_t)n != len)
    return ocirun_error_set(err, EIO, "%s%swrite %s to %s: short write", what ? what : "",
                            what ? ": " : "", val, path);
  return 0;
}

int cg_writef(const char *dir, const char *file, const char *what, ocirun_error_t **err,
              const char *fmt, ...) {
  va_list ap;
  _cleanup_free_ char *val = NULL;
  int r;
  va_start(ap, fmt);
  r = vasprintf(&val, fmt, ap);
  va_end(ap);
  if (r < 0)
    return ocirun_error_set(err, ENOMEM, "write %s", file);
  return cg_write(dir, file, val, what, err);
}

int cg_read(const char *dir, const char *file, char **out, ocirun_error_t **err) {
  _cleanup_free_ char *path = cg_join(dir, file);
  if (path == NULL)
    return ocirun_error_set(err, ENOMEM, "read %s", file);
  return fs_read_file(path, LIMIT_PROC_FILE, out, NULL, err);
}

int cg_read_u64(const char *dir, const char *file, uint64_t *out, ocirun_error_t **err) {
  _cleanup_free_ char *s = NULL;
  char *end;
  if (cg_read(dir, file, &s, err) < 0)
    return -1;
  if (strncmp(s, "max", 3) == 0) {
    *out = UINT64_MAX;
    return 0;
  }
  errno = 0;
  *out = strtoull(s, &end, 10);
  if (errno || end == s)
    return ocirun_error_set(err, errno ? errno : EINVAL, "parse %s/%s: %s", dir, file, s);
  return 0;
}

int cg_read_keyed(const char *dir, const char *file, const char *key, uint64_t *out,
                  ocirun_error_t **err) {
  _cleanup_free_ char *s = NULL;
  size_t kl = strlen(key);
  if (cg_read(dir, file, &s, err) < 0)
    return -1;
  for (char *line = s; line && *line;) {
    char *nl = strchr(line, '\n');
    if (strncmp(line, key, kl) == 0 && line[kl] == ' ') {
      *out = strtoull(line + kl + 1, NULL, 10);
      return 0;
    }
    line = nl ? nl + 1 : NULL;
  }
  *out = 0;
  return 1;
}

bool cg_exists(const char *dir, const char *file) {
  _cleanup_free_ char *path = cg_join(dir, file);
  return path && access(path, F_OK) == 0;
}

int cg_mkdir_p(const char *path, ocirun_error_t **err) {
  if (mkdir(path, 0755) == 0 || errno == EEXIST)
    return 0;
  if (errno != ENOENT)
    return ocirun_error_set(err, errno, "create cgroup %s", path);
  return fs_mkdir_p(path, 0755, err);
}

static void short_sleep(long ms) {
  struct timespec ts = {0, ms * 1000000L};
  nanosleep(&ts, NULL);
}

int cg_rmdir_tree(const char *path, ocirun_error_t **err) {
  /* The common case has no sub-cgroups: try the rmdir before listing anything. */
  if (rmdir(path) == 0 || errno == ENOENT)
    return 0;
  /* cgroup v1 answers EBUSY for a directory with sub-cgroups, v2 ENOTEMPTY/EBUSY. */
  if (errno == ENOTEMPTY || errno == EEXIST || errno == EBUSY) {
    _cleanup_closedir_ DIR *d = opendir(path);
    if (d == NULL)
      return errno == ENOENT ? 0 : ocirun_error_set(err, errno, "remove cgroup %s", path);
    /* Sub-cgroups first (exec --cgroup, nested runtimes). */
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
      if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      _cleanup_free_ char *sub = cg_join(path, e->d_name);
      if (sub == NULL)
        return ocirun_error_set(err, ENOMEM, "remove cgroup %s", path);
      if (cg_rmdir_tree(sub, err) < 0)
        return -1;
    }
  }
  /* The last task may still be exiting: the kernel reports EBUSY briefly. */
  for (int i = 0;; i++) {
    if (rmdir(path) == 0 || errno == ENOENT)
      return 0;
    if (errno != EBUSY || i >= 20)
      return ocirun_error_set(err, errno, "remove cgroup %s", path);
    short_sleep(i < 5 ? 2 : 20);
  }
}

int cg_pids_push(pid_t **pids, size_t *count, size_t *cap, pid_t p) {
  if (*count == *cap) {
    size_t ncap = *cap ? *cap * 2 : 16;
    pid_t *n = realloc(*pids, ncap * sizeof(pid_t));
    if (n == NULL)
      return -1;
    *pids = n;
    *cap = ncap;
  }
  (*pids)[(*count)++] = p;
  return 0;
}

/* The process a thread belongs to (Tgid: of /proc/<tid>/status); 0 when the thread is gone. */
static pid_t thread_group_of(pid_t tid) {
  char path[48];
  _cleanup_free_ char *status = NULL;
  ocirun_error_t *err = NULL;
  const char *line;

  snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
  if (fs_read_file(path, 1 << 16, &status, NULL, &err) < 0) {
    ocirun_error_free(&err);
    return 0;
  }
  line = strstr(status, "\nTgid:");
  return line ? (pid_t)strtol(line + 6, NULL, 10) : 0;
}

static bool listed(const pid_t *pids, size_t count, pid_t p) {
  for (size_t i = 0; i < count; i++)
    if (pids[i] == p)
      return true;
  return false;
}

static int collect(const char *dir, pid_t **pids, size_t *count, size_t *cap,
                   ocirun_error_t **err) {
  _cleanup_free_ char *procs = NULL;
  _cleanup_closedir_ DIR *d = NULL;
  ocirun_error_t *rerr = NULL;
  bool threads = false;

  if (cg_read(dir, "cgroup.procs", &procs, &rerr) < 0) {
    int status = rerr->status;
    /* A cgroup that is not there (a create killed half-way, or removed
     * meanwhile: ENODEV once opened, as systemd removes an emptied scope) holds no
     * process. */
    if (status == ENOENT || status == ENODEV) {
      ocirun_error_free(&rerr);
      return 0;
    }
    if (status != EOPNOTSUPP) {
      if (err)
        *err = rerr;
      else
        ocirun_error_free(&rerr);
      return -1;
    }
    /* A threaded cgroup refuses to list processes (they belong to the
     * threaded domain above it): its threads name them. */
    ocirun_error_free(&rerr);
    threads = true;
    if (cg_read(dir, "cgroup.threads", &procs, err) < 0)
      return -1;
  }
  for (char *p = procs; *p;) {
    char *end;
    long v = strtol(p, &end, 10);
    pid_t pid = (pid_t)v;
    if (end == p)
      break;
    if (threads && v > 0)
      pid = thread_group_of(pid);
    if (pid > 0 && !(threads && listed(*pids, *count, pid)) &&
        cg_pids_push(pids, count, cap, pid) < 0)
      return ocirun_error_set(err, ENOMEM, "read %s/cgroup.procs", dir);
    p = end;
    while (*p == '\n')
      p++;
  }
  d = opendir(dir);
  if (d == NULL)
    return errno == ENOENT ? 0 : ocirun_error_set(err, errno, "open %s", dir);
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (e->d_type != DT_DIR || e->d_name[0] == '.')
      continue;
    _cleanup_free_ char *sub = cg_join(dir, e->d_name);
    if (sub == NULL)
      return ocirun_error_set(err, ENOMEM, "open %s", dir);
    if (collect(sub, pids, count, cap, err) < 0)
      return -1;
  }
  return 0;
}

int cg_collect_pids(const char *dir, pid_t **pids, size_t *count, ocirun_error_t **err) {
  size_t cap = 0;
  *pids = NULL;
  *count = 0;
  /* A cgroup that is gone holds no process (systemd removes an empty scope). */
  if (access(dir, F_OK) != 0 && errno == ENOENT)
    return 0;
  if (collect(dir, pids, count, &cap, err) < 0) {
    free(*pids);
    *pids = NULL;
    *count = 0;
    return -1;
  }
  return 0;
}
