/* `start`: release a created container's init (it waits on the exec fifo), then
 * run the poststart hooks.  Under the lock, so that of concurrent starts of one
 * container exactly one opens the fifo and the others see it running. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/lifecycle.h"
#include "linux/hooks.h"
#include "linux/wake_slice.h"
#include "process/sync.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/syscalls.h"
#include "util/trace.h"

/* A failing poststart hook fails the start and stops the container (runtime-spec 1.3, and
 * runc since 1.2). */
static int run_poststart_hooks(const struct spec *spec, const struct container_state *st,
                               ocirun_error_t **err) {
  _cleanup_free_ char *json = NULL;

  if (spec->hooks.poststart.len == 0)
    return 0;
  json = state_to_hook_json(st, CONTAINER_RUNNING);
  if (json == NULL)
    return ocirun_error_set(err, ENOMEM, "poststart hooks: state");
  if (hooks_run(&spec->hooks.poststart, "poststart", json, err) < 0) {
    int pidfd = -1;
    if (pidfd_open_recorded(st->init_pid, st->init_start_time, "container init", &pidfd, NULL) ==
            0 &&
        pidfd >= 0) {
      sys_pidfd_send_signal(pidfd, SIGKILL);
      close(pidfd);
    }
    return -1;
  }
  trace_pointf("hooks", "poststart (%zu)", spec->hooks.poststart.len);
  return 0;
}

static int run_poststart(const char *root, struct container_state *st, ocirun_error_t **err) {
  struct spec *spec = NULL;
  ocirun_error_t *load_err = NULL;
  int r;

  if (container_load_spec_for_hooks(root, st->id, "poststart", &spec, &load_err) < 0) {
    log_warn("poststart hooks: %s", load_err->msg);
    ocirun_error_free(&load_err);
    return 0;
  }
  trace_point("load config");
  /* NULL: the config names no poststart hooks. */
  r = spec ? run_poststart_hooks(spec, st, err) : 0;
  spec_free(spec);
  return r;
}

/* The init holds its end of `fd` (the exec fifo, or the sync socket of run) until its
 * execve closes it: wait for that, or for its death.  The poststart hooks come after the
 * process is executed, as the runtime-spec says, and an exec that follows finds the
 * container's process rather than our code (which root's exec could not enter: it is
 * not dumpable). */
/* Until fd or the init's pidfd has news (pfd[0] and pfd[1]); `what` names the wait. */
static int poll_with_init(struct pollfd pfd[2], const char *what, ocirun_error_t **err) {
  for (;;) {
    if (poll(pfd, 2, -1) >= 0)
      return 0;
    if (errno != EINTR)
      return ocirun_error_set(err, errno, "%s", what);
  }
}

static int wait_for_exec(int fd, int pidfd, ocirun_error_t **err) {
  struct pollfd pfd[2] = {{.fd = fd, .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
  char buf[64];

  for (;;) {
    if (poll_with_init(pfd, "wait for the container process to start", err) < 0)
      return -1;
    if (pfd[1].revents || (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
      break;
    /* Readable: EOF, or a message nobody expects (drained, as the init no longer sends). */
    if ((pfd[0].revents & POLLIN) && read(fd, buf, sizeof(buf)) <= 0)
      break;
  }
  trace_point("wait for exec");
  return 0;
}

/* Open the fifo without blocking and wait for the init's byte, or its death. */
static int release_and_wait(const char *dir, const struct container_state *st,
                            ocirun_error_t **err) {
  _cleanup_free_ char *fifo = NULL;
  _cleanup_close_ int fd = -1, pidfd = -1;
  struct pollfd pfd[2];
  char byte;

  if (asprintf(&fifo, "%s/exec.fifo", dir) < 0)
    return ocirun_error_set(err, ENOMEM, "exec fifo");
  /* The pidfd first: opening the fifo releases the init, which may exec, exit and
   * be reaped by its parent before we look again. */
  if (pidfd_open_recorded(st->init_pid, st->init_start_time, "container init", &pidfd, err) < 0)
    return -1;
  if (pidfd < 0)
    return ocirun_error_set(err, 0, "cannot start a container that has stopped");
  fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return ocirun_error_set(err, errno, "open exec fifo %s", fifo);
  trace_point("pidfd + exec fifo open");
  pfd[0] = (struct pollfd){.fd = fd, .events = POLLIN};
  pfd[1] = (struct pollfd){.fd = pidfd, .events = POLLIN};
  for (;;) {
    if (poll_with_init(pfd, "wait for container init", err) < 0)
      return -1;
    if (pfd[0].revents & POLLIN) {
      ssize_t r = read(fd, &byte, 1);
      if (r == 1)
        break;
      if (r < 0 && errno == EAGAIN)
        continue;
    }
    if (pfd[1].revents)
      return ocirun_error_set(err, 0, "container init exited before start");
  }
  trace_point("wait for init (exec fifo)");
  if (unlink(fifo) < 0)
    return ocirun_error_set(err, errno, "remove exec fifo %s", fifo);
  trace_point("exec fifo remove");
  return wait_for_exec(fd, pidfd, err);
}

/* The release and the wait for the init's execve, with the short slice of
 * linux/wake_slice.h: a hint, so whether it was taken is only said in --trace. */
static int release_init(const char *dir, const struct container_state *st, ocirun_error_t **err) {
  struct wake_slice ws;
  int shortened = wake_slice_shorten(&ws);
  int r;

  trace_pointf("short slice", "%s",
               shortened > 0    ? "on"
               : shortened == 0 ? "not a fair task"
                                : strerror(errno));
  r = release_and_wait(dir, st, err);
  if (wake_slice_restore(&ws) < 0)
    trace_pointf("short slice", "not put back: %s", strerror(errno));
  return r;
}

int container_start(const char *root, const char *id, ocirun_error_t **err) {
  struct container_state st = {0};
  _cleanup_close_ int lock = -1;
  _cleanup_free_ char *dir = NULL;
  int r = -1;

  if (container_id_validate(id, err) < 0)
    return -1;
  lock = state_lock(root, id, err);
  if (lock < 0)
    return -1;
  trace_point("lock");
  if (state_read(root, id, &st, err) < 0)
    return -1;
  trace_point("state read");
  enum container_status status = state_status(root, &st);
  trace_pointf("status", "%s", container_status_name(status));
  switch (status) {
  case CONTAINER_CREATED:
    break;
  case CONTAINER_STOPPED:
    ocirun_error_set(err, 0, "cannot start a container that has stopped");
    goto out;
  case CONTAINER_CREATING:
    ocirun_error_set(err, 0, "cannot start a container that is still being created");
    goto out;
  default:
    ocirun_error_set(err, 0, "cannot start an already running container");
    goto out;
  }
  dir = state_dir_path(root, id);
  if (dir == NULL) {
    ocirun_error_set(err, ENOMEM, "start container %s", id);
    goto out;
  }
  if (release_init(dir, &st, err) < 0)
    goto out;
  if (run_poststart(root, &st, err) < 0)
    goto out;
  r = 0;
out:
  state_clear(&st);
  return r;
}

int container_start_held(struct container *c, ocirun_error_t **err) {
  int r;

  if (!c->init_goes_on) {
    if (sync_send(c->sync_fd, SYNC_START, 0, err) < 0)
      return ocirun_error_prefix(err, "start container");
    trace_point("send start");
  }
  if (c->state_unsaved) {
    if (state_write(c->root, &c->state, err) < 0)
      return -1;
    c->state_unsaved = false;
    trace_point("state write (created)");
  }
  r = wait_for_exec(c->sync_fd, c->pidfd, err);
  close(c->sync_fd);
  c->sync_fd = -1;
  if (r < 0)
    return -1;
  return run_poststart_hooks(c->spec, &c->state, err);
}
