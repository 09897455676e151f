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
  const char *id;                         /* container id (default path, systemd unit name) */
  const char *cgroups_path;               /* linux.cgroupsPath, NULL/empty = default */
  bool systemd;                           /* --systemd-cgroup */
  bool rootless;                          /* --rootless: see cgroup_internal.h */
  const struct spec_resources *resources; /* may be NULL */
  /* the config's annotations: "org.systemd.property.*" become unit properties */
  const struct spec_kv_list *annotations;
  /* systemd on cgroup v2: the host uid the scope's cgroup is delegated to (the directory
   * and the files of /sys/kernel/cgroup/delegate chowned), as runc does */
  bool has_owner;
  uint32_t owner_uid;
};

/* Choose the driver for this host and compute the container's cgroup path(s);
 * nothing is created yet.  An existing cgroup that is frozen is refused. */
int cgroup_open(const struct cgroup_options *opts, struct cgroup **out, ocirun_error_t **err);
/* The mount points of the hierarchies in use, as one string to record beside the cgroup
 * path (cgroupfs drivers; NULL for systemd, or when a mount point cannot be written so):
 * reopening with it reads no /proc/self/mountinfo.  malloc'd. */
char *cgroup_mounts_record(const struct cgroup *cg);
/* Reopen the cgroup of an existing container from the path recorded in its state, with the
 * string of cgroup_mounts_record (NULL, or a string that does not parse: the mounts are read
 * from /proc/self/mountinfo) and that of cgroup_unit_dir (NULL: none was recorded). */
int cgroup_open_recorded(const char *id, const char *recorded_path, const char *mounts,
                         const char *unit_dir, bool systemd, struct cgroup **out,
                         ocirun_error_t **err);
void cgroup_close(struct cgroup *cg);

/* The path to record in state.json (stable across commands). */
const char *cgroup_recorded_path(const struct cgroup *cg);
/* systemd with a rootless runtime's user manager: the unit's directory below the hierarchy
 * root, where the manager's ControlGroup placed it, to record beside the path (reopening
 * with it asks the manager nothing); NULL for every other driver and manager. */
const char *cgroup_unit_dir(const struct cgroup *cg);

/* Create the cgroup directories (all controllers). */
int cgroup_create(struct cgroup *cg, ocirun_error_t **err);
/* v2 only: an O_PATH|O_DIRECTORY fd of the container's cgroup for clone3
 * CLONE_INTO_CGROUP, or -1 when the driver cannot (v1, systemd).  The fd is
 * owned by cg (opened once, closed by cgroup_close): do not close it. */
int cgroup_clone_fd(struct cgroup *cg);
/* The v1 hierarchies the child joins by itself, as its first act: an O_WRONLY
 * fd of `tasks` in each (*n = 0 for drivers without v1 hierarchies).  A task
 * that moves itself ("0" into `tasks`) skips the kernel's global threadgroup
 * lock, whose write side waits for an RCU grace period — milliseconds per start
 * when the parent moves the child.  The cgroup2 hierarchy of a hybrid host is
 * covered by cgroup_clone_fd. */
int cgroup_self_join_fds(struct cgroup *cg, int **fds, size_t *n, ocirun_error_t **err);
/* Whether the driver has hierarchies a process joins by itself (cgroupfs on v1 or hybrid). */
bool cgroup_has_self_join(const struct cgroup *cg);
/* Make only the directory cgroup_clone_fd opens (the cgroup2 mount of a hybrid host), for a
 * child cloned before the rest of its cgroup is made: cgroup_create makes the rest later.
 * Nothing to do for drivers without one. */
int cgroup_create_clone_target(struct cgroup *cg, ocirun_error_t **err);
/* In the child: join through those fds (and close them). */
int cgroup_self_join(int *fds, size_t n, ocirun_error_t **err);
/* In the parent once the child has them: close and free them (*fds = NULL, *n = 0). */
void cgroup_self_join_fds_close(int **fds, size_t *n);

/* Move pid into the hierarchies cgroup_self_join_fds leaves out (the cgroup2 mount of a
 * hybrid host): for a child that joins the others itself. */
int cgroup_apply_unjoined(struct cgroup *cg, pid_t pid, ocirun_error_t **err);
/* Move pid into the cgroup (every controller). sub: optional sub-cgroup (exec --cgroup). */
int cgroup_apply(struct cgroup *cg, pid_t pid, const char *sub, ocirun_error_t **err);
/* exec --cgroup [CONTROLLER[,CONTROLLER...]:]PATH (cgroup_subs.c). */
struct cgroup_sub {
  char *controllers; /* "cpu,cpuacct"; NULL: every hierarchy */
  char *path;        /* relative to the container's cgroup, "" for itself */
};
/* Parse the flags; a ".." that would leave the container's cgroup is refused ("bad sub
 * cgroup path"). */
int cgroup_subs_parse(char *const *args, size_t n, struct cgroup_sub **out, ocirun_error_t **err);
void cgroup_subs_free(struct cgroup_sub *s, size_t n);
/* The sub-cgroup for the hierarchy of these controllers, or NULL for the cgroup itself. */
const char *cgroup_subs_pick(const struct cgroup_sub *s, size_t n, const char *controllers);
/* Whether two comma-separated controller lists share a controller. */
bool cgroup_controllers_overlap(const char *a, const char *b);
/* Move pid into the sub-cgroups chosen by exec --cgroup flags (n = 0: cgroup_apply). A
 * controller no hierarchy carries is an error. */
int cgroup_apply_subs(struct cgroup *cg, pid_t pid, const struct cgroup_sub *subs, size_t n,
                      ocirun_error_t **err);
/* Move pid into the cgroups of like_pid (every hierarchy): exec's fallback
 * when the container's cgroup refuses it (v2 EBUSY: the init made it a
 * domain with children). */
int cgroup_apply_like_pid(struct cgroup *cg, pid_t pid, pid_t like_pid, ocirun_error_t **err);
/* Write linux.resources; an error names the resource and the file. */
int cgroup_set_resources(struct cgroup *cg, const struct spec_resources *res, ocirun_error_t **err);
int cgroup_freeze(struct cgroup *cg, ocirun_error_t **err);
int cgroup_thaw(struct cgroup *cg, ocirun_error_t **err);
bool cgroup_is_frozen(struct cgroup *cg);
/* Where the freezer state of this cgroup is read, for readers that have no cgroup object
 * (the state view, state_view.h): "v1:<dir>/freezer.state" (frozen when it says FROZEN),
 * "v2:<dir>/cgroup.events" (frozen when its "frozen" key is 1), or "none" (no freezer: never
 * frozen), the same file cgroup_is_frozen reads.  malloc'd; NULL when out of memory. */
char *cgroup_freeze_probe(struct cgroup *cg);
/* Before create: a cgroup that already exists must hold no process ("container's cgroup is
 * not empty"), as runc (a frozen one is refused by cgroup_open). */
int cgroup_check_unused(struct cgroup *cg, ocirun_error_t **err);
/* Signal every process in the cgroup (SIGKILL uses cgroup.kill where present). */
int cgroup_kill_all(struct cgroup *cg, int signo, ocirun_error_t **err);
int cgroup_pids(struct cgroup *cg, pid_t **pids, size_t *count, ocirun_error_t **err);
/* Number of OOM kills recorded for the cgroup (memory.oom_control / memory.events). */
int cgroup_oom_kill_count(struct cgroup *cg, uint64_t *count, ocirun_error_t **err);
/* Remove the cgroup (after every process in it is gone; retries on EBUSY briefly). */
int cgroup_destroy(struct cgroup *cg, ocirun_error_t **err);

/* Resource usage for `events` (struct cgroup_stats in cgroup/cgroup_stats.h). */
int cgroup_get_stats(struct cgroup *cg, struct cgroup_stats *st, ocirun_error_t **err);
/* OOM events for `events` (cgroup_oom_watch.c): open a watch (*out NULL when the cgroup
 * has no memory controller), poll its fd, and after each wake-up read it: *oom says an OOM
 * kill happened, the result is 1 once the cgroup is gone (0 otherwise). */
struct cgroup_oom_watch;
int cgroup_oom_watch_open(struct cgroup *cg, struct cgroup_oom_watch **out, ocirun_error_t **err);
int cgroup_oom_watch_fd(const struct cgroup_oom_watch *w); /* -1 for a NULL watch */
int cgroup_oom_watch_read(struct cgroup_oom_watch *w, bool *oom);
void cgroup_oom_watch_close(struct cgroup_oom_watch *w);
/* The directory whose memory OOM events `events` watches: v1 the memory cgroup
 * (memory.oom_control), v2 the unified one (memory.events); NULL when none.
 * *v2 says which. */
const char *cgroup_memory_dir(struct cgroup *cg, bool *v2);
/* The directory that freezes the container's processes: the v1 freezer cgroup,
 * or on pure v2 the container's cgroup (cgroup.freeze); NULL when neither. */
const char *cgroup_freezer_dir(struct cgroup *cg);
/* Name of the driver in use: "cgroupfs v1", "cgroupfs v2", "systemd". */
const char *cgroup_driver_name(const struct cgroup *cg);

/* Paused detection for the state store, from the path (and mounts) recorded in state.json. */
bool cgroup_path_is_frozen(const char *recorded_path, const char *mounts, const char *unit_dir,
                           bool systemd);

/* For tests: a cgroup v2 driver whose hierarchy is mounted at root (any
 * directory tree); rel is the container's path below it ("/x").  Device
 * rules are applied only when the resources name some. */
int cgroup_v2_open_at(const char *root, const char *rel, const char *id, struct cgroup **out,
                      ocirun_error_t **err);

/* Pure path logic, exposed for tests.
 * The cgroup directory (relative to the hierarchy root) for a container, as
 * runc's cgroupfs driver: an absolute cgroupsPath is taken from the root, a
 * relative one (and the default, the id) from the caller's own cgroup `own`
 * (as seen in /proc/self/cgroup) minus the hierarchy's mount root. ".." cannot
 * climb above the start.  malloc'd. */
char *cgroup_compute_rel(const char *cgroups_path, const char *id, const char *own,
                         const char *mount_root);
/* Lexical clean ("a//b/../c" -> "a/c"), keeping a leading "/" and never
 * leaving the start: runc's CleanPath.  malloc'd. */
char *cgroup_clean_path(const char *path);

#endif
