/* Scope-bound release of resources, so that every early error return frees
 * what the function acquired. */
#ifndef OCIRUN_CLEANUP_H
#define OCIRUN_CLEANUP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/types.h>

#include "util/syscalls.h"

static inline void cleanup_freep(void *p) {
  free(*(void **)p);
}
static inline void cleanup_closep(int *fd) {
  if (*fd >= 0) {
    int saved = errno;
    close(*fd);
    errno = saved;
  }
}
static inline void cleanup_fclosep(FILE **f) {
  if (*f)
    fclose(*f);
}
static inline void cleanup_closedirp(DIR **d) {
  if (*d)
    closedir(*d);
}

/* A child process that must not outlive an early return: killed and reaped. */
static inline void cleanup_pidp(pid_t *pid) {
  kill_and_reap(*pid);
}

#define _cleanup_free_ __attribute__((cleanup(cleanup_freep)))
#define _cleanup_close_ __attribute__((cleanup(cleanup_closep)))
#define _cleanup_fclose_ __attribute__((cleanup(cleanup_fclosep)))
#define _cleanup_closedir_ __attribute__((cleanup(cleanup_closedirp)))
#define _cleanup_pid_ __attribute__((cleanup(cleanup_pidp)))

/* Hand ownership out of a cleanup-managed variable. */
#define steal_pointer(pp)                                                                          \
  ({                                                                                               \
    __typeof__(*(pp)) _stolen = *(pp);                                                             \
    *(pp) = NULL;                                                                                  \
    _stolen;                                                                                       \
  })
#define steal_fd(fdp)                                                                              \
  ({                                                                                               \
    int _stolen = *(fdp);                                                                          \
    *(fdp) = -1;                                                                                   \
    _stolen;                                                                                       \
  })
#define steal_pid(pidp)                                                                            \
  ({                                                                                               \
    pid_t _stolen = *(pidp);                                                                       \
    *(pidp) = -1;                                                                                  \
    _stolen;                                                                                       \
  })

#endif
