#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "process/init.h"
#include "util/syscalls.h"

static int close_from_to(unsigned int first, unsigned int last, ocirun_error_t **err) {
  if (first > last)
    return 0;
  if (sys_close_range(first, last, 0) < 0)
    return ocirun_error_set(err, errno, "close file descriptors %u-%u", first, last);
  return 0;
}

int fds_close_for_exec(int preserve, int keep_fd, ocirun_error_t **err) {
  unsigned int first = 3u + (unsigned int)preserve;

  for (int fd = 3; fd < (int)first; fd++) {
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0 && (flags & FD_CLOEXEC))
      fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
  }
  /* Nothing but stdio and the preserved fds may reach the container process
   * (CVE-2016-9962, CVE-2024-21626: a leaked directory fd is an escape). */
  if (keep_fd >= (int)first) {
    if (close_from_to(first, (unsigned int)keep_fd - 1, err) < 0)
      return -1;
    return close_from_to((unsigned int)keep_fd + 1, ~0u, err);
  }
  return close_from_to(first, ~0u, err);
}
