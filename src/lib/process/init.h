/* The container's init process: what the parent hands to the child (a fork of
 * the runtime, so the parsed spec is simply inherited — nothing is serialised)
 * and the child-side setup sequence. */
#ifndef OCIRUN_PROCESS_INIT_H
#define OCIRUN_PROCESS_INIT_H

#include <sched.h>
#include <stdbool.h>
#include <unistd.h>
#include <stddef.h>
#include <sys/types.h>

#include "linux/capabilities.h"
#include "linux/rootfs.h"
#include "linux/seccomp_program.h"
#include "process/hook_state.h"
#include "process/launch.h"
#include "spec/spec.h"
#include "util/error.h"

struct init_config {
  const struct spec *spec;
  const char *id;
  struct rootfs_options rootfs;
  /* From the launcher: the child end of the sync socket, the terminal's socket, the
   * compiled seccomp filter. */
  struct launch_child io;
  int fifo_fd;         /* O_PATH fd of <state>/exec.fifo, or -1 (`run`: wait for START) */
  int preserve_fds;    /* --preserve-fds plus LISTEN_FDS */
  bool listen_fds_env; /* set LISTEN_FDS/LISTEN_PID=1 in the process env */
  int listen_fds;
  bool no_new_keyring;
  int ns_fds[SPEC_NS_COUNT]; /* namespaces to join (setns), -1 for none */
  unsigned long clone_flags; /* namespaces created by clone (or unshare_flags, below) */
  bool unshare_cgroupns;     /* make the cgroup namespace after joining the cgroup */
  bool parent_privileged;    /* the runtime is root (of its user namespace): it makes the
                              * trees of bind mounts in a user namespace and id-mapped ones */
  /* Wait for GO before any set-up: the parent still moves the child into its cgroup (or
   * its Intel RDT group, or network devices into its namespace), or createContainer hooks
   * (run here) or a user namespace need everything in place first.
   * Otherwise the child sets up at once, in parallel with the parent's cgroup writes, and
   * sets its rlimits itself before it gives up its privileges. */
  bool wait_for_go;
  int *cgroup_join_fds; /* `tasks` of each v1 hierarchy: the child joins first thing */
  size_t cgroup_join_len;
  /* Namespaces the child makes itself (unshare) as soon as it runs, while the parent makes
   * its cgroup: a network namespace alone takes about half a millisecond to make, which
   * clone would spend in the parent before it can go on.  The child then waits for GO and,
   * with join_after_go, joins the v1 hierarchies itself through the `tasks` fds that come
   * with GO (opened by the parent once it made the cgroup). */
  unsigned long unshare_flags;
  bool join_after_go;
  /* READY is the child's last message: it execs at once instead of waiting for RUN and
   * START.  For `run` where nobody can look at the container between READY and START (no
   * pid file, no pidfd socket: the created state is written only once the init execs), no
   * startContainer hooks (they get the host pid from RUN) and no terminal relayed by the
   * runtime (it receives the master after READY): nothing the runtime does between READY
   * and START can fail then. */
  bool exec_at_ready;
  struct caps_sets caps;
  struct hook_state state; /* for the hooks run inside the container */
  const char *bundle;      /* relative paths of the config are the bundle's */
};

/* An ordinary user's init in a new user namespace stays dumpable until its execve: its
 * runtime, the same user, writes its id maps through /proc/<pid>, takes its seccomp
 * listener with pidfd_getfd and enters it for exec, none of which a non-dumpable process
 * allows; its /proc/<pid>/exe is the sealed copy of the binary (linux/sealed_binary.c),
 * which nobody can write.  Whose runtime it is comes from the parent: in the child
 * geteuid() is 0 as soon as the maps are written. */
static inline bool init_stays_dumpable(const struct init_config *cfg) {
  return (cfg->clone_flags & CLONE_NEWUSER) && !cfg->parent_privileged;
}

/* Child side: runs the whole setup and execs the user process.  Returns only on
 * failure, after reporting the error over the sync socket; the return value is
 * the exit status for the child. */
int init_child_run(struct init_config *cfg);

/* Load the seccomp filter (when there is one) and hand a notify listener over
 * to the parent (SECCOMP, then wait for SECCOMP_DONE), as the last step
 * before the process gives up its privileges or execs. */
int seccomp_load_and_hand_over(const struct seccomp_program *p, int sync_fd, ocirun_error_t **err);

/* chdir to the process's cwd and prove that it is inside the container's root:
 * a cwd reached through a leaked fd (/proc/self/fd/N) would leave the process in
 * a host directory (CVE-2024-21626). */
int process_chdir(const char *cwd, ocirun_error_t **err);

/* The last steps of the init and of an exec process, in the reference runtime's
 * order: seccomp before the user switch when no_new_privs is off (loading then
 * needs CAP_SYS_ADMIN), keep caps across setuid, the user, the capabilities,
 * no_new_privs and seccomp when on, then execCPUAffinity.final. */
int process_drop_privileges(const struct spec_process *p, const struct caps_sets *caps,
                            const struct seccomp_program *seccomp, int sync_fd,
                            ocirun_error_t **err);

/* Look up the executable like execvp, with the PATH of the process env, inside
 * the container's root (called after pivot_root).  *out is malloc'd. */
int exec_path_lookup(const char *file, char *const env[], char **out, ocirun_error_t **err);
/* The error of a failed execve of path, in the reference runtime's words. */
int exec_failed(const char *path, int errnum, ocirun_error_t **err);

/* Close every fd >= 3 + preserve (stdio and preserved fds stay) except keep_fd
 * (a close-on-exec fd still needed until execve, or -1), and clear FD_CLOEXEC on
 * the preserved ones so they survive execve. */
int fds_close_for_exec(int preserve, int keep_fd, ocirun_error_t **err);
/* The same with a list of fds to keep (keep[i] < 0 is ignored). */
int fds_close_all_but(int preserve, const int *keep, size_t n, ocirun_error_t **err);

#endif
