#include "process/relay.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "process/console.h"
#include "util/cleanup.h"
#include "util/syscalls.h"

void relay_block_signals(sigset_t *old) {
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, old);
}

static void copy_winsize(int from, int to) {
  struct winsize ws;
  if (ioctl(from, TIOCGWINSZ, &ws) == 0)
    ioctl(to, TIOCSWINSZ, &ws);
}

/* Returns false when the source is finished (EOF or error). */
static bool pump(int from, int to) {
  char buf[8192];
  ssize_t n = read(from, buf, sizeof(buf));
  if (n <= 0)
    return n < 0 && (errno == EINTR || errno == EAGAIN);
  for (ssize_t off = 0; off < n;) {
    ssize_t w = write(to, buf + off, (size_t)(n - off));
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    off += w;
  }
  return true;
}

/* Reap every exited child; true when `pid` was among them. */
static bool reap(pid_t pid, int *wait_status) {
  bool found = false;
  for (;;) {
    int status;
    pid_t r = waitpid(-1, &status, WNOHANG | __WALL);
    if (r <= 0)
      return found;
    if (r == pid) {
      *wait_status = status;
      found = true;
    }
  }
}

/* One direction of the stdio pipes: false when finished; *close_fd (the pipe's
 * end) is closed then. */
static bool pump_pipe(int from, int to, int *close_fd) {
  if (pump(from, to))
    return true;
  close(*close_fd);
  *close_fd = -1;
  return false;
}

int relay_foreground(pid_t pid, int pidfd, int console_master, struct stdio_pipes *pipes,
                     int *wait_status, ocirun_error_t **err) {
  _cleanup_close_ int sfd = -1;
  struct termios saved;
  bool raw = false, stdin_open = console_master >= 0, master_open = console_master >= 0;
  bool exited = false;
  sigset_t all;

  if (pipes && pipes->parent[0] < 0)
    pipes = NULL;
  if (pipes) {
    /* The pipes take the terminal's place: stdin in, stdout and stderr out. */
    stdin_open = master_open = true;
  }

  if (console_master >= 0)
    console_clear_onlcr(console_master);
  sigfillset(&all);
  sfd = signalfd(-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0)
    return ocirun_error_set(err, errno, "signalfd");
  if (console_master >= 0 && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
    struct termios t = saved;
    cfmakeraw(&t);
    if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
      raw = true;
    copy_winsize(STDIN_FILENO, console_master);
  }
  /* A child may have exited before the signalfd existed. */
  exited = reap(pid, wait_status);
  while (!exited || master_open) {
    /* The pidfd says when the process exits even if SIGCHLD went elsewhere (a
     * runtime linked with a sanitizer may have threads that do not block it). */
    struct pollfd pfd[5] = {
        {.fd = sfd, .events = POLLIN},
        {.fd = stdin_open ? STDIN_FILENO : -1, .events = POLLIN},
        {.fd = master_open ? console_master : -1, .events = POLLIN},
        {.fd = pidfd, .events = POLLIN},
        {.fd = -1, .events = POLLIN},
    };
    if (pipes) {
      pfd[1].fd = stdin_open && pipes->parent[0] >= 0 ? STDIN_FILENO : -1;
      pfd[2].fd = pipes->parent[1];
      pfd[4].fd = pipes->parent[2];
    }
    if (exited) /* drain what the terminal (the pipes) still hold, then stop */
      pfd[0].fd = pfd[1].fd = pfd[3].fd = -1;
    int n = poll(pfd, 5, exited ? 100 : -1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      if (raw)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
      return ocirun_error_set(err, errno, "poll");
    }
    if (n == 0)
      break;
    if (pfd[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
        if (si.ssi_signo == SIGCHLD) {
          if (reap(pid, wait_status))
            exited = true;
        } else if (si.ssi_signo == SIGWINCH) {
          if (console_master >= 0)
            copy_winsize(STDIN_FILENO, console_master);
        } else if (si.ssi_signo != SIGURG) {
          sys_pidfd_send_signal(pidfd, (int)si.ssi_signo);
        }
      }
    }
    if ((pfd[3].revents & POLLIN) && reap(pid, wait_status))
      exited = true;
    if (pipes) {
      if ((pfd[1].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) &&
          !pump_pipe(STDIN_FILENO, pipes->parent[0], &pipes->parent[0]))
        stdin_open = false;
      if (pfd[2].revents & (POLLIN | POLLHUP | POLLERR))
        pump_pipe(pipes->parent[1], STDOUT_FILENO, &pipes->parent[1]);
      if (pfd[4].revents & (POLLIN | POLLHUP | POLLERR))
        pump_pipe(pipes->parent[2], STDERR_FILENO, &pipes->parent[2]);
      master_open = pipes->parent[1] >= 0 || pipes->parent[2] >= 0;
      continue;
    }
    if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      if (!pump(STDIN_FILENO, console_master))
        stdin_open = false;
    }
    if (pfd[2].revents & (POLLIN | POLLHUP | POLLERR)) {
      if (!pump(console_master, STDOUT_FILENO))
        master_open = false;
    }
  }
  if (raw)
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  if (!exited) {
    /* The terminal closed first: the process is about to exit. */
    if (wait_pid(pid, wait_status, err) < 0)
      return ocirun_error_prefix(err, "container process");
  }
  return 0;
}
