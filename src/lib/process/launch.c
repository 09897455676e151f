/* The parent's side of starting the init or an exec process (launch.h): read
 * top to bottom, launch_process is the order of events. */
#include "process/launch.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "linux/namespaces.h"
#include "process/console.h"
#include "process/fd_passing.h"
#include "process/seccomp_handover.h"
#include "process/sync.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/syscalls.h"
#include "util/trace.h"

void launch_init(struct launch *l) {
  *l = (struct launch){.cgroup_fd = -1,
                       .pidfd = -1,
                       .sync_fd = -1,
                       .console_master = -1,
                       .pipes = STDIO_PIPES_NONE,
                       .io = {.sync_fd = -1, .console_sock = -1}};
}

static void close_fd(int *fd) {
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

/* The child's ends, in the parent after the clone (or after a failed one). */
static void close_child_ends(struct launch *l) {
  close_fd(&l->io.sync_fd);
  close_fd(&l->io.console_sock);
  stdio_pipes_close_child(&l->pipes);
}

void launch_release(struct launch *l) {
  close_child_ends(l);
  close_fd(&l->sync_fd);
  close_fd(&l->pidfd);
  close_fd(&l->console_master);
  stdio_pipes_close(&l->pipes);
  seccomp_program_free(l->program);
  l->program = NULL;
  l->io.seccomp = NULL;
}

/* 1. */
static int prepare_seccomp(struct launch *l, ocirun_error_t **err) {
  if (l->seccomp == NULL || !l->seccomp->present)
    return 0;
  if (seccomp_program_prepare(l->seccomp, l->seccomp_cache, &l->program, err) < 0)
    return -1;
  l->io.seccomp = l->program;
  return 0;
}

/* 2. */
static int prepare_terminal(struct launch *l, ocirun_error_t **err) {
  int pair[2];

  if (!l->terminal)
    return l->stdio_pipes ? stdio_pipes_make(&l->pipes, err) : 0;
  if (l->console_socket) {
    l->io.console_sock = unix_socket_connect(l->console_socket, err);
    return l->io.console_sock < 0 ? ocirun_error_prefix(err, "console socket") : 0;
  }
  if (!l->foreground)
    return ocirun_error_set(err, 0,
                            "cannot allocate tty if ocirun will detach without setting console "
                            "socket");
  /* The master comes back to us and we relay it. */
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
    return ocirun_error_set(err, errno, "socketpair for the terminal");
  l->io.console_sock = pair[1];
  l->io.console_relayed = true;
  l->console_master = pair[0]; /* until step 7: the receiving end */
  return 0;
}

/* 3. */
static int make_sync_socket(struct launch *l, ocirun_error_t **err) {
  int pair[2];

  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
    return ocirun_error_set(err, errno, "socketpair for the sync protocol");
  l->sync_fd = pair[0];
  l->io.sync_fd = pair[1];
  return 0;
}

/* In the child: what both kinds need before the caller's own entry. */
static int child_main(void *arg) {
  struct launch *l = arg;
  sigset_t none;

  /* A foreground parent blocks signals to forward them; the child must not inherit that. */
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  /* Until execve this process runs the runtime's binary inside the container:
   * non-dumpable, so no container process can reach it through /proc/<pid>/exe
   * (CVE-2019-5736); execve of the user's program makes it dumpable again.  An
   * ordinary user's init in a new user namespace stays dumpable (init.h). */
  if (!l->stays_dumpable)
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  trace_set_process(l->name);
  trace_point("clone");
  close(l->sync_fd);
  if (l->pipes.child[0] >= 0 && stdio_pipes_install(&l->pipes) < 0)
    return 127;
  return l->child(l->arg, &l->io);
}

/* 4. */
static int clone_child(struct launch *l, ocirun_error_t **err) {
  struct ns_for_children saved = {-1, -1};
  int r = 0;

  if (l->enter_for_children) {
    if (namespaces_save_for_children(&saved, err) < 0)
      return -1;
    r = l->enter_for_children(l->arg, err);
  }
  if (r == 0)
    trace_point("before clone");
  if (r == 0 && l->enter)
    r = spawn_clone_entering(l->enter, l->arg, l->clone_flags, l->cgroup_fd, child_main, l, &l->pid,
                             &l->pidfd, err);
  else if (r == 0)
    r = spawn_clone(l->clone_flags, l->cgroup_fd, child_main, l, &l->pid, &l->pidfd, err);
  trace_pointf("clone", "flags 0x%lx", l->clone_flags);
  /* Back to our own pid/time namespaces: what we start later (hooks) runs on the host. */
  if (l->enter_for_children && namespaces_restore_for_children(&saved, r < 0 ? NULL : err) < 0)
    r = -1;
  close_child_ends(l);
  return r;
}

/* 5. */
static int let_go(struct launch *l, ocirun_error_t **err) {
  if (l->before_go && l->before_go(l->arg, err) < 0)
    return -1;
  if (l->pipes.parent[0] >= 0 &&
      stdio_pipes_chown_to_root_of(&l->pipes, l->stdio_owner > 0 ? l->stdio_owner : l->pid, err) <
          0)
    return -1;
  if (l->send_go && sync_send_fds(l->sync_fd, SYNC_GO, l->pid, l->go_fds, l->go_fds_len, err) < 0)
    return -1;
  return 0;
}

static int hand_over_seccomp(struct launch *l, int child_fd, ocirun_error_t **err) {
  _cleanup_free_ char *json = hook_state_json(&l->state, l->state_pid ? l->state_pid : l->pid);

  if (json == NULL)
    return ocirun_error_set(err, ENOMEM, "seccomp: state");
  if (seccomp_handover_parent(l->seccomp, l->pidfd, l->pid, child_fd, json, l->sync_fd, err) < 0)
    return -1;
  trace_point("seccomp listener handed over");
  return 0;
}

static int send_mount_source(struct launch *l, int index, ocirun_error_t **err) {
  int tree = l->on_mount_source(l->arg, index, err);
  int r;

  if (tree < 0)
    return -1;
  r = fd_send(l->sync_fd, tree, "M", 1, err);
  close(tree);
  return r;
}

/* 6.  0 at READY (then RUN is sent) or, for an exec process, at EOF. */
static int drive_sync(struct launch *l, ocirun_error_t **err) {
  struct sync_msg msg;
  ocirun_error_t *recv_err = NULL;

  for (;;) {
    if (sync_recv(l->sync_fd, &msg, &recv_err) < 0) {
      if (l->until_ready || recv_err == NULL || recv_err->status != 0) {
        ocirun_error_move(err, &recv_err);
        return -1;
      }
      /* EOF: the sync socket closed on execve, the process runs. */
      ocirun_error_free(&recv_err);
      trace_point("wait for execve (sync EOF)");
      return 0;
    }
    switch (msg.type) {
    case SYNC_MOUNT_SOURCE:
      if (l->on_mount_source == NULL)
        goto unexpected;
      if (send_mount_source(l, msg.arg, err) < 0)
        return -1;
      break;
    case SYNC_HOOKS:
      if (l->on_hooks == NULL)
        goto unexpected;
      if (l->on_hooks(l->arg, err) < 0 || sync_send(l->sync_fd, SYNC_RESUME, 0, err) < 0)
        return -1;
      break;
    case SYNC_SECCOMP:
      if (hand_over_seccomp(l, msg.arg, err) < 0)
        return -1;
      break;
    case SYNC_READY:
      if (!l->until_ready)
        goto unexpected;
      if (l->on_ready && l->on_ready(l->arg, err) < 0)
        return -1;
      return l->ready_unanswered ? 0 : sync_send(l->sync_fd, SYNC_RUN, l->pid, err);
    case SYNC_ERROR:
      /* The child's message and errno, as if the error were ours. */
      ocirun_error_set(err, 0, "%s", msg.text);
      if (*err)
        (*err)->status = msg.status;
      return -1;
    default:
      goto unexpected;
    }
  }
unexpected:
  return ocirun_error_set(err, EPROTO, "sync: unexpected %s from %s", sync_type_name(msg.type),
                          l->what);
}

static int write_pid_file(const char *path, pid_t pid, ocirun_error_t **err) {
  char buf[32];
  int n = snprintf(buf, sizeof(buf), "%d", (int)pid);
  /* The CLI made a relative --pid-file absolute before we changed into the bundle. */
  return fs_write_file_atomic(path, buf, (size_t)n, 0644, err);
}

/* 7. */
static int hand_out(struct launch *l, ocirun_error_t **err) {
  if (l->pid_file && write_pid_file(l->pid_file, l->pid, err) < 0)
    return -1;
  trace_point("pid file");
  if (l->pidfd_socket && pidfd_send_to_socket(l->pidfd_socket, l->pidfd, err) < 0)
    return -1;
  if (l->console_master >= 0) {
    int master = -1;
    int r = fd_recv(l->console_master, &master, NULL, 0, err);
    close(l->console_master);
    l->console_master = master;
    if (r < 0)
      return ocirun_error_prefix(err, "receive the terminal of the %s", l->what);
    console_clear_onlcr(master); /* before the process can write anything */
  }
  return 0;
}

int launch_process(struct launch *l, ocirun_error_t **err) {
  _cleanup_pid_ pid_t child = 0; /* killed and reaped on every failure after the clone */

  if (prepare_seccomp(l, err) < 0 || prepare_terminal(l, err) < 0 || make_sync_socket(l, err) < 0)
    return -1;
  if (clone_child(l, err) < 0) {
    if (l->pid > 0) /* cloned, but we could not come back to our own namespaces */
      child = l->pid;
    goto fail;
  }
  child = l->pid;
  if (let_go(l, err) < 0 || (l->after_go && l->after_go(l->arg, err) < 0) ||
      drive_sync(l, err) < 0 || hand_out(l, err) < 0)
    goto fail;
  steal_pid(&child);
  return 0;
fail:
  close_fd(&l->pidfd);
  l->pid = 0;
  return -1;
}
