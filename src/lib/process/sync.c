#include "process/sync.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
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

static int sync_send_msg(int fd, const struct sync_msg *msg, ocirun_error_t **err) {
  size_t len = offsetof(struct sync_msg, text) + msg->text_len;
  ssize_t n;
  do
    n = send(fd, msg, len, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return ocirun_error_set(err, errno, "sync: send %s", sync_type_name(msg->type));
  return 0;
}

int sync_send(int fd, enum sync_type type, int32_t arg, ocirun_error_t **err) {
  struct sync_msg msg = {.type = type, .arg = arg};
  return sync_send_msg(fd, &msg, err);
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
  sync_send_msg(fd, &msg, NULL);
  ocirun_error_free(child_err);
}

int sync_recv(int fd, struct sync_msg *msg, ocirun_error_t **err) {
  ssize_t n;
  do
    n = recv(fd, msg, sizeof(*msg), 0);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return ocirun_error_set(err, errno, "sync: receive");
  if (n == 0)
    return ocirun_error_set(err, 0, "container init exited during setup");
  if ((size_t)n < offsetof(struct sync_msg, text) ||
      (size_t)n != offsetof(struct sync_msg, text) + msg->text_len)
    return ocirun_error_set(err, EPROTO, "sync: malformed message of %zd bytes", n);
  msg->text[msg->text_len < SYNC_TEXT_MAX ? msg->text_len : SYNC_TEXT_MAX - 1] = '\0';
  trace_pointf("sync", "wait for %s", sync_type_name(msg->type));
  return 0;
}

int sync_expect(int fd, enum sync_type want, struct sync_msg *msg, ocirun_error_t **err) {
  struct sync_msg local;
  if (msg == NULL)
    msg = &local;
  if (sync_recv(fd, msg, err) < 0)
    return -1;
  if (msg->type == SYNC_ERROR)
    return ocirun_error_set(err, 0, "%s", msg->text);
  if (msg->type != want)
    return ocirun_error_set(err, EPROTO, "sync: expected %s, got %s", sync_type_name(want),
                            sync_type_name(msg->type));
  return 0;
}
