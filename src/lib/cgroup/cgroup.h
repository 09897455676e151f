/* One cgroup driver interface, chosen once per command (cgroup_open): cgroupfs
 * v1 (including the hybrid layout: v1 controllers plus a cgroup2 mount at
 * /sys/fs/cgroup/unified), cgroupfs v2, or systemd.  Callers never test the
 * cgroup version themselves. */
#ifndef OCIRUN_CGROUP_H
#define OCIRUN_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

struct cgroup;

struct cgroup_stats; /* see cgroup_stats.h */

struct cgroup_options {
  const char *id;           /* container id (default path, systemd unit name) */
  const char *cgroups_path; /* linux.cgroupsPath, NULL/empty = default */
  bool systemd;             /* --systemd-cgroup */
  const struct spec_resources *resources; /* may be NULL */
};

/* Choose the driver for this host and compute the container's cgroup path(s);
 * nothing is created yet. */
int cgroup_open(const struct cgroup_options *opts, struct cgroup **out, ocirun_error_t **err);
/* Reopen the cgroup of an existing container from the path recorded in its state. */
int cgroup_open_existing(const char *id, const char *recorded_path, bool systemd,
                         struct cgroup **out, ocirun_error_t **err);
void cgroup_close(struct cgroup *cg);

/* The path to record in state.json (stable across commands). */
const char *cgroup_recorded_path(const struct cgroup *cg);

/* Create the cgroup directories (all controllers). */
int cgroup_create(struct cgroup *cg, ocirun_error_t **err);
/* v2 only: an O_PATH|O_DIRECTORY fd of the container's cgroup for clone3
 * CLONE_INTO_CGROUP, or -1 when the driver cannot (v1, systemd). */
int cgroup_clone_fd(struct cgroup *cg);
/* Move pid into the cgroup (every controller). sub: optional sub-cgroup (exec --cgroup). */
int cgroup_apply(struct cgroup *cg, pid_t pid, const char *sub, ocirun_error_t **err);
/* Write linux.resources; an error names the resource and the file. */
int cgroup_set_resources(struct cgroup *cg, const struct spec_resources *res,
                         ocirun_error_t **err);
int cgroup_freeze(struct cgroup *cg, ocirun_error_t **err);
int cgroup_thaw(struct cgroup *cg, ocirun_error_t **err);
bool cgroup_is_frozen(struct cgroup *cg);
/* Signal every process in the cgroup (SIGKILL uses cgroup.kill where present). */
int cgroup_kill_all(struct cgroup *cg, int signo, ocirun_error_t **err);
int cgroup_pids(struct cgroup *cg, pid_t **pids, size_t *count, ocirun_error_t **err);
/* Number of OOM kills recorded for the cgroup (memory.oom_control / memory.events). */
int cgroup_oom_kill_count(struct cgroup *cg, uint64_t *count, ocirun_error_t **err);
/* Remove the cgroup (after every process in it is gone; retries on EBUSY briefly). */
int cgroup_destroy(struct cgroup *cg, ocirun_error_t **err);

#endif
