/* process.selinuxLabel (`exec --process-label`), the session keyring's label
 * and linux.mountLabel. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "linux/lsm.h"
#include "linux/proc_verify.h"
#include "util/cleanup.h"

#define SELINUX_FS_MAGIC 0xf97cff8cU

bool selinux_enabled(void) {
  struct statfs sfs;
  char label[256];
  ssize_t n;
  _cleanup_close_ int fd = -1;

  if (statfs("/sys/fs/selinux", &sfs) < 0 || (unsigned int)sfs.f_type != SELINUX_FS_MAGIC)
    return false;
  fd = open("/proc/self/attr/current", O_RDONLY | O_CLOEXEC);
  if (fd < 0 || (n = read(fd, label, sizeof(label) - 1)) <= 0)
    return false;
  label[n] = '\0';
  return strncmp(label, "kernel", 6) != 0 || (label[6] != '\0' && label[6] != '\n');
}

static int write_attr(int proc_fd, const char *attr, const char *label, const char *what,
                      ocirun_error_t **err) {
  if (label == NULL || label[0] == '\0')
    return 0;
  if (proc_write_at(proc_fd, attr, label, err) < 0)
    return ocirun_error_prefix(err, "set %s \"%s\"", what, label);
  return 0;
}

int selinux_set_exec_label(int proc_fd, const char *label, ocirun_error_t **err) {
  return write_attr(proc_fd, "thread-self/attr/exec", label, "process label", err);
}

int selinux_set_key_label(int proc_fd, const char *label, ocirun_error_t **err) {
  return write_attr(proc_fd, "thread-self/attr/keycreate", label, "session keyring label", err);
}

int selinux_mount_data(const char *data, const char *label, char **out, ocirun_error_t **err) {
  int n;

  *out = NULL;
  if (label == NULL || label[0] == '\0')
    return 0;
  if (data && data[0])
    n = asprintf(out, "%s,context=\"%s\"", data, label);
  else
    n = asprintf(out, "context=\"%s\"", label);
  if (n < 0) {
    *out = NULL;
    return ocirun_error_set(err, ENOMEM, "mount label");
  }
  return 0;
}

int selinux_label_fd(int fd, const char *label, ocirun_error_t **err) {
  if (label == NULL || label[0] == '\0' || !selinux_enabled())
    return 0;
  if (fsetxattr(fd, "security.selinux", label, strlen(label) + 1, 0) < 0)
    return ocirun_error_set(err, errno, "set file label \"%s\"", label);
  return 0;
}
