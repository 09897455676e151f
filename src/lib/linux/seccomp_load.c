/* The child's half: install the program compiled by the parent.  One seccomp(2) call,
 * with the filter flags given to the kernel directly. */
#include <errno.h>

#include "linux/seccomp_internal.h"
#include "util/syscalls.h"

int seccomp_program_load(const struct seccomp_program *p, int *notify_fd, ocirun_error_t **err) {
  struct sock_fprog prog;
  long r;

  *notify_fd = -1;
  if (p == NULL)
    return 0;
  prog = (struct sock_fprog){.len = (unsigned short)p->len, .filter = p->insns};
  r = sys_seccomp(SECCOMP_SET_MODE_FILTER, p->flags, &prog);
  if (r < 0) {
    int e = errno;
    if (e == EACCES)
      return ocirun_error_set(err, e,
                              "load seccomp filter: neither no_new_privs nor "
                              "CAP_SYS_ADMIN");
    return ocirun_error_set(err, e, "load seccomp filter (%u instructions, flags 0x%x)", p->len,
                            p->flags);
  }
  if (p->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) {
    /* The kernel makes the listener close-on-exec. */
    *notify_fd = (int)r;
  } else if (r > 0) {
    /* TSYNC without TSYNC_ESRCH: the id of a thread that could not be synchronised. */
    return ocirun_error_set(err, ESRCH, "load seccomp filter: thread %ld not synchronised", r);
  }
  return 0;
}
