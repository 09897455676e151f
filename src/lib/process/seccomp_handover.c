/* Child side of the seccomp notify hand-over (the parent side is in
 * seccomp_handover_parent.c), and the privilege drop around it. */
#include <errno.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "process/init.h"
#include "linux/process_attrs.h"
#include "linux/user.h"
#include "process/sync.h"

int seccomp_load_and_hand_over(const struct seccomp_program *p, int sync_fd, ocirun_error_t **err) {
  int notify_fd = -1;

  if (p == NULL)
    return 0;
  if (seccomp_program_load(p, &notify_fd, err) < 0)
    return -1;
  if (notify_fd < 0)
    return 0;
  /* The parent copies the listener out of us with pidfd_getfd and gives it to the agent. */
  if (sync_send(sync_fd, SYNC_SECCOMP, notify_fd, err) < 0 ||
      sync_expect(sync_fd, SYNC_SECCOMP_DONE, NULL, err) < 0) {
    close(notify_fd);
    return -1;
  }
  close(notify_fd);
  return 0;
}

int process_drop_privileges(const struct spec_process *p, const struct caps_sets *caps,
                            const struct seccomp_program *seccomp, int sync_fd,
                            ocirun_error_t **err) {
  if (!p->no_new_privileges && seccomp_load_and_hand_over(seccomp, sync_fd, err) < 0)
    return -1;
  if (caps_keep_on_setuid(err) < 0 || user_apply(&p->user, true, err) < 0 ||
      caps_apply(caps, err) < 0)
    return -1;
  if (p->no_new_privileges) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
      return ocirun_error_set(err, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
    if (seccomp_load_and_hand_over(seccomp, sync_fd, err) < 0)
      return -1;
  }
  if (p->exec_cpu_affinity.final && cpu_affinity_apply(p->exec_cpu_affinity.final, err) < 0)
    return -1;
  return 0;
}
