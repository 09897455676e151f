/* Typed form of an OCI runtime-spec v1.3.0 config.json (Linux parts).
 *
 * Every optional scalar has a `has_<name>` flag so that "absent" and "zero" stay
 * distinguishable: runc applies a resource only when the field is present.
 * Strings are NUL-terminated heap copies (NULL when absent); arrays are a pointer
 * plus a count.  The whole tree is freed by spec_free(). */
#ifndef OCIRUN_SPEC_H
#define OCIRUN_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/error.h"

struct spec_strv {
  char **items;
  size_t len;
};

struct spec_kv {
  char *key;
  char *value;
};

struct spec_kv_list {
  struct spec_kv *items;
  size_t len;
};

struct spec_id_mapping {
  uint32_t container_id;
  uint32_t host_id;
  uint32_t size;
};

struct spec_mount {
  char *destination;
  char *source;
  char *type;
  struct spec_strv options;
  struct spec_id_mapping *uid_mappings;
  size_t uid_mappings_len;
  struct spec_id_mapping *gid_mappings;
  size_t gid_mappings_len;
};

struct spec_rlimit {
  char *type_name; /* "RLIMIT_NOFILE" as written */
  int resource;    /* RLIMIT_NOFILE; resolved by the parser */
  uint64_t soft;
  uint64_t hard;
};

struct spec_capabilities {
  bool present;
  struct spec_strv bounding, effective, inheritable, permitted, ambient;
};

struct spec_user {
  uint32_t uid;
  uint32_t gid;
  bool has_umask;
  uint32_t umask;
  uint32_t *additional_gids;
  size_t additional_gids_len;
  char *username;
};

struct spec_scheduler {
  bool present;
  char *policy; /* SCHED_OTHER ... */
  bool has_nice;
  int32_t nice;
  bool has_priority;
  int32_t priority;
  struct spec_strv flags;
  bool has_runtime;
  uint64_t runtime;
  bool has_deadline;
  uint64_t deadline;
  bool has_period;
  uint64_t period;
};

struct spec_io_priority {
  bool present;
  char *class_name; /* IOPRIO_CLASS_RT|BE|IDLE */
  int64_t priority;
};

struct spec_exec_cpu_affinity {
  char *initial;
  char *final;
};

struct spec_process {
  bool present;
  bool terminal;
  bool has_console_size;
  uint32_t console_height;
  uint32_t console_width;
  char *cwd;
  struct spec_strv env;
  struct spec_strv args;
  char *command_line;
  struct spec_rlimit *rlimits;
  size_t rlimits_len;
  char *apparmor_profile;
  struct spec_capabilities capabilities;
  bool no_new_privileges;
  bool has_oom_score_adj;
  int32_t oom_score_adj;
  struct spec_scheduler scheduler;
  char *selinux_label;
  struct spec_io_priority io_priority;
  struct spec_exec_cpu_affinity exec_cpu_affinity;
  struct spec_user user;
};

struct spec_hook {
  char *path;
  struct spec_strv args;
  struct spec_strv env;
  bool has_timeout;
  int64_t timeout; /* seconds, > 0 */
};

struct spec_hook_list {
  struct spec_hook *items;
  size_t len;
};

struct spec_hooks {
  struct spec_hook_list prestart;
  struct spec_hook_list create_runtime;
  struct spec_hook_list create_container;
  struct spec_hook_list start_container;
  struct spec_hook_list poststart;
  struct spec_hook_list poststop;
};

enum spec_namespace_type {
  SPEC_NS_PID,
  SPEC_NS_NETWORK,
  SPEC_NS_MOUNT,
  SPEC_NS_IPC,
  SPEC_NS_UTS,
  SPEC_NS_USER,
  SPEC_NS_CGROUP,
  SPEC_NS_TIME,
  SPEC_NS_COUNT
};

struct spec_namespace {
  enum spec_namespace_type type;
  char *path; /* NULL: create a new one */
};

struct spec_time_offset {
  char *clock; /* "monotonic" or "boottime" */
  bool has_secs;
  int64_t secs;
  bool has_nanosecs;
  uint32_t nanosecs;
};

struct spec_device {
  char type; /* c b u p */
  char *path;
  int64_t major;
  int64_t minor;
  bool has_file_mode;
  uint32_t file_mode;
  bool has_uid;
  uint32_t uid;
  bool has_gid;
  uint32_t gid;
};

struct spec_device_cgroup_rule {
  bool allow;
  char type; /* 'a', 'c', 'b'; 'a' when absent */
  bool has_major;
  int64_t major; /* -1 (wildcard) when absent */
  bool has_minor;
  int64_t minor;
  char *access; /* NULL when absent (= "rwm") */
};

struct spec_memory {
  bool present;
  bool has_limit;
  int64_t limit;
  bool has_reservation;
  int64_t reservation;
  bool has_swap;
  int64_t swap;
  bool has_kernel;
  int64_t kernel;
  bool has_kernel_tcp;
  int64_t kernel_tcp;
  bool has_swappiness;
  uint64_t swappiness;
  bool has_disable_oom_killer;
  bool disable_oom_killer;
  bool has_use_hierarchy;
  bool use_hierarchy;
  bool has_check_before_update;
  bool check_before_update;
};

struct spec_cpu {
  bool present;
  bool has_shares;
  uint64_t shares;
  bool has_quota;
  int64_t quota;
  bool has_burst;
  uint64_t burst;
  bool has_period;
  uint64_t period;
  bool has_realtime_runtime;
  int64_t realtime_runtime;
  bool has_realtime_period;
  uint64_t realtime_period;
  char *cpus;
  char *mems;
  bool has_idle;
  int64_t idle;
};

struct spec_weight_device {
  int64_t major;
  int64_t minor;
  bool has_weight;
  uint16_t weight;
  bool has_leaf_weight;
  uint16_t leaf_weight;
};

struct spec_throttle_device {
  int64_t major;
  int64_t minor;
  uint64_t rate;
};

struct spec_throttle_list {
  struct spec_throttle_device *items;
  size_t len;
};

struct spec_block_io {
  bool present;
  bool has_weight;
  uint16_t weight;
  bool has_leaf_weight;
  uint16_t leaf_weight;
  struct spec_weight_device *weight_device;
  size_t weight_device_len;
  struct spec_throttle_list throttle_read_bps;
  struct spec_throttle_list throttle_write_bps;
  struct spec_throttle_list throttle_read_iops;
  struct spec_throttle_list throttle_write_iops;
};

struct spec_hugepage_limit {
  char *page_size; /* "2MB" */
  uint64_t limit;
};

struct spec_net_priority {
  char *name;
  uint32_t priority;
};

struct spec_network_resources {
  bool present;
  bool has_class_id;
  uint32_t class_id;
  struct spec_net_priority *priorities;
  size_t priorities_len;
};

struct spec_rdma_limit {
  char *device;
  bool has_hca_handles;
  uint32_t hca_handles;
  bool has_hca_objects;
  uint32_t hca_objects;
};

struct spec_resources {
  bool present;
  struct spec_device_cgroup_rule *devices;
  size_t devices_len;
  struct spec_memory memory;
  struct spec_cpu cpu;
  bool has_pids_limit;
  int64_t pids_limit; /* -1 or 0: unlimited (runc: 0 means no change on v1) */
  struct spec_block_io block_io;
  struct spec_hugepage_limit *hugepage_limits;
  size_t hugepage_limits_len;
  struct spec_network_resources network;
  struct spec_rdma_limit *rdma;
  size_t rdma_len;
  struct spec_kv_list unified;
};

struct spec_intel_rdt {
  bool present;
  char *clos_id;
  char *l3_cache_schema;
  char *mem_bw_schema;
  struct spec_strv schemata;
  bool enable_monitoring;
};

struct spec_seccomp_arg {
  uint32_t index;
  uint64_t value;
  bool has_value_two;
  uint64_t value_two;
  char *op; /* SCMP_CMP_EQ ... */
};

struct spec_seccomp_syscall {
  struct spec_strv names;
  char *action;
  bool has_errno_ret;
  uint32_t errno_ret;
  struct spec_seccomp_arg *args;
  size_t args_len;
};

struct spec_seccomp {
  bool present;
  char *default_action;
  bool has_default_errno_ret;
  uint32_t default_errno_ret;
  struct spec_strv architectures;
  struct spec_strv flags;
  char *listener_path;
  char *listener_metadata;
  struct spec_seccomp_syscall *syscalls;
  size_t syscalls_len;
};

struct spec_net_device {
  char *host_name; /* key of the linux.netDevices object */
  char *name;      /* name inside the container; NULL = same */
};

struct spec_personality {
  bool present;
  char *domain; /* LINUX or LINUX32 */
  struct spec_strv flags;
};

struct spec_memory_policy {
  bool present;
  char *mode;
  char *nodes;
  struct spec_strv flags;
};

struct spec_linux {
  bool present;
  struct spec_namespace *namespaces;
  size_t namespaces_len;
  struct spec_id_mapping *uid_mappings;
  size_t uid_mappings_len;
  struct spec_id_mapping *gid_mappings;
  size_t gid_mappings_len;
  struct spec_time_offset *time_offsets;
  size_t time_offsets_len;
  struct spec_device *devices;
  size_t devices_len;
  char *cgroups_path;
  struct spec_resources resources;
  struct spec_intel_rdt intel_rdt;
  struct spec_kv_list sysctl;
  struct spec_seccomp seccomp;
  char *rootfs_propagation;
  struct spec_strv masked_paths;
  struct spec_strv readonly_paths;
  char *mount_label;
  struct spec_personality personality;
  struct spec_net_device *net_devices;
  size_t net_devices_len;
  struct spec_memory_policy memory_policy;
};

struct spec_root {
  char *path;
  bool readonly;
};

struct spec {
  char *oci_version;
  struct spec_root root;
  struct spec_mount *mounts;
  size_t mounts_len;
  struct spec_process process;
  char *hostname;
  char *domainname;
  struct spec_hooks hooks;
  struct spec_kv_list annotations;
  struct spec_linux linux_;
};

/* Seed the JSON library's hash function from the kernel's per-exec random bytes
 * (AT_RANDOM): otherwise its first use opens and reads /dev/urandom.  Once, first thing. */
void spec_json_seed(void);

/* Parse a config.json document.  `name` prefixes error messages ("config.json").
 * On error returns a negative value and *err says "<name>: <json path>: <problem>". */
int spec_parse(const char *name, const char *data, size_t len, struct spec **out,
               ocirun_error_t **err);
int spec_load_file(const char *path, struct spec **out, ocirun_error_t **err);
void spec_free(struct spec *spec);

/* Parse a process.json document (exec --process) into *out; same rules and errors. */
int spec_process_parse(const char *name, const char *data, size_t len, struct spec_process *out,
                       ocirun_error_t **err);
void spec_process_clear(struct spec_process *process);

/* Parse a LinuxResources object on its own (`update -r`) into *out; same rules and errors. */
int spec_resources_parse(const char *name, const char *data, size_t len, struct spec_resources *out,
                         ocirun_error_t **err);
void spec_resources_clear(struct spec_resources *r);
/* A config.json document with the members of upd that `update` takes (memory limits, cpu,
 * blockIO weight and throttles, pids, unified) written into .linux.resources, the rest as
 * it was (resources_merge.c).  *out is malloc'd. */
int spec_resources_merge(const char *name, const char *data, size_t len,
                         const struct spec_resources *upd, char **out, ocirun_error_t **err);

/* Fields parsed but not applied by this build: returns a negative value with
 * "not supported: <json path>" for the first such field that is set. */
int spec_check_supported(const struct spec *spec, ocirun_error_t **err);

/* What runc's template depends on besides --rootless: the caller's ids and whether the
 * host is pure cgroup v2 (then the container gets its own cgroup namespace). */
struct spec_template_host {
  uid_t uid;
  gid_t gid;
  bool cgroup2_unified;
};
/* The host facts above, read from this process and /sys/fs/cgroup. */
void spec_template_probe_host(struct spec_template_host *host);
/* The starter config.json of `ocirun spec` (runc's template), as malloc'd JSON text.
 * rootless: a user namespace mapping uid/gid to root, no network namespace, no cgroup
 * limits, sysfs bound from the host. */
int spec_template(bool rootless, const struct spec_template_host *host, char **out,
                  ocirun_error_t **err);
/* Write the template for this host to <bundle>/config.json (bundle NULL: the current
 * directory); an existing file is never replaced. */
int spec_write_template(const char *bundle, bool rootless, ocirun_error_t **err);

/* Helpers shared by the commands. */
const char *spec_namespace_name(enum spec_namespace_type type);
int spec_namespace_from_name(const char *name, enum spec_namespace_type *out);
const struct spec_namespace *spec_find_namespace(const struct spec *spec,
                                                 enum spec_namespace_type type);
const char *spec_annotation(const struct spec *spec, const char *key);

#endif
