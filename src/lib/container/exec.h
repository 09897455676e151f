/* `exec` into a running container. */
#ifndef OCIRUN_CONTAINER_EXEC_H
#define OCIRUN_CONTAINER_EXEC_H

#include <stdbool.h>

#include "cgroup/cgroup.h"
#include "container/lifecycle.h"
#include "process/exec_process.h"

struct exec_options {
  const char *root;
  const char *id;
  const struct spec *spec;            /* the container's config */
  const struct spec_process *process; /* the process to run (built by the caller) */
  struct caps_sets caps;              /* its capabilities, --cap included */
  const char *console_socket;
  const char *pid_file; /* absolute */
  const char *pidfd_socket;
  const struct cgroup_sub *cgroup_subs; /* --cgroup flags */
  size_t cgroup_subs_len;
  bool detach;
  bool ignore_paused;
  int preserve_fds;
};

/* Foreground: *exit_code is the process's (128+N for a signal).  Detached: 0. */
int container_exec(const struct exec_options *o, int *exit_code, ocirun_error_t **err);

#endif
