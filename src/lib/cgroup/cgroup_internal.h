/* Shared between the cgroup drivers: the cgroup object, the driver table and
 * the small file helpers every driver uses.  Not part of the public interface. */
#ifndef OCIRUN_CGROUP_INTERNAL_H
#define OCIRUN_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup/cgroup.h"
#include "cgroup/cgroup_stats.h"

struct cgroup_driver {
  const char *name;
  int (*create)(struct cgroup *cg, ocirun_error_t **err);
  int (*clone_fd)(struct cgroup *cg);
  /* Optional: make the directory clone_fd opens, alone (cgroup_create_clone_target). */
  int (*create_clone_target)(struct cgroup *cg, ocirun_error_t **err);
  /* Optional: fds for cgroup_self_join_fds. */
  int (*self_join_fds)(struct cgroup *cg, int **fds, size_t *n, ocirun_error_t **err);
  int (*apply)(struct cgroup *cg, pid_t pid, const char *sub, ocirun_error_t **err);
  int (*set_resources)(struct cgroup *cg, const struct spec_resources *res, ocirun_error_t **err);
  int (*freeze)(struct cgroup *cg, bool frozen, ocirun_error_t **err);
  bool (*is_frozen)(struct cgroup *cg);
  /* Optional fast path (v2 cgroup.kill); returns 1 when it did not apply. */
  int (*kill_fast)(struct cgroup *cg, int signo, ocirun_error_t **err);
  /* The directory whose cgroup.procs (recursively) lists every process. */
  const char *(*procs_dir)(struct cgroup *cg);
  int (*oom_kill_count)(struct cgroup *cg, uint64_t *count, ocirun_error_t **err);
  int (*stats)(struct cgroup *cg, struct cgroup_stats *st, ocirun_error_t **err);
  int (*destroy)(struct cgroup *cg, ocirun_error_t **err);
};

/* One mounted v1 hierarchy (or, in hybrid mode, the cgroup2 mount with
 * controllers == ""). */
struct cgroup_hier {
  char *controllers; /* "cpu,cpuacct", "name=systemd", "" for cgroup2 */
  char *mount;       /* mount point, "/sys/fs/cgroup/memory" */
  char *rel;         /* the container's cgroup relative to the hierarchy root, "/x" */
  char *path;        /* mount + rel */
};

struct cgroup {
  const struct cgroup_driver *drv;
  char *id;
  char *recorded;
  bool systemd;
  /* Apply the device rules on set_resources even when the resources name
   * none (create: the default device list always applies). */
  bool manage_devices;
  /* Rootless (runc's rule): a device filter the kernel refuses to us (no bpf(2)
   * without privilege) is skipped when every rule only denies. */
  bool rootless;
  const struct spec_resources *resources; /* from cgroup_open (borrowed) */
  const struct spec_kv_list *annotations; /* from cgroup_open (borrowed) */
  /* reopened from a container's state: the systemd driver starts no scope for it (an exec
   * into a container whose scope is gone falls back to the init's cgroup instead) */
  bool existing;
  bool has_owner; /* from cgroup_open */
  uint32_t owner_uid;
  /* v1 / hybrid */
  struct cgroup_hier *hier;
  size_t nhier;
  /* v2: the container's directory; in hybrid mode the cgroup2 path too. */
  char *unified_mount;
  char *unified_path;
  char *unified_rel;
  /* systemd */
  char *unit;
  char *slice;
  char *unit_dir; /* the user manager's unit: its directory as placed at create, or NULL */
  void *sd;       /* systemd driver state */
  int clone_fd;   /* cached cgroup_clone_fd, -1 until opened */
};

extern const struct cgroup_driver cgroup_v1_driver;
extern const struct cgroup_driver cgroup_v2_driver;

/* "memory" -> the hierarchy carrying it, or NULL when not mounted. */
struct cgroup_hier *cgroup_v1_find(struct cgroup *cg, const char *controller);

/* Write val to dir/file; on failure "write VAL to DIR/FILE: strerror" prefixed
 * with what (when not NULL, e.g. ".linux.resources.pids.limit"). */
int cg_write(const char *dir, const char *file, const char *val, const char *what,
             ocirun_error_t **err);
int cg_writef(const char *dir, const char *file, const char *what, ocirun_error_t **err,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int cg_read(const char *dir, const char *file, char **out, ocirun_error_t **err);
int cg_read_u64(const char *dir, const char *file, uint64_t *out, ocirun_error_t **err);
/* "key value" lines (memory.stat, memory.events ...): value of key, -1 if absent. */
int cg_read_keyed(const char *dir, const char *file, const char *key, uint64_t *out,
                  ocirun_error_t **err);
bool cg_exists(const char *dir, const char *file);
char *cg_join(const char *a, const char *b);

/* mkdir every missing component of path below mount. */
int cg_mkdir_p(const char *path, ocirun_error_t **err);
/* rmdir path and everything below it, deepest first; EBUSY retried briefly. */
int cg_rmdir_tree(const char *path, ocirun_error_t **err);
/* Every pid in dir/cgroup.procs and its sub-cgroups. */
int cg_collect_pids(const char *dir, pid_t **pids, size_t *count, ocirun_error_t **err);
/* Append-only pid vector helpers. */
int cg_pids_push(pid_t **pids, size_t *count, size_t *cap, pid_t p);

/* v2 resources / devices / stats on one directory (also used by hybrid and systemd). */
int cgroup_v2_set_resources_at(const char *dir, const struct spec_resources *res,
                               ocirun_error_t **err);
/* memory.checkBeforeUpdate: a limit at or below memory.current is refused, before anything
 * is written (the systemd driver checks before it sets unit properties). */
int cgroup_v2_check_memory(const char *dir, const struct spec_memory *m, ocirun_error_t **err);
int cgroup_v2_stats_at(const char *dir, struct cgroup_stats *st, ocirun_error_t **err);
int cgroup_v2_freeze_at(const char *dir, bool frozen, ocirun_error_t **err);
bool cgroup_v2_is_frozen_at(const char *dir);
int cgroup_v1_set_resources(struct cgroup *cg, const struct spec_resources *res,
                            ocirun_error_t **err);
int cgroup_v1_stats(struct cgroup *cg, struct cgroup_stats *st, ocirun_error_t **err);
bool cgroup_v1_freezer_is_frozen_at(const char *dir);

/* Device rules: the resources' rules, then the defaults runc always allows (linux.devices
 * get none of their own, as in runc).  *out is malloc'd (items borrowed). */
int cgroup_device_rules(const struct spec_resources *res, struct spec_device_cgroup_rule **out,
                        size_t *n);
int cgroup_devices_v1_apply(const char *dir, const struct spec_device_cgroup_rule *rules, size_t n,
                            ocirun_error_t **err);

/* v2: load a BPF_PROG_TYPE_CGROUP_DEVICE program for the rules and attach it
 * to dir (BPF_F_ALLOW_MULTI), detaching the programs attached before. */
int cgroup_devices_bpf_apply(const char *dir, const struct spec_device_cgroup_rule *rules, size_t n,
                             ocirun_error_t **err);
/* "mlx5_0 hca_handle=3 hca_object=100" for rdma.max; -1 when nothing is set. */
int cgroup_rdma_line(const struct spec_rdma_limit *l, char *buf, size_t len);

/* Fill the cgroupfs paths of cg and pick the v1 or v2 driver: from
 * (cgroups_path, cg->id) for a new container, or from a recorded path. */
int cgroup_setup_fs(struct cgroup *cg, const char *cgroups_path, const char *recorded,
                    const char *mounts_record, ocirun_error_t **err);

/* systemd: for a new container (cgroups_path as configured) or one reopened from its state
 * (the recorded slice:prefix:name, and for a user manager's unit the recorded directory,
 * unit_dir, when there is one). */
int cgroup_systemd_open(struct cgroup *cg, const char *cgroups_path, const char *unit_dir,
                        ocirun_error_t **err);
extern const struct cgroup_driver cgroup_systemd_driver;

#endif
