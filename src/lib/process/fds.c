/* The fds a container process keeps: stdio, the preserved ones, and (until execve) the
 * runtime's own close-on-exec channels.  Everything else is closed early, before the
 * init waits for `start` and before seccomp is loaded, so that neither a caller waiting
 * for EOF on a pipe nor a profile that denies close_range can be hurt by it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "process/init.h"
#include "util/syscalls.h"

static bool is_kept(int fd, const int *keep, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (keep[i] == fd)
      return true;
  return false;
}

/* Without close_range (old kernel, or a filter of the caller's own): close one by one, the
 * fds listed in /proc/self/fd, or every number below RLIMIT_NOFILE when /proc is absent. */
static int close_one_by_one(int first, const int *keep, size_t n, ocirun_error_t **err) {
  DIR *d = opendir("/proc/self/fd");
  if (d == NULL) {
    struct rlimit rl;
    int last = 65535;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 65536)
      last = (int)rl.rlim_cur - 1;
    for (int fd = first; fd <= last; fd++)
      if (!is_kept(fd, keep, n))
        close(fd);
    return 0;
  }
  int dir_fd = dirfd(d);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    char *end = NULL;
    long fd = strtol(e->d_name, &end, 10);
    if (*end || end == e->d_name || fd < first || fd == dir_fd || is_kept((int)fd, keep, n))
      continue;
    if (close((int)fd) < 0 && errno != EBADF) {
      int saved = errno;
      closedir(d);
      return ocirun_error_set(err, saved, "close file descriptor %ld", fd);
    }
  }
  closedir(d);
  return 0;
}

int fds_close_all_but(int preserve, const int *keep, size_t n, ocirun_error_t **err) {
  int first = 3 + preserve;
  int from = first;

  for (int fd = 3; fd < first; fd++) {
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0 && (flags & FD_CLOEXEC))
      fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
  }
  /* Nothing but stdio and the preserved fds may reach the container process
   * (CVE-2016-9962, CVE-2024-21626: a leaked directory fd is an escape).  close_range over
   * each gap between the kept fds, in increasing order. */
  for (;;) {
    int next = -1;
    for (size_t i = 0; i < n; i++)
      if (keep[i] >= from && (next < 0 || keep[i] < next))
        next = keep[i];
    unsigned int last = next < 0 ? ~0u : (unsigned int)next - 1;
    if ((unsigned int)from <= last && sys_close_range((unsigned int)from, last, 0) < 0)
      return close_one_by_one(first, keep, n, err);
    if (next < 0)
      return 0;
    from = next + 1;
  }
}

int fds_close_for_exec(int preserve, int keep_fd, ocirun_error_t **err) {
  return fds_close_all_but(preserve, &keep_fd, keep_fd >= 0 ? 1 : 0, err);
}
