/* console_receiver - receive a file descriptor over a unix socket, as a container runtime
 * sends it for --console-socket (the pty master) or --pidfd-socket (a pidfd).
 *
 * usage: console_receiver [-o OUTFILE] [-i INPUT] [-p] SOCKET
 *
 * Listens on the unix stream socket SOCKET (removed first if it exists), accepts one
 * connection and receives one fd with SCM_RIGHTS.
 *   default  the fd is a pty master: INPUT (if given, "\n" unescaped) is written to it, then
 *            everything read from it is copied to OUTFILE (default stdout) until EOF/EIO.
 *   -p       the fd is a pidfd: prints "pid N" (from /proc/self/fdinfo) to OUTFILE and exits.
 * The socket path appears only once it listens (bound under a temporary name, then renamed).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void die(const char *what) {
  fprintf(stderr, "console_receiver: %s: %s\n", what, strerror(errno));
  exit(1);
}

static int recv_fd(int conn, char *name, size_t name_len) {
  char ctl[CMSG_SPACE(sizeof(int))];
  struct iovec iov = {.iov_base = name, .iov_len = name_len - 1};
  struct msghdr msg = {
      .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)};
  memset(name, 0, name_len);
  ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
  if (n < 0)
    die("recvmsg");
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  if (c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
    fprintf(stderr, "console_receiver: no fd received\n");
    exit(1);
  }
  int fd;
  memcpy(&fd, CMSG_DATA(c), sizeof(fd));
  return fd;
}

static void write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, buf, len);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      die("write");
    }
    buf += w;
    len -= (size_t)w;
  }
}

static char *unescape(const char *s) {
  char *out = malloc(strlen(s) + 1), *o = out;
  if (out == NULL)
    die("malloc");
  for (; *s; s++) {
    if (s[0] == '\\' && s[1] == 'n') {
      *o++ = '\n';
      s++;
    } else {
      *o++ = *s;
    }
  }
  *o = '\0';
  return out;
}

int main(int argc, char **argv) {
  const char *outfile = NULL, *input = NULL;
  int pidfd_mode = 0, opt;
  while ((opt = getopt(argc, argv, "o:i:p")) != -1) {
    switch (opt) {
    case 'o':
      outfile = optarg;
      break;
    case 'i':
      input = optarg;
      break;
    case 'p':
      pidfd_mode = 1;
      break;
    default:
      fprintf(stderr, "usage: console_receiver [-o OUTFILE] [-i INPUT] [-p] SOCKET\n");
      return 2;
    }
  }
  if (optind != argc - 1) {
    fprintf(stderr, "usage: console_receiver [-o OUTFILE] [-i INPUT] [-p] SOCKET\n");
    return 2;
  }
  const char *path = argv[optind];
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof(addr.sun_path)) {
    fprintf(stderr, "console_receiver: socket path too long\n");
    return 1;
  }
  strcpy(addr.sun_path, path);

  int out = STDOUT_FILENO;
  if (outfile != NULL && (out = open(outfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
    die(outfile);

  int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (ls < 0)
    die("socket");
  unlink(path);
  /* bind to a temporary name and rename: the socket appears only once it listens */
  char tmp[sizeof(addr.sun_path) + 16];
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  struct sockaddr_un taddr = {.sun_family = AF_UNIX};
  if (strlen(tmp) >= sizeof(taddr.sun_path))
    strcpy(tmp, path);
  strcpy(taddr.sun_path, tmp);
  unlink(tmp);
  if (bind(ls, (struct sockaddr *)&taddr, sizeof(taddr)) < 0)
    die("bind");
  if (listen(ls, 1) < 0)
    die("listen");
  if (strcmp(tmp, path) != 0 && rename(tmp, path) < 0)
    die("rename");

  int conn = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
  if (conn < 0)
    die("accept");
  char name[4096];
  int fd = recv_fd(conn, name, sizeof(name));
  close(conn);
  close(ls);
  unlink(path);

  if (pidfd_mode) {
    char p[64], line[256];
    snprintf(p, sizeof(p), "/proc/self/fdinfo/%d", fd);
    FILE *f = fopen(p, "re");
    if (f == NULL)
      die(p);
    while (fgets(line, sizeof(line), f) != NULL) {
      if (strncmp(line, "Pid:", 4) == 0) {
        char buf[300];
        int n = snprintf(buf, sizeof(buf), "pid %ld\n", strtol(line + 4, NULL, 10));
        write_all(out, buf, (size_t)n);
        return 0;
      }
    }
    fprintf(stderr, "console_receiver: received fd is not a pidfd\n");
    return 1;
  }

  if (input != NULL) {
    char *s = unescape(input);
    write_all(fd, s, strlen(s));
    free(s);
  }
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) /* EIO once every slave fd is closed */
      break;
    write_all(out, buf, (size_t)n);
  }
  return 0;
}
