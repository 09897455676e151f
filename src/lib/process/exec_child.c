#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "linux/lsm.h"
#include "linux/process_attrs.h"
#include "linux/proc_verify.h"
#include "linux/oom_score.h"
#include "linux/session_keyring.h"
#include "linux/user.h"
#include "process/console.h"
#include "process/exec_process.h"
#include "process/fd_passing.h"
#include "process/init.h"
#include "process/init_env.h"
#include "process/sync.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/trace.h"

/* A label the process does not set is the container's (runc's initConfig). */
static const char *label_or(const char *own, const char *container) {
  return own && own[0] ? own : container;
}

static int setup(struct exec_config *cfg, char **path, char ***env, ocirun_error_t **err) {
  const struct spec_process *p = cfg->process;
  const char *selinux_label = label_or(p->selinux_label, cfg->spec->process.selinux_label);
  const char *apparmor = label_or(p->apparmor_profile, cfg->spec->process.apparmor_profile);

  if (sync_expect(cfg->io.sync_fd, SYNC_GO, NULL, err) < 0)
    return -1;
  /* The debug lines of exec carry runc's phrases: runc's suite and log readers look for
   * them in the output of --debug. */
  log_debug("child process in init(): joining the namespaces of the container init");
  /* Into the v1 hierarchies by itself ("0" into `tasks`: no global lock in the kernel,
   * see cgroup.h), unless the parent moved it. */
  if (cgroup_self_join(cfg->cgroup_join_fds, cfg->cgroup_join_len, err) < 0)
    return -1;
  cfg->cgroup_join_len = 0;
  /* In the container's cgroup now; execCPUAffinity.initial, when given, was set by the
   * parent. */
  if (p->exec_cpu_affinity.initial == NULL)
    cpu_affinity_reset();
  /* Before the user namespace: as the container's root, /proc/self of this
   * non-dumpable process would no longer be ours to write. */
  if (p->has_oom_score_adj) {
    _cleanup_close_ int proc_fd = -1;
    if (proc_open_safe("/proc", &proc_fd, err) < 0 ||
        oom_score_adj_apply(proc_fd, p->oom_score_adj, err) < 0)
      return -1;
  }
  /* The user namespace comes first inside this one call; root and cwd move to
   * the container's root with the mount namespace. */
  if (setns(cfg->init_pidfd, (int)cfg->ns_flags) < 0)
    return ocirun_error_set(err, errno, "enter the namespaces of the container init");
  close(cfg->init_pidfd);
  trace_point("setns");
  if (!cfg->no_new_keyring && session_keyring_join(cfg->id, selinux_label, err) < 0)
    return -1;
  /* A session of its own, as the reference runtime's exec (with a terminal the console
   * set-up does it): a session leader outside the pid namespace blocks a checkpoint. */
  if (!(p->terminal && cfg->io.console_sock >= 0) && setsid() < 0)
    return ocirun_error_set(err, errno, "setsid");
  if (p->terminal && cfg->io.console_sock >= 0 &&
      console_setup("/", &cfg->io.console_sock, cfg->io.console_relayed ? CONSOLE_RELAYED : 0,
                    cfg->process, err) < 0)
    return -1;
  if (process_chdir(p->cwd, err) < 0)
    return -1;
  if (personality_apply(&cfg->spec->linux_.personality, err) < 0 ||
      scheduler_apply(&p->scheduler, err) < 0 || io_priority_apply(&p->io_priority, err) < 0 ||
      memory_policy_apply(&cfg->spec->linux_.memory_policy, err) < 0)
    return -1;
  trace_point("console + cwd + process attributes");
  if (process_env_build(&p->env, false, 0, p->user.uid, env, err) < 0)
    return -1;
  if (exec_path_lookup(p->args.items[0], *env, path, err) < 0)
    return -1;
  trace_point("executable lookup");
  /* before the fds are closed: the --log file is one of them */
  log_debug("setns_init: about to exec %s", *path);
  /* Only stdio, the preserved fds and the (close-on-exec) sync socket stay; closed before
   * seccomp, which may deny close_range. */
  if (fds_close_for_exec(cfg->preserve_fds, cfg->io.sync_fd, err) < 0)
    return -1;
  if (lsm_set_exec_labels(apparmor, selinux_label, err) < 0)
    return -1;
  if (process_drop_privileges(p, &cfg->caps, cfg->io.seccomp, cfg->io.sync_fd, err) < 0)
    return -1;
  trace_point("user + capabilities + seccomp");
  return 0;
}

int exec_child_run(struct exec_config *cfg) {
  ocirun_error_t *err = NULL;
  char *path = NULL;
  char **env = NULL;

  if (setup(cfg, &path, &env, &err) == 0) {
    /* The sync socket is close-on-exec: the parent reads EOF once execve succeeded. */
    trace_pointf("exec", "%s", path);
    execve(path, cfg->process->args.items, env);
    exec_failed(path, errno, &err);
  }
  sync_send_error(cfg->io.sync_fd, &err);
  return 127;
}
