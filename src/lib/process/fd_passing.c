#include "process/fd_passing.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/limits.h"

int unix_socket_connect(const char *path, ocirun_error_t **err) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  int fd;

  if (strlen(path) >= sizeof(addr.sun_path))
    return ocirun_error_set(err, ENAMETOOLONG, "connect to %s", path);
  strcpy(addr.sun_path, path);
  fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return ocirun_error_set(err, errno, "socket for %s", path);
  if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
    int saved = errno;
    close(fd);
    return ocirun_error_set(err, saved, "connect to %s", path);
  }
  return fd;
}

int fds_send(int sock, const int *fds, size_t n_fds, const void *data, size_t len,
             ocirun_error_t **err) {
  char control[CMSG_SPACE(sizeof(int) * LIMIT_SYNC_FDS)];
  char dummy = '\0';
  /* A message of fds alone still needs a byte for the peer to receive. */
  struct iovec iov = {.iov_base = len ? (void *)data : &dummy, .iov_len = len ? len : 1};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
  ssize_t n;

  if (n_fds > LIMIT_SYNC_FDS)
    return ocirun_error_set(err, E2BIG, "send %zu file descriptors over unix socket (at most %d)",
                            n_fds, LIMIT_SYNC_FDS);
  if (n_fds > 0) {
    struct cmsghdr *cmsg;
    memset(control, 0, sizeof(control));
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * n_fds);
    cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
    memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * n_fds);
  }
  do
    n = sendmsg(sock, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return ocirun_error_set(err, errno, "send %zu file descriptors over unix socket", n_fds);
  return 0;
}

int fd_send(int sock, int fd, const char *data, size_t len, ocirun_error_t **err) {
  return fds_send(sock, &fd, 1, data, len, err);
}

int fd_recv(int sock, int *fd, char *buf, size_t cap, ocirun_error_t **err) {
  char control[CMSG_SPACE(sizeof(int))];
  char dummy[256];
  struct iovec iov = {.iov_base = buf ? buf : dummy, .iov_len = buf ? cap - 1 : sizeof(dummy)};
  struct msghdr msg = {
      .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof(control)};
  struct cmsghdr *cmsg;
  ssize_t n;

  do
    n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return ocirun_error_set(err, errno, "receive file descriptor");
  if (buf)
    buf[n] = '\0';
  cmsg = CMSG_FIRSTHDR(&msg);
  if (cmsg == NULL || cmsg->cmsg_type != SCM_RIGHTS)
    return ocirun_error_set(err, EPROTO, "receive file descriptor: none in the message");
  memcpy(fd, CMSG_DATA(cmsg), sizeof(int));
  return 0;
}

int pidfd_send_to_socket(const char *path, int pidfd, ocirun_error_t **err) {
  _cleanup_close_ int sock = unix_socket_connect(path, err);
  if (sock < 0)
    return ocirun_error_prefix(err, "pidfd socket");
  return fd_send(sock, pidfd, "pidfd", 5, err);
}
