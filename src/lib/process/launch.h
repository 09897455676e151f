/* Starting a process in a container, the parent's side: the container's init
 * (`create`, `run`) and an exec process go through the same steps (the
 * reference runtime's initProcess.start and setnsProcess.start), and the
 * caller says what differs:
 *
 *   1. the seccomp program (compiled, or taken from the cache)
 *   2. the terminal: a console socket, a socketpair to our own relay, or, in a
 *      user namespace without one, stdio pipes (stdio_pipes.h)
 *   3. the sync socketpair (sync.h)
 *   4. the clone: straight, or from a helper that entered a user namespace
 *      first; pid and time namespaces entered for the children and left after
 *   5. the caller's steps before GO (cgroup, rlimits, id maps...), the stdio
 *      pipes to the container's root, GO, then the caller's work that the child
 *      does not wait for (done while it sets up)
 *   6. the sync loop: MOUNT_SOURCE, HOOKS, SECCOMP answered until READY (the
 *      init, answered with RUN unless ready_unanswered) or EOF (an exec process:
 *      its execve closed the socket); an ERROR keeps the child's message and errno
 *   7. the pid file, the pidfd socket, the relayed terminal's master
 *
 * Any failure after the clone kills and reaps the child. */
#ifndef OCIRUN_PROCESS_LAUNCH_H
#define OCIRUN_PROCESS_LAUNCH_H

#include <stdbool.h>
#include <sys/types.h>

#include "linux/seccomp_program.h"
#include "process/hook_state.h"
#include "process/spawn.h"
#include "process/stdio_pipes.h"
#include "spec/spec.h"
#include "util/error.h"

/* What the child gets from the launcher, for its own config. */
struct launch_child {
  int sync_fd;                           /* its end of the sync socket */
  int console_sock;                      /* receives the pty master, or -1 */
  bool console_relayed;                  /* console_sock leads to our foreground relay */
  const struct seccomp_program *seccomp; /* NULL: no filter */
};

struct launch {
  /* --- what differs, set by the caller --- */
  const char *name; /* "init", "exec": the trace's name of the child */
  const char *what; /* "container init", "exec process": the child in errors */
  int (*child)(void *arg, const struct launch_child *io); /* runs in the child; exit status */
  void *arg;                                              /* of every callback */
  unsigned long clone_flags;
  int cgroup_fd; /* CLONE_INTO_CGROUP, or -1 */
  /* Clone from a helper that ran enter(arg) first (spawn_clone_entering), or NULL. */
  spawn_child_fn enter;
  /* Or enter here, for the clone, the namespaces that apply to children only (pid,
   * time); the launcher comes back to its own after the clone.  NULL: none. */
  int (*enter_for_children)(void *arg, ocirun_error_t **err);
  bool stays_dumpable; /* not made non-dumpable (an ordinary user's init: init.h) */
  bool send_go;
  /* Sent with GO (SCM_RIGHTS), as before_go left them: the init's `tasks` fds of a cgroup
   * made after the clone.  The caller keeps and closes its own. */
  const int *go_fds;
  size_t go_fds_len;
  bool until_ready;      /* the sync ends at READY (the init), else at EOF (exec) */
  bool ready_unanswered; /* no RUN for READY: the init goes on by itself (exec_at_ready) */
  const struct spec_seccomp *seccomp; /* NULL or not present: no filter */
  const char *seccomp_cache;          /* directory of compiled filters */
  bool terminal;
  const char *console_socket; /* NULL: a terminal is relayed by us (foreground) */
  bool foreground;
  bool stdio_pipes;        /* foreground, no terminal, in a user namespace */
  pid_t stdio_owner;       /* the pipes go to the root of this process's user
                            * namespace; 0: of the child's (after before_go) */
  struct hook_state state; /* the container's state, for the seccomp agent */
  pid_t state_pid;         /* its pid; 0: the child's */
  const char *pid_file;
  const char *pidfd_socket;
  /* The caller's steps; NULL for none.  before_go: the child is cloned (l->pid,
   * l->pidfd) and waits.  on_hooks: answered with RESUME.  on_mount_source: the
   * tree of .mounts[index], sent back to the child.  on_ready: before RUN.  after_go:
   * once the child goes on (after GO, or from the clone without GO), before the sync
   * loop: what the child does not need, done while it sets up. */
  int (*before_go)(void *arg, ocirun_error_t **err);
  int (*after_go)(void *arg, ocirun_error_t **err);
  int (*on_hooks)(void *arg, ocirun_error_t **err);
  int (*on_mount_source)(void *arg, int index, ocirun_error_t **err);
  int (*on_ready)(void *arg, ocirun_error_t **err);

  /* --- what the launcher made --- */
  pid_t pid;
  int pidfd;
  int sync_fd;        /* our end of the sync socket (`run` sends START on it later) */
  int console_master; /* the relayed terminal's master, or -1 */
  struct stdio_pipes pipes;
  /* For the child's side until the clone. */
  struct launch_child io;
  struct seccomp_program *program;
};

/* Everything unset: no fds, nothing held. */
void launch_init(struct launch *l);
/* Steps 1-7.  On failure the child (if any) is killed and reaped: l->pid is 0. */
int launch_process(struct launch *l, ocirun_error_t **err);
/* Close and free what is still held (not the fields a caller took with steal_fd). */
void launch_release(struct launch *l);

#endif
