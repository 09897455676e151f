/* What ocirun does while CRIU restores: CRIU itself goes into the container's
 * cgroup first (its children, the restored tree, follow), the hooks run once
 * the namespaces exist (prestart and createRuntime, as runc runs them at
 * restore), the restored init is recorded as soon as CRIU names it, and a
 * terminal's new master (CRIU re-creates the pty) goes to --console-socket or
 * to the foreground relay. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "checkpoint/criu_internal.h"
#include "checkpoint/restore_rootfs.h"
#include "linux/hooks.h"
#include "process/fd_passing.h"
#include "util/cleanup.h"
#include "util/syscalls.h"
#include "util/timestamp.h"

/* cgroup v1: CRIU restores each controller's cgroups below the roots it is
 * given, the container's own (where CRIU now is). */
static int add_v1_roots(CriuReq *req, pid_t pid, ocirun_error_t **err) {
  _cleanup_free_ char *path = NULL;
  _cleanup_fclose_ FILE *f = NULL;
  char line[4096];

  if (asprintf(&path, "/proc/%d/cgroup", (int)pid) < 0)
    return ocirun_error_set(err, ENOMEM, "restore: cgroup roots");
  f = fopen(path, "re");
  if (f == NULL)
    return ocirun_error_set(err, errno, "open %s", path);
  while (fgets(line, sizeof(line), f)) {
    char *ctrl = strchr(line, ':'), *cg;
    if (ctrl == NULL || (cg = strchr(++ctrl, ':')) == NULL)
      continue;
    *cg++ = '\0';
    cg[strcspn(cg, "\n")] = '\0';
    if (ctrl[0] == '\0') /* the cgroup2 line: CRIU needs no root for it */
      continue;
    if (strncmp(ctrl, "name=", 5) == 0)
      ctrl += 5;
    if (criu_opts_add_cg_root(req->opts, ctrl, cg) < 0)
      return ocirun_error_set(err, ENOMEM, "restore: cgroup roots");
  }
  return 0;
}

int restore_on_spawn(void *arg, pid_t criu_pid, CriuReq *req, ocirun_error_t **err) {
  struct restore_ctx *x = arg;
  struct container *c = x->c;
  const struct spec_resources *res =
      c->spec->linux_.resources.present ? &c->spec->linux_.resources : NULL;

  if (cgroup_apply(c->cgroup, criu_pid, NULL, err) < 0 ||
      cgroup_set_resources(c->cgroup, res, err) < 0)
    return ocirun_error_prefix(err, "restore: put criu into the container's cgroup");
  /* CRIU's stdio becomes the restored init's: recorded for the next checkpoint. */
  if (process_stdio_paths(criu_pid, c->state.stdio) < 0)
    return ocirun_error_set(err, ENOMEM, "restore: stdio");
  /* On pure cgroup v2 /proc/<pid>/cgroup has no v1 line: no roots. */
  return add_v1_roots(req, criu_pid, err);
}

static int run_hooks(struct restore_ctx *x, pid_t pid, ocirun_error_t **err) {
  const struct spec_hooks *h = &x->c->spec->hooks;
  _cleanup_free_ char *json = NULL;

  if (h->prestart.len == 0 && h->create_runtime.len == 0)
    return 0;
  x->c->state.init_pid = pid;
  json = state_to_hook_json(&x->c->state, CONTAINER_CREATING);
  if (json == NULL)
    return ocirun_error_set(err, ENOMEM, "hooks: state");
  if (hooks_run(&h->prestart, "prestart", json, err) < 0)
    return -1;
  return hooks_run(&h->create_runtime, "createRuntime", json, err);
}

static int record_restored(struct restore_ctx *x, pid_t pid, ocirun_error_t **err) {
  struct container *c = x->c;

  if (pid <= 0)
    return ocirun_error_set(err, EPROTO, "restore: criu named no restored process");
  c->pid = pid;
  c->pidfd = pidfd_open_process(pid, "restored init", &c->state.init_start_time, err);
  if (c->pidfd < 0)
    return -1;
  c->state.init_pid = pid;
  c->state.created_done = true;
  /* The restored container starts its life now. */
  free(c->state.created);
  c->state.created = timestamp_now();
  x->restored = true;
  return state_write(x->o->create.root, &c->state, err);
}

static int pass_terminal(struct restore_ctx *x, int fd, ocirun_error_t **err) {
  if (fd < 0)
    return ocirun_error_set(err, EPROTO, "restore: criu sent no terminal");
  if (x->console_sock >= 0) {
    int r = fd_send(x->console_sock, fd, "/dev/ptmx", strlen("/dev/ptmx"), err);
    close(fd);
    return r < 0 ? ocirun_error_prefix(err, "send the terminal to --console-socket") : 0;
  }
  /* Foreground restore: relayed like `run` relays. */
  if (x->c->console_master >= 0)
    close(x->c->console_master);
  x->c->console_master = fd;
  return 0;
}

int restore_notify(void *arg, const char *script, pid_t pid, int fd, ocirun_error_t **err) {
  struct restore_ctx *x = arg;

  if (strcmp(script, "orphan-pts-master") == 0)
    return pass_terminal(x, fd, err);
  if (fd >= 0)
    close(fd);
  if (strcmp(script, "setup-namespaces") == 0)
    return run_hooks(x, pid, err);
  if (strcmp(script, "post-restore") == 0)
    return record_restored(x, pid, err);
  return 0;
}
