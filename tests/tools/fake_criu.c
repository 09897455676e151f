/* fake_criu - a stand-in for `criu swrk 3` that records the requests it gets, for
 * testing what the runtime asks of CRIU on hosts where CRIU cannot dump.
 *
 * usage (as the runtime runs it): fake_criu swrk 3
 * Environment:
 *   FAKE_CRIU_RECORD    file the requests are appended to, one "field=value" line per
 *                       field ("ext_mnt={key=/data val=/data}" for messages), each
 *                       request introduced by "type=DUMP" etc.
 *   FAKE_CRIU_VERSION   answer to VERSION, "MAJOR.MINOR.SUBLEVEL" (default 3.17.1)
 *   FAKE_CRIU_FEATURES  features FEATURE_CHECK reports present: "mem_track,lazy_pages"
 *   FAKE_CRIU_FAIL      fail DUMP/RESTORE: errno 22, "Error (fake): <value>" in the log
 * DUMP kills the dumped pid unless leave_running.  RESTORE starts `sleep 1000` as a
 * sibling (CLONE_PARENT, as rst_sibling asks), with the stdio given to CRIU, and sends
 * the notifications setup-namespaces and post-restore naming it. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/sched.h>

#include "rpc.pb-c.h"

static FILE *rec;

static void print_value(const ProtobufCFieldDescriptor *f, const void *p);

static void print_message(const ProtobufCMessage *m, const char *sep) {
  const ProtobufCMessageDescriptor *d = m->descriptor;
  for (unsigned i = 0; i < d->n_fields; i++) {
    const ProtobufCFieldDescriptor *f = &d->fields[i];
    const char *base = (const char *)m;
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
      size_t n = *(const size_t *)(base + f->quantifier_offset);
      char *const *arr = *(char *const *const *)(base + f->offset);
      for (size_t j = 0; j < n; j++) {
        fprintf(rec, "%s=", f->name);
        if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE)
          print_value(f, &arr[j]);
        fputs(sep, rec);
      }
      continue;
    }
    if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->quantifier_offset &&
        !*(const protobuf_c_boolean *)(base + f->quantifier_offset))
      continue;
    if ((f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE) &&
        *(void *const *)(base + f->offset) == NULL)
      continue;
    fprintf(rec, "%s=", f->name);
    print_value(f, base + f->offset);
    fputs(sep, rec);
  }
}

static void print_value(const ProtobufCFieldDescriptor *f, const void *p) {
  switch (f->type) {
  case PROTOBUF_C_TYPE_INT32:
    fprintf(rec, "%d", *(const int32_t *)p);
    break;
  case PROTOBUF_C_TYPE_UINT32:
    fprintf(rec, "%u", *(const uint32_t *)p);
    break;
  case PROTOBUF_C_TYPE_BOOL:
    fprintf(rec, "%s", *(const protobuf_c_boolean *)p ? "true" : "false");
    break;
  case PROTOBUF_C_TYPE_ENUM: {
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(f->descriptor, *(const int *)p);
    fprintf(rec, "%s", v ? v->name : "?");
    break;
  }
  case PROTOBUF_C_TYPE_STRING:
    fprintf(rec, "%s", *(char *const *)p);
    break;
  case PROTOBUF_C_TYPE_MESSAGE:
    fputc('{', rec);
    print_message(*(ProtobufCMessage *const *)p, " ");
    fputc('}', rec);
    break;
  default:
    fprintf(rec, "?");
  }
}

static void send_resp(int sock, CriuResp *r) {
  size_t len = criu_resp__get_packed_size(r);
  uint8_t *buf = malloc(len);
  criu_resp__pack(r, buf);
  if (send(sock, buf, len, 0) < 0)
    exit(1);
  free(buf);
}

static CriuReq *recv_req(int sock) {
  static uint8_t buf[1 << 16];
  ssize_t n = recv(sock, buf, sizeof(buf), 0);
  return n > 0 ? criu_req__unpack(NULL, (size_t)n, buf) : NULL;
}

static void notify(int sock, const char *script, pid_t pid) {
  CriuResp r = CRIU_RESP__INIT;
  CriuNotify n = CRIU_NOTIFY__INIT;
  n.script = (char *)script;
  n.has_pid = true;
  n.pid = pid;
  r.type = CRIU_REQ_TYPE__NOTIFY;
  r.success = true;
  r.notify = &n;
  send_resp(sock, &r);
  CriuReq *ack = recv_req(sock);
  if (ack == NULL || ack->type != CRIU_REQ_TYPE__NOTIFY)
    exit(1); /* the runtime refused the notification: as CRIU, give up */
  criu_req__free_unpacked(ack, NULL);
}

/* As CRIU: the directory fds in the request are the runtime's, reached through /proc. */
static void fail_log(int sock, const CriuOpts *o) {
  struct ucred peer;
  socklen_t len = sizeof(peer);
  char path[4096];

  if (o->has_work_dir_fd && o->log_file &&
      getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &peer, &len) == 0) {
    snprintf(path, sizeof(path), "/proc/%d/fd/%d/%s", (int)peer.pid, o->work_dir_fd, o->log_file);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dprintf(fd, "(00.000001) Error (fake): %s\n", getenv("FAKE_CRIU_FAIL"));
      close(fd);
    }
  }
}

/* FAKE_CRIU_FAIL: the request fails as CRIU's do, with a line in the log. */
static bool fail(int sock, const CriuOpts *o, CriuResp *r) {
  if (getenv("FAKE_CRIU_FAIL") == NULL)
    return false;
  fail_log(sock, o);
  r->success = false;
  r->has_cr_errno = true;
  r->cr_errno = EINVAL;
  return true;
}

static pid_t start_sibling(void) {
  struct clone_args a = {.flags = CLONE_PARENT, .exit_signal = 0};
  long pid = syscall(SYS_clone3, &a, sizeof(a));
  if (pid == 0) {
    execlp("sleep", "sleep", "1000", (char *)NULL);
    _exit(127);
  }
  return (pid_t)pid;
}

int main(int argc, char **argv) {
  const char *version = getenv("FAKE_CRIU_VERSION");
  const char *features = getenv("FAKE_CRIU_FEATURES");
  const char *record = getenv("FAKE_CRIU_RECORD");
  int sock, maj = 3, min = 17, sub = 1;

  if (argc != 3 || strcmp(argv[1], "swrk") != 0)
    return 2;
  sock = atoi(argv[2]);
  if (version)
    sscanf(version, "%d.%d.%d", &maj, &min, &sub);
  rec = record ? fopen(record, "a") : NULL;
  if (rec == NULL)
    rec = fopen("/dev/null", "w");
  setvbuf(rec, NULL, _IOLBF, 0);
  CriuReq *req = recv_req(sock);
  if (req == NULL)
    return 1;
  CriuResp r = CRIU_RESP__INIT;
  CriuVersion v = CRIU_VERSION__INIT;
  CriuFeatures f = CRIU_FEATURES__INIT;
  CriuRestoreResp rr = CRIU_RESTORE_RESP__INIT;
  r.type = req->type;
  r.success = true;
  /* The type, then each field of the options on a line of its own. */
  if (req->type != CRIU_REQ_TYPE__VERSION) {
    const ProtobufCEnumValue *t =
        protobuf_c_enum_descriptor_get_value(&criu_req_type__descriptor, req->type);
    fprintf(rec, "type=%s\n", t ? t->name : "?");
    if (req->opts)
      print_message(&req->opts->base, "\n");
    fputs("--\n", rec);
  }
  switch (req->type) {
  case CRIU_REQ_TYPE__VERSION:
    v.major_number = maj;
    v.minor_number = min;
    v.has_sublevel = true;
    v.sublevel = sub;
    r.version = &v;
    break;
  case CRIU_REQ_TYPE__FEATURE_CHECK:
    f.has_mem_track = true;
    f.mem_track = features && strstr(features, "mem_track");
    f.has_lazy_pages = true;
    f.lazy_pages = features && strstr(features, "lazy_pages");
    r.features = &f;
    break;
  case CRIU_REQ_TYPE__DUMP:
  case CRIU_REQ_TYPE__PRE_DUMP:
    if (fail(sock, req->opts, &r))
      break;
    if (req->type == CRIU_REQ_TYPE__DUMP && req->opts->has_pid && !req->opts->leave_running)
      kill(req->opts->pid, SIGKILL);
    break;
  case CRIU_REQ_TYPE__RESTORE: {
    if (fail(sock, req->opts, &r))
      break;
    pid_t pid = start_sibling();
    notify(sock, "setup-namespaces", pid);
    notify(sock, "post-restore", pid);
    rr.pid = pid;
    r.restore = &rr;
    break;
  }
  default:
    r.success = false;
  }
  send_resp(sock, &r);
  criu_req__free_unpacked(req, NULL);
  return 0;
}
