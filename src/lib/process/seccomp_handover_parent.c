#include <unistd.h>

#include "linux/seccomp_program.h"
#include "process/seccomp_handover.h"
#include "process/sync.h"

int seccomp_handover_parent(const struct spec_seccomp *s, int child_pidfd, pid_t child_pid,
                            int child_fd, const char *state_json, int sync_fd,
                            ocirun_error_t **err) {
  int fd = -1;
  int r;

  if (s->listener_path == NULL)
    return ocirun_error_set(err, 0,
                            "config.json: .linux.seccomp.listenerPath: required for "
                            "SCMP_ACT_NOTIFY");
  if (seccomp_notify_take_fd(child_pidfd, child_fd, &fd, err) < 0)
    return -1;
  r = seccomp_notify_send(s->listener_path, s->listener_metadata, child_pid, state_json, fd, err);
  close(fd);
  if (r < 0)
    return ocirun_error_prefix(err, "seccomp notify agent at %s", s->listener_path);
  return sync_send(sync_fd, SYNC_SECCOMP_DONE, 0, err);
}
