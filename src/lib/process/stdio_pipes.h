/* The seed's InitializeIO for a foreground process without a terminal in a
 * user namespace: its stdin, stdout and stderr are pipes owned by the
 * container's root (the host uid/gid of container uid/gid 0), relayed to and
 * from the runtime's own stdio, so that the process may reopen them
 * (/dev/stdout, /proc/self/fd/1), which the caller's pipes or files, owned by
 * a host user, would refuse. */
#ifndef OCIRUN_PROCESS_STDIO_PIPES_H
#define OCIRUN_PROCESS_STDIO_PIPES_H

#include <sys/types.h>

#include "util/error.h"

struct stdio_pipes {
  int parent[3]; /* [0] writes the process's stdin, [1] and [2] read its stdout/stderr */
  int child[3];  /* the process's ends, dup2()ed onto 0, 1, 2 */
};

#define STDIO_PIPES_NONE                                                                           \
  {                                                                                                \
    {-1, -1, -1}, {                                                                                \
      -1, -1, -1                                                                                   \
    }                                                                                              \
  }

/* Three pipes (close-on-exec). */
int stdio_pipes_make(struct stdio_pipes *p, ocirun_error_t **err);
/* Give them to the container's root: uid/gid 0 of the user namespace of pid,
 * read from its /proc/<pid>/uid_map and gid_map.  Nothing to do when that is
 * already us. */
int stdio_pipes_chown_to_root_of(struct stdio_pipes *p, pid_t pid, ocirun_error_t **err);
/* In the child: its ends become fds 0, 1, 2; every pipe fd is closed after. */
int stdio_pipes_install(struct stdio_pipes *p);
/* In the parent after the clone: the child's ends. */
void stdio_pipes_close_child(struct stdio_pipes *p);
void stdio_pipes_close(struct stdio_pipes *p);

#endif
