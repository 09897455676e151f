/* Child side of `create`: runs inside the new namespaces, builds the container
 * and execs the user process.  Every failure is sent to the parent over the
 * sync socket; the parent turns it into the command's error. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "linux/capabilities.h"
#include "linux/hooks.h"
#include "linux/lsm.h"
#include "linux/namespaces.h"
#include "linux/network_loopback.h"
#include "linux/oom_score.h"
#include "linux/proc_verify.h"
#include "linux/process_attrs.h"
#include "linux/rlimits.h"
#include "linux/rootfs.h"
#include "linux/session_keyring.h"
#include "linux/sysctl.h"
#include "linux/user.h"
#include "process/console.h"
#include "process/fd_passing.h"
#include "process/init.h"
#include "process/init_env.h"
#include "process/sync.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/limits.h"
#include "util/log.h"
#include "util/syscalls.h"
#include "util/trace.h"

static bool has_hooks(const struct spec_hook_list *l) {
  return l->len > 0;
}

static int set_names(const struct spec *spec, ocirun_error_t **err) {
  if (spec->hostname && spec->hostname[0] &&
      sethostname(spec->hostname, strlen(spec->hostname)) < 0)
    return ocirun_error_set(err, errno, "sethostname %s", spec->hostname);
  if (spec->domainname && spec->domainname[0] &&
      setdomainname(spec->domainname, strlen(spec->domainname)) < 0)
    return ocirun_error_set(err, errno, "setdomainname %s", spec->domainname);
  return 0;
}

static int run_container_hooks(struct init_config *cfg, const struct spec_hook_list *hooks,
                               const char *phase, pid_t host_pid,
                               const struct hooks_defaults *defaults, ocirun_error_t **err) {
  _cleanup_free_ char *json = NULL;

  if (!has_hooks(hooks))
    return 0;
  json = hook_state_json(&cfg->state, host_pid);
  if (json == NULL)
    return ocirun_error_set(err, ENOMEM, "%s hooks: state", phase);
  return hooks_run_with(hooks, phase, json, defaults, err);
}

/* sysctl and oom_score_adj go through a procfs of the container's pid
 * namespace that nothing in the rootfs can have shaped (proc_open_safe), and
 * before readonlyPaths make /proc/sys read-only (for the fallback that uses the
 * container's own /proc). */
static int write_proc_settings(struct init_config *cfg, ocirun_error_t **err) {
  const struct spec *spec = cfg->spec;
  _cleanup_close_ int proc_fd = -1, sys_fd = -1;
  _cleanup_free_ char *proc_path = NULL;

  if (spec->linux_.sysctl.len == 0 && (!spec->process.has_oom_score_adj || cfg->rootfs.in_userns))
    return 0;
  if (asprintf(&proc_path, "%s/proc", cfg->rootfs.rootfs) < 0)
    return ocirun_error_set(err, ENOMEM, "proc path");
  if (proc_open_safe(proc_path, &proc_fd, err) < 0)
    return -1;
  if (spec->linux_.sysctl.len > 0) {
    if (proc_open_sys(proc_fd, &sys_fd, err) < 0 || sysctl_apply(spec, sys_fd, err) < 0)
      return -1;
  }
  if (spec->process.has_oom_score_adj && !cfg->rootfs.in_userns &&
      oom_score_adj_apply(proc_fd, spec->process.oom_score_adj, err) < 0)
    return -1;
  return 0;
}

/* rootfs_options.bind_source: ask the parent for the tree. */
static int request_bind_source(void *arg, size_t index, ocirun_error_t **err) {
  struct init_config *cfg = arg;
  int fd = -1;

  if (sync_send(cfg->io.sync_fd, SYNC_MOUNT_SOURCE, (int32_t)index, err) < 0 ||
      fd_recv(cfg->io.sync_fd, &fd, NULL, 0, err) < 0)
    return -1;
  return fd;
}

/* Everything from the namespaces to the root filesystem, as root. */
static int setup_container(struct init_config *cfg, pid_t host_pid, ocirun_error_t **err) {
  const struct spec *spec = cfg->spec;
  bool needs_hook_sync = has_hooks(&spec->hooks.prestart) || has_hooks(&spec->hooks.create_runtime);

  if (namespaces_join(cfg->ns_fds, err) < 0)
    return -1;
  /* Joining a mount namespace moved our cwd to its root: relative paths are the bundle's. */
  if (cfg->ns_fds[SPEC_NS_MOUNT] >= 0 && chdir(cfg->bundle) < 0)
    return ocirun_error_set(err, errno, "chdir to bundle %s", cfg->bundle);
  if (cfg->unshare_cgroupns && unshare(CLONE_NEWCGROUP) < 0)
    return ocirun_error_set(err, errno, "unshare the cgroup namespace");
  /* Still the host's uid here: /proc/self is ours to write (an ordinary user's init is
   * dumpable, see init.h). */
  if (timens_enter(spec, err) < 0)
    return -1;
  if ((cfg->clone_flags & CLONE_NEWUSER) || cfg->ns_fds[SPEC_NS_USER] >= 0) {
    /* oom_score_adj while /proc/self is still ours. */
    if (spec->process.has_oom_score_adj) {
      _cleanup_close_ int proc_fd = -1;
      if (proc_open_safe("/proc", &proc_fd, err) < 0 ||
          oom_score_adj_apply(proc_fd, spec->process.oom_score_adj, err) < 0)
        return -1;
    }
    /* Whatever we make from here on belongs to the container's root; bind
     * mount sources come from the runtime, which can still reach them. */
    if (user_become_namespace_root(err) < 0)
      return -1;
    cfg->rootfs.in_userns = true;
  }
  /* An ordinary user's runtime can neither enter our mount namespace nor reach
   * more than we can: we make our bind mounts ourselves then. */
  if (cfg->parent_privileged) {
    cfg->rootfs.bind_source = request_bind_source;
    cfg->rootfs.bind_source_arg = cfg;
  }
  trace_point("namespaces");
  if ((cfg->clone_flags & CLONE_NEWNET) && !(cfg->unshare_flags & CLONE_NEWNET) &&
      network_loopback_up(err) < 0)
    return -1;
  trace_point("loopback");
  if (set_names(spec, err) < 0)
    return -1;
  /* A session of its own, as the reference runtime's init (with a terminal the
   * console set-up does it): a container whose session leader were outside its
   * pid namespace could not be checkpointed. */
  if (!(spec->process.terminal && cfg->io.console_sock >= 0) && setsid() < 0)
    return ocirun_error_set(err, errno, "setsid");
  if (!cfg->no_new_keyring && session_keyring_join(cfg->id, spec->process.selinux_label, err) < 0)
    return -1;
  trace_point("hostname + keyring");
  if (rootfs_prepare(spec, &cfg->rootfs, err) < 0)
    return -1;
  if (spec->process.terminal && cfg->io.console_sock >= 0 &&
      console_setup(cfg->rootfs.rootfs, &cfg->io.console_sock,
                    CONSOLE_BIND | (cfg->io.console_relayed ? CONSOLE_RELAYED : 0),
                    &cfg->spec->process, err) < 0)
    return -1;
  trace_point("console");
  if (needs_hook_sync) {
    if (sync_send(cfg->io.sync_fd, SYNC_HOOKS, 0, err) < 0 ||
        sync_expect(cfg->io.sync_fd, SYNC_RESUME, NULL, err) < 0)
      return -1;
  }
  /* As runc: createContainer hooks start in the container's root (not yet pivoted to), so
   * that relative paths name files of the rootfs. */
  struct hooks_defaults in_rootfs = {.cwd = cfg->rootfs.rootfs};
  if (run_container_hooks(cfg, &spec->hooks.create_container, "createContainer", host_pid,
                          &in_rootfs, err) < 0)
    return -1;
  trace_point("hooks createContainer");
  if (write_proc_settings(cfg, err) < 0)
    return -1;
  trace_point("sysctl + oom_score_adj");
  if (rootfs_finalize(spec, &cfg->rootfs, err) < 0)
    return -1;
  return 0;
}

/* Process attributes, then the switch to the container user. */
static int setup_process(struct init_config *cfg, char **exec_path, ocirun_error_t **err) {
  const struct spec *spec = cfg->spec;
  const struct spec_process *p = &spec->process;

  /* rootfs_finalize made a missing cwd inside the root, as the reference runtime does. */
  if (process_chdir(p->cwd, err) < 0)
    return -1;
  if (personality_apply(&spec->linux_.personality, err) < 0 ||
      scheduler_apply(&p->scheduler, err) < 0 || io_priority_apply(&p->io_priority, err) < 0 ||
      memory_policy_apply(&spec->linux_.memory_policy, err) < 0)
    return -1;
  trace_point("cwd + process attributes");
  if (exec_path_lookup(p->args.items[0], p->env.items, exec_path, err) < 0)
    return -1;
  trace_point("executable lookup");
  /* Without GO the parent has not set the rlimits: here, after the set-up (the reference
   * runtime's point for them) and while we may still raise them. */
  if (!cfg->wait_for_go && rlimits_apply(0, p->rlimits, p->rlimits_len, err) < 0)
    return -1;
  /* The caller's fds go now, before the init waits for `start` and before seccomp. */
  int keep[] = {cfg->io.sync_fd, cfg->fifo_fd};
  if (fds_close_all_but(cfg->preserve_fds, keep, 2, err) < 0)
    return -1;
  if (lsm_set_exec_labels(p->apparmor_profile, p->selinux_label, err) < 0)
    return -1;
  if (process_drop_privileges(p, &cfg->caps, cfg->io.seccomp, cfg->io.sync_fd, err) < 0)
    return -1;
  trace_point("user + capabilities + seccomp");
  return 0;
}

static void exit_on_signal(int signo) {
  _exit(128 + signo);
}

/* The init is pid 1 of its namespace, so the kernel drops every signal it has no handler
 * for, even `kill` from the host.  A created container must still end on SIGTERM (as the
 * reference runtime's init, whose Go runtime handles every signal): until execve, the
 * terminating signals end it.  execve resets the handlers. */
static void exit_on_terminating_signals(void) {
  static const int signals[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM};
  struct sigaction sa = {.sa_handler = exit_on_signal};
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
    sigaction(signals[i], &sa, NULL);
}

/* Block until `start` opens the exec fifo for reading, then tell it we go.  The sync
 * socket (run) or the fifo's write end (start) stays open, close-on-exec, until the
 * execve: the runtime waits for its end to close, so that once it returns the container's
 * process runs. */
static int wait_for_start(struct init_config *cfg, ocirun_error_t **err) {
  char path[64];
  int fd;

  exit_on_terminating_signals();
  if (cfg->fifo_fd < 0 && sync_expect(cfg->io.sync_fd, SYNC_START, NULL, err) < 0)
    return -1;
  /* From here on nobody reads the sync socket: errors go to the container's stderr. */
  cfg->io.sync_fd = -1;
  if (cfg->fifo_fd < 0)
    return 0;
  snprintf(path, sizeof(path), "/proc/self/fd/%d", cfg->fifo_fd);
  fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return ocirun_error_set(err, errno, "open exec fifo");
  if (write(fd, "0", 1) != 1)
    return ocirun_error_set(err, errno, "write exec fifo");
  close(cfg->fifo_fd);
  cfg->fifo_fd = -1;
  return 0;
}

/* unshare_flags (init.h): the namespaces, and the loopback of a new network namespace. */
static int make_own_namespaces(struct init_config *cfg, ocirun_error_t **err) {
  if (unshare((int)cfg->unshare_flags) < 0)
    return ocirun_error_set(err, errno, "unshare namespaces (flags 0x%lx)", cfg->unshare_flags);
  trace_point("namespaces (unshare)");
  if ((cfg->unshare_flags & CLONE_NEWNET) && network_loopback_up(err) < 0)
    return -1;
  trace_point("loopback");
  return 0;
}

int init_child_run(struct init_config *cfg) {
  ocirun_error_t *err = NULL, *early_err = NULL;
  struct sync_msg msg;
  _cleanup_free_ char *exec_path = NULL;
  char **env = NULL;
  pid_t host_pid = 0; /* our pid as the runtime sees it: in GO, or else in RUN */
  /* join_after_go (init.h): the `tasks` fds of the v1 hierarchies of the cgroup the parent
   * made while we made our namespaces (clone3 placed us in a hybrid host's cgroup2 one). */
  int join_fds[LIMIT_SYNC_FDS];
  size_t join_len = 0;

  log_debug("child process in init(): setting up container %s", cfg->id);
  /* Into the container's cgroups before anything else runs here. */
  if (cgroup_self_join(cfg->cgroup_join_fds, cfg->cgroup_join_len, &err) < 0)
    goto fail;
  trace_point("cgroup join");
  /* A failure here is reported after GO: the parent reads the sync socket only then. */
  if (cfg->unshare_flags)
    make_own_namespaces(cfg, &early_err);
  if (cfg->wait_for_go) {
    if (sync_expect_fds(cfg->io.sync_fd, SYNC_GO, &msg, cfg->join_after_go ? join_fds : NULL,
                        LIMIT_SYNC_FDS, &join_len, &err) < 0) {
      ocirun_error_free(&early_err);
      goto fail;
    }
    host_pid = msg.arg;
  }
  if (early_err) {
    for (size_t i = 0; i < join_len; i++)
      close(join_fds[i]);
    ocirun_error_move(&err, &early_err);
    goto fail;
  }
  if (cfg->join_after_go) {
    if (cgroup_self_join(join_fds, join_len, &err) < 0) /* closes them */
      goto fail;
    trace_point("cgroup join (after GO)");
  }
  /* In its cgroups now; execCPUAffinity.initial, when given, was set by the parent. */
  if (cfg->spec->process.exec_cpu_affinity.initial == NULL)
    cpu_affinity_reset();
  if (setup_container(cfg, host_pid, &err) < 0)
    goto fail;
  if (setup_process(cfg, &exec_path, &err) < 0)
    goto fail;
  if (process_env_build(&cfg->spec->process.env, cfg->listen_fds_env, cfg->listen_fds,
                        cfg->spec->process.user.uid, &env, &err) < 0)
    goto fail;
  if (sync_send(cfg->io.sync_fd, SYNC_READY, 0, &err) < 0)
    goto fail;
  if (cfg->exec_at_ready) {
    /* As after START: the runtime reads nothing more but the socket's close on execve. */
    cfg->io.sync_fd = -1;
  } else {
    if (sync_expect(cfg->io.sync_fd, SYNC_RUN, &msg, &err) < 0)
      goto fail;
    host_pid = msg.arg;
    if (wait_for_start(cfg, &err) < 0)
      goto fail_late;
    trace_point("wait for start");
  }
  /* startContainer hooks without an env of their own get the process's, as in runc. */
  struct hooks_defaults process_env = {.env = env};
  if (run_container_hooks(cfg, &cfg->spec->hooks.start_container, "startContainer", host_pid,
                          &process_env, &err) < 0)
    goto fail_late;
  trace_pointf("exec", "%s", exec_path);
  execve(exec_path, cfg->spec->process.args.items, env);
  exec_failed(exec_path, errno, &err);
  goto fail_late;

fail:
  sync_send_error(cfg->io.sync_fd, &err);
  return 1;
fail_late:
  /* create has returned: the container's stderr is the only place left to report. */
  if (cfg->io.sync_fd >= 0)
    sync_send_error(cfg->io.sync_fd, &err);
  else if (err) {
    /* The message alone, as the reference runtime's init prints it: it is all the
     * caller of `run` sees ("exec /run.sh: no such file or directory"). */
    dprintf(STDERR_FILENO, "%s\n", err->msg);
    ocirun_error_free(&err);
  }
  return 127;
}
