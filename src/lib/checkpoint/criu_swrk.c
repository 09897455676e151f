/* One CRIU RPC session: `criu swrk 3` with a SOCK_SEQPACKET socket as its fd 3,
 * one protobuf message per packet.  The request goes out, then CRIU may send
 * notifications (each answered with notify_success) before its final answer.
 * The socket is the only channel: should CRIU die, recvmsg sees EOF and the
 * session ends with an error instead of waiting. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checkpoint/criu_internal.h"
#include "util/cleanup.h"
#include "util/log.h"

/* CRIU's answers are small; a notification carries at most one fd. */
#define CRIU_MSG_MAX (64 * 1024)
#define CHILD_FD_BASE 100
/* Descriptors handed to CRIU besides stdio and the socket (external namespaces). */
#define CRIU_EXTRA_FDS_MAX 16

const char *criu_req_type_name(CriuReqType t) {
  const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(&criu_req_type__descriptor, t);
  return v ? v->name : "UNKNOWN";
}

/* In the child (no allocation between fork and exec): fds 0-2 from s->stdio, 3 the
 * socket, 4.. the extras, then exec. */
static void child_exec(struct criu_session *s, int sock, int errpipe) {
  size_t n = 4 + s->extra_len;
  int moved[4 + CRIU_EXTRA_FDS_MAX];
  sigset_t none;
  const char *path = s->criu_path ? s->criu_path : "criu";
  int e;

  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  /* First above every target, so that no dup2 overwrites a source still needed. */
  for (size_t i = 0; i < n; i++) {
    int src;
    if (i < 3)
      src = s->stdio[i] >= 0 ? s->stdio[i] : open("/dev/null", O_RDWR | O_CLOEXEC);
    else if (i == 3)
      src = sock;
    else
      src = s->extra_fds[i - 4];
    moved[i] = src < 0 ? -1 : fcntl(src, F_DUPFD_CLOEXEC, CHILD_FD_BASE + (int)n);
    if (moved[i] < 0)
      goto fail;
  }
  for (size_t i = 0; i < n; i++)
    if (dup2(moved[i], (int)i) < 0)
      goto fail;
  execlp(path, path, "swrk", "3", (char *)NULL);
fail:
  e = errno;
  if (write(errpipe, &e, sizeof(e)) < 0)
    _exit(127);
  _exit(127);
}

static int spawn_criu(struct criu_session *s, int *client, ocirun_error_t **err) {
  int sv[2], ep[2], e = 0;
  ssize_t r;
  pid_t pid;

  if (s->extra_len > CRIU_EXTRA_FDS_MAX)
    return ocirun_error_set(err, E2BIG, "criu: more than %d descriptors to hand over",
                            CRIU_EXTRA_FDS_MAX);
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return ocirun_error_set(err, errno, "criu: socketpair");
  if (pipe2(ep, O_CLOEXEC) < 0) {
    close(sv[0]);
    close(sv[1]);
    return ocirun_error_set(err, errno, "criu: pipe");
  }
  pid = fork();
  if (pid < 0) {
    e = errno;
    close(sv[0]);
    close(sv[1]);
    close(ep[0]);
    close(ep[1]);
    return ocirun_error_set(err, e, "criu: fork");
  }
  if (pid == 0) {
    close(sv[0]);
    close(ep[0]);
    child_exec(s, sv[1], ep[1]);
  }
  close(sv[1]);
  close(ep[1]);
  do
    r = read(ep[0], &e, sizeof(e));
  while (r < 0 && errno == EINTR);
  close(ep[0]);
  if (r > 0) {
    close(sv[0]);
    wait_pid(pid, NULL, NULL);
    return ocirun_error_set(err, e,
                            "cannot run criu (\"%s swrk\"); install criu or name it with --criu",
                            s->criu_path ? s->criu_path : "criu");
  }
  s->criu_pid = pid;
  *client = sv[0];
  return 0;
}

/* The last lines of CRIU's log that say "Error": CRIU's own explanation of a
 * failure (for example what this kernel lacks), appended to the message. */
static void log_error_lines(const char *log_path, char *out, size_t cap) {
  _cleanup_fclose_ FILE *f = NULL;
  char line[512], last[3][512];
  int n = 0;

  out[0] = '\0';
  if (log_path == NULL || (f = fopen(log_path, "re")) == NULL)
    return;
  while (fgets(line, sizeof(line), f))
    if (strstr(line, "Error")) {
      line[strcspn(line, "\n")] = '\0';
      memcpy(last[n % 3], line, sizeof(line));
      n++;
    }
  for (int i = n > 3 ? n - 3 : 0; i < n; i++) {
    size_t used = strlen(out);
    snprintf(out + used, cap - used, "\n%s", last[i % 3]);
  }
}

static int fail_response(const struct criu_session *s, const CriuReq *req, const CriuResp *resp,
                         ocirun_error_t **err) {
  char lines[1600];

  log_error_lines(s->log_path, lines, sizeof(lines));
  return ocirun_error_set(err, 0, "criu failed: type %s errno %d%s%s%s%s%s",
                          criu_req_type_name(req->type), resp->has_cr_errno ? resp->cr_errno : 0,
                          resp->cr_errmsg ? ": " : "", resp->cr_errmsg ? resp->cr_errmsg : "",
                          s->log_path ? "\nlog file: " : "", s->log_path ? s->log_path : "", lines);
}

static int send_req(int sock, const CriuReq *req, ocirun_error_t **err) {
  size_t len = criu_req__get_packed_size(req);
  _cleanup_free_ uint8_t *buf = malloc(len ? len : 1);
  ssize_t r;

  if (buf == NULL)
    return ocirun_error_set(err, ENOMEM, "criu: request");
  criu_req__pack(req, buf);
  do
    r = send(sock, buf, len, MSG_NOSIGNAL);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return ocirun_error_set(err, errno, "criu: send %s request", criu_req_type_name(req->type));
  return 0;
}

/* One message from CRIU, with the fd it passed along (or -1). */
static int recv_resp(const struct criu_session *s, int sock, CriuResp **resp, int *fd,
                     ocirun_error_t **err) {
  _cleanup_free_ uint8_t *buf = malloc(CRIU_MSG_MAX);
  union {
    char b[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } ctl;
  struct iovec iov;
  struct msghdr mh = {0};
  ssize_t n;

  *fd = -1;
  if (buf == NULL)
    return ocirun_error_set(err, ENOMEM, "criu: response");
  iov = (struct iovec){.iov_base = buf, .iov_len = CRIU_MSG_MAX};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  mh.msg_control = ctl.b;
  mh.msg_controllen = sizeof(ctl.b);
  do
    n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return ocirun_error_set(err, errno, "criu: receive");
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      memcpy(fd, CMSG_DATA(c), sizeof(int));
  if (n == 0) {
    char lines[1600];
    log_error_lines(s->log_path, lines, sizeof(lines));
    return ocirun_error_set(err, 0, "criu exited without an answer%s%s%s",
                            s->log_path ? "\nlog file: " : "", s->log_path ? s->log_path : "",
                            lines);
  }
  if (mh.msg_flags & MSG_TRUNC)
    return ocirun_error_set(err, EMSGSIZE, "criu: response");
  *resp = criu_resp__unpack(NULL, (size_t)n, buf);
  if (*resp == NULL)
    return ocirun_error_set(err, EPROTO, "criu: malformed response");
  return 0;
}

static int notify_loop(struct criu_session *s, int sock, CriuReq *req, CriuResp **out,
                       ocirun_error_t **err) {
  for (;;) {
    CriuResp *resp = NULL;
    int fd = -1;

    if (recv_resp(s, sock, &resp, &fd, err) < 0)
      return -1;
    if (!resp->success) {
      fail_response(s, req, resp, err);
      criu_resp__free_unpacked(resp, NULL);
      if (fd >= 0)
        close(fd);
      return -1;
    }
    if (resp->type != CRIU_REQ_TYPE__NOTIFY) {
      if (fd >= 0)
        close(fd);
      if (resp->type != req->type) {
        ocirun_error_set(err, EPROTO, "criu: answer %s to a %s request",
                         criu_req_type_name(resp->type), criu_req_type_name(req->type));
        criu_resp__free_unpacked(resp, NULL);
        return -1;
      }
      *out = resp;
      return 0;
    }
    const char *script = resp->notify && resp->notify->script ? resp->notify->script : "";
    pid_t pid = resp->notify && resp->notify->has_pid ? resp->notify->pid : 0;
    log_debug("criu notification %s (pid %d)", script, (int)pid);
    int r =
        s->on_notify ? s->on_notify(s->arg, script, pid, fd, err) : (fd >= 0 ? close(fd) : 0, 0);
    criu_resp__free_unpacked(resp, NULL);
    if (r < 0)
      return ocirun_error_prefix(err, "criu notification %s", script);
    CriuReq ack = CRIU_REQ__INIT;
    ack.type = CRIU_REQ_TYPE__NOTIFY;
    ack.has_notify_success = true;
    ack.notify_success = true;
    if (send_req(sock, &ack, err) < 0)
      return -1;
  }
}

int criu_swrk_run(struct criu_session *s, CriuReq *req, CriuResp **resp, ocirun_error_t **err) {
  _cleanup_close_ int sock = -1;
  int status = 0, r;

  *resp = NULL;
  s->criu_pid = 0;
  if (spawn_criu(s, &sock, err) < 0)
    return -1;
  r = s->on_spawn ? s->on_spawn(s->arg, s->criu_pid, req, err) : 0;
  if (r == 0)
    r = send_req(sock, req, err);
  if (r == 0)
    r = notify_loop(s, sock, req, resp, err);
  /* CRIU exits once its side of the socket reads EOF. */
  close(steal_fd(&sock));
  if (r < 0)
    kill(s->criu_pid, SIGKILL);
  wait_pid(s->criu_pid, &status, NULL);
  s->criu_pid = 0;
  if (r < 0) {
    if (*resp)
      criu_resp__free_unpacked(*resp, NULL);
    *resp = NULL;
    return -1;
  }
  /* A pre-dump leaves CRIU waiting for the next request of a series: its exit
   * status after the socket closes says nothing. */
  if (req->type != CRIU_REQ_TYPE__PRE_DUMP && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
    criu_resp__free_unpacked(*resp, NULL);
    *resp = NULL;
    return ocirun_error_set(err, 0, "criu failed: %s %d%s%s",
                            WIFEXITED(status) ? "exit status" : "signal",
                            WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                            s->log_path ? "\nlog file: " : "", s->log_path ? s->log_path : "");
  }
  return 0;
}
