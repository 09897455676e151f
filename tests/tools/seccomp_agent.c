/* seccomp_agent - a seccomp notify agent for the integration tests.
 *
 * usage: seccomp_agent [-e ERRNO | -s] [-o STATEFILE] SOCKET
 *
 * Listens on the unix stream socket SOCKET (removed first if it exists), the
 * linux.seccomp.listenerPath of a container.  Each connection carries the runtime's
 * ContainerProcessState JSON and, with SCM_RIGHTS, a seccomp listener fd; the JSON is
 * appended to STATEFILE (one document a line; default stdout).  Notifications for mkdir
 * and mkdirat are answered:
 *   -e ERRNO  the syscall fails with ERRNO (default EPERM)
 *   -s        the syscall pretends success (returns 0, nothing is created)
 * every other notified syscall goes on as if there were no filter (USER_NOTIF_FLAG_CONTINUE).
 * Runs until killed; handles any number of connections (the container init and execs).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_FDS 64

static int answer_errno = EPERM;
static int fake_success;
static FILE *state_out;

static void die(const char *what) {
  fprintf(stderr, "seccomp_agent: %s: %s\n", what, strerror(errno));
  exit(1);
}

/* Whether buf holds a whole JSON object: runc leaves the connection
 * open after sending, so EOF cannot mark the end. */
static int json_complete(const char *buf, size_t len) {
  int depth = 0, in_string = 0, escaped = 0;
  for (size_t i = 0; i < len; i++) {
    char c = buf[i];
    if (in_string) {
      if (escaped)
        escaped = 0;
      else if (c == '\\')
        escaped = 1;
      else if (c == '"')
        in_string = 0;
    } else if (c == '"') {
      in_string = 1;
    } else if (c == '{' || c == '[') {
      depth++;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return 1;
    }
  }
  return 0;
}

/* The document and the fd that came with its first bytes. */
static int receive(int conn) {
  char buf[65536];
  size_t len = 0;
  int fd = -1;

  for (;;) {
    union {
      char b[CMSG_SPACE(sizeof(int))];
      struct cmsghdr align;
    } ctl;
    struct iovec iov = {.iov_base = buf + len, .iov_len = sizeof(buf) - 1 - len};
    struct msghdr mh = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b)};
    ssize_t n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      die("recvmsg");
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
        memcpy(&fd, CMSG_DATA(c), sizeof(int));
    len += (size_t)n;
    if (n == 0 || len >= sizeof(buf) - 1 || json_complete(buf, len))
      break;
  }
  buf[len] = '\0';
  fprintf(state_out, "%s\n", buf);
  fflush(state_out);
  if (fd < 0)
    fprintf(stderr, "seccomp_agent: a connection without fd\n");
  return fd;
}

static void answer(int fd) {
  struct seccomp_notif req;
  struct seccomp_notif_resp resp;

  memset(&req, 0, sizeof(req));
  if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
    return; /* the process went away meanwhile */
  memset(&resp, 0, sizeof(resp));
  resp.id = req.id;
  if (req.data.nr == SYS_mkdir || req.data.nr == SYS_mkdirat) {
    if (!fake_success)
      resp.error = -answer_errno;
  } else {
    resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  }
  if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
    fprintf(stderr, "seccomp_agent: NOTIF_SEND: %s\n", strerror(errno));
}

int main(int argc, char **argv) {
  struct pollfd pfd[MAX_FDS + 1];
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  int opt, nfds = 0, lfd;

  state_out = stdout;
  while ((opt = getopt(argc, argv, "e:so:")) != -1) {
    switch (opt) {
    case 'e':
      answer_errno = atoi(optarg);
      break;
    case 's':
      fake_success = 1;
      break;
    case 'o':
      state_out = fopen(optarg, "ae");
      if (state_out == NULL)
        die(optarg);
      break;
    default:
      fprintf(stderr, "usage: seccomp_agent [-e ERRNO | -s] [-o STATEFILE] SOCKET\n");
      return 2;
    }
  }
  if (optind + 1 != argc || strlen(argv[optind]) >= sizeof(addr.sun_path)) {
    fprintf(stderr, "usage: seccomp_agent [-e ERRNO | -s] [-o STATEFILE] SOCKET\n");
    return 2;
  }
  strcpy(addr.sun_path, argv[optind]);
  unlink(addr.sun_path);
  lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 16) < 0)
    die(addr.sun_path);
  pfd[0] = (struct pollfd){.fd = lfd, .events = POLLIN};
  for (;;) {
    if (poll(pfd, (nfds_t)nfds + 1, -1) < 0) {
      if (errno == EINTR)
        continue;
      die("poll");
    }
    for (int i = 1; i <= nfds; i++) {
      if (pfd[i].revents & POLLIN)
        answer(pfd[i].fd);
      else if (pfd[i].revents & (POLLHUP | POLLERR | POLLNVAL)) {
        /* Every process of the filter has exited. */
        close(pfd[i].fd);
        pfd[i--] = pfd[nfds--];
      }
    }
    if (pfd[0].revents & POLLIN) {
      int conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
      if (conn < 0)
        continue;
      int fd = receive(conn);
      close(conn);
      if (fd >= 0 && nfds < MAX_FDS)
        pfd[++nfds] = (struct pollfd){.fd = fd, .events = POLLIN};
      else if (fd >= 0)
        close(fd);
    }
  }
}
