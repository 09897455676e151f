/* The state store: --root (0700), one directory per container (0700) holding
 *   state.json   what exists for this container (written atomically)
 *   config.json  the copy of the bundle's config taken at create (exec, delete and
 *                poststop hooks read it; the bundle may change afterwards)
 *   exec.fifo    present while the container is `created`
 * The directory itself is flock()ed exclusively by every mutating command (no lock
 * file: nothing must be created in a directory a concurrent delete is emptying).
 * state.json records the cgroup *before* it is made, so that `delete --force` can
 * always clean up after a crash. */
#ifndef OCIRUN_CONTAINER_STATE_H
#define OCIRUN_CONTAINER_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "spec/spec.h"
#include "util/error.h"
#include "util/proc_stat.h"

#define CONTAINER_ID_MAX 1024

enum container_status {
  CONTAINER_CREATING, /* create in progress, or crashed during create */
  CONTAINER_CREATED,
  CONTAINER_RUNNING,
  CONTAINER_PAUSED,
  CONTAINER_STOPPED,
};

struct container_state {
  char *id;
  char *bundle;             /* absolute */
  char *rootfs;             /* absolute */
  char *created;            /* RFC 3339 with nanoseconds, UTC */
  uid_t owner;              /* uid of the creator */
  pid_t init_pid;           /* 0 until the init process exists */
  uint64_t init_start_time; /* field 22 of /proc/<pid>/stat, guards against pid reuse */
  bool created_done;        /* false while `creating` */
  char *cgroup_path;        /* driver-relative cgroup path, NULL until the cgroup is made */
  char *cgroup_mounts;      /* cgroup_mounts_record at create (NULL: read mountinfo) */
  char *cgroup_unit_dir;    /* cgroup_unit_dir at create: a user manager's unit (or NULL) */
  char *freeze_probe;       /* cgroup_freeze_probe at create (NULL: none recorded) */
  bool systemd_cgroup;
  bool no_new_keyring;
  char *intel_rdt_path;     /* the resctrl group joined, recorded before it is made; or NULL */
  bool intel_rdt_created;   /* made by this runtime: removed at delete */
  char *intel_rdt_mon_path; /* enableMonitoring: mon_groups/<id>, made by us; or NULL */
  struct spec_kv_list annotations;
  /* What fds 0-2 of the init were when it was made ("pipe:[123]", "/dev/null"):
   * checkpoint writes them to descriptors.json, restore replaces those pipes. */
  char *stdio[3];
};

/* Validate a container id: [A-Za-z0-9][A-Za-z0-9_+.-]*, at most CONTAINER_ID_MAX
 * characters; "." and ".." refused.  The error says what is wrong. */
int container_id_validate(const char *id, ocirun_error_t **err);

/* Create the root directory (0700) if needed. */
int state_root_ensure(const char *root, ocirun_error_t **err);

/* Path of the container directory: <root>/<id> (malloc'd). */
char *state_dir_path(const char *root, const char *id);

/* The compiled seccomp filter cache for containers of this root: seccomp_cache_default_dir
 * (outside the root, which holds containers only).  malloc'd. */
char *state_seccomp_cache_path(const char *root);

/* Create <root>/<id> (0700); EEXIST becomes "container with id exists: <id>". */
int state_dir_create(const char *root, const char *id, ocirun_error_t **err);
/* Remove <root>/<id> and everything in it (symlinks are not followed); a directory
 * already gone is not an error. */
int state_dir_remove(const char *root, const char *id, ocirun_error_t **err);

/* Exclusive lock on the container (flock on the directory <root>/<id>); returns
 * the fd (O_CLOEXEC), closing it releases the lock.  Blocks while another command
 * holds it.  A missing container gives "container does not exist: <id>" (ENOENT), as
 * does a container deleted while we waited for its lock. */
int state_lock(const char *root, const char *id, ocirun_error_t **err);
/* As state_lock, without waiting: a lock held elsewhere gives EWOULDBLOCK,
 * "container <id> is busy: another command holds its lock". */
int state_lock_try(const char *root, const char *id, ocirun_error_t **err);

/* Replace <root>/<id>/state.json (0600) atomically; the directory must exist. */
int state_write(const char *root, const struct container_state *st, ocirun_error_t **err);
/* Reads <root>/<id>/state.json; a missing container: ENOENT, "container does not exist". */
int state_read(const char *root, const char *id, struct container_state *st, ocirun_error_t **err);
void state_clear(struct container_state *st);

/* Parse the internal state.json format (what state_write writes).  name is used in
 * error messages (the file's path).  Unknown keys are ignored. */
int state_parse_json(const char *name, const char *data, size_t len, struct container_state *st,
                     ocirun_error_t **err);
/* Serialise st in the internal state.json format (malloc'd, NUL-terminated). */
char *state_format_json(const struct container_state *st);

/* How state_status learns that a container is paused: by default the freezer
 * state of its recorded cgroup; unit tests substitute their own. */
extern bool (*state_is_paused_hook)(const struct container_state *st);

/* Live status from the recorded state: checks the init pid and its start time,
 * the exec fifo (created), and the freezer (paused, via the cgroup driver).
 * Not created_done: `creating` while no init pid is recorded yet or the recorded one
 * lives, `stopped` once it is gone.  Created_done: `stopped` when the init is gone, a
 * zombie or another process with the same pid; else paused, created, or running. */
enum container_status state_status(const char *root, const struct container_state *st);
const char *container_status_name(enum container_status s);

/* runc's `state` JSON for a container (malloc'd, pretty-printed like runc, no final
 * newline; pid 0 when stopped, "owner" empty as runc prints it). */
char *state_to_oci_json(const struct container_state *st, enum container_status status);
/* The same object, compact (`list --format json`), with the given owner name. */
char *state_to_oci_json_compact(const struct container_state *st, enum container_status status,
                                const char *owner);
/* Where the values of pid, status and owner are in a state_to_oci_json_cut text: byte
 * offsets [start, end), quotes included for the strings. */
struct state_json_cuts {
  size_t pid[2], status[2], owner[2];
};
/* The object of state_to_oci_json (pretty) or of state_to_oci_json_compact, rendered as
 * for a running container owned by "", and where its live values are (state_view.h). */
char *state_to_oci_json_cut(const struct container_state *st, bool pretty,
                            struct state_json_cuts *cuts);
/* The runtime-spec state given to hooks on stdin: compact, keys ociVersion, id,
 * status, pid (omitted when 0), bundle, annotations (omitted when empty). */
char *state_to_hook_json(const struct container_state *st, enum container_status status);
/* The same in two parts around the pid member, for a process that learns the pid
 * later (process/hook_state.h); -1 when out of memory. */
int state_to_hook_json_parts(const struct container_state *st, enum container_status status,
                             char **head, char **tail);
/* Owner name for `list`: the user name of uid in /etc/passwd, or "#<uid>". */
char *state_owner_name(uid_t uid);
/* The name of the first entry of passwd text (/etc/passwd format) with this uid, or NULL.
 * malloc'd. */
char *state_passwd_name(const char *passwd, uid_t uid);

/* Ids of all containers under root, sorted (malloc'd array of malloc'd strings). */
int state_list_ids(const char *root, char ***ids, size_t *count, ocirun_error_t **err);
/* The same, but a root that does not exist is an error (an explicit --root, as runc). */
int state_list_ids_existing(const char *root, char ***ids, size_t *count, ocirun_error_t **err);
void state_list_ids_free(char **ids, size_t count);

#endif
