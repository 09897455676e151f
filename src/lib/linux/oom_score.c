#include "linux/oom_score.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "linux/proc_verify.h"
#include "util/cleanup.h"

static int read_current(int proc_fd, int *value) {
  _cleanup_close_ int fd = -1;
  ocirun_error_t *ignored = NULL;
  char buf[32];
  ssize_t n;

  if (proc_open_at(proc_fd, "self/oom_score_adj", O_RDONLY, &fd, &ignored) < 0) {
    ocirun_error_free(&ignored);
    return -1;
  }
  n = read(fd, buf, sizeof(buf) - 1);
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  *value = atoi(buf);
  return 0;
}

int oom_score_adj_apply(int proc_fd, int value, ocirun_error_t **err) {
  char buf[16];
  int current;

  if (value < -1000 || value > 1000)
    return ocirun_error_set(err, 0, ".process.oomScoreAdj: %d is outside -1000..1000", value);
  /* Already so (inherited from a helper that set it while it could): nothing to write. */
  if (read_current(proc_fd, &current) == 0 && current == value)
    return 0;
  snprintf(buf, sizeof(buf), "%d", value);
  if (proc_write_at(proc_fd, "self/oom_score_adj", buf, err) == 0)
    return 0;
  if (err && *err && (*err)->status == EACCES && read_current(proc_fd, &current) == 0 &&
      value < current)
    return ocirun_error_prefix(err,
                               ".process.oomScoreAdj: cannot lower it from %d to %d without "
                               "CAP_SYS_RESOURCE",
                               current, value);
  return ocirun_error_prefix(err, ".process.oomScoreAdj");
}
