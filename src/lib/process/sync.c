#include "process/sync.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "process/fd_passing.h"
#include "util/limits.h"
#include "util/trace.h"

static const char *const sync_names[] = {
    [SYNC_GO] = "go",
    [SYNC_HOOKS] = "hooks",
    [SYNC_RESUME] = "resume",
    [SYNC_SECCOMP] = "seccomp",
    [SYNC_SECCOMP_DONE] = "seccomp-done",
    [SYNC_READY] = "ready",
    [SYNC_RUN] = "run",
    [SYNC_START] = "start",
    [SYNC_MOUNT_SOURCE] = "mount-source",
    [SYNC_ERROR] = "error",
};

const char *sync_type_name(enum sync_type type) {
  if (type >= SYNC_GO && type <= SYNC_ERROR)
    return sync_names[type];
  return "unknown";
}

/* With fds (n > 0) as SCM_RIGHTS of the same message. */
static int sync_send_msg(int fd, const struct sync_msg *msg, const int *fds, size_t n_fds,
                         ocirun_error_t **err) {
  /* fds_send refuses more fds than one message carries, before anything is sent. */
  if (fds_send(fd, fds, n_fds, msg, offsetof(struct sync_msg, text) + msg->text_len, err) < 0)
    return ocirun_error_prefix(err, "sync: send %s", sync_type_name(msg->type));
  return 0;
}

int sync_send(int fd, enum sync_type type, int32_t arg, ocirun_error_t **err) {
  return sync_send_fds(fd, type, arg, NULL, 0, err);
}

int sync_send_fds(int fd, enum sync_type type, int32_t arg, const int *fds, size_t n,
                  ocirun_error_t **err) {
  struct sync_msg msg = {.type = type, .arg = arg};
  return sync_send_msg(fd, &msg, fds, n, err);
}

void sync_send_error(int fd, ocirun_error_t **child_err) {
  struct sync_msg msg = {.type = SYNC_ERROR};
  const char *text = (child_err && *child_err) ? (*child_err)->msg : "unknown error";
  size_t len = strlen(text);

  if (len > SYNC_TEXT_MAX)
    len = SYNC_TEXT_MAX;
  memcpy(msg.text, text, len);
  msg.text_len = (uint32_t)len;
  msg.status = (child_err && *child_err) ? (*child_err)->status : 0;
  sync_send_msg(fd, &msg, NULL, 0, NULL);
  ocirun_error_free(child_err);
}

/* The fds of the message's SCM_RIGHTS into fds[0..cap) (*n_fds of them); a message with
 * more than cap, or with fds where none are expected (fds NULL), is a protocol error and
 * the fds it carried are closed. */
static int take_fds(struct msghdr *mh, int *fds, size_t cap, size_t *n_fds, ocirun_error_t **err) {
  size_t got = 0;
  bool extra = (mh->msg_flags & MSG_CTRUNC) != 0;

  for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
      continue;
    size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < k; i++) {
      int fd;
      memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      if (fds && got < cap)
        fds[got++] = fd;
      else {
        close(fd);
        extra = true;
      }
    }
  }
  if (n_fds)
    *n_fds = got;
  if (extra) {
    for (size_t i = 0; i < got; i++)
      close(fds[i]);
    if (n_fds)
      *n_fds = 0;
    return ocirun_error_set(err, EPROTO, "sync: more file descriptors than expected (%zu)", cap);
  }
  return 0;
}

int sync_recv(int fd, struct sync_msg *msg, ocirun_error_t **err) {
  return sync_recv_fds(fd, msg, NULL, 0, NULL, err);
}

int sync_recv_fds(int fd, struct sync_msg *msg, int *fds, size_t cap, size_t *n_fds,
                  ocirun_error_t **err) {
  char control[CMSG_SPACE(sizeof(int) * LIMIT_SYNC_FDS)];
  struct iovec iov = {.iov_base = msg, .iov_len = sizeof(*msg)};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
  ssize_t n;

  if (n_fds)
    *n_fds = 0;
  if (cap > LIMIT_SYNC_FDS)
    cap = LIMIT_SYNC_FDS;
  if (fds) {
    mh.msg_control = control;
    mh.msg_controllen = CMSG_SPACE(sizeof(int) * cap);
  }
  do
    n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return ocirun_error_set(err, errno, "sync: receive");
  if (take_fds(&mh, fds, cap, n_fds, err) < 0)
    return -1;
  if (n == 0)
    return ocirun_error_set(err, 0, "container init exited during setup");
  if ((size_t)n < offsetof(struct sync_msg, text) ||
      (size_t)n != offsetof(struct sync_msg, text) + msg->text_len) {
    for (size_t i = 0; n_fds && i < *n_fds; i++)
      close(fds[i]);
    if (n_fds)
      *n_fds = 0;
    return ocirun_error_set(err, EPROTO, "sync: malformed message of %zd bytes", n);
  }
  msg->text[msg->text_len < SYNC_TEXT_MAX ? msg->text_len : SYNC_TEXT_MAX - 1] = '\0';
  trace_pointf("sync", "wait for %s", sync_type_name(msg->type));
  return 0;
}

int sync_expect(int fd, enum sync_type want, struct sync_msg *msg, ocirun_error_t **err) {
  return sync_expect_fds(fd, want, msg, NULL, 0, NULL, err);
}

int sync_expect_fds(int fd, enum sync_type want, struct sync_msg *msg, int *fds, size_t cap,
                    size_t *n_fds, ocirun_error_t **err) {
  struct sync_msg local;
  size_t got = 0;

  if (msg == NULL)
    msg = &local;
  if (n_fds)
    *n_fds = 0;
  if (sync_recv_fds(fd, msg, fds, cap, &got, err) < 0)
    return -1;
  if (msg->type == SYNC_ERROR || msg->type != want) {
    for (size_t i = 0; i < got; i++)
      close(fds[i]);
    if (msg->type == SYNC_ERROR)
      return ocirun_error_set(err, 0, "%s", msg->text);
    return ocirun_error_set(err, EPROTO, "sync: expected %s, got %s", sync_type_name(want),
                            sync_type_name(msg->type));
  }
  if (n_fds)
    *n_fds = got;
  return 0;
}
