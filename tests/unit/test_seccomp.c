/* seccomp: validation errors with their JSON paths, filters loaded in forked children
 * (every action, every operator, the ENOSYS stub, notify with the fd hand-over), the
 * compiled-filter cache (round trip, corrupt files rebuilt), and the podman profile
 * (compile time against cache-hit time). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "linux/seccomp_internal.h"
#include "spec/spec.h"
#include "unit.h"
#include "util/names.h"

#define CONFIG_FMT                                                                                 \
  "{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"rootfs\"},\"linux\":{\"seccomp\":%s}}"

static char tmpdir[] = "/tmp/ocirun-seccomp-XXXXXX";

static struct spec *parse_section(const char *section) {
  ocirun_error_t *err = NULL;
  struct spec *s = NULL;
  char *doc = NULL;
  if (asprintf(&doc, CONFIG_FMT, section) < 0)
    return NULL;
  if (spec_parse("config.json", doc, strlen(doc), &s, &err) < 0) {
    printf("# parse error: %s\n", err->msg);
    ocirun_error_free(&err);
  }
  free(doc);
  return s;
}

/* Prepare the section; returns the error message (caller frees) or NULL. */
static char *prepare_error(struct spec *s, const char *cache, struct seccomp_program **out) {
  ocirun_error_t *err = NULL;
  struct seccomp_program *p = NULL;
  int r = seccomp_program_prepare(&s->linux_.seccomp, cache, &p, &err);
  if (r == 0 && out)
    *out = p;
  else
    seccomp_program_free(p);
  return unit_error_message(r, &err);
}

static void replace(char **field, const char *value) {
  free(*field);
  *field = strdup(value);
}

static void expect_error(struct spec *s, const char *want) {
  char *msg = prepare_error(s, NULL, NULL);
  if (msg == NULL || strstr(msg, want) == NULL)
    printf("# want error containing %s\n#   got %s\n", want, msg ? msg : "(success)");
  CHECK_CONTAINS(msg, want);
  free(msg);
  spec_free(s);
}

static void test_validation(void) {
  struct spec *s;
  const char *rule = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
                     "\"action\":\"SCMP_ACT_ERRNO\"},{\"names\":[\"getcwd\"],\"action\":"
                     "\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":2,\"op\":"
                     "\"SCMP_CMP_EQ\"}]}]}";

  /* The parser already refuses names outside the spec; the struct can still carry them. */
  s = parse_section(rule);
  replace(&s->linux_.seccomp.syscalls[1].action, "SCMP_ACT_FOO");
  expect_error(s, ".linux.seccomp.syscalls[1].action: unknown action \"SCMP_ACT_FOO\"");
  s = parse_section(rule);
  replace(&s->linux_.seccomp.default_action, "SCMP_ACT_NOPE");
  expect_error(s, ".linux.seccomp.defaultAction: unknown action \"SCMP_ACT_NOPE\"");
  s = parse_section(rule);
  replace(&s->linux_.seccomp.syscalls[1].args[0].op, "SCMP_CMP_BETWEEN");
  expect_error(s, ".linux.seccomp.syscalls[1].args[0].op: unknown operator \"SCMP_CMP_BETWEEN\"");
  s = parse_section(rule);
  s->linux_.seccomp.syscalls[1].args[0].index = 6;
  expect_error(s, ".linux.seccomp.syscalls[1].args[0].index: 6 is out of range");

  expect_error(parse_section("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":"
                             "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_VAX\"]}"),
               ".linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_VAX\"");
  expect_error(parse_section("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":"
                             "[\"SECCOMP_FILTER_FLAG_LOG\",\"SECCOMP_FILTER_FLAG_FAST\"]}"),
               ".linux.seccomp.flags[1]: unknown flag \"SECCOMP_FILTER_FLAG_FAST\"");
  expect_error(parse_section("{\"defaultAction\":\"SCMP_ACT_NOTIFY\",\"listenerPath\":\"/x\"}"),
               ".linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
  expect_error(parse_section("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
                             "[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"),
               ".linux.seccomp.listenerPath: required with SCMP_ACT_NOTIFY");
  expect_error(parse_section("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/x\","
                             "\"syscalls\":[{\"names\":[\"read\",\"write\"],\"action\":"
                             "\"SCMP_ACT_NOTIFY\"}]}"),
               ".linux.seccomp.syscalls[0].names[1]: SCMP_ACT_NOTIFY cannot be used for the "
               "write syscall");
  expect_error(parse_section("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":70000}"),
               ".linux.seccomp.defaultErrnoRet: 70000 is out of range");

  /* No section: no program. */
  struct spec *none = parse_section("null");
  if (none == NULL) {
    ocirun_error_t *err = NULL;
    struct spec_seccomp empty = {0};
    struct seccomp_program *p = (void *)1;
    CHECK(seccomp_program_prepare(&empty, NULL, &p, &err) == 0 && p == NULL);
  } else {
    spec_free(none);
  }
  /* Unknown syscall names are skipped, not errors. */
  s = parse_section("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
                    "[\"no_such_syscall\",\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\"}]}");
  char *msg = prepare_error(s, NULL, NULL);
  CHECK(msg == NULL);
  free(msg);
  spec_free(s);
}

/* Fork; the child loads the section's filter and runs body; returns the wait status. */
static int run_filtered(const char *section, int (*body)(void)) {
  struct spec *s = parse_section(section);
  struct seccomp_program *p = NULL;
  char *msg;
  int status = -1;

  if (s == NULL)
    return -1;
  msg = prepare_error(s, NULL, &p);
  if (msg) {
    printf("# prepare: %s\n", msg);
    free(msg);
    spec_free(s);
    return -1;
  }
  pid_t pid = fork();
  if (pid == 0) {
    ocirun_error_t *err = NULL;
    int fd;
    if (seccomp_program_load(p, &fd, &err) < 0) {
      fprintf(stderr, "# load: %s\n", err->msg);
      _exit(200);
    }
    /* Straight to the kernel: a sanitizer's exit handling would run syscalls the
     * filter denies. */
    syscall(SYS_exit_group, body());
  }
  waitpid(pid, &status, 0);
  seccomp_program_free(p);
  spec_free(s);
  return status;
}

static int expect_errno(long r, int want) {
  return r == -1 && errno == want;
}

/* Exit code: 0 when all good, else the number of the first failed check. */
static int body_errno(void) {
  char buf[256];
  if (!expect_errno(syscall(SYS_getcwd, buf, sizeof(buf)), 42))
    return 1;
  if (!expect_errno(syscall(SYS_mkdir, "/tmp/ocirun-seccomp-never", 0700), EPERM))
    return 2;
  if (syscall(SYS_getpid) <= 0)
    return 3;
  return 0;
}

static int body_operators(void) {
  struct sched_param sp;
  if (!expect_errno(syscall(SYS_getpgid, 1000000), 101)) /* EQ */
    return 1;
  if (!expect_errno(syscall(SYS_getsid, 1000001), 102) || syscall(SYS_getsid, 0) < 0) /* NE */
    return 2;
  if (!expect_errno(syscall(SYS_sched_get_priority_max, 50), 103) ||
      !expect_errno(syscall(SYS_sched_get_priority_max, 100), EINVAL)) /* LT */
    return 3;
  if (!expect_errno(syscall(SYS_sched_get_priority_min, 100), 104) ||
      !expect_errno(syscall(SYS_sched_get_priority_min, 101), EINVAL)) /* LE */
    return 4;
  if (!expect_errno(syscall(SYS_sched_getscheduler, 4000000), 105) ||
      !expect_errno(syscall(SYS_sched_getscheduler, 3999999), ESRCH)) /* GE */
    return 5;
  if (!expect_errno(syscall(SYS_ioprio_get, 1, 5000001), 106) ||
      !expect_errno(syscall(SYS_ioprio_get, 1, 5000000), ESRCH)) /* GT */
    return 6;
  if (!expect_errno(syscall(SYS_getpriority, 0, 0x3000042), 107) ||
      !expect_errno(syscall(SYS_getpriority, 0, 0x3000043), ESRCH)) /* MASKED_EQ */
    return 7;
  /* Two conditions on one argument: either matches. */
  if (!expect_errno(syscall(SYS_sched_getparam, 7000001, &sp), 108) ||
      !expect_errno(syscall(SYS_sched_getparam, 7000002, &sp), 108) ||
      !expect_errno(syscall(SYS_sched_getparam, 7000003, &sp), ESRCH))
    return 8;
  /* Conditions on two arguments: both must match. */
  if (!expect_errno(syscall(SYS_sched_rr_get_interval, 7000001, (void *)16), 109) ||
      !expect_errno(syscall(SYS_sched_rr_get_interval, 7000001, (void *)32), ESRCH))
    return 9;
  return 0;
}

static int body_getppid(void) {
  syscall(SYS_getppid);
  return 0;
}

static int body_trace(void) {
  /* TRACE without a tracer: the syscall fails with ENOSYS. */
  return expect_errno(syscall(SYS_getppid), ENOSYS) ? 0 : 1;
}

/* defaultAction EPERM, the profile names syscalls up to exit_group (231). */
static int body_enosys(void) {
  char buf[64];
  if (syscall(SYS_getpid) <= 0)
    return 1;
  if (!expect_errno(syscall(SYS_getcwd, buf, sizeof(buf)), EPERM)) /* unnamed, older */
    return 2;
  if (!expect_errno(syscall(SYS_openat2, -1, "x", NULL, 0), ENOSYS)) /* newer */
    return 3;
  if (!expect_errno(syscall(1000), ENOSYS))
    return 4;
  return 0;
}

static void check_status(const char *what, int status, int want_exit, int want_signal) {
  bool ok = want_signal ? (WIFSIGNALED(status) && WTERMSIG(status) == want_signal)
                        : (WIFEXITED(status) && WEXITSTATUS(status) == want_exit);
  if (!ok)
    printf("# %s: wait status 0x%x\n", what, status);
  CHECK(ok);
}

#define ALLOW_WITH(rules) "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[" rules "]}"
#define ARG(i, op, v) "{\"index\":" #i ",\"value\":" #v ",\"op\":\"SCMP_CMP_" #op "\"}"
#define RULE_ERRNO(name, e, args)                                                                  \
  "{\"names\":[\"" name "\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":" #e ",\"args\":[" args "]}"

static void test_actions(void) {
  check_status("errno",
               run_filtered(ALLOW_WITH("{\"names\":[\"getcwd\"],\"action\":\"SCMP_ACT_ERRNO\","
                                       "\"errnoRet\":42},{\"names\":[\"mkdir\",\"mkdirat\"],"
                                       "\"action\":\"SCMP_ACT_ERRNO\"}"),
                            body_errno),
               0, 0);
  check_status(
      "operators",
      run_filtered(
          ALLOW_WITH(
              RULE_ERRNO("getpgid", 101, ARG(0, EQ, 1000000)) "," RULE_ERRNO(
                  "getsid", 102, ARG(0, NE, 0)) "," RULE_ERRNO("sched_get_priority_max", 103,
                                                               ARG(0, LT, 100)) "," //
              RULE_ERRNO("sched_get_priority_min", 104, ARG(0, LE, 100)) "," RULE_ERRNO(
                  "sched_getscheduler", 105, ARG(0, GE, 4000000)) "," //
              RULE_ERRNO(
                  "ioprio_get", 106,
                  ARG(1, GT,
                      5000000)) "," //
                                "{\"names\":[\"getpriority\"],\"action\":\"SCMP_ACT_ERRNO\","
                                "\"errnoRet\":107,"
                                "\"args\":[{\"index\":1,\"value\":255,\"valueTwo\":66,\"op\":"
                                "\"SCMP_CMP_MASKED_EQ\"}]},"                                     //
              RULE_ERRNO("sched_getparam", 108, ARG(0, EQ, 7000001) "," ARG(0, EQ, 7000002)) "," //
              RULE_ERRNO("sched_rr_get_interval", 109, ARG(0, EQ, 7000001) "," ARG(1, EQ, 16))),
          body_operators),
      0, 0);
  static const struct name_number killers[] = {
      {"SCMP_ACT_KILL", SIGSYS},
      {"SCMP_ACT_KILL_THREAD", SIGSYS},
      {"SCMP_ACT_KILL_PROCESS", SIGSYS},
      {"SCMP_ACT_TRAP", SIGSYS},
      {"SCMP_ACT_LOG", 0},
      {"SCMP_ACT_ALLOW", 0},
  };
  for (size_t i = 0; i < sizeof(killers) / sizeof(killers[0]); i++) {
    char section[256];
    snprintf(section, sizeof(section),
             "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"getppid\"],"
             "\"action\":\"%s\"},{\"names\":[\"exit_group\",\"exit\"],\"action\":"
             "\"SCMP_ACT_ALLOW\"}]}",
             killers[i].name);
    check_status(killers[i].name, run_filtered(section, body_getppid), 0, (int)killers[i].number);
  }
  check_status("trace",
               run_filtered(ALLOW_WITH("{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_TRACE\","
                                       "\"errnoRet\":38}"),
                            body_trace),
               0, 0);
  check_status("enosys",
               run_filtered("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":"
                            "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],"
                            "\"syscalls\":[{\"names\":[\"getpid\",\"exit_group\",\"exit\"],"
                            "\"action\":\"SCMP_ACT_ALLOW\"}]}",
                            body_enosys),
               0, 0);
}

/* Notify: the child loads a filter notifying mkdir and tells the parent the listener's
 * number; the parent takes the fd with pidfd_getfd, hands it to an "agent" socket with
 * seccomp_notify_send, receives it back as the agent would, checks the state document
 * and answers the child's mkdir with EXDEV. */
static void test_notify(void) {
  char sock_path[256], state_buf[4096];
  struct spec *s;
  struct seccomp_program *p = NULL;
  ocirun_error_t *err = NULL;
  int report[2], go[2], listen_fd, status = -1;
  char *msg, *section = NULL;

  snprintf(sock_path, sizeof(sock_path), "%s/agent.sock", tmpdir);
  if (asprintf(&section,
               "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"%s\","
               "\"listenerMetadata\":\"meta-42\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],"
               "\"action\":\"SCMP_ACT_NOTIFY\"}]}",
               sock_path) < 0)
    return;
  s = parse_section(section);
  free(section);
  CHECK(s != NULL);
  if (s == NULL)
    return;
  msg = prepare_error(s, NULL, &p);
  CHECK(msg == NULL);
  free(msg);
  if (p == NULL)
    return;
  CHECK(seccomp_program_uses_notify(p));
  CHECK(seccomp_program_flags(p) & SECCOMP_FILTER_FLAG_NEW_LISTENER);

  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strcpy(addr.sun_path, sock_path);
  listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  CHECK(bind(listen_fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 && listen(listen_fd, 4) == 0);
  CHECK(pipe2(report, O_CLOEXEC) == 0 && pipe2(go, O_CLOEXEC) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    int fd = -1;
    char c;
    if (seccomp_program_load(p, &fd, &err) < 0)
      _exit(200);
    if (write(report[1], &fd, sizeof(fd)) != sizeof(fd) || read(go[0], &c, 1) != 1)
      _exit(201);
    if (mkdir("/tmp/ocirun-seccomp-notify", 0700) == 0 || errno != EXDEV)
      _exit(202);
    _exit(0);
  }
  int child_fd = -1, notify_fd = -1, agent_fd = -1;
  CHECK(read(report[0], &child_fd, sizeof(child_fd)) == sizeof(child_fd) && child_fd >= 0);
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  CHECK(seccomp_notify_take_fd(pidfd, child_fd, &notify_fd, &err) == 0);
  CHECK(seccomp_notify_send(sock_path, "meta-42", pid,
                            "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"status\":\"creating\","
                            "\"pid\":1234,\"bundle\":\"/b\"}",
                            notify_fd, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  close(notify_fd);
  close(pidfd);

  /* The agent's side. */
  int conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = {.iov_base = state_buf, .iov_len = sizeof(state_buf) - 1};
  struct msghdr mh = {.msg_iov = &iov,
                      .msg_iovlen = 1,
                      .msg_control = control.buf,
                      .msg_controllen = sizeof(control.buf)};
  ssize_t n = recvmsg(conn, &mh, MSG_CMSG_CLOEXEC);
  CHECK(n > 0);
  state_buf[n > 0 ? n : 0] = '\0';
  struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
  if (c && c->cmsg_type == SCM_RIGHTS)
    memcpy(&agent_fd, CMSG_DATA(c), sizeof(int));
  CHECK(agent_fd >= 0);
  char want[128];
  snprintf(want, sizeof(want), "\"fds\":[\"seccompFd\"],\"pid\":%d,\"metadata\":\"meta-42\"",
           (int)pid);
  CHECK_CONTAINS(state_buf, want);
  CHECK_CONTAINS(state_buf, "\"state\":{\"ociVersion\":\"1.2.0\",\"id\":\"c1\"");
  CHECK(strncmp(state_buf, "{\"ociVersion\":", 14) == 0);

  CHECK(write(go[1], "g", 1) == 1);
  struct seccomp_notif req;
  struct seccomp_notif_resp resp;
  memset(&req, 0, sizeof(req));
  CHECK(ioctl(agent_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0);
  CHECK(req.pid == (uint32_t)pid);
  CHECK(req.data.nr == SYS_mkdir || req.data.nr == SYS_mkdirat);
  resp = (struct seccomp_notif_resp){.id = req.id, .error = -EXDEV};
  CHECK(ioctl(agent_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0);
  waitpid(pid, &status, 0);
  check_status("notify child", status, 0, 0);
  close(agent_fd);
  close(conn);
  close(listen_fd);
  close(report[0]), close(report[1]), close(go[0]), close(go[1]);
  seccomp_program_free(p);
  spec_free(s);
}

static char *cache_file(const char *dir) {
  char cmd[512], *line = NULL;
  size_t cap = 0;
  snprintf(cmd, sizeof(cmd), "ls %s/*.bpf 2>/dev/null", dir);
  FILE *f = popen(cmd, "r");
  if (f && getline(&line, &cap, f) > 0)
    line[strcspn(line, "\n")] = '\0';
  else {
    free(line);
    line = NULL;
  }
  if (f)
    pclose(f);
  return line;
}

static bool same_program(const struct seccomp_program *a, const struct seccomp_program *b) {
  return a && b && a->len == b->len && a->flags == b->flags &&
         memcmp(a->insns, b->insns, a->len * sizeof(*a->insns)) == 0;
}

static void test_cache(void) {
  char dir[300];
  struct spec *s =
      parse_section("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\"],"
                    "\"syscalls\":[{\"names\":[\"read\",\"write\",\"exit_group\"],\"action\":"
                    "\"SCMP_ACT_ALLOW\"}]}");
  struct seccomp_program *fresh = NULL, *hit = NULL, *again = NULL;
  struct stat st;
  char *path, *msg;

  snprintf(dir, sizeof(dir), "%s/cache/ocirun/seccomp", tmpdir);
  CHECK((msg = prepare_error(s, dir, &fresh)) == NULL);
  free(msg);
  CHECK(fresh && !seccomp_program_from_cache(fresh));
  CHECK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700);
  path = cache_file(dir);
  CHECK(path != NULL);
  CHECK(path && stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
  CHECK((msg = prepare_error(s, dir, &hit)) == NULL);
  free(msg);
  CHECK(hit && seccomp_program_from_cache(hit));
  CHECK(same_program(fresh, hit));
  CHECK(seccomp_program_flags(hit) == SECCOMP_FILTER_FLAG_LOG);
  seccomp_program_free(hit);
  hit = NULL;

  /* A flipped byte in the program: checksum mismatch, compiled again and rewritten. */
  int fd = open(path, O_RDWR | O_CLOEXEC);
  char b;
  CHECK(pread(fd, &b, 1, (off_t)st.st_size - 3) == 1);
  b ^= 0x5a;
  CHECK(pwrite(fd, &b, 1, (off_t)st.st_size - 3) == 1);
  close(fd);
  CHECK((msg = prepare_error(s, dir, &again)) == NULL);
  free(msg);
  CHECK(again && !seccomp_program_from_cache(again) && same_program(fresh, again));
  seccomp_program_free(again);
  again = NULL;
  CHECK((msg = prepare_error(s, dir, &hit)) == NULL);
  free(msg);
  CHECK(hit && seccomp_program_from_cache(hit) && same_program(fresh, hit));
  seccomp_program_free(hit);
  hit = NULL;

  /* Truncated: wrong length, rebuilt. */
  CHECK(truncate(path, 50) == 0);
  CHECK((msg = prepare_error(s, dir, &again)) == NULL);
  free(msg);
  CHECK(again && !seccomp_program_from_cache(again) && same_program(fresh, again));
  seccomp_program_free(again);
  again = NULL;

  /* Another section has another key. */
  struct spec *other = parse_section("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":"
                                     "[{\"names\":[\"read\",\"write\"],\"action\":"
                                     "\"SCMP_ACT_ALLOW\"}]}");
  uint8_t k1[SECCOMP_CACHE_KEY_LEN], k2[SECCOMP_CACHE_KEY_LEN];
  CHECK(seccomp_cache_key(&s->linux_.seccomp, k1, NULL) == 0 &&
        seccomp_cache_key(&other->linux_.seccomp, k2, NULL) == 0 && memcmp(k1, k2, 32) != 0);
  spec_free(other);
  free(path);

  /* A directory others may write into is not used: compiled, never taken from there. */
  CHECK(chmod(dir, 0777) == 0);
  CHECK((msg = prepare_error(s, dir, &again)) == NULL);
  free(msg);
  CHECK(again && !seccomp_program_from_cache(again));
  seccomp_program_free(again);
  CHECK(chmod(dir, 0700) == 0);
  seccomp_program_free(fresh);
  spec_free(s);
}

/* The cache is the runtime's own, never inside a state root. */
static void test_cache_location(void) {
  char *saved_xdg = getenv("XDG_CACHE_HOME") ? strdup(getenv("XDG_CACHE_HOME")) : NULL;
  char *dir;

  if (geteuid() == 0) {
    dir = seccomp_cache_default_dir();
    CHECK_STR_EQ(dir, "/var/cache/ocirun/seccomp");
    free(dir);
  } else {
    setenv("XDG_CACHE_HOME", "/x/cache", 1);
    dir = seccomp_cache_default_dir();
    CHECK_STR_EQ(dir, "/x/cache/ocirun/seccomp");
    free(dir);
  }
  if (geteuid() == 0) {
    /* root of a user namespace of its own (as under rootless podman) is not the host's
     * root: its cache is the per-user one, /var/cache is out of its reach */
    pid_t pid = fork();
    if (pid == 0) {
      int fd;
      char *d;
      if (unshare(CLONE_NEWUSER) < 0)
        _exit(errno == EPERM || errno == EINVAL ? 2 : 1);
      fd = open("/proc/self/uid_map", O_WRONLY | O_CLOEXEC);
      if (fd < 0 || write(fd, "0 0 1\n", 6) != 6)
        _exit(1);
      close(fd);
      setenv("XDG_CACHE_HOME", "/x/cache", 1);
      d = seccomp_cache_default_dir();
      _exit(geteuid() == 0 && d && strcmp(d, "/x/cache/ocirun/seccomp") == 0 ? 0 : 3);
    }
    int st = 0;
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st));
    if (WEXITSTATUS(st) == 2)
      printf("# no user namespaces here: the namespaced root's cache is not checked\n");
    else
      CHECK(WEXITSTATUS(st) == 0);
  }
  if (saved_xdg)
    setenv("XDG_CACHE_HOME", saved_xdg, 1);
  else
    unsetenv("XDG_CACHE_HOME");
  free(saved_xdg);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The profile podman uses, converted to an OCI section, or NULL when not installed. */
static char *podman_section(void) {
  const char *profile = "/usr/share/containers/seccomp.json";
  char cmd[1024], *out = NULL;
  size_t len = 0;
  FILE *f, *mem;

  if (access(profile, R_OK) != 0)
    return NULL;
  snprintf(cmd, sizeof(cmd),
           "jq -c --arg arch amd64 -f %s/tests/seccomp/containers-to-oci.jq %s 2>/dev/null",
           SOURCE_ROOT, profile);
  f = popen(cmd, "r");
  mem = open_memstream(&out, &len);
  if (f == NULL || mem == NULL)
    return NULL;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
    fwrite(buf, 1, n, mem);
  fclose(mem);
  if (pclose(f) != 0 || len == 0) {
    free(out);
    return NULL;
  }
  return out;
}

static int body_podman(void) {
  char buf[256];
  if (syscall(SYS_getcwd, buf, sizeof(buf)) < 0)
    return 1;
  if (!expect_errno(syscall(SYS_kexec_load, 0, 0, NULL, 0), EPERM)) /* errnoRet 1 */
    return 2;
  if (!expect_errno(syscall(1000), ENOSYS)) /* defaultErrnoRet 38 */
    return 3;
  if (!expect_errno(syscall(SYS_socket, 16 /* AF_NETLINK */, 3, 9 /* NETLINK_AUDIT */), EINVAL))
    return 4;
  return 0;
}

static void test_podman_profile(void) {
  char *section = podman_section();
  char dir[300];
  struct seccomp_program *p = NULL;
  double t0, compile_ms = 1e9, hit_ms = 1e9;
  char *msg;

  if (section == NULL) {
    printf("# podman profile not installed (containers-common): skipped\n");
    return;
  }
  struct spec *s = parse_section(section);
  free(section);
  CHECK(s != NULL);
  if (s == NULL)
    return;
  snprintf(dir, sizeof(dir), "%s/podman-cache", tmpdir);
  for (int i = 0; i < 20; i++) {
    t0 = now_ms();
    msg = prepare_error(s, NULL, &p);
    double t = now_ms() - t0;
    CHECK(msg == NULL);
    free(msg);
    if (t < compile_ms)
      compile_ms = t;
    if (i == 19)
      printf("# podman profile: %zu rules, %u BPF instructions\n", s->linux_.seccomp.syscalls_len,
             seccomp_program_length(p));
    seccomp_program_free(p);
    p = NULL;
  }
  CHECK((msg = prepare_error(s, dir, &p)) == NULL); /* fills the cache */
  free(msg);
  seccomp_program_free(p);
  for (int i = 0; i < 20; i++) {
    t0 = now_ms();
    msg = prepare_error(s, dir, &p);
    double t = now_ms() - t0;
    CHECK(msg == NULL && seccomp_program_from_cache(p));
    free(msg);
    if (t < hit_ms)
      hit_ms = t;
    seccomp_program_free(p);
    p = NULL;
  }
  printf("# podman profile: compile %.3f ms, cache hit %.3f ms (best of 20)\n", compile_ms, hit_ms);
  CHECK(hit_ms < compile_ms);
  spec_free(s);

  /* Loaded: ordinary syscalls work, the profile's denials and ENOSYS apply. */
  section = podman_section();
  check_status("podman profile", run_filtered(section, body_podman), 0, 0);
  free(section);
}

int main(void) {
  if (mkdtemp(tmpdir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  test_validation();
  test_actions();
  test_notify();
  test_cache();
  test_cache_location();
  test_podman_profile();
  char cmd[300];
  snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
  if (system(cmd) != 0)
    printf("# cleanup of %s failed\n", tmpdir);
  return unit_done();
}
