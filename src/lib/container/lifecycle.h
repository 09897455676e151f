/* Container lifecycle operations (create, start, run, kill, delete), each under
 * the container's lock.  The CLI calls these and prints their errors. */
#ifndef OCIRUN_CONTAINER_LIFECYCLE_H
#define OCIRUN_CONTAINER_LIFECYCLE_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup/cgroup.h"
#include "container/state.h"
#include "process/stdio_pipes.h"
#include "spec/spec.h"
#include "util/error.h"
#include "util/timestamp.h"

struct create_options {
  const char *root;
  const char *id;
  const char *bundle; /* NULL: current directory */
  const char *console_socket;
  const char *pid_file;
  const char *pidfd_socket; /* receives a pidfd of the init */
  bool no_pivot;
  bool no_new_keyring;
  bool systemd_cgroup;
  /* --rootless: a cgroup the user may not make is skipped (no limits), as runc does */
  bool rootless;
  int preserve_fds;
  /* `run`: no exec fifo; the init waits for START on the sync socket, and a
   * terminal without --console-socket is relayed by the caller. */
  bool for_run;
  bool detach;
  bool subreaper;
};

/* A container made by container_create, still held by this process. */
struct container {
  struct spec *spec;
  struct container_state state;
  struct cgroup *cgroup;
  pid_t pid;
  int pidfd;
  int sync_fd;              /* `run` only: parent end of the sync socket, else -1 */
  int console_master;       /* `run` with a terminal and no console socket, else -1 */
  struct stdio_pipes pipes; /* foreground `run` in a user namespace without a terminal */
  int lock_fd;
  char *state_dir;
  const char *root;   /* the --root the state directory is in */
  bool state_unsaved; /* `run`: the created state is written once the init runs on */
  bool init_goes_on;  /* `run`: the init execs after READY without START (init.h) */
};

int container_create(const struct create_options *opts, struct container *c, ocirun_error_t **err);

/* The steps of create that restore shares.  container_init_empty: no fds, nothing
 * held.  container_load_bundle: validate the id, chdir into the bundle, read and
 * check config.json (raw text and rootfs path malloc'd).  container_make_shell: the
 * state (creating), the state directory (locked), the cgroup opened.  Then
 * container_make_cgroup makes its directories and container_save_config writes the
 * config copy into the state directory (create does both after the clone, while the
 * init makes its namespaces and sets up: see create.c).
 * container_create_undo: kill the init if any, remove the cgroup and (when made) the
 * state directory. */
void container_init_empty(struct container *c);
/* The terminal flags against .process.terminal: a console socket needs a terminal, a
 * terminal needs a console socket unless a foreground `run` relays it. */
int container_terminal_check(const struct create_options *o, bool terminal, ocirun_error_t **err);
int container_load_bundle(const struct create_options *opts, struct container *c, char **raw,
                          size_t *raw_len, char **rootfs, ocirun_error_t **err);
int container_make_shell(const struct create_options *opts, struct container *c, const char *rootfs,
                         bool *state_dir_made, ocirun_error_t **err);
int container_save_config(const struct container *c, const char *raw, size_t raw_len,
                          ocirun_error_t **err);
int container_make_cgroup(const struct create_options *opts, struct container *c,
                          ocirun_error_t **err);
void container_create_undo(const char *root, const char *id, struct container *c,
                           bool state_dir_made, ocirun_error_t **err);
/* `run`: let the init go (START), record running, poststart hooks. */
int container_start_held(struct container *c, ocirun_error_t **err);
void container_release(struct container *c);

int container_start(const char *root, const char *id, ocirun_error_t **err);
int container_kill(const char *root, const char *id, int signo, bool all, ocirun_error_t **err);
int container_delete(const char *root, const char *id, bool force, ocirun_error_t **err);

/* Remove everything of a container whose init is gone or killed: wait for the
 * cgroup to empty, destroy it, run poststop hooks, remove the state dir. */
int container_destroy(const char *root, struct container_state *st, const struct spec *spec,
                      ocirun_error_t **err);

/* Read <state dir>/config.json (the copy taken at create). */
int container_load_spec(const char *root, const char *id, struct spec **spec, ocirun_error_t **err);
/* As container_load_spec, for the hooks named `key` ("poststart", "poststop") only: the
 * config is parsed only when its text can name them (the key spelled out, or any \u
 * escape); else *spec is NULL and there is nothing to run. */
int container_load_spec_for_hooks(const char *root, const char *id, const char *key,
                                  struct spec **spec, ocirun_error_t **err);

/* The `created` timestamp of a new container: timestamp_now, under the name create
 * uses (malloc'd). */
static inline char *container_now_rfc3339(void) {
  return timestamp_now();
}

#endif
