/* The parent's half of seccomp notify: take the listener fd out of the child and hand
 * it, with the runtime-spec ContainerProcessState, to the agent at listenerPath. */
#include <errno.h>
#include <jansson.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "linux/seccomp_program.h"
#include "ocirun-config.h"
#include "util/cleanup.h"
#include "util/syscalls.h"

int seccomp_notify_take_fd(int pidfd, int child_fd, int *out, ocirun_error_t **err) {
  /* pidfd_getfd always returns a close-on-exec fd. */
  int fd = sys_pidfd_getfd(pidfd, child_fd);
  if (fd < 0)
    return ocirun_error_set(err, errno, "take the seccomp listener fd %d from the container",
                            child_fd);
  *out = fd;
  return 0;
}

/* The document, fields in the order of the runtime-spec: metadata only when set. */
static char *process_state_json(const char *metadata, pid_t pid, const char *state_json,
                                ocirun_error_t **err) {
  json_error_t jerr;
  json_t *state = json_loads(state_json, 0, &jerr), *doc = NULL;
  char *out = NULL;

  if (state == NULL || !json_is_object(state)) {
    json_decref(state);
    ocirun_error_set(err, 0, "seccomp notify: container state is not a JSON object: %s", jerr.text);
    return NULL;
  }
  doc = json_object();
  if (doc == NULL || json_object_set_new(doc, "ociVersion", json_string(OCIRUN_SPEC_VERSION)) < 0 ||
      json_object_set_new(doc, "fds", json_pack("[s]", "seccompFd")) < 0 ||
      json_object_set_new(doc, "pid", json_integer(pid)) < 0 ||
      (metadata && metadata[0] &&
       json_object_set_new(doc, "metadata", json_string(metadata)) < 0) ||
      json_object_set_new(doc, "state", state) < 0) {
    state = NULL;
    goto out;
  }
  state = NULL;
  out = json_dumps(doc, JSON_COMPACT);
out:
  json_decref(state);
  json_decref(doc);
  if (out == NULL)
    ocirun_error_set(err, ENOMEM, "seccomp notify: build the container process state");
  return out;
}

/* Payload and fd in one sendmsg, then whatever a short write left over. */
static int send_with_fd(int sock, const char *data, size_t len, int fd, const char *path,
                        ocirun_error_t **err) {
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = {.iov_base = (void *)data, .iov_len = len};
  struct msghdr msg = {.msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control.buf,
                       .msg_controllen = sizeof(control.buf)};
  struct cmsghdr *c;
  size_t done = 0;
  ssize_t n;

  memset(&control, 0, sizeof(control));
  c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof(int));
  do
    n = sendmsg(sock, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return ocirun_error_set(err, errno, "send the seccomp listener fd to %s", path);
  for (done = (size_t)n; done < len; done += (size_t)n) {
    n = send(sock, data + done, len - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) {
      n = 0;
      continue;
    }
    if (n < 0)
      return ocirun_error_set(err, errno, "send the container process state to %s", path);
  }
  return 0;
}

int seccomp_notify_send(const char *listener_path, const char *metadata, pid_t pid,
                        const char *state_json, int notify_fd, ocirun_error_t **err) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  _cleanup_free_ char *doc = NULL;
  _cleanup_close_ int sock = -1;

  if (listener_path == NULL || listener_path[0] == '\0')
    return ocirun_error_set(err, 0, ".linux.seccomp.listenerPath: not set");
  if (strlen(listener_path) >= sizeof(addr.sun_path))
    return ocirun_error_set(err, ENAMETOOLONG, "seccomp agent socket %s", listener_path);
  memcpy(addr.sun_path, listener_path, strlen(listener_path) + 1);
  doc = process_state_json(metadata, pid, state_json, err);
  if (doc == NULL)
    return -1;
  sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0)
    return ocirun_error_set(err, errno, "socket for the seccomp agent");
  if (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
    return ocirun_error_set(err, errno, "failed to connect with seccomp agent at %s",
                            listener_path);
  return send_with_fd(sock, doc, strlen(doc), notify_fd, listener_path, err);
}
