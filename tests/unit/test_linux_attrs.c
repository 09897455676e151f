/* Kernel mechanisms applied to real processes: each mutation runs in a forked
 * child that checks its own state and reports through its exit status. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "linux/capabilities.h"
#include "linux/hooks.h"
#include "linux/namespaces.h"
#include "linux/network_loopback.h"
#include "linux/oom_score.h"
#include "linux/proc_verify.h"
#include "linux/process_attrs.h"
#include "linux/rlimits.h"
#include "linux/sysctl.h"
#include "linux/wake_slice.h"
#include "linux/user.h"
#include "unit.h"

#define BIT(c) (UINT64_C(1) << (c))

static const char *msg_of(const ocirun_error_t *e) {
  return e ? e->msg : "(no error)";
}

/* Failure count of checks made in a child. */
static int child_failures;
#define CHILD_CHECK(expr)                                                                          \
  do {                                                                                             \
    if (!(expr)) {                                                                                 \
      child_failures++;                                                                            \
      printf("# child check failed: %s:%d: %s\n", __FILE__, __LINE__, #expr);                      \
    }                                                                                              \
  } while (0)

static bool run_in_child(void (*fn)(void *), void *arg) {
  int status;
  pid_t pid;

  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    child_failures = 0;
    fn(arg);
    fflush(stdout);
    _exit(child_failures > 100 ? 100 : child_failures);
  }
  if (pid < 0 || waitpid(pid, &status, 0) < 0)
    return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* "CapEff:\t000001ff..." from /proc/self/status */
static bool status_field(const char *name, char *out, size_t size) {
  char line[512];
  size_t n = strlen(name);
  bool found = false;
  FILE *f = fopen("/proc/self/status", "re");
  if (f == NULL)
    return false;
  while (fgets(line, sizeof(line), f)) {
    if (strncmp(line, name, n) == 0 && line[n] == ':') {
      char *v = line + n + 1;
      while (*v == '\t' || *v == ' ')
        v++;
      v[strcspn(v, "\n")] = '\0';
      snprintf(out, size, "%s", v);
      found = true;
      break;
    }
  }
  fclose(f);
  return found;
}

static uint64_t status_caps(const char *name) {
  char v[64];
  if (!status_field(name, v, sizeof(v)))
    return UINT64_MAX;
  return strtoull(v, NULL, 16);
}

/* ---- capabilities ---- */

static void test_cap_names(void) {
  struct spec_capabilities c = {0};
  struct caps_sets sets;
  ocirun_error_t *err = NULL;
  char *all[64];
  size_t n = 0;
  uint64_t expect = 0;
  int last = cap_last_supported();

  CHECK(last >= 40);
  for (int i = 0; i <= cap_last_known(); i++) {
    CHECK(cap_name(i) != NULL);
    CHECK(cap_from_name(cap_name(i)) == i);
    all[n++] = (char *)cap_name(i);
    if (i <= last)
      expect |= BIT(i);
  }
  CHECK(cap_from_name("CAP_SYS_ADMIN") == CAP_SYS_ADMIN);
  CHECK(cap_from_name("cap_sys_admin") == -1);
  CHECK(cap_from_name("SYS_ADMIN") == -1);
  CHECK(cap_from_name("CAP_FOO") == -1);
  CHECK(cap_name(-1) == NULL);
  CHECK(cap_name(64) == NULL);

  c.present = true;
  c.bounding = (struct spec_strv){all, n};
  c.permitted = (struct spec_strv){all, n};
  CHECK(caps_from_spec(&c, ".process.capabilities", &sets, &err) == 0);
  CHECK(sets.bounding == expect);
  CHECK(sets.permitted == expect);
  CHECK(sets.effective == 0 && sets.inheritable == 0 && sets.ambient == 0);

  /* An unknown name is skipped (with a warning): the others are kept. */
  char *some[] = {(char *)"CAP_CHOWN", (char *)"CAP_FOO", (char *)"CAP_KILL"};
  c.effective = (struct spec_strv){some, 3};
  CHECK(caps_from_spec(&c, ".process.capabilities", &sets, &err) == 0);
  CHECK(sets.effective == (BIT(CAP_CHOWN) | BIT(CAP_KILL)));
  c.effective = (struct spec_strv){some, 1};
  CHECK(caps_from_spec(&c, ".process.capabilities", &sets, &err) == 0);
  CHECK(sets.effective == BIT(CAP_CHOWN));

  /* Absent: everything dropped. */
  c.present = false;
  CHECK(caps_from_spec(&c, ".process.capabilities", &sets, &err) == 0);
  CHECK(sets.bounding == 0 && sets.permitted == 0);

  /* exec --cap: never widens the inheritable set. */
  struct caps_sets s2 = {.inheritable = BIT(CAP_NET_RAW)};
  char *add[] = {(char *)"CAP_NET_RAW", (char *)"CAP_CHOWN", (char *)"CAP_BOGUS"};
  CHECK(caps_add_names(&s2, add, 3, &err) == 0); /* CAP_BOGUS: skipped */
  CHECK(s2.bounding == (BIT(CAP_NET_RAW) | BIT(CAP_CHOWN)));
  CHECK(s2.effective == s2.bounding && s2.permitted == s2.bounding);
  CHECK(s2.inheritable == BIT(CAP_NET_RAW));
  CHECK(s2.ambient == BIT(CAP_NET_RAW));
  ocirun_error_free(&err);
}

static void child_caps_as_root(void *arg) {
  struct caps_sets s = {
      .bounding = BIT(CAP_CHOWN) | BIT(CAP_KILL) | BIT(CAP_NET_BIND_SERVICE),
      .effective = BIT(CAP_CHOWN) | BIT(CAP_NET_BIND_SERVICE),
      .permitted = BIT(CAP_CHOWN) | BIT(CAP_KILL) | BIT(CAP_NET_BIND_SERVICE),
      .inheritable = BIT(CAP_NET_BIND_SERVICE),
      .ambient = BIT(CAP_NET_BIND_SERVICE),
  };
  ocirun_error_t *err = NULL;
  (void)arg;
  CHILD_CHECK(caps_apply(&s, &err) == 0);
  if (err)
    printf("# caps_apply: %s\n", err->msg);
  CHILD_CHECK(status_caps("CapBnd") == s.bounding);
  CHILD_CHECK(status_caps("CapEff") == s.effective);
  CHILD_CHECK(status_caps("CapPrm") == s.permitted);
  CHILD_CHECK(status_caps("CapInh") == s.inheritable);
  CHILD_CHECK(status_caps("CapAmb") == s.ambient);
  CHILD_CHECK(prctl(PR_GET_KEEPCAPS) == 0);
}

static void child_caps_with_user(void *arg) {
  uint32_t groups[] = {5, 7};
  struct spec_user u = {.uid = 1000,
                        .gid = 1001,
                        .has_umask = true,
                        .umask = 027,
                        .additional_gids = groups,
                        .additional_gids_len = 2};
  struct caps_sets s = {
      .bounding = BIT(CAP_CHOWN) | BIT(CAP_KILL),
      .effective = BIT(CAP_KILL),
      .permitted = BIT(CAP_KILL),
      .inheritable = 0,
      .ambient = 0,
  };
  ocirun_error_t *err = NULL;
  char v[128];
  (void)arg;
  CHILD_CHECK(caps_keep_on_setuid(&err) == 0);
  CHILD_CHECK(user_apply(&u, true, &err) == 0);
  CHILD_CHECK(caps_apply(&s, &err) == 0);
  if (err)
    printf("# user+caps: %s\n", err->msg);
  CHILD_CHECK(status_caps("CapBnd") == s.bounding);
  CHILD_CHECK(status_caps("CapEff") == s.effective);
  CHILD_CHECK(status_caps("CapPrm") == s.permitted);
  CHILD_CHECK(status_caps("CapInh") == 0);
  CHILD_CHECK(status_caps("CapAmb") == 0);
  CHILD_CHECK(status_field("Uid", v, sizeof(v)) && strcmp(v, "1000\t1000\t1000\t1000") == 0);
  CHILD_CHECK(status_field("Gid", v, sizeof(v)) && strcmp(v, "1001\t1001\t1001\t1001") == 0);
  CHILD_CHECK(status_field("Groups", v, sizeof(v)) && strncmp(v, "5 7", 3) == 0);
  CHILD_CHECK(status_field("Umask", v, sizeof(v)) && strcmp(v, "0027") == 0);
}

static void child_caps_errors(void *arg) {
  struct caps_sets s = {.bounding = 0, .effective = BIT(CAP_KILL), .permitted = 0};
  ocirun_error_t *err = NULL;
  struct spec_user u = {.uid = 0, .gid = 0};
  uint32_t g = 3;
  (void)arg;
  CHILD_CHECK(caps_apply(&s, &err) < 0);
  CHILD_CHECK(err && strstr(err->msg, "CAP_KILL is in the effective set but not in the permitted"));
  ocirun_error_free(&err);
  u.additional_gids = &g;
  u.additional_gids_len = 1;
  CHILD_CHECK(user_apply(&u, false, &err) < 0);
  CHILD_CHECK(err && strstr(err->msg, "setgroups is denied"));
  ocirun_error_free(&err);
}

static void test_caps_apply(void) {
  CHECK(run_in_child(child_caps_as_root, NULL));
  CHECK(run_in_child(child_caps_with_user, NULL));
  CHECK(run_in_child(child_caps_errors, NULL));
}

/* ---- rlimits ---- */

static pid_t spawn_sleeper(int *wake_fd) {
  int p[2];
  pid_t pid;
  char c;
  if (pipe2(p, O_CLOEXEC) < 0)
    return -1;
  pid = fork();
  if (pid == 0) {
    close(p[1]);
    if (read(p[0], &c, 1) < 0)
      _exit(1);
    _exit(0);
  }
  close(p[0]);
  *wake_fd = p[1];
  return pid;
}

static void test_rlimits(void) {
  struct rlimit cur, got;
  ocirun_error_t *err = NULL;
  int wake = -1, status;
  pid_t pid = spawn_sleeper(&wake);
  struct spec_rlimit r[2] = {
      {(char *)"RLIMIT_NOFILE", RLIMIT_NOFILE, 100, 200},
      {(char *)"RLIMIT_CORE", RLIMIT_CORE, 0, 0},
  };

  CHECK(pid > 0);
  CHECK(rlimits_apply(pid, r, 2, &err) == 0);
  CHECK(prlimit(pid, RLIMIT_NOFILE, NULL, &got) == 0 && got.rlim_cur == 100 && got.rlim_max == 200);
  CHECK(prlimit(pid, RLIMIT_CORE, NULL, &got) == 0 && got.rlim_cur == 0 && got.rlim_max == 0);

  /* soft above hard */
  struct spec_rlimit bad = {(char *)"RLIMIT_NOFILE", RLIMIT_NOFILE, 300, 200};
  CHECK(rlimits_apply(pid, &bad, 1, &err) < 0);
  CHECK_CONTAINS(msg_of(err),
                 ".process.rlimits[0]: RLIMIT_NOFILE soft limit 300 is above the hard limit 200");
  ocirun_error_free(&err);

  /* Raising the hard limit again needs CAP_SYS_RESOURCE, which root lacks here. */
  struct spec_rlimit raise = {(char *)"RLIMIT_NOFILE", RLIMIT_NOFILE, 1000, 1000};
  if (rlimits_apply(pid, &raise, 1, &err) < 0) {
    CHECK_CONTAINS(msg_of(err), ".process.rlimits[0]: cannot set RLIMIT_NOFILE to soft 1000, "
                                "hard 1000: the hard limit allowed here is 200 (raising it needs "
                                "CAP_SYS_RESOURCE): Operation not permitted");
    printf("# %s\n", msg_of(err));
  } else {
    printf("# skipped the EPERM check: CAP_SYS_RESOURCE is held\n");
  }
  ocirun_error_free(&err);

  /* Above fs.nr_open even privilege does not help. */
  getrlimit(RLIMIT_NOFILE, &cur);
  struct spec_rlimit huge = {(char *)"RLIMIT_NOFILE", RLIMIT_NOFILE, 1, UINT64_C(1) << 40};
  CHECK(rlimits_apply(pid, &huge, 1, &err) < 0);
  CHECK_CONTAINS(msg_of(err), "fs.nr_open");
  ocirun_error_free(&err);

  struct spec_rlimit unlimited = {(char *)"RLIMIT_NOFILE", RLIMIT_NOFILE, 1, RLIM_INFINITY};
  CHECK(rlimits_apply(pid, &unlimited, 1, &err) < 0);
  CHECK_CONTAINS(msg_of(err), "hard unlimited");
  ocirun_error_free(&err);

  close(wake);
  waitpid(pid, &status, 0);
  CHECK(rlimits_apply(pid, r, 1, &err) < 0); /* gone */
  CHECK_CONTAINS(msg_of(err), "No such process");
  ocirun_error_free(&err);
}

/* ---- hooks ---- */

static char hook_dir[] = "/tmp/ocirun-hooks-XXXXXX";

static char *write_script(const char *name, const char *body) {
  static char paths[8][128];
  static int next;
  char *p = paths[next++ % 8];
  FILE *f;
  snprintf(p, 128, "%s/%s", hook_dir, name);
  f = fopen(p, "we");
  if (f == NULL)
    return p;
  fprintf(f, "#!/bin/sh\n%s\n", body);
  fclose(f);
  chmod(p, 0755);
  return p;
}

static long long mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_hooks(void) {
  const char *state = "{\"ociVersion\":\"1.0.2\",\"id\":\"x\",\"status\":\"creating\"}";
  ocirun_error_t *err = NULL;
  char *args[] = {(char *)"myhook", (char *)"arg1"};
  char *env[] = {(char *)"FOO=bar"};
  struct spec_hook h[3];
  struct spec_hook_list list;
  long long t0;

  CHECK(mkdtemp(hook_dir) != NULL);
  char *check =
      write_script("check", "in=$(cat)\n"
                            "[ \"$in\" = '{\"ociVersion\":\"1.0.2\",\"id\":\"x\",\"status\":"
                            "\"creating\"}' ] || { echo \"bad state $in\" >&2; exit 3; }\n"
                            "[ \"$0\" = myhook ] || [ \"$1\" = arg1 ] || exit 4\n"
                            "[ \"$FOO\" = bar ] || exit 5\n"
                            "[ -z \"$HOME\" ] || exit 6\n"
                            "[ ! -e /proc/self/fd/3 ] || { ls -l /proc/self/fd >&2; exit 7; }\n"
                            "echo fine");
  char *fail = write_script("fail", "echo some output; echo 'it broke' >&2; exit 2");
  char *slow = write_script("slow", "exec sleep 10");
  char *killed = write_script("killed", "kill -9 $$");
  char *daemon = write_script("daemon", "sleep 5 & exit 0");

  memset(h, 0, sizeof(h));
  h[0] = (struct spec_hook){.path = check, .args = {args, 2}, .env = {env, 1}};
  list = (struct spec_hook_list){h, 1};
  CHECK(hooks_run(&list, "prestart", state, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  ocirun_error_free(&err);

  /* The first failure stops the list and is explained with its output. */
  h[1] = (struct spec_hook){.path = fail};
  h[2] = (struct spec_hook){.path = check, .args = {args, 2}, .env = {env, 1}};
  list = (struct spec_hook_list){h, 3};
  CHECK(hooks_run(&list, "createRuntime", state, &err) < 0);
  CHECK_CONTAINS(msg_of(err), "error running createRuntime hook #1: ");
  CHECK_CONTAINS(msg_of(err), "/fail: exited with status 2");
  CHECK_CONTAINS(msg_of(err), "stderr: it broke");
  CHECK_CONTAINS(msg_of(err), "stdout: some output");
  printf("# %s\n", msg_of(err));
  ocirun_error_free(&err);

  h[0] = (struct spec_hook){.path = slow, .has_timeout = true, .timeout = 1};
  list = (struct spec_hook_list){h, 1};
  t0 = mono_ms();
  CHECK(hooks_run(&list, "prestart", state, &err) < 0);
  CHECK(mono_ms() - t0 < 4000);
  CHECK_CONTAINS(msg_of(err), "error running prestart hook #0: ");
  CHECK_CONTAINS(msg_of(err), "/slow: timed out after 1s");
  ocirun_error_free(&err);

  h[0] = (struct spec_hook){.path = killed};
  CHECK(hooks_run(&list, "poststop", state, &err) < 0);
  CHECK_CONTAINS(msg_of(err), "killed by SIGKILL");
  ocirun_error_free(&err);

  h[0] = (struct spec_hook){.path = (char *)"/nonexistent/hook"};
  CHECK(hooks_run(&list, "poststart", state, &err) < 0);
  CHECK_CONTAINS(msg_of(err), "poststart hook #0: /nonexistent/hook: exec: No such file");
  ocirun_error_free(&err);

  /* A background child holding stdout open does not keep the runtime waiting. */
  h[0] = (struct spec_hook){.path = daemon};
  t0 = mono_ms();
  CHECK(hooks_run(&list, "prestart", state, &err) == 0);
  CHECK(mono_ms() - t0 < 3000);
  ocirun_error_free(&err);

  /* A state larger than a pipe's default size, to a hook that never reads it. */
  {
    size_t big = 300000;
    char *s = malloc(big + 1);
    memset(s, 'a', big);
    s[big] = '\0';
    h[0] = (struct spec_hook){.path = (char *)"/bin/true"};
    CHECK(hooks_run(&list, "prestart", s, &err) == 0);
    if (err)
      printf("# %s\n", err->msg);
    ocirun_error_free(&err);
    free(s);
  }

  /* An fd without O_CLOEXEC in the runtime does not reach the hook. */
  {
    int leak = open("/dev/null", O_RDONLY);
    if (leak != 3) {
      dup2(leak, 3);
      close(leak);
    }
    h[0] = (struct spec_hook){.path = check, .args = {args, 2}, .env = {env, 1}};
    CHECK(hooks_run(&list, "prestart", state, &err) == 0);
    if (err)
      printf("# %s\n", err->msg);
    ocirun_error_free(&err);
    close(3);
  }

  CHECK(hooks_run(NULL, "prestart", state, &err) == 0);
  char cmd[256];
  snprintf(cmd, sizeof(cmd), "rm -rf %s", hook_dir);
  CHECK(system(cmd) == 0);
}

/* ---- namespaces ---- */

static void test_namespaces(void) {
  struct spec_namespace ns[3];
  struct spec spec;
  ocirun_error_t *err = NULL;
  unsigned long flags;
  int fds[SPEC_NS_COUNT];

  memset(&spec, 0, sizeof(spec));
  spec.linux_.namespaces = ns;
  ns[0] = (struct spec_namespace){SPEC_NS_PID, NULL};
  ns[1] = (struct spec_namespace){SPEC_NS_NETWORK, (char *)"/proc/self/ns/net"};
  ns[2] = (struct spec_namespace){SPEC_NS_TIME, NULL};
  spec.linux_.namespaces_len = 3;
  CHECK(namespaces_clone_flags(&spec, &flags, &err) == 0);
  CHECK(flags == CLONE_NEWPID);
  CHECK(namespaces_open_paths(&spec, fds, &err) == 0);
  CHECK(fds[SPEC_NS_NETWORK] >= 0);
  CHECK(fds[SPEC_NS_PID] == -1 && fds[SPEC_NS_TIME] == -1);
  CHECK(fcntl(fds[SPEC_NS_NETWORK], F_GETFD) == FD_CLOEXEC);
  /* Joining our own network namespace is allowed and harmless. */
  CHECK(namespaces_join(fds, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  namespaces_close(fds);
  CHECK(fds[SPEC_NS_NETWORK] == -1);
  ocirun_error_free(&err);

  ns[1].path = (char *)"/nonexistent/ns";
  CHECK(namespaces_open_paths(&spec, fds, &err) < 0);
  CHECK_CONTAINS(msg_of(err), ".linux.namespaces[1].path: open /nonexistent/ns: No such file");
  ocirun_error_free(&err);

  ns[1].path = (char *)"/proc/self/status";
  CHECK(namespaces_open_paths(&spec, fds, &err) < 0);
  CHECK_CONTAINS(msg_of(err),
                 ".linux.namespaces[1].path: /proc/self/status is not a namespace file");
  for (int i = 0; i < SPEC_NS_COUNT; i++)
    CHECK(fds[i] == -1);
  ocirun_error_free(&err);

  ns[1].path = (char *)"/proc/self/ns/uts";
  CHECK(namespaces_open_paths(&spec, fds, &err) < 0);
  CHECK_CONTAINS(msg_of(err),
                 ".linux.namespaces[1].path: /proc/self/ns/uts is a uts namespace, not network");
  ocirun_error_free(&err);

  ns[2] = (struct spec_namespace){SPEC_NS_PID, NULL};
  CHECK(namespaces_clone_flags(&spec, &flags, &err) < 0);
  CHECK_CONTAINS(msg_of(err), ".linux.namespaces[2].type: pid namespace is listed twice");
  ocirun_error_free(&err);
}

static void child_loopback(void *arg) {
  ocirun_error_t *err = NULL;
  struct ifreq ifr = {0};
  int sock;
  (void)arg;
  CHILD_CHECK(unshare(CLONE_NEWNET) == 0);
  CHILD_CHECK(network_loopback_up(&err) == 0);
  CHILD_CHECK(network_loopback_up(&err) == 0); /* already up */
  if (err)
    printf("# %s\n", err->msg);
  sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  strcpy(ifr.ifr_name, "lo");
  CHILD_CHECK(ioctl(sock, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP));
}

static void child_timens(void *arg) {
  struct spec_namespace ns = {SPEC_NS_TIME, NULL};
  struct spec_time_offset off = {(char *)"monotonic", true, 100000, true, 5};
  struct spec spec;
  struct timespec before, after;
  ocirun_error_t *err = NULL;
  (void)arg;
  memset(&spec, 0, sizeof(spec));
  spec.linux_.namespaces = &ns;
  spec.linux_.namespaces_len = 1;
  spec.linux_.time_offsets = &off;
  spec.linux_.time_offsets_len = 1;
  clock_gettime(CLOCK_MONOTONIC, &before);
  CHILD_CHECK(timens_enter(&spec, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  clock_gettime(CLOCK_MONOTONIC, &after);
  CHILD_CHECK(after.tv_sec - before.tv_sec >= 100000);
  off.clock = (char *)"realtime";
  CHILD_CHECK(timens_set_offsets(&spec, &err) < 0);
  CHILD_CHECK(err && strstr(err->msg, ".linux.timeOffsets.realtime: unknown clock"));
}

/* ---- procfs, sysctl, oom ---- */

static void child_proc_refusals(void *arg) {
  ocirun_error_t *err = NULL;
  int fd = -1;
  (void)arg;
  CHILD_CHECK(unshare(CLONE_NEWNS) == 0);
  CHILD_CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
  mkdir("/tmp/ocirun-fakeproc", 0700);
  CHILD_CHECK(mount("tmpfs", "/tmp/ocirun-fakeproc", "tmpfs", 0, NULL) == 0);
  CHILD_CHECK(proc_open_verified("/tmp/ocirun-fakeproc", &fd, &err) < 0);
  CHILD_CHECK(err && strstr(err->msg, "/tmp/ocirun-fakeproc is not on procfs"));
  ocirun_error_free(&err);
  umount("/tmp/ocirun-fakeproc");
  rmdir("/tmp/ocirun-fakeproc");

  /* A bind mount over a proc file is a mount crossing: refused. */
  CHILD_CHECK(proc_open_verified("/proc", &fd, &err) == 0);
  CHILD_CHECK(
      mount("/proc/self/attr/current", "/proc/sys/kernel/core_pattern", NULL, MS_BIND, NULL) == 0 ||
      errno == ENOENT);
  CHILD_CHECK(proc_write_at(fd, "sys/kernel/core_pattern", "x", &err) < 0);
  CHILD_CHECK(err && strstr(err->msg, "sys/kernel/core_pattern"));
  ocirun_error_free(&err);
  /* And a separately mounted /proc/sys cannot be opened as sysctl root. */
  int sysfd = -1;
  CHILD_CHECK(mount("/proc/sys", "/proc/sys", NULL, MS_BIND, NULL) == 0);
  CHILD_CHECK(proc_open_sys(fd, &sysfd, &err) < 0);
  CHILD_CHECK(err && strstr(err->msg, "separate mount"));
  ocirun_error_free(&err);
  close(fd);
}

static void child_sysctl_oom(void *arg) {
  struct spec_namespace nss[2] = {{SPEC_NS_NETWORK, NULL}, {SPEC_NS_IPC, NULL}};
  struct spec_kv kv[2] = {{(char *)"net.ipv4.ip_forward", (char *)"1"},
                          {(char *)"kernel/shmmni", (char *)"1234"}};
  struct spec spec;
  ocirun_error_t *err = NULL;
  int proc_fd = -1, sys_fd = -1;
  char buf[64] = {0};
  FILE *f;
  (void)arg;

  memset(&spec, 0, sizeof(spec));
  spec.linux_.namespaces = nss;
  spec.linux_.namespaces_len = 2;
  spec.linux_.sysctl.items = kv;
  spec.linux_.sysctl.len = 2;
  CHILD_CHECK(unshare(CLONE_NEWNET | CLONE_NEWIPC) == 0);
  CHILD_CHECK(sysctl_validate(&spec, &err) == 0);
  CHILD_CHECK(proc_open_verified("/proc", &proc_fd, &err) == 0);
  CHILD_CHECK(proc_open_sys(proc_fd, &sys_fd, &err) == 0);
  CHILD_CHECK(sysctl_apply(&spec, sys_fd, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  ocirun_error_free(&err);
  f = fopen("/proc/sys/net/ipv4/ip_forward", "re");
  CHILD_CHECK(f && fgets(buf, sizeof(buf), f) && strcmp(buf, "1\n") == 0);
  if (f)
    fclose(f);
  f = fopen("/proc/sys/kernel/shmmni", "re");
  CHILD_CHECK(f && fgets(buf, sizeof(buf), f) && strcmp(buf, "1234\n") == 0);
  if (f)
    fclose(f);

  /* A missing key names itself. */
  kv[0].key = (char *)"net.ipv4.no_such_key";
  spec.linux_.sysctl.len = 1;
  CHILD_CHECK(sysctl_apply(&spec, sys_fd, &err) < 0);
  CHILD_CHECK(err && strstr(err->msg, ".linux.sysctl[\"net.ipv4.no_such_key\"]"));
  ocirun_error_free(&err);

  CHILD_CHECK(oom_score_adj_apply(proc_fd, 500, &err) == 0);
  f = fopen("/proc/self/oom_score_adj", "re");
  CHILD_CHECK(f && fgets(buf, sizeof(buf), f) && strcmp(buf, "500\n") == 0);
  if (f)
    fclose(f);
  CHILD_CHECK(oom_score_adj_apply(proc_fd, 1001, &err) < 0);
  ocirun_error_free(&err);
  if (oom_score_adj_apply(proc_fd, -900, &err) < 0) {
    CHILD_CHECK(err &&
                strstr(err->msg, "cannot lower it from 500 to -900 without CAP_SYS_RESOURCE"));
    printf("# %s\n", msg_of(err));
  }
  ocirun_error_free(&err);
  close(sys_fd);
  close(proc_fd);
}

static void test_proc(void) {
  ocirun_error_t *err = NULL;
  int fd = -1;
  CHECK(proc_open_verified("/proc", &fd, &err) == 0);
  CHECK(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
  close(fd);
  CHECK(proc_open_verified("/proc/sys", &fd, &err) < 0);
  CHECK_CONTAINS(msg_of(err), "not the root of a procfs mount");
  ocirun_error_free(&err);
  CHECK(proc_open_verified("/nonexistent", &fd, &err) < 0);
  ocirun_error_free(&err);
  CHECK(run_in_child(child_proc_refusals, NULL));
  CHECK(run_in_child(child_sysctl_oom, NULL));
  CHECK(run_in_child(child_loopback, NULL));
  CHECK(run_in_child(child_timens, NULL));
}

/* ---- personality, scheduler, ioprio, mempolicy, affinity ---- */

static void child_attrs(void *arg) {
  struct spec_personality pers = {.present = true, .domain = (char *)"LINUX32"};
  struct spec_scheduler sched = {
      .present = true, .policy = (char *)"SCHED_BATCH", .has_nice = true, .nice = 5};
  struct spec_io_priority io = {
      .present = true, .class_name = (char *)"IOPRIO_CLASS_BE", .priority = 6};
  struct spec_memory_policy mp = {.present = true, .mode = (char *)"MPOL_DEFAULT"};
  ocirun_error_t *err = NULL;
  cpu_set_t set;
  (void)arg;

  CHILD_CHECK(personality_apply(&pers, &err) == 0);
  CHILD_CHECK((personality(0xffffffff) & 0xff) == PER_LINUX32);
  pers.domain = (char *)"LINUX";
  CHILD_CHECK(personality_apply(&pers, &err) == 0);
  CHILD_CHECK((personality(0xffffffff) & 0xff) == PER_LINUX);
  pers.domain = (char *)"SVR4";
  CHILD_CHECK(personality_apply(&pers, &err) < 0);
  CHILD_CHECK(err && strstr(err->msg, ".linux.personality.domain: unknown domain \"SVR4\""));
  ocirun_error_free(&err);

  CHILD_CHECK(scheduler_apply(&sched, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  CHILD_CHECK(sched_getscheduler(0) == SCHED_BATCH);
  CHILD_CHECK(getpriority(PRIO_PROCESS, 0) == 5);
  sched.policy = (char *)"SCHED_FOO";
  CHILD_CHECK(scheduler_apply(&sched, &err) < 0);
  CHILD_CHECK(err && strstr(err->msg, ".process.scheduler.policy: unknown policy"));
  ocirun_error_free(&err);

  CHILD_CHECK(io_priority_apply(&io, &err) == 0);
  CHILD_CHECK(syscall(SYS_ioprio_get, 1, 0) == ((2 << 13) | 6));
  io.priority = 8;
  CHILD_CHECK(io_priority_apply(&io, &err) < 0);
  CHILD_CHECK(err && strstr(err->msg, ".process.ioPriority.priority: 8 is outside 0..7"));
  ocirun_error_free(&err);

  CHILD_CHECK(memory_policy_apply(&mp, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  ocirun_error_free(&err);
  mp.nodes = (char *)"0";
  CHILD_CHECK(memory_policy_apply(&mp, &err) < 0);
  CHILD_CHECK(err && strstr(err->msg, "MPOL_DEFAULT mode requires 0 nodes but got 1"));
  ocirun_error_free(&err);
  mp.mode = (char *)"MPOL_BIND";
  if (memory_policy_apply(&mp, &err) < 0) {
    CHILD_CHECK(err && err->status == ENOSYS); /* a kernel without NUMA */
  }
  ocirun_error_free(&err);
  mp.nodes = NULL;
  CHILD_CHECK(memory_policy_apply(&mp, &err) < 0);
  CHILD_CHECK(err && strstr(err->msg, "MPOL_BIND needs at least one node"));
  ocirun_error_free(&err);

  CHILD_CHECK(cpu_affinity_apply("0", &err) == 0);
  CHILD_CHECK(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) == 1 &&
              CPU_ISSET(0, &set));
  CHILD_CHECK(cpu_affinity_apply("1023", &err) < 0);
  CHILD_CHECK(err && strstr(err->msg, "to \"1023\""));
  ocirun_error_free(&err);

  /* Absent fields do nothing. */
  pers.present = sched.present = io.present = mp.present = false;
  CHILD_CHECK(personality_apply(&pers, &err) == 0 && scheduler_apply(&sched, &err) == 0 &&
              io_priority_apply(&io, &err) == 0 && memory_policy_apply(&mp, &err) == 0);
}

/* ---- the short slice of a waiting command ---- */

static void child_wake_slice(void *arg) {
  struct kernel_sched_attr before, during, after;
  struct wake_slice ws;
  struct sched_param none = {0};
  (void)arg;

  CHILD_CHECK(syscall(SYS_sched_getattr, 0, &before, sizeof(before), 0) == 0);
  CHILD_CHECK(wake_slice_shorten(&ws) == 1);
  CHILD_CHECK(syscall(SYS_sched_getattr, 0, &during, sizeof(during), 0) == 0);
  /* A kernel with per-task slices (6.12+) reports the slice of a fair task; an older one
   * reports 0 and ignores what was asked. */
  if (before.sched_runtime != 0)
    CHILD_CHECK(during.sched_runtime == WAKE_SLICE_NS);
  CHILD_CHECK(during.sched_policy == before.sched_policy && during.sched_nice == before.sched_nice);
  CHILD_CHECK(wake_slice_restore(&ws) == 0);
  CHILD_CHECK(syscall(SYS_sched_getattr, 0, &after, sizeof(after), 0) == 0);
  CHILD_CHECK(after.sched_runtime == before.sched_runtime);
  CHILD_CHECK(wake_slice_restore(&ws) == 0); /* a second time: nothing left to put back */

  /* An idle task asked for no help: left as it is. */
  CHILD_CHECK(sched_setscheduler(0, SCHED_IDLE, &none) == 0);
  CHILD_CHECK(wake_slice_shorten(&ws) == 0 && !ws.active);
  CHILD_CHECK(sched_getscheduler(0) == SCHED_IDLE);
  CHILD_CHECK(wake_slice_restore(&ws) == 0);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (geteuid() != 0) {
    printf("# needs root\n");
    return 77;
  }
  test_cap_names();
  test_caps_apply();
  test_rlimits();
  test_hooks();
  test_namespaces();
  test_proc();
  CHECK(run_in_child(child_attrs, NULL));
  CHECK(run_in_child(child_wake_slice, NULL));
  return unit_done();
}
