#include "linux/lsm.h"
#include "linux/proc_verify.h"
#include "util/cleanup.h"

int lsm_set_exec_labels(const char *apparmor_profile, const char *selinux_label,
                        ocirun_error_t **err) {
  _cleanup_close_ int proc_fd = -1;

  if ((apparmor_profile == NULL || apparmor_profile[0] == '\0') &&
      (selinux_label == NULL || selinux_label[0] == '\0'))
    return 0;
  if (proc_open_safe("/proc", &proc_fd, err) < 0)
    return -1;
  if (selinux_set_exec_label(proc_fd, selinux_label, err) < 0)
    return -1;
  return apparmor_apply_profile(proc_fd, apparmor_profile, err);
}
