#include "linux/rlimits.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "util/cleanup.h"
#include "util/fs.h"

static void format_limit(char *buf, size_t size, uint64_t v) {
  if (v == (uint64_t)RLIM_INFINITY)
    snprintf(buf, size, "unlimited");
  else
    snprintf(buf, size, "%" PRIu64, v);
}

/* fs.nr_open caps RLIMIT_NOFILE even with CAP_SYS_RESOURCE; 0 when unreadable. */
static uint64_t read_nr_open(void) {
  _cleanup_free_ char *data = NULL;
  ocirun_error_t *ignored = NULL;
  size_t len;
  uint64_t v;

  if (fs_read_file("/proc/sys/fs/nr_open", 64, &data, &len, &ignored) < 0) {
    ocirun_error_free(&ignored);
    return 0;
  }
  v = strtoull(data, NULL, 10);
  return v;
}

/* Explains an EPERM from prlimit with what the kernel would accept. */
static int explain_eperm(pid_t pid, const struct spec_rlimit *r, size_t i, const char *name,
                         const char *soft, const char *hard, ocirun_error_t **err) {
  struct rlimit cur;
  char allowed[32];

  if (r->resource == RLIMIT_NOFILE) {
    uint64_t nr_open = read_nr_open();
    if (nr_open > 0 && r->hard > nr_open)
      return ocirun_error_set(err, EPERM,
                              ".process.rlimits[%zu]: cannot set %s to soft %s, hard %s: the "
                              "kernel allows at most %" PRIu64 " (fs.nr_open)",
                              i, name, soft, hard, nr_open);
  }
  if (prlimit(pid, r->resource, NULL, &cur) == 0 && r->hard > (uint64_t)cur.rlim_max) {
    format_limit(allowed, sizeof(allowed), cur.rlim_max);
    return ocirun_error_set(err, EPERM,
                            ".process.rlimits[%zu]: cannot set %s to soft %s, hard %s: the hard "
                            "limit allowed here is %s (raising it needs CAP_SYS_RESOURCE)",
                            i, name, soft, hard, allowed);
  }
  return ocirun_error_set(err, EPERM, ".process.rlimits[%zu]: cannot set %s to soft %s, hard %s", i,
                          name, soft, hard);
}

int rlimits_apply(pid_t pid, const struct spec_rlimit *r, size_t n, ocirun_error_t **err) {
  for (size_t i = 0; i < n; i++) {
    const char *name = r[i].type_name ? r[i].type_name : "rlimit";
    struct rlimit lim = {.rlim_cur = r[i].soft, .rlim_max = r[i].hard};
    char soft[32], hard[32];

    format_limit(soft, sizeof(soft), r[i].soft);
    format_limit(hard, sizeof(hard), r[i].hard);
    if (r[i].soft > r[i].hard)
      return ocirun_error_set(err, 0,
                              ".process.rlimits[%zu]: %s soft limit %s is above the hard limit %s",
                              i, name, soft, hard);
    if (prlimit(pid, r[i].resource, &lim, NULL) == 0)
      continue;
    if (errno == EPERM)
      return explain_eperm(pid, &r[i], i, name, soft, hard, err);
    return ocirun_error_set(err, errno, ".process.rlimits[%zu]: cannot set %s to soft %s, hard %s",
                            i, name, soft, hard);
  }
  return 0;
}
