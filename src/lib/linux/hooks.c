#include "linux/hooks.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/limits.h"
#include "util/signals.h"
#include "util/syscalls.h"

extern char **environ;

/* Enough of a failing hook's output to explain it; the rest is drained. */
#define HOOK_OUTPUT_MAX 4096

struct capture {
  int fd;
  char buf[HOOK_OUTPUT_MAX + 1];
  size_t len;
  bool truncated;
};

static void close_fd(int *fd) {
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

/* Reads what is available without blocking; closes the fd at EOF. */
static void capture_read(struct capture *c) {
  char scratch[4096];
  for (;;) {
    ssize_t n;
    if (c->len < HOOK_OUTPUT_MAX)
      n = read(c->fd, c->buf + c->len, HOOK_OUTPUT_MAX - c->len);
    else
      n = read(c->fd, scratch, sizeof(scratch));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (n == 0 || errno != EAGAIN)
        close_fd(&c->fd);
      return;
    }
    if (c->len < HOOK_OUTPUT_MAX)
      c->len += (size_t)n;
    else
      c->truncated = true;
  }
}

static const char *capture_text(struct capture *c) {
  while (c->len > 0 && (c->buf[c->len - 1] == '\n' || c->buf[c->len - 1] == ' '))
    c->len--;
  c->buf[c->len] = '\0';
  return c->buf;
}

/* Pipe whose whole content (the state) is written before the hook starts:
 * nothing can block and no SIGPIPE is possible. */
static int stdin_pipe(const char *data, int *read_end, ocirun_error_t **err) {
  int p[2];
  size_t len = strlen(data), off = 0;

  if (pipe2(p, O_CLOEXEC) < 0)
    return ocirun_error_set(err, errno, "pipe for hook stdin");
  if (len > 65536 && fcntl(p[1], F_SETPIPE_SZ, (int)len) < 0) {
    int saved = errno;
    close(p[0]);
    close(p[1]);
    return ocirun_error_set(err, saved, "size the hook stdin pipe for %zu bytes", len);
  }
  while (off < len) {
    ssize_t n = write(p[1], data + off, len - off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int saved = errno;
      close(p[0]);
      close(p[1]);
      return ocirun_error_set(err, saved, "write the state to the hook stdin pipe");
    }
    off += (size_t)n;
  }
  close(p[1]);
  *read_end = p[0];
  return 0;
}

static int move_fd(int fd, int target) {
  if (fd == target)
    return fcntl(fd, F_SETFD, 0);
  return dup2(fd, target);
}

/* In the forked child: only async-signal-safe calls until execve. */
static __attribute__((noreturn)) void child_exec(const char *path, char **argv, char **envp,
                                                 const char *cwd, int in, int out, int errfd,
                                                 int report) {
  sigset_t none;
  int e;

  if (move_fd(in, 0) < 0 || move_fd(out, 1) < 0 || move_fd(errfd, 2) < 0)
    goto fail;
  if (cwd && chdir(cwd) < 0)
    goto fail;
  /* A hook starts with default signal handling, whatever the runtime set up. */
  for (int s = 1; s < _NSIG; s++) {
    if (s != SIGKILL && s != SIGSTOP)
      signal(s, SIG_DFL);
  }
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  /* Preserved fds of the container must not reach the hook. */
  sys_close_range(3U, ~0U, CLOSE_RANGE_CLOEXEC);
  execve(path, argv, envp);
fail:
  e = errno;
  if (write(report, &e, sizeof(e)) < 0) {
    /* nothing more can be reported */
  }
  _exit(127);
}

static char **strv_null_terminated(const struct spec_strv *v, const char *first) {
  size_t n = v->len ? v->len : (first ? 1 : 0);
  char **out = calloc(n + 1, sizeof(char *));
  if (out == NULL)
    return NULL;
  if (v->len == 0 && first)
    out[0] = (char *)first;
  for (size_t i = 0; i < v->len; i++)
    out[i] = v->items[i];
  return out;
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int failure(ocirun_error_t **err, const char *phase, size_t i, const char *path,
                   const char *what, struct capture *out, struct capture *errc) {
  const char *o = capture_text(out), *e = capture_text(errc);
  return ocirun_error_set(err, 0, "error running %s hook #%zu: %s: %s%s%s%s%s%s%s", phase, i, path,
                          what, *e ? ", stderr: " : "", e, errc->truncated ? "..." : "",
                          *o ? ", stdout: " : "", o, out->truncated ? "..." : "");
}

/* Waits for the hook to exit while draining its output; -2 on timeout. */
static int wait_hook(int pidfd, long long deadline, struct capture *out, struct capture *errc) {
  for (;;) {
    struct pollfd p[3] = {{pidfd, POLLIN, 0}, {out->fd, POLLIN, 0}, {errc->fd, POLLIN, 0}};
    int timeout = -1, r;
    if (deadline >= 0) {
      long long left = deadline - now_ms();
      timeout = left > 0 ? (int)(left > 1000000 ? 1000000 : left) : 0;
    }
    r = poll(p, 3, timeout);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    if (p[1].revents)
      capture_read(out);
    if (p[2].revents)
      capture_read(errc);
    if (p[0].revents) {
      /* Exited: take what is already written, but do not wait for EOF, which a
       * daemon the hook left behind could hold off forever. */
      if (out->fd >= 0)
        capture_read(out);
      if (errc->fd >= 0)
        capture_read(errc);
      return 0;
    }
    if (r == 0 && deadline >= 0 && now_ms() >= deadline)
      return -2;
  }
}

static int run_one(const struct spec_hook *h, const char *phase, size_t i, const char *state,
                   const struct hooks_defaults *d, ocirun_error_t **err) {
  _cleanup_free_ char **argv = NULL;
  _cleanup_free_ char **envp = NULL;
  _cleanup_close_ int in = -1, pidfd = -1;
  _cleanup_pid_ pid_t child = -1; /* killed and reaped on every early return */
  struct capture *out = NULL, *errc = NULL;
  int po[2] = {-1, -1}, pe[2] = {-1, -1}, report[2] = {-1, -1};
  int status, e = 0, ret = -1;
  long long deadline = -1;
  char what[128];
  pid_t pid;
  ssize_t n;

  if (h->path == NULL)
    return ocirun_error_set(err, 0, "error running %s hook #%zu: no path", phase, i);
  argv = strv_null_terminated(&h->args, h->path);
  envp = h->env.items ? strv_null_terminated(&h->env, NULL) : NULL;
  out = calloc(1, sizeof(*out));
  errc = calloc(1, sizeof(*errc));
  if (argv == NULL || (h->env.items && envp == NULL) || out == NULL || errc == NULL) {
    ocirun_error_set(err, ENOMEM, "error running %s hook #%zu: %s", phase, i, h->path);
    goto done;
  }
  out->fd = errc->fd = -1;
  if (stdin_pipe(state ? state : "", &in, err) < 0)
    goto done;
  if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0 || pipe2(report, O_CLOEXEC) < 0) {
    ocirun_error_set(err, errno, "error running %s hook #%zu: %s: pipe", phase, i, h->path);
    goto done;
  }
  pid = fork();
  if (pid < 0) {
    ocirun_error_set(err, errno, "error running %s hook #%zu: %s: fork", phase, i, h->path);
    goto done;
  }
  if (pid == 0)
    child_exec(h->path, argv, envp ? envp : (d && d->env ? (char **)d->env : environ),
               d ? d->cwd : NULL, in, po[1], pe[1], report[1]);
  child = pid;
  close_fd(&po[1]);
  close_fd(&pe[1]);
  close_fd(&report[1]);
  close_fd(&in);
  out->fd = po[0];
  errc->fd = pe[0];
  po[0] = pe[0] = -1;
  fcntl(out->fd, F_SETFL, O_NONBLOCK);
  fcntl(errc->fd, F_SETFL, O_NONBLOCK);

  /* EOF means execve succeeded (the report pipe is close-on-exec). */
  do
    n = read(report[0], &e, sizeof(e));
  while (n < 0 && errno == EINTR);
  if (n == (ssize_t)sizeof(e)) {
    ocirun_error_set(err, e, "error running %s hook #%zu: %s: exec", phase, i, h->path);
    goto done;
  }

  pidfd = pidfd_open_process(pid, "hook", NULL, err);
  if (pidfd < 0) {
    ocirun_error_prefix(err, "error running %s hook #%zu: %s", phase, i, h->path);
    goto done;
  }
  if (h->has_timeout && h->timeout > 0)
    deadline =
        now_ms() + (h->timeout > LIMIT_HOOK_TIMEOUT_S ? LIMIT_HOOK_TIMEOUT_S : h->timeout) * 1000;
  ret = wait_hook(pidfd, deadline, out, errc);
  if (ret < 0) {
    int saved = errno;
    if (ret == -2)
      snprintf(what, sizeof(what), "timed out after %llds", (long long)h->timeout);
    else
      snprintf(what, sizeof(what), "poll: %s", strerror(saved));
    ret = failure(err, phase, i, h->path, what, out, errc);
    goto done;
  }
  if (wait_pid(steal_pid(&child), &status, err) < 0) {
    ret = ocirun_error_prefix(err, "error running %s hook #%zu: %s", phase, i, h->path);
    goto done;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    ret = 0;
    goto done;
  }
  if (WIFEXITED(status)) {
    snprintf(what, sizeof(what), "exited with status %d", WEXITSTATUS(status));
  } else {
    /* The signal's name and, lower case as in runc's message, what it means ("killed by
     * SIGSYS (bad system call)"). */
    const char *sig = signal_name(WTERMSIG(status));
    char meaning[64];
    snprintf(meaning, sizeof(meaning), "%s", strsignal(WTERMSIG(status)));
    meaning[0] = (char)tolower((unsigned char)meaning[0]);
    if (sig)
      snprintf(what, sizeof(what), "killed by %s (%s)", sig, meaning);
    else
      snprintf(what, sizeof(what), "killed by signal %d (%s)", WTERMSIG(status), meaning);
  }
  ret = failure(err, phase, i, h->path, what, out, errc);

done:
  close_fd(&po[0]);
  close_fd(&po[1]);
  close_fd(&pe[0]);
  close_fd(&pe[1]);
  close_fd(&report[0]);
  close_fd(&report[1]);
  if (out)
    close_fd(&out->fd);
  if (errc)
    close_fd(&errc->fd);
  free(out);
  free(errc);
  return ret;
}

int hooks_run_with(const struct spec_hook_list *hooks, const char *phase, const char *state_json,
                   const struct hooks_defaults *defaults, ocirun_error_t **err) {
  if (hooks == NULL)
    return 0;
  for (size_t i = 0; i < hooks->len; i++) {
    if (run_one(&hooks->items[i], phase, i, state_json, defaults, err) < 0)
      return -1;
  }
  return 0;
}

int hooks_run(const struct spec_hook_list *hooks, const char *phase, const char *state_json,
              ocirun_error_t **err) {
  return hooks_run_with(hooks, phase, state_json, NULL, err);
}
