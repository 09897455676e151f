/* `exec`: run a new process in a running container (the reference runtime's
 * setnsProcess).  The parent enters the pid and time namespaces for its
 * children (they only apply to children), so one clone puts the new process
 * straight into the container's pid namespace; the child enters the others
 * with setns on the init's pidfd.  The parent puts the child into the
 * container's cgroup (v1: the child writes itself into it) and sets rlimits before the
 * child runs anything. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/exec.h"
#include "linux/intel_rdt.h"
#include "linux/namespaces.h"
#include "linux/oom_score.h"
#include "linux/proc_verify.h"
#include "linux/process_attrs.h"
#include "linux/rlimits.h"
#include "process/launch.h"
#include "process/relay.h"
#include "util/cleanup.h"
#include "util/userns.h"
#include "util/log.h"
#include "util/syscalls.h"
#include "util/trace.h"

struct exec_ctx {
  const struct exec_options *o;
  const struct container_state *st;
  struct exec_config cfg;
  struct launch launch;
  /* Rootless: a helper enters these namespaces of the init (user first) and
   * clones from there; the runtime itself may not enter the pid namespace. */
  unsigned long helper_enters;
  struct cgroup *cgroup;   /* the container's, opened before the clone */
  bool child_joins_cgroup; /* the child writes itself into the v1 hierarchies */
};

static int exec_child_entry(void *arg, const struct launch_child *io) {
  struct exec_ctx *ctx = arg;

  ctx->cfg.io = *io;
  return exec_child_run(&ctx->cfg);
}

static int check_status(const char *root, const struct exec_options *o,
                        const struct container_state *st, ocirun_error_t **err) {
  switch (state_status(root, st)) {
  case CONTAINER_STOPPED:
    return ocirun_error_set(err, 0, "cannot exec in a stopped container");
  case CONTAINER_CREATING:
    return ocirun_error_set(err, 0, "cannot exec in a container that is being created");
  case CONTAINER_PAUSED:
    if (!o->ignore_paused)
      return ocirun_error_set(err, 0,
                              "cannot exec in a paused container (use --ignore-paused to "
                              "override)");
    return 0;
  default:
    return 0;
  }
}

/* Namespaces of the container that differ from ours: those are the ones to enter. */
static unsigned long namespaces_to_join(pid_t init_pid) {
  static const struct {
    const char *name;
    unsigned long flag;
  } all[] = {{"user", CLONE_NEWUSER}, {"ipc", CLONE_NEWIPC},       {"uts", CLONE_NEWUTS},
             {"net", CLONE_NEWNET},   {"cgroup", CLONE_NEWCGROUP}, {"mnt", CLONE_NEWNS}};
  unsigned long flags = 0;
  char path[64];
  struct stat a, b;

  for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
    snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)init_pid, all[i].name);
    if (stat(path, &a) < 0)
      continue;
    snprintf(path, sizeof(path), "/proc/self/ns/%s", all[i].name);
    if (stat(path, &b) < 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev)
      flags |= all[i].flag;
  }
  /* The mount namespace is always entered: it also moves root and cwd into the container. */
  return flags | CLONE_NEWNS;
}

/* Whether the init is in a time namespace of its own. */
static bool own_time_namespace(pid_t init_pid) {
  char path[64];
  struct stat a, b;
  snprintf(path, sizeof(path), "/proc/%d/ns/time", (int)init_pid);
  return stat(path, &a) == 0 && stat("/proc/self/ns/time", &b) == 0 &&
         (a.st_ino != b.st_ino || a.st_dev != b.st_dev);
}

/* pid and time namespaces apply to children only: enter them here, before clone.
 * The time namespace only when the init has its own: entering one's own again
 * needs privileges over it that root of a user namespace lacks. */
static int enter_for_children(void *arg, ocirun_error_t **err) {
  struct exec_ctx *ctx = arg;

  if (setns(ctx->cfg.init_pidfd, CLONE_NEWPID) < 0)
    return ocirun_error_set(err, errno, "enter the pid namespace of the container init");
  if (own_time_namespace(ctx->st->init_pid) && setns(ctx->cfg.init_pidfd, CLONE_NEWTIME) < 0)
    return ocirun_error_set(err, errno, "enter the time namespace of the container init");
  trace_point("enter pid + time namespaces");
  return 0;
}

/* The seed's fallback: on cgroup v2 a container cgroup with domain controllers
 * and children refuses new processes (EBUSY), or is gone (ENOENT: the init moved
 * itself elsewhere and the cgroup was removed); the init's own cgroup works. */
static int join_cgroup(struct exec_ctx *ctx, const struct container_state *st,
                       const struct exec_options *o, pid_t pid, ocirun_error_t **err) {
  struct cgroup *cg = ctx->cgroup;
  int r;

  if (cg == NULL)
    return 0;
  if (ctx->child_joins_cgroup)
    r = cgroup_apply_unjoined(cg, pid, err);
  else
    r = cgroup_apply_subs(cg, pid, o->cgroup_subs, o->cgroup_subs_len, err);
  if (r < 0 && ((*err)->status == EBUSY || (*err)->status == ENOENT) && o->cgroup_subs_len == 0) {
    ocirun_error_t *second = NULL;
    ocirun_error_free(err);
    r = cgroup_apply_like_pid(cg, pid, st->init_pid, &second);
    if (r < 0)
      ocirun_error_move(err, &second);
  }
  trace_point("cgroup apply");
  return r;
}

/* The container's cgroup, and (v1) the `tasks` files the child writes itself into: a
 * process moved by another one takes the kernel's global threadgroup lock, whose write
 * side waits for an RCU grace period.  exec --cgroup and execCPUAffinity.initial (set
 * before the move) keep the move from here. */
static int open_cgroup(struct exec_ctx *ctx, const struct exec_options *o,
                       const struct container_state *st, ocirun_error_t **err) {
  if (st->cgroup_path == NULL)
    return 0;
  if (cgroup_open_recorded(st->id, st->cgroup_path, st->cgroup_mounts, st->cgroup_unit_dir,
                           st->systemd_cgroup, &ctx->cgroup, err) < 0)
    return -1;
  trace_point("cgroup open");
  if (o->cgroup_subs_len > 0 || o->process->exec_cpu_affinity.initial != NULL)
    return 0;
  if (cgroup_self_join_fds(ctx->cgroup, &ctx->cfg.cgroup_join_fds, &ctx->cfg.cgroup_join_len, err) <
      0)
    return -1;
  ctx->child_joins_cgroup = ctx->cfg.cgroup_join_len > 0;
  return 0;
}

/* The exec process joins the container's resctrl group (and its monitoring
 * group) before it runs anything, as the reference runtime's setnsProcess. */
static int join_intel_rdt(const struct container_state *st, pid_t pid, ocirun_error_t **err) {
  if (st->intel_rdt_path && intel_rdt_add_task(st->intel_rdt_path, pid, err) < 0)
    return -1;
  if (st->intel_rdt_mon_path && intel_rdt_add_task(st->intel_rdt_mon_path, pid, err) < 0)
    return -1;
  return 0;
}

/* In the helper of spawn_clone_entering: the user namespace, then the pid (and
 * time) namespace of the init, which the container's root may enter. */
static int enter_init_namespaces(void *arg) {
  struct exec_ctx *ctx = arg;
  const struct spec_process *p = ctx->cfg.process;
  ocirun_error_t *oom_err = NULL;

  /* oom_score_adj here, while /proc/self is still ours: the process cloned in the
   * container's user namespace inherits it; its own /proc/self is not dumpable, not its. */
  if (p->has_oom_score_adj) {
    _cleanup_close_ int proc_fd = -1;
    if (proc_open_safe("/proc", &proc_fd, &oom_err) < 0 ||
        oom_score_adj_apply(proc_fd, p->oom_score_adj, &oom_err) < 0) {
      /* the exec child tries again and reports it */
      ocirun_error_free(&oom_err);
    }
  }
  return setns(ctx->cfg.init_pidfd, (int)ctx->helper_enters);
}

/* The child is cloned and waits for GO: into the container's groups, its rlimits. */
static int before_go(void *arg, ocirun_error_t **err) {
  struct exec_ctx *ctx = arg;
  pid_t pid = ctx->launch.pid;

  cgroup_self_join_fds_close(&ctx->cfg.cgroup_join_fds, &ctx->cfg.cgroup_join_len);
  if (cpu_affinity_apply_to(pid, ctx->cfg.process->exec_cpu_affinity.initial, err) < 0 ||
      join_cgroup(ctx, ctx->st, ctx->o, pid, err) < 0 || join_intel_rdt(ctx->st, pid, err) < 0 ||
      rlimits_apply(pid, ctx->cfg.process->rlimits, ctx->cfg.process->rlimits_len, err) < 0)
    return -1;
  return 0;
}

static void configure_launch(struct exec_ctx *ctx, const char *seccomp_cache) {
  const struct exec_options *o = ctx->o;
  struct launch *l = &ctx->launch;

  l->name = "exec";
  l->what = "exec process";
  l->child = exec_child_entry;
  l->arg = ctx;
  l->send_go = true;
  l->seccomp = &o->spec->linux_.seccomp;
  l->seccomp_cache = seccomp_cache;
  l->terminal = ctx->cfg.process->terminal;
  l->console_socket = o->console_socket;
  l->foreground = !o->detach;
  /* The seed's InitializeIO: stdio the container's root may reopen. */
  l->stdio_pipes = !o->detach && !l->terminal && (ctx->cfg.ns_flags & CLONE_NEWUSER);
  l->stdio_owner = ctx->st->init_pid;
  l->state_pid = ctx->st->init_pid;
  l->pid_file = o->pid_file;
  l->pidfd_socket = o->pidfd_socket;
  l->before_go = before_go;
  /* Without the privileges of the initial user namespace the runtime could not come
   * back to its own pid namespace: a helper enters the container's and clones.  An
   * ordinary user may enter it only from inside the container's user namespace. */
  if (geteuid() != 0 || userns_running_in_nested()) {
    ctx->helper_enters =
        CLONE_NEWPID | (own_time_namespace(ctx->st->init_pid) ? (unsigned long)CLONE_NEWTIME : 0);
    if (geteuid() != 0 && (ctx->cfg.ns_flags & CLONE_NEWUSER)) {
      ctx->helper_enters |= CLONE_NEWUSER;
      ctx->cfg.ns_flags &= ~(unsigned long)CLONE_NEWUSER;
    }
    l->enter = enter_init_namespaces;
  } else {
    l->enter_for_children = enter_for_children;
  }
}

int container_exec(const struct exec_options *o, int *exit_code, ocirun_error_t **err) {
  struct container_state st = {0};
  struct exec_ctx ctx = {.o = o, .st = &st};
  _cleanup_close_ int init_pidfd = -1;
  _cleanup_free_ char *seccomp_cache = NULL, *state_head = NULL, *state_tail = NULL;
  int r = -1, status = 0;
  sigset_t old;

  *exit_code = 0;
  launch_init(&ctx.launch);
  if (container_id_validate(o->id, err) < 0 || state_read(o->root, o->id, &st, err) < 0)
    return -1;
  trace_point("state read");
  if (check_status(o->root, o, &st, err) < 0)
    goto out;
  trace_point("status");
  /* The pidfd pins the process; the start time proves it is still the init we recorded. */
  if (pidfd_open_recorded(st.init_pid, st.init_start_time, "container init", &init_pidfd, err) < 0)
    goto out;
  if (init_pidfd < 0) {
    ocirun_error_set(err, 0, "cannot exec in a stopped container");
    goto out;
  }
  ctx.cfg.spec = o->spec;
  ctx.cfg.process = o->process;
  ctx.cfg.caps = o->caps;
  ctx.cfg.init_pidfd = init_pidfd;
  ctx.cfg.ns_flags = namespaces_to_join(st.init_pid);
  trace_point("pidfd + namespaces to join");
  ctx.cfg.preserve_fds = o->preserve_fds;
  ctx.cfg.id = st.id;
  ctx.cfg.no_new_keyring = st.no_new_keyring;
  /* The filter's cache, and the state for a seccomp agent, only when there is a filter. */
  if (o->spec->linux_.seccomp.present &&
      ((seccomp_cache = state_seccomp_cache_path(o->root)) == NULL ||
       state_to_hook_json_parts(&st, CONTAINER_RUNNING, &state_head, &state_tail) < 0)) {
    ocirun_error_set(err, ENOMEM, "seccomp: cache path and state");
    goto out;
  }
  if (open_cgroup(&ctx, o, &st, err) < 0)
    goto out;
  configure_launch(&ctx, seccomp_cache);
  ctx.launch.state = (struct hook_state){state_head, state_tail};
  if (!o->detach)
    relay_block_signals(&old);
  log_debug("nsexec container setup: exec in container %s (init pid %d)", st.id, (int)st.init_pid);
  if (launch_process(&ctx.launch, err) < 0)
    goto out;
  if (o->detach) {
    r = 0;
    goto out;
  }
  struct launch *l = &ctx.launch;
  if (relay_foreground(l->pid, l->pidfd, l->console_master,
                       l->pipes.parent[0] >= 0 ? &l->pipes : NULL, &status, err) < 0)
    goto out;
  trace_pointf("process ran", "until its exit (status 0x%x)", status);
  *exit_code = spawn_exit_code(status);
  r = 0;
out:
  cgroup_self_join_fds_close(&ctx.cfg.cgroup_join_fds, &ctx.cfg.cgroup_join_len);
  cgroup_close(ctx.cgroup);
  launch_release(&ctx.launch);
  state_clear(&st);
  return r;
}
