#include "linux/session_keyring.h"

#include <errno.h>
#include <stdio.h>

#include "linux/lsm.h"
#include "linux/proc_verify.h"
#include "util/cleanup.h"
#include "util/syscalls.h"

int session_keyring_join(const char *id, const char *selinux_label, ocirun_error_t **err) {
  _cleanup_free_ char *name = NULL;

  if (selinux_label && selinux_label[0]) {
    _cleanup_close_ int proc_fd = -1;
    if (proc_open_safe("/proc", &proc_fd, err) < 0 ||
        selinux_set_key_label(proc_fd, selinux_label, err) < 0)
      return -1;
  }
  if (asprintf(&name, "_ses.%s", id) < 0) {
    name = NULL;
    return ocirun_error_set(err, ENOMEM, "session keyring name");
  }
  if (sys_keyctl_join_session(name) < 0) {
    if (errno == ENOSYS || errno == EACCES || errno == EPERM)
      return 0;
    return ocirun_error_set(err, errno, "join session keyring %s", name);
  }
  return 0;
}
