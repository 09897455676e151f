/* `create`: the parent side of starting a container's init process.
 *
 * The order follows the reference runtime's initProcess.start: the state
 * records each resource before it is made (so `delete --force` can always
 * clean up), the child is in its cgroup and has its rlimits before it runs any
 * setup, then parent and child step through the sync protocol (process/sync.h).
 * On any failure everything made so far is undone. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/create_checks.h"
#include "container/lifecycle.h"
#include "linux/capabilities.h"
#include "linux/hooks.h"
#include "linux/intel_rdt.h"
#include "linux/id_map.h"
#include "linux/mount_source.h"
#include "linux/namespaces.h"
#include "linux/net_devices.h"
#include "linux/process_attrs.h"
#include "linux/rlimits.h"
#include "process/init.h"
#include "process/launch.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/syscalls.h"
#include "util/trace.h"

/* Everything create has made so far, for the undo path. */
struct create_ctx {
  const struct create_options *opts;
  struct container *c;
  struct init_config init;
  struct launch launch;
  char *rootfs;
  char *seccomp_cache;
  char *state_head, *state_tail; /* the state for the hooks, around the pid */
  const char *raw;               /* config.json as read, for the state directory's copy */
  size_t raw_len;
  int fifo_fd;
  bool state_dir_made;
  bool child_joins_cgroup; /* the child writes itself into the v1 hierarchies */
  bool resources_set;      /* the limits were written before the clone */
  bool child_unshares;     /* the child makes its namespaces while we go on (init.h) */
  bool cgroup_after_clone; /* and the cgroup is made meanwhile */
  int *go_join_fds;        /* then: its `tasks` fds, sent with GO */
  size_t go_join_len;
};

static int child_entry(void *arg, const struct launch_child *io) {
  struct create_ctx *ctx = arg;

  ctx->init.io = *io;
  /* The flock belongs to the open file: a copy held here would keep the container
   * locked for as long as the init waits for `start`. */
  close(ctx->c->lock_fd);
  return init_child_run(&ctx->init);
}

static int write_state(struct create_ctx *ctx, ocirun_error_t **err) {
  return state_write(ctx->opts->root, &ctx->c->state, err);
}

/* After GO, which gave the child its copies of the join fds: the config copy is for the
 * commands that come after create. */
static int after_go(void *arg, ocirun_error_t **err) {
  struct create_ctx *ctx = arg;
  cgroup_self_join_fds_close(&ctx->go_join_fds, &ctx->go_join_len);
  ctx->launch.go_fds = NULL;
  ctx->launch.go_fds_len = 0;
  return container_save_config(ctx->c, ctx->raw, ctx->raw_len, err);
}

/* HOOKS: the child's mounts are done. */
static int run_parent_hooks(void *arg, ocirun_error_t **err) {
  struct create_ctx *ctx = arg;
  const struct spec_hooks *h = &ctx->c->spec->hooks;
  _cleanup_free_ char *json = state_to_hook_json(&ctx->c->state, CONTAINER_CREATING);

  if (json == NULL)
    return ocirun_error_set(err, ENOMEM, "hooks: state");
  if (hooks_run(&h->prestart, "prestart", json, err) < 0)
    return -1;
  trace_pointf("hooks", "prestart (%zu)", h->prestart.len);
  if (hooks_run(&h->create_runtime, "createRuntime", json, err) < 0)
    return -1;
  trace_pointf("hooks", "createRuntime (%zu)", h->create_runtime.len);
  return 0;
}

/* MOUNT_SOURCE: the tree of .mounts[index], made in the child's mount namespace. */
static int mount_source(void *arg, int index, ocirun_error_t **err) {
  struct create_ctx *ctx = arg;
  struct container *c = ctx->c;

  if (index < 0 || (size_t)index >= c->spec->mounts_len)
    return ocirun_error_set(err, EPROTO, "sync: mount source %d out of range", index);
  return mount_source_for_container(c->spec, (size_t)index, ctx->launch.pidfd, ctx->launch.pid,
                                    c->state.bundle, err);
}

/* `run` without a pid file or pidfd socket: nobody to look at the container between READY
 * and START. */
static bool created_state_unseen(const struct create_options *o) {
  return o->for_run && o->pid_file == NULL && o->pidfd_socket == NULL;
}

/* READY: recorded as created before the init is told to wait for `start`; where nobody
 * can see it in between (created_state_unseen) once the init goes on, while it execs
 * (container_start_held). */
static int record_created(void *arg, ocirun_error_t **err) {
  struct create_ctx *ctx = arg;

  /* runc's phrase for its init's end of set-up, for --debug readers (and runc's suite):
   * logged here, as our init's stderr may be the container's terminal by now. */
  log_debug("init: closing the pipe to signal completion");
  ctx->c->state.created_done = true;
  if (created_state_unseen(ctx->opts)) {
    ctx->c->state_unsaved = true;
    return 0;
  }
  if (write_state(ctx, err) < 0)
    return -1;
  trace_point("state write (created)");
  return 0;
}

static void prepare_terminal(struct create_ctx *ctx) {
  const struct create_options *o = ctx->opts;
  struct launch *l = &ctx->launch;

  l->terminal = ctx->c->spec->process.terminal;
  l->console_socket = o->console_socket;
  l->foreground = o->for_run && !o->detach;
  /* Foreground in a user namespace: stdio the container's root may reopen. */
  l->stdio_pipes = l->foreground && !l->terminal &&
                   ((ctx->init.clone_flags & CLONE_NEWUSER) || ctx->init.ns_fds[SPEC_NS_USER] >= 0);
}

static int prepare_fifo(struct create_ctx *ctx, ocirun_error_t **err) {
  _cleanup_free_ char *path = NULL;

  if (ctx->opts->for_run)
    return 0;
  if (asprintf(&path, "%s/exec.fifo", ctx->c->state_dir) < 0)
    return ocirun_error_set(err, ENOMEM, "exec fifo");
  if (mkfifo(path, 0622) < 0)
    return ocirun_error_set(err, errno, "mkfifo %s", path);
  ctx->fifo_fd = open(path, O_PATH | O_CLOEXEC);
  if (ctx->fifo_fd < 0)
    return ocirun_error_set(err, errno, "open %s", path);
  /* Exactly 0622 whatever the umask: an init that switched to another user opens it
   * for writing through /proc/self/fd (the directory itself stays 0700). */
  if (fchmodat(AT_FDCWD, path, 0622, 0) < 0)
    return ocirun_error_set(err, errno, "chmod %s", path);
  ctx->init.fifo_fd = ctx->fifo_fd;
  trace_point("exec fifo");
  return 0;
}

static void close_join_fds(struct create_ctx *ctx) {
  cgroup_self_join_fds_close(&ctx->init.cgroup_join_fds, &ctx->init.cgroup_join_len);
}

/* True when clone3 alone puts the child into every hierarchy (pure cgroup v2). */
static bool cgroup_placed_by_clone(struct create_ctx *ctx) {
  return ctx->c->cgroup == NULL || cgroup_clone_fd(ctx->c->cgroup) >= 0;
}

/* The cgroup fd for CLONE_INTO_CGROUP, -1 when none (v1, or skipped as rootless). */
static int clone_cgroup_fd(struct create_ctx *ctx) {
  return ctx->c->cgroup ? cgroup_clone_fd(ctx->c->cgroup) : -1;
}

/* Namespaces a child cannot enter itself: the pid and time namespaces only
 * apply to children, so the parent enters them before clone. */
static int enter_for_children(void *arg, ocirun_error_t **err) {
  struct create_ctx *ctx = arg;
  int *fds = ctx->init.ns_fds;

  if (fds[SPEC_NS_PID] >= 0) {
    if (setns(fds[SPEC_NS_PID], CLONE_NEWPID) < 0)
      return ocirun_error_set(err, errno, "setns into the pid namespace (.linux.namespaces)");
    close(fds[SPEC_NS_PID]);
    fds[SPEC_NS_PID] = -1;
  }
  if (fds[SPEC_NS_TIME] >= 0) {
    if (setns(fds[SPEC_NS_TIME], CLONE_NEWTIME) < 0)
      return ocirun_error_set(err, errno, "setns into the time namespace (.linux.namespaces)");
    close(fds[SPEC_NS_TIME]);
    fds[SPEC_NS_TIME] = -1;
  }
  return 0;
}

/* The resctrl group, recorded in the state before it is made (delete --force
 * finds it after a crash), then joined by the init and given its schemata:
 * the reference runtime's intelRdtManager.Apply and Set. */
static int apply_intel_rdt(struct create_ctx *ctx, ocirun_error_t **err) {
  struct container *c = ctx->c;
  const struct spec_intel_rdt *rdt = &c->spec->linux_.intel_rdt;
  _cleanup_free_ char *mon = NULL;
  struct stat st;
  bool created = false;

  if (!rdt->present)
    return 0;
  if (intel_rdt_group_path(rdt, ctx->opts->id, &c->state.intel_rdt_path, err) < 0)
    return -1;
  c->state.intel_rdt_created =
      !(rdt->clos_id && rdt->clos_id[0]) && stat(c->state.intel_rdt_path, &st) < 0;
  if (rdt->enable_monitoring && asprintf(&c->state.intel_rdt_mon_path, "%s/mon_groups/%s",
                                         c->state.intel_rdt_path, ctx->opts->id) < 0) {
    c->state.intel_rdt_mon_path = NULL;
    return ocirun_error_set(err, ENOMEM, "Intel RDT path");
  }
  if (write_state(ctx, err) < 0)
    return -1;
  if (intel_rdt_apply(rdt, ctx->opts->id, c->state.intel_rdt_path, c->pid, &created, &mon, err) < 0)
    return -1;
  c->state.intel_rdt_created = created;
  return intel_rdt_set(rdt, c->state.intel_rdt_path, err);
}

/* In the helper of spawn_clone_entering: the namespace paths the joined user
 * namespace does not own (they need our privileges), the user namespace, then
 * the pid and time namespaces it owns (an ordinary user may enter them only
 * from inside it); all of them for the children of the helper. */
static int enter_joined_userns(void *arg) {
  static const int for_children[][2] = {{SPEC_NS_PID, CLONE_NEWPID}, {SPEC_NS_TIME, CLONE_NEWTIME}};
  const int *fds = ((struct create_ctx *)arg)->init.ns_fds;
  int user = fds[SPEC_NS_USER];

  if (namespaces_join_foreign(fds, NULL) < 0)
    return -1;
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1 && setns(user, CLONE_NEWUSER) < 0)
      return -1;
    for (size_t i = 0; i < 2; i++) {
      int fd = fds[for_children[i][0]];
      if (fd >= 0 && userns_owns(user, fd) == (pass == 1) && setns(fd, for_children[i][1]) < 0)
        return -1;
    }
  }
  return 0;
}

static int set_resources(struct container *c, ocirun_error_t **err) {
  const struct spec_resources *r =
      c->spec->linux_.resources.present ? &c->spec->linux_.resources : NULL;
  if (cgroup_set_resources(c->cgroup, r, err) < 0)
    return -1;
  trace_point("cgroup set");
  return 0;
}

/* The namespaces the init may make itself, after the clone (init.h: unshare_flags). */
#define CHILD_UNSHARED_NAMESPACES (CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS)

/* Whether the init makes its namespaces itself (unshare, right after the clone) while we
 * write its resources and the rest of before_go, and waits for GO then: worth it for a new
 * network namespace.  A new user namespace comes with the clone, and the namespaces the
 * child makes then belong to it, as they would with the clone.  Not where the clone
 * happens inside joined user, pid or time namespaces, nor with network devices (moved into
 * the child's network namespace before GO). */
static bool child_makes_namespaces(const struct create_ctx *ctx) {
  const int *fds = ctx->init.ns_fds;

  return (ctx->init.clone_flags & CLONE_NEWNET) && fds[SPEC_NS_USER] < 0 && fds[SPEC_NS_PID] < 0 &&
         fds[SPEC_NS_TIME] < 0 && ctx->c->spec->linux_.net_devices_len == 0;
}

/* And whether we make its cgroup meanwhile too, which the child joins by itself on GO:
 * where making it means a directory per v1 hierarchy (cgroupfs on v1 or hybrid).  Not
 * with execCPUAffinity.initial (the parent moves the child then), nor Intel RDT, nor for a
 * rootless runtime (it may go on without a cgroup, see create_shell.c, which it learns
 * only when it tries to make one). */
static bool cgroup_made_after_clone(const struct create_ctx *ctx) {
  const struct spec *s = ctx->c->spec;

  return ctx->child_unshares && ctx->c->cgroup && cgroup_has_self_join(ctx->c->cgroup) &&
         !ctx->opts->rootless && s->process.exec_cpu_affinity.initial == NULL &&
         !s->linux_.intel_rdt.present;
}

/* A cgroup made after the clone, while the child makes its namespaces: its `tasks` fds are
 * opened here too and go to the child with GO, so that all it does then is write "0" into
 * each (moved from here, it would cost the kernel's threadgroup lock: see cgroup.h). */
static int make_cgroup_to_join(struct create_ctx *ctx, ocirun_error_t **err) {
  struct container *c = ctx->c;

  if (container_make_cgroup(ctx->opts, c, err) < 0 ||
      cgroup_self_join_fds(c->cgroup, &ctx->go_join_fds, &ctx->go_join_len, err) < 0)
    return -1;
  ctx->launch.go_fds = ctx->go_join_fds;
  ctx->launch.go_fds_len = ctx->go_join_len;
  trace_pointf("cgroup join fds", "%zu hierarchies, sent with GO", ctx->go_join_len);
  return 0;
}

/* The child is cloned and waits (or sets up, without GO): what comes from here first. */
static int before_go(void *arg, ocirun_error_t **err) {
  struct create_ctx *ctx = arg;
  struct container *c = ctx->c;

  c->pid = ctx->launch.pid;
  close_join_fds(ctx);
  if (ctx->cgroup_after_clone && make_cgroup_to_join(ctx, err) < 0)
    return -1;
  /* Not written to state.json yet: should this process die now, the child reads EOF
   * on the sync socket and exits by itself, and every process in the recorded cgroup
   * is killed by delete --force.  The pid is recorded with the `created` state. */
  c->state.init_pid = c->pid;
  c->state.init_start_time = process_start_time(c->pid);
  /* For checkpoint/restore: the init's stdio as it was given (the seed's getPipeFds). */
  if (process_stdio_paths(c->pid, c->state.stdio) < 0)
    return ocirun_error_set(err, ENOMEM, "record the stdio of the container init");
  /* execCPUAffinity.initial: where the child runs until its cgroup's cpuset applies. */
  if (cpu_affinity_apply_to(c->pid, c->spec->process.exec_cpu_affinity.initial, err) < 0)
    return -1;
  /* Placed already by clone3 and/or by the child itself; else move it from here. */
  if (!cgroup_placed_by_clone(ctx) && !ctx->child_joins_cgroup &&
      cgroup_apply(c->cgroup, c->pid, NULL, err) < 0)
    return -1;
  trace_point("cgroup apply");
  if (c->cgroup && !ctx->resources_set && set_resources(c, err) < 0)
    return -1;
  if (apply_intel_rdt(ctx, err) < 0)
    return -1;
  /* Into the init's new network namespace, or the one it is about to join:
   * before it runs anything, as runc's initProcess.start does. */
  if (net_devices_move(c->spec, c->pid, ctx->init.ns_fds[SPEC_NS_NETWORK], err) < 0)
    return -1;
  /* rlimits from the parent, before the child can enter a user namespace; without GO the
   * child sets them itself, before it gives up its privileges. */
  if (ctx->init.wait_for_go &&
      rlimits_apply(c->pid, c->spec->process.rlimits, c->spec->process.rlimits_len, err) < 0)
    return -1;
  trace_point("rlimits");
  /* The child waits for GO in its new user namespace: its maps come from here. */
  if ((ctx->init.clone_flags & CLONE_NEWUSER) &&
      id_map_write_for(c->pid, &c->spec->linux_, err) < 0)
    return ocirun_error_prefix(err, "user namespace");
  return 0;
}

static int spawn_init(struct create_ctx *ctx, ocirun_error_t **err) {
  struct container *c = ctx->c;
  struct launch *l = &ctx->launch;
  const int *fds = ctx->init.ns_fds;

  /* With execCPUAffinity.initial the parent sets the affinity before the move, so the
   * parent moves the child; otherwise the child moves itself (see cgroup.h), right after
   * the clone or, when its cgroup is made after the clone, on GO (which brings the fds). */
  if (ctx->child_unshares)
    ctx->init.unshare_flags = ctx->init.clone_flags & CHILD_UNSHARED_NAMESPACES;
  if (ctx->cgroup_after_clone)
    ctx->init.join_after_go = true;
  else if (c->cgroup && c->spec->process.exec_cpu_affinity.initial == NULL &&
           cgroup_self_join_fds(c->cgroup, &ctx->init.cgroup_join_fds, &ctx->init.cgroup_join_len,
                                err) < 0)
    return -1;
  ctx->child_joins_cgroup = ctx->init.cgroup_join_len > 0 || ctx->cgroup_after_clone;
  ctx->init.wait_for_go =
      ctx->child_unshares || !(cgroup_placed_by_clone(ctx) || ctx->child_joins_cgroup) ||
      c->spec->process.exec_cpu_affinity.initial != NULL ||
      c->spec->hooks.create_container.len > 0 || c->spec->linux_.net_devices_len > 0 ||
      c->spec->linux_.intel_rdt.present || (ctx->init.clone_flags & CLONE_NEWUSER) ||
      fds[SPEC_NS_USER] >= 0;
  trace_pointf("cgroup join fds", "%zu hierarchies", ctx->init.cgroup_join_len);
  /* A child that is in its cgroup from the clone on, or that joins it itself, may go on
   * without waiting for GO: the limits (a cpuset that SCHED_DEADLINE is checked against,
   * pids, memory) must be in place before it runs, as they are when runc's init resumes.
   * A child that makes its namespaces first waits for GO: they are written meanwhile. */
  if (c->cgroup && !ctx->child_unshares &&
      (cgroup_placed_by_clone(ctx) || ctx->child_joins_cgroup)) {
    if (set_resources(c, err) < 0)
      return -1;
    ctx->resources_set = true;
  }
  /* A new cgroup namespace takes the creator's cgroup as its root: unless clone3
   * places the child into its cgroup, the child unshares it after it was moved. */
  if ((ctx->init.clone_flags & CLONE_NEWCGROUP) &&
      (!cgroup_placed_by_clone(ctx) || ctx->child_joins_cgroup)) {
    ctx->init.clone_flags &= ~(unsigned long)CLONE_NEWCGROUP;
    ctx->init.unshare_cgroupns = true;
  }
  /* Nothing between READY and START for the init to wait for: the runtime would only send
   * RUN and START (the poststart hooks still wait for its execve).  Not with a terminal we
   * relay: its master is received after READY, which could still fail before the process
   * may run. */
  ctx->init.exec_at_ready = created_state_unseen(ctx->opts) &&
                            c->spec->hooks.start_container.len == 0 &&
                            !(l->terminal && l->console_socket == NULL);
  if (state_to_hook_json_parts(&c->state, CONTAINER_CREATING, &ctx->state_head, &ctx->state_tail) <
      0)
    return ocirun_error_set(err, ENOMEM, "container state for the hooks");
  ctx->init.state = (struct hook_state){ctx->state_head, ctx->state_tail};
  /* runc's phrase for the start of its init, for --debug readers (and runc's suite). */
  log_debug("nsexec container setup: starting the init of container %s", ctx->opts->id);
  l->name = "init";
  l->what = "container init";
  l->child = child_entry;
  l->arg = ctx;
  l->clone_flags = ctx->init.clone_flags & ~ctx->init.unshare_flags;
  l->cgroup_fd = clone_cgroup_fd(ctx);
  /* New namespaces of a container that joins a user namespace belong to that one. */
  if (fds[SPEC_NS_USER] >= 0)
    l->enter = enter_joined_userns;
  else if (fds[SPEC_NS_PID] >= 0 || fds[SPEC_NS_TIME] >= 0)
    l->enter_for_children = enter_for_children;
  l->stays_dumpable = init_stays_dumpable(&ctx->init);
  l->send_go = ctx->init.wait_for_go;
  l->until_ready = true;
  l->seccomp = &c->spec->linux_.seccomp;
  l->seccomp_cache = ctx->seccomp_cache;
  l->state = ctx->init.state;
  l->pid_file = ctx->opts->pid_file;
  l->pidfd_socket = ctx->opts->pidfd_socket;
  l->before_go = before_go;
  l->after_go = after_go;
  l->on_hooks = run_parent_hooks;
  l->on_mount_source = mount_source;
  l->on_ready = record_created;
  l->ready_unanswered = ctx->init.exec_at_ready;
  if (launch_process(l, err) < 0) {
    c->pid = 0;
    return -1;
  }
  /* Held by the container from here on (run relays them; `run` sends START). */
  c->pidfd = steal_fd(&l->pidfd);
  c->console_master = steal_fd(&l->console_master);
  c->pipes = l->pipes;
  l->pipes = (struct stdio_pipes)STDIO_PIPES_NONE;
  if (ctx->opts->for_run)
    c->sync_fd = steal_fd(&l->sync_fd);
  c->init_goes_on = ctx->init.exec_at_ready;
  return 0;
}

static void undo_create(struct create_ctx *ctx, ocirun_error_t **err) {
  container_create_undo(ctx->opts->root, ctx->opts->id, ctx->c, ctx->state_dir_made, err);
}

static int prepare_init_config(struct create_ctx *ctx, ocirun_error_t **err) {
  struct init_config *in = &ctx->init;
  const struct spec *spec = ctx->c->spec;
  const char *listen = getenv("LISTEN_FDS");

  in->spec = spec;
  in->id = ctx->opts->id;
  in->rootfs.rootfs = ctx->rootfs;
  in->rootfs.no_pivot = ctx->opts->no_pivot;
  in->rootfs.console_slave_fd = -1;
  in->no_new_keyring = ctx->opts->no_new_keyring;
  in->parent_privileged = geteuid() == 0;
  in->preserve_fds = ctx->opts->preserve_fds;
  if (listen && listen[0]) {
    char *end = NULL;
    long n = strtol(listen, &end, 10);
    if (*end == '\0' && n > 0 && n < 1024) {
      in->listen_fds_env = true;
      in->listen_fds = (int)n;
      if (in->preserve_fds < n)
        in->preserve_fds = (int)n;
    }
  }
  if (caps_from_spec(&spec->process.capabilities, ".process.capabilities", &in->caps, err) < 0)
    return -1;
  if (namespaces_clone_flags(spec, &in->clone_flags, err) < 0)
    return -1;
  in->rootfs.new_cgroupns = (in->clone_flags & CLONE_NEWCGROUP) != 0;
  if (spec->linux_.seccomp.present &&
      (ctx->seccomp_cache = state_seccomp_cache_path(ctx->opts->root)) == NULL)
    return ocirun_error_set(err, ENOMEM, "seccomp cache path");
  return namespaces_open_paths(spec, in->ns_fds, err);
}

static void release_ctx(struct create_ctx *ctx) {
  close_join_fds(ctx);
  cgroup_self_join_fds_close(&ctx->go_join_fds, &ctx->go_join_len);
  namespaces_close(ctx->init.ns_fds);
  if (ctx->fifo_fd >= 0)
    close(ctx->fifo_fd);
  launch_release(&ctx->launch);
  free(ctx->seccomp_cache);
  free(ctx->state_head);
  free(ctx->state_tail);
  free(ctx->rootfs);
}

int container_create(const struct create_options *opts, struct container *c, ocirun_error_t **err) {
  struct create_ctx ctx = {.opts = opts, .c = c, .fifo_fd = -1};
  _cleanup_free_ char *raw = NULL;
  size_t raw_len = 0;

  container_init_empty(c);
  launch_init(&ctx.launch);
  for (int i = 0; i < SPEC_NS_COUNT; i++)
    ctx.init.ns_fds[i] = -1;
  ctx.init.fifo_fd = -1;

  if (container_load_bundle(opts, c, &raw, &raw_len, &ctx.rootfs, err) < 0 ||
      prepare_init_config(&ctx, err) < 0 ||
      container_terminal_check(opts, c->spec->process.terminal, err) < 0)
    goto fail;
  trace_point("prepare");
  if (container_make_shell(opts, c, ctx.rootfs, &ctx.state_dir_made, err) < 0)
    goto fail;
  ctx.raw = raw;
  ctx.raw_len = raw_len;
  ctx.child_unshares = child_makes_namespaces(&ctx);
  ctx.cgroup_after_clone = cgroup_made_after_clone(&ctx);
  if (ctx.cgroup_after_clone ? cgroup_create_clone_target(c->cgroup, err) < 0
                             : container_make_cgroup(opts, c, err) < 0)
    goto fail;
  ctx.init.bundle = c->state.bundle;
  prepare_terminal(&ctx);
  if (prepare_fifo(&ctx, err) < 0)
    goto fail;
  if (opts->for_run && opts->subreaper && !opts->detach)
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  if (spawn_init(&ctx, err) < 0) {
    ocirun_error_prefix(err, "unable to start container process");
    goto fail;
  }
  release_ctx(&ctx);
  return 0;

fail:
  undo_create(&ctx, err);
  release_ctx(&ctx);
  container_release(c);
  return -1;
}
