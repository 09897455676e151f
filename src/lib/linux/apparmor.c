/* process.apparmorProfile and `exec --apparmor`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/lsm.h"
#include "linux/proc_verify.h"
#include "util/cleanup.h"

bool apparmor_enabled(void) {
  struct stat st;
  char c = 0;
  _cleanup_close_ int fd = -1;

  if (stat("/sys/kernel/security/apparmor", &st) < 0)
    return false;
  fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
  return fd >= 0 && read(fd, &c, 1) == 1 && c == 'Y';
}

int apparmor_apply_profile(int proc_fd, const char *profile, ocirun_error_t **err) {
  const char *attr = "thread-self/attr/apparmor/exec";
  _cleanup_close_ int probe = -1;
  _cleanup_free_ char *value = NULL;
  ocirun_error_t *probe_err = NULL;

  if (profile == NULL || profile[0] == '\0')
    return 0;
  /* Kernels before the per-LSM directories (5.8) only have the shared file. */
  if (proc_open_at(proc_fd, attr, O_PATH, &probe, &probe_err) < 0) {
    bool missing = probe_err->status == ENOENT;
    ocirun_error_free(&probe_err);
    if (missing)
      attr = "thread-self/attr/exec";
  }
  if (asprintf(&value, "exec %s", profile) < 0)
    return ocirun_error_set(err, ENOMEM, "apparmor profile");
  if (proc_write_at(proc_fd, attr, value, err) < 0)
    return ocirun_error_prefix(err, "unable to apply apparmor profile \"%s\"", profile);
  return 0;
}
