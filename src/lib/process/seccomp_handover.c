/* Child side of the seccomp notify hand-over (the parent side is in
 * seccomp_handover_parent.c). */
#include <unistd.h>

#include "process/init.h"
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
