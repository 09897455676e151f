/* Joining a running container (`exec`): the parent side and the child side.
 * The child is a fork of the runtime that enters the init's namespaces through
 * its pidfd (setns with a pidfd enters several namespaces at once, atomically,
 * and cannot hit a reused pid), then applies the process attributes and execs. */
#ifndef OCIRUN_PROCESS_EXEC_PROCESS_H
#define OCIRUN_PROCESS_EXEC_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

#include "linux/capabilities.h"
#include "process/launch.h"
#include "spec/spec.h"
#include "util/error.h"

struct exec_config {
  const struct spec *spec;            /* the container's config (seccomp, sysctl-free parts) */
  const struct spec_process *process; /* what to run */
  struct caps_sets caps;
  int init_pidfd;         /* pidfd of the container's init */
  unsigned long ns_flags; /* namespaces to enter (all but pid and time: joined by the parent) */
  struct launch_child io; /* sync: GO from the parent, ERROR back; EOF = exec done */
  int preserve_fds;
  const char *id;       /* the container's: names the session keyring */
  bool no_new_keyring;  /* the container was created with --no-new-keyring */
  int *cgroup_join_fds; /* `tasks` of each v1 hierarchy: the child joins them on GO */
  size_t cgroup_join_len;
};

/* Child side; returns only on failure (error already reported). */
int exec_child_run(struct exec_config *cfg);

#endif
