/* Pure parsers: signals, exec --user, CPU lists, sysctl validation, the resctrl
 * mount lookup, interface names, mount-label data. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux/intel_rdt.h"
#include "linux/lsm.h"
#include "linux/net_devices.h"
#include "linux/process_attrs.h"
#include "linux/sysctl.h"
#include "unit.h"
#include "util/mountinfo.h"
#include "util/signals.h"
#include "util/user_spec.h"

static const char *msg_of(const ocirun_error_t *e) {
  return e ? e->msg : "(no error)";
}

static int parse_sig(const char *s) {
  ocirun_error_t *err = NULL;
  int n = -100;
  if (signal_parse(s, &n, &err) < 0) {
    ocirun_error_free(&err);
    return -1;
  }
  return n;
}

static void test_signals(void) {
  static const char *const names[] = {
      "HUP",  "INT",  "QUIT", "ILL",    "TRAP",   "ABRT",  "BUS",  "FPE",  "KILL", "USR1", "SEGV",
      "USR2", "PIPE", "ALRM", "TERM",   "STKFLT", "CHLD",  "CONT", "STOP", "TSTP", "TTIN", "TTOU",
      "URG",  "XCPU", "XFSZ", "VTALRM", "PROF",   "WINCH", "IO",   "PWR",  "SYS",
  };
  ocirun_error_t *err = NULL;
  int n;

  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    char with[32], lower[32];
    int a = parse_sig(names[i]);
    snprintf(with, sizeof(with), "SIG%s", names[i]);
    for (size_t j = 0; j <= strlen(with); j++)
      lower[j] = (char)(with[j] >= 'A' && with[j] <= 'Z' ? with[j] + 32 : with[j]);
    CHECK(a > 0);
    CHECK(parse_sig(with) == a);
    CHECK(parse_sig(lower) == a);
    CHECK(parse_sig(lower + 3) == a);
    CHECK_STR_EQ(signal_name(a), with);
  }
  CHECK(parse_sig("KILL") == SIGKILL);
  CHECK(parse_sig("SIGTERM") == SIGTERM);
  CHECK(parse_sig("sigkill") == SIGKILL);
  CHECK(parse_sig("9") == 9);
  CHECK(parse_sig("0") == 0);
  CHECK(parse_sig("15") == 15);
  CHECK(parse_sig("64") == 64);
  CHECK(parse_sig("65") == -1);
  CHECK(parse_sig("-1") == -1);
  CHECK(parse_sig("+9") == -1);
  CHECK(parse_sig("9x") == -1);
  CHECK(parse_sig(" 9") == -1);
  CHECK(parse_sig("") == -1);
  CHECK(parse_sig("SIG") == -1);
  CHECK(parse_sig("FOO") == -1);
  CHECK(parse_sig("SIGSIGKILL") == -1);
  CHECK(parse_sig("99999999999999999999") == -1);
  CHECK(parse_sig("IOT") == SIGABRT);
  CHECK(parse_sig("SIGCLD") == SIGCHLD);
  CHECK(parse_sig("POLL") == SIGIO);
  /* Real-time signals */
  CHECK(parse_sig("RTMIN") == SIGRTMIN);
  CHECK(parse_sig("SIGRTMIN+3") == SIGRTMIN + 3);
  CHECK(parse_sig("rtmin+3") == SIGRTMIN + 3);
  CHECK(parse_sig("RTMAX") == SIGRTMAX);
  CHECK(parse_sig("RTMAX-2") == SIGRTMAX - 2);
  CHECK(parse_sig("RTMIN+30") == SIGRTMAX);
  CHECK(parse_sig("RTMIN+31") == -1);
  CHECK(parse_sig("RTMIN-1") == -1);
  CHECK(parse_sig("RTMAX+1") == -1);
  CHECK(parse_sig("RTMIN+") == -1);
  CHECK(parse_sig("RTMIN3") == -1);
  CHECK_STR_EQ(signal_name(SIGRTMIN), "SIGRTMIN");
  CHECK_STR_EQ(signal_name(SIGRTMIN + 3), "SIGRTMIN+3");
  CHECK_STR_EQ(signal_name(SIGRTMAX - 1), "SIGRTMAX-1");
  CHECK_STR_EQ(signal_name(SIGRTMAX), "SIGRTMAX");
  CHECK(signal_name(0) == NULL);
  CHECK(signal_name(65) == NULL);
  CHECK(signal_name(-3) == NULL);
  /* Every name round-trips. */
  for (int s = 1; s <= SIGRTMAX; s++) {
    const char *name = signal_name(s);
    if (name)
      CHECK(parse_sig(name) == s);
  }
  CHECK(signal_parse("NOPE", &n, &err) < 0);
  CHECK_CONTAINS(msg_of(err), "unknown signal \"NOPE\"");
  ocirun_error_free(&err);
}

struct user_case {
  const char *in;
  int ok;
  uint32_t uid, gid;
  bool has_gid;
  const char *msg;
};

static void test_user_spec(void) {
  static const struct user_case cases[] = {
      {"0", 1, 0, 0, false, NULL},
      {"1000", 1, 1000, 0, false, NULL},
      {"1000:1000", 1, 1000, 1000, true, NULL},
      {"0:0", 1, 0, 0, true, NULL},
      {"4294967294", 1, 4294967294u, 0, false, NULL},
      {"1:4294967294", 1, 1, 4294967294u, true, NULL},
      {"007", 1, 7, 0, false, NULL},
      {"4294967295", 0, 0, 0, false, "from 0 to 4294967294"},
      {"4294967296", 0, 0, 0, false, "from 0 to 4294967294"},
      {"99999999999999999999999", 0, 0, 0, false, "from 0 to 4294967294"},
      {"-1", 0, 0, 0, false, "uid must be a decimal"},
      {"1000:-1", 0, 0, 0, false, "gid must be a decimal"},
      {"0:0:0", 0, 0, 0, false, "expected UID[:GID]"},
      {"", 0, 0, 0, false, "expected UID[:GID]"},
      {":", 0, 0, 0, false, "uid must be"},
      {":1000", 0, 0, 0, false, "uid must be"},
      {"1000:", 0, 0, 0, false, "gid must be"},
      {"+1", 0, 0, 0, false, "uid must be"},
      {" 1", 0, 0, 0, false, "uid must be"},
      {"1 ", 0, 0, 0, false, "uid must be"},
      {"0x10", 0, 0, 0, false, "uid must be"},
      {"root", 0, 0, 0, false, "user names are not supported, use a numeric uid"},
      {"_apt", 0, 0, 0, false, "user names are not supported"},
      {"1000:wheel", 0, 0, 0, false, "group names are not supported, use a numeric gid"},
      {"root:0", 0, 0, 0, false, "user names are not supported"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    ocirun_error_t *err = NULL;
    uint32_t uid = 77, gid = 77;
    bool has_gid = !cases[i].has_gid;
    int r = user_spec_parse(cases[i].in, &uid, &gid, &has_gid, &err);
    if (cases[i].ok) {
      CHECK(r == 0);
      CHECK(uid == cases[i].uid);
      CHECK(has_gid == cases[i].has_gid);
      if (cases[i].has_gid)
        CHECK(gid == cases[i].gid);
    } else {
      CHECK(r < 0);
      CHECK_CONTAINS(msg_of(err), cases[i].msg);
      if (err == NULL || strstr(err->msg, cases[i].msg) == NULL)
        printf("# user \"%s\": %s\n", cases[i].in, err ? err->msg : "(no error)");
    }
    ocirun_error_free(&err);
  }
}

static int cpus_ok(const char *s, const int *expect, size_t n) {
  ocirun_error_t *err = NULL;
  cpu_set_t set;
  if (cpu_list_parse(s, &set, &err) < 0) {
    printf("# cpu list \"%s\": %s\n", s, err->msg);
    ocirun_error_free(&err);
    return 0;
  }
  if ((size_t)CPU_COUNT(&set) != n)
    return 0;
  for (size_t i = 0; i < n; i++) {
    if (!CPU_ISSET(expect[i], &set))
      return 0;
  }
  return 1;
}

static int cpus_bad(const char *s, const char *msg) {
  ocirun_error_t *err = NULL;
  cpu_set_t set;
  int ok = cpu_list_parse(s, &set, &err) < 0 && err && strstr(err->msg, msg) != NULL;
  if (!ok)
    printf("# cpu list \"%s\": %s\n", s, err ? err->msg : "(accepted)");
  ocirun_error_free(&err);
  return ok;
}

static void test_cpu_lists(void) {
  CHECK(cpus_ok("0", (int[]){0}, 1));
  CHECK(cpus_ok("0-3", (int[]){0, 1, 2, 3}, 4));
  CHECK(cpus_ok("0-3,5", (int[]){0, 1, 2, 3, 5}, 5));
  CHECK(cpus_ok(" 1 , 3-4 ,,", (int[]){1, 3, 4}, 3));
  CHECK(cpus_ok("7,7,7", (int[]){7}, 1));
  CHECK(cpus_ok("1023", (int[]){1023}, 1));
  CHECK(cpus_ok("5-5", (int[]){5}, 1));
  CHECK(cpus_bad("", "no CPU"));
  CHECK(cpus_bad(",,", "no CPU"));
  CHECK(cpus_bad("1024", "not a number below 1024"));
  CHECK(cpus_bad("3-1", "reversed"));
  CHECK(cpus_bad("a", "not a number"));
  CHECK(cpus_bad("1-", "not a range"));
  CHECK(cpus_bad("-1", "not a range"));
  CHECK(cpus_bad("1-2-3", "not a range"));
  CHECK(cpus_bad("1 2", "not a number"));
  CHECK(cpus_bad("0x1", "not a number"));
  CHECK(cpus_bad("99999999999999999999999", "not a number"));
  /* absent lists do nothing */
  ocirun_error_t *err = NULL;
  CHECK(cpu_affinity_apply(NULL, &err) == 0);
  CHECK(cpu_affinity_apply("", &err) == 0);
}

struct sysctl_case {
  const char *key;
  unsigned ns;     /* bit per namespace type */
  const char *msg; /* NULL: accepted */
};

#define NS(t) (1u << (t))

static void test_sysctl(void) {
  static const struct sysctl_case cases[] = {
      {"kernel.msgmax", NS(SPEC_NS_IPC), NULL},
      {"kernel.msgmnb", NS(SPEC_NS_IPC), NULL},
      {"kernel.msgmni", NS(SPEC_NS_IPC), NULL},
      {"kernel.sem", NS(SPEC_NS_IPC), NULL},
      {"kernel.shmall", NS(SPEC_NS_IPC), NULL},
      {"kernel.shmmax", NS(SPEC_NS_IPC), NULL},
      {"kernel.shmmni", NS(SPEC_NS_IPC), NULL},
      {"kernel.shm_rmid_forced", NS(SPEC_NS_IPC), NULL},
      {"fs.mqueue.queues_max", NS(SPEC_NS_IPC), NULL},
      {"fs/mqueue/msg_max", NS(SPEC_NS_IPC), NULL},
      {"kernel.shmmax", NS(SPEC_NS_NETWORK), "needs an ipc namespace"},
      {"fs.mqueue.queues_max", 0, "needs an ipc namespace"},
      {"net.ipv4.ip_forward", NS(SPEC_NS_NETWORK), NULL},
      {"net/ipv4/ip_forward", NS(SPEC_NS_NETWORK), NULL},
      {"net/ipv4/conf/eth0.100/forwarding", NS(SPEC_NS_NETWORK), NULL},
      {"net.core.somaxconn", NS(SPEC_NS_NETWORK) | NS(SPEC_NS_IPC), NULL},
      {"net.ipv4.ip_forward", NS(SPEC_NS_IPC), "needs a network namespace"},
      {"kernel.domainname", NS(SPEC_NS_UTS), NULL},
      {"kernel.domainname", 0, "needs a uts namespace"},
      {"kernel.hostname", NS(SPEC_NS_UTS), "conflicts with the \"hostname\" field"},
      {"vm.swappiness", 0xff,
       ".linux.sysctl[\"vm.swappiness\"]: sysctl is not namespaced and cannot be set in a "
       "container"},
      {"kernel.pid_max", 0xff, "not namespaced"},
      {"kernel.msgmax.x", NS(SPEC_NS_IPC), "not namespaced"},
      {"net..ipv4", NS(SPEC_NS_NETWORK), "invalid sysctl name"},
      {"net/../kernel/core_pattern", NS(SPEC_NS_NETWORK), "invalid sysctl name"},
      {"net.", NS(SPEC_NS_NETWORK), "invalid sysctl name"},
      {"/net/ipv4", NS(SPEC_NS_NETWORK), "invalid sysctl name"},
      {"", 0xff, "empty sysctl name"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct spec_namespace nss[SPEC_NS_COUNT];
    struct spec_kv kv = {(char *)cases[i].key, (char *)"1"};
    struct spec spec;
    ocirun_error_t *err = NULL;
    size_t n = 0;
    int r;

    memset(&spec, 0, sizeof(spec));
    for (int t = 0; t < SPEC_NS_COUNT; t++) {
      if (cases[i].ns & NS(t))
        nss[n++] = (struct spec_namespace){(enum spec_namespace_type)t, NULL};
    }
    spec.linux_.namespaces = nss;
    spec.linux_.namespaces_len = n;
    spec.linux_.sysctl.items = &kv;
    spec.linux_.sysctl.len = 1;
    r = sysctl_validate(&spec, &err);
    if (cases[i].msg == NULL) {
      CHECK(r == 0);
      if (r != 0)
        printf("# sysctl %s: %s\n", cases[i].key, err->msg);
    } else {
      CHECK(r < 0);
      CHECK_CONTAINS(msg_of(err), cases[i].msg);
      if (err == NULL || strstr(err->msg, cases[i].msg) == NULL)
        printf("# sysctl %s: %s\n", cases[i].key, err ? err->msg : "(accepted)");
    }
    ocirun_error_free(&err);
  }

  /* A joined network namespace that is the runtime's own is the host's. */
  {
    struct spec_namespace ns = {SPEC_NS_NETWORK, (char *)"/proc/self/ns/net"};
    struct spec_kv kv = {(char *)"net.ipv4.ip_forward", (char *)"1"};
    struct spec spec;
    ocirun_error_t *err = NULL;
    memset(&spec, 0, sizeof(spec));
    spec.linux_.namespaces = &ns;
    spec.linux_.namespaces_len = 1;
    spec.linux_.sysctl.items = &kv;
    spec.linux_.sysctl.len = 1;
    CHECK(sysctl_validate(&spec, &err) < 0);
    CHECK_CONTAINS(msg_of(err), "needs a network namespace");
    ocirun_error_free(&err);
  }

  /* Key to path conversion */
  {
    char buf[256];
    ocirun_error_t *err = NULL;
    CHECK(sysctl_key_path("net.ipv4.ip_forward", buf, sizeof(buf), &err) == 0);
    CHECK_STR_EQ(buf, "net/ipv4/ip_forward");
    CHECK(sysctl_key_path("net/ipv4/conf/eth0.100/forwarding", buf, sizeof(buf), &err) == 0);
    CHECK_STR_EQ(buf, "net/ipv4/conf/eth0.100/forwarding");
  }
}

static void test_rdt_mount(void) {
  char *mp = NULL;
  CHECK(intel_rdt_find_mount("22 1 0:21 / /proc rw - proc proc rw\n"
                             "36 25 0:30 / /sys/fs/resctrl rw,relatime shared:15 - resctrl "
                             "resctrl rw\n",
                             &mp) == 0);
  CHECK(mp && strcmp(mp, "/sys/fs/resctrl") == 0);
  free(mp);
  mp = NULL;
  CHECK(intel_rdt_find_mount("40 1 0:31 / /mnt/a\\040b rw - resctrl resctrl rw", &mp) == 0);
  CHECK(mp && strcmp(mp, "/mnt/a b") == 0);
  free(mp);
  mp = NULL;
  /* a tmpfs whose source is called resctrl is not one */
  CHECK(intel_rdt_find_mount("41 1 0:32 / /x rw - tmpfs resctrl rw\n", &mp) < 0);
  CHECK(intel_rdt_find_mount("", &mp) < 0);
  CHECK(mp == NULL);
}

/* The one mountinfo parser: escaped paths come back as the kernel mounted them, the
 * optional fields are told apart from the options, a malformed line is passed over. */
static void test_mountinfo_lines(void) {
  char text[] = "25 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
                "not a mountinfo line\n"
                "36 25 0:30 /sub\\040dir /mnt/with\\040space\\011tab rw,nosuid master:2 - tmpfs "
                "my\\040src rw,size=64k\n"
                "37 36 0:31 / /mnt/plain ro - proc proc rw";
  struct mountinfo_entry e;
  char *cur = text;

  CHECK(mountinfo_next(&cur, &e));
  CHECK(e.id == 25 && e.parent == 1);
  CHECK_STR_EQ(e.mountpoint, "/");
  CHECK_STR_EQ(e.optional, "shared:1");
  CHECK(mountinfo_is_shared(&e));
  CHECK_STR_EQ(e.fstype, "ext4");
  CHECK(mountinfo_next(&cur, &e));
  CHECK(e.id == 36 && e.parent == 25);
  CHECK_STR_EQ(e.root, "/sub dir");
  CHECK_STR_EQ(e.mountpoint, "/mnt/with space\ttab");
  CHECK_STR_EQ(e.options, "rw,nosuid");
  CHECK_STR_EQ(e.optional, "master:2");
  CHECK(!mountinfo_is_shared(&e));
  CHECK_STR_EQ(e.source, "my src");
  CHECK_STR_EQ(e.super_options, "rw,size=64k");
  CHECK(mountinfo_next(&cur, &e));
  CHECK_STR_EQ(e.mountpoint, "/mnt/plain");
  CHECK_STR_EQ(e.optional, "");
  CHECK_STR_EQ(e.fstype, "proc");
  CHECK(!mountinfo_next(&cur, &e));
}

static void test_net_device_names(void) {
  CHECK(net_device_name_valid("eth0"));
  CHECK(net_device_name_valid("ctr_dummy0"));
  CHECK(net_device_name_valid("eth%d"));
  CHECK(net_device_name_valid("123456789012345"));
  CHECK(!net_device_name_valid("1234567890123456"));
  CHECK(!net_device_name_valid(""));
  CHECK(!net_device_name_valid("."));
  CHECK(!net_device_name_valid(".."));
  CHECK(!net_device_name_valid("a/b"));
  CHECK(!net_device_name_valid("a:b"));
  CHECK(!net_device_name_valid("a b"));
}

static void test_mount_label(void) {
  ocirun_error_t *err = NULL;
  char *out = NULL;
  CHECK(selinux_mount_data("mode=755", NULL, &out, &err) == 0 && out == NULL);
  CHECK(selinux_mount_data("mode=755", "", &out, &err) == 0 && out == NULL);
  CHECK(selinux_mount_data("mode=755", "system_u:object_r:t:s0:c1,c2", &out, &err) == 0);
  CHECK(out && strcmp(out, "mode=755,context=\"system_u:object_r:t:s0:c1,c2\"") == 0);
  free(out);
  CHECK(selinux_mount_data(NULL, "u:r:t:s0", &out, &err) == 0);
  CHECK(out && strcmp(out, "context=\"u:r:t:s0\"") == 0);
  free(out);
}

int main(void) {
  test_rdt_mount();
  test_mountinfo_lines();
  test_net_device_names();
  test_mount_label();
  test_signals();
  test_user_spec();
  test_cpu_lists();
  test_sysctl();
  return unit_done();
}
