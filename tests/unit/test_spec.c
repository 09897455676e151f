/* config.json / process.json parsing: the runtime-spec's reference configs, a table of
 * malformed documents with the JSON path each error must name, sizes, the template of
 * `ocirun spec`, and the "not supported" table. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "spec/spec.h"
#include "unit.h"

#define BASE "\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"rootfs\"}"
#define PROC(x) "{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"sh\"]," x "}}"
#define LINUX(x) "{" BASE ",\"linux\":{" x "}}"

/* Parse; on failure return the message (caller frees), on success NULL. */
static char *parse_error(const char *json, size_t len, struct spec **out) {
  ocirun_error_t *err = NULL;
  struct spec *s = NULL;
  int r = spec_parse("config.json", json, len, &s, &err);
  if (r == 0 && out)
    *out = s;
  else if (s)
    spec_free(s);
  return unit_error_message(r, &err);
}

static void expect_ok(const char *json) {
  char *msg = parse_error(json, strlen(json), NULL);
  if (msg)
    printf("# unexpected error for %s\n#   %s\n", json, msg);
  CHECK(msg == NULL);
  free(msg);
}

static void expect_error(const char *json, const char *needle) {
  char *msg = parse_error(json, strlen(json), NULL);
  if (msg == NULL || strstr(msg, needle) == NULL)
    printf("# %s\n#   wanted: %s\n#   got:    %s\n", json, needle, msg ? msg : "(success)");
  CHECK(msg != NULL && strstr(msg, needle) != NULL);
  free(msg);
}

static void expect_exact(const char *json, const char *want) {
  char *msg = parse_error(json, strlen(json), NULL);
  if (msg == NULL || strcmp(msg, want) != 0)
    printf("# %s\n#   wanted: %s\n#   got:    %s\n", json, want, msg ? msg : "(success)");
  CHECK_STR_EQ(msg, want);
  free(msg);
}

/* ---- reference configs of the runtime-spec ---- */

static const char *reference_dir(void) {
  static const char *const candidates[] = {
      SOURCE_ROOT "/../shared/reference/runtime-spec/schema/test/config",
      "/work/shared/reference/runtime-spec/schema/test/config", NULL};
  struct stat st;
  for (int i = 0; candidates[i]; i++)
    if (stat(candidates[i], &st) == 0 && S_ISDIR(st.st_mode))
      return candidates[i];
  return NULL;
}

/* For each bad config, the path its error must name (errors name the file by its
 * basename, which for a bundle is "config.json"). */
static const struct {
  const char *file;
  const char *needle;
} bad_expect[] = {
    {"invalid-json.json", "invalid-json.json: invalid JSON at line 1, column 2: "},
    {"linux-hugepage.json", "linux-hugepage.json: .linux.resources.hugepageLimits[0].pageSize: "
                            "expected a page size such as \"2MB\", got string \"64kB\""},
    {"linux-netdevice.json",
     "linux-netdevice.json: .linux.netDevices.eth0.name: expected a string, got number 23"},
    {"linux-rdma.json", "linux-rdma.json: .linux.resources.rdma.mlx5_1.hcaHandles: expected an "
                        "unsigned integer, got string \"not a uint32\""},
};

static bool other_os(const char *file) {
  /* configs of other platforms may omit what Linux requires (e.g. process.args) */
  static const char *const prefixes[] = {"windows", "solaris", "vm", "zos", "freebsd", NULL};
  for (int i = 0; prefixes[i]; i++)
    if (strncmp(file, prefixes[i], strlen(prefixes[i])) == 0)
      return true;
  return false;
}

static void test_reference(void) {
  const char *dir = reference_dir();
  char path[4096];
  struct dirent *de;
  int good = 0, bad = 0;

  if (dir == NULL) {
    printf("# skip: runtime-spec reference configs not found (shared/ beside the checkout)\n");
    return;
  }
  snprintf(path, sizeof(path), "%s/good", dir);
  DIR *d = opendir(path);
  CHECK(d != NULL);
  while (d && (de = readdir(d))) {
    if (de->d_name[0] == '.')
      continue;
    ocirun_error_t *err = NULL;
    struct spec *s = NULL;
    snprintf(path, sizeof(path), "%s/good/%s", dir, de->d_name);
    int r = spec_load_file(path, &s, &err);
    if (r < 0 && other_os(de->d_name)) {
      printf("# skip good/%s: config for another OS (%s)\n", de->d_name, err->msg);
    } else {
      if (r < 0)
        printf("# good/%s: %s\n", de->d_name, err->msg);
      CHECK(r == 0);
    }
    ocirun_error_free(&err);
    spec_free(s);
    good++;
  }
  if (d)
    closedir(d);

  snprintf(path, sizeof(path), "%s/bad", dir);
  d = opendir(path);
  CHECK(d != NULL);
  while (d && (de = readdir(d))) {
    if (de->d_name[0] == '.')
      continue;
    ocirun_error_t *err = NULL;
    struct spec *s = NULL;
    const char *needle = NULL;
    snprintf(path, sizeof(path), "%s/bad/%s", dir, de->d_name);
    for (size_t i = 0; i < sizeof(bad_expect) / sizeof(bad_expect[0]); i++)
      if (strcmp(bad_expect[i].file, de->d_name) == 0)
        needle = bad_expect[i].needle;
    int r = spec_load_file(path, &s, &err);
    CHECK(r < 0);
    if (r < 0 && needle == NULL)
      printf("# bad/%s: no expected message listed; got: %s\n", de->d_name, err->msg);
    if (r < 0 && needle) {
      if (strstr(err->msg, needle) == NULL)
        printf("# bad/%s\n#   wanted: %s\n#   got:    %s\n", de->d_name, needle, err->msg);
      CHECK_CONTAINS(err->msg, needle);
    }
    ocirun_error_free(&err);
    spec_free(s);
    bad++;
  }
  if (d)
    closedir(d);
  printf("# reference configs: %d good, %d bad\n", good, bad);
  CHECK(good > 0 && bad > 0);
}

/* ---- exact messages ---- */

static void test_exact_messages(void) {
  expect_exact(PROC("\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"soft\":1,\"hard\":1},"
                    "{\"type\":\"RLIMIT_NOFILE\",\"soft\":1,\"hard\":\"abc\"}]"),
               "config.json: .process.rlimits[1].hard: expected an unsigned integer, got string "
               "\"abc\"");
  expect_exact(PROC("\"user\":{\"uid\":4294967296}"),
               "config.json: .process.user.uid: expected an integer from 0 to 4294967294, got "
               "number 4294967296");
  /* (uid_t)-1 means "unchanged" to setresuid: it would leave the process root */
  expect_exact(PROC("\"user\":{\"uid\":4294967295}"),
               "config.json: .process.user.uid: expected an integer from 0 to 4294967294, got "
               "number 4294967295");
  expect_exact(PROC("\"user\":{\"gid\":-1}"),
               "config.json: .process.user.gid: expected an unsigned integer, got number -1");
  expect_exact(LINUX("\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"pid\"}]"),
               "config.json: .linux.namespaces[1].type: duplicate namespace type \"pid\"");
  expect_exact("{\"ociVersion\":\"1.0.0\"}", "config.json: .root: required");
  expect_exact("{\"root\":{\"path\":\"r\"}}", "config.json: .ociVersion: required");
  expect_exact("[]", "config.json: .: expected an object, got array");
  expect_exact(LINUX("\"sysctl\":{\"net.ipv4.ip_forward\":1}"),
               "config.json: .linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string, got "
               "number 1");
  expect_exact(PROC("\"rlimits\":[{\"type\":\"RLIMIT_FOO\",\"soft\":1,\"hard\":1}]"),
               "config.json: .process.rlimits[0].type: expected an rlimit type (RLIMIT_NOFILE, "
               "RLIMIT_CORE, ...), got string \"RLIMIT_FOO\"");
  expect_exact(LINUX("\"rootfsPropagation\":\"weird\""),
               "config.json: .linux.rootfsPropagation: expected one of \"private\", \"shared\", "
               "\"slave\", \"unbindable\", \"rprivate\", \"rshared\", \"rslave\", "
               "\"runbindable\", got string \"weird\"");
}

/* ---- malformed documents: the error must name this path ---- */

static const struct {
  const char *json;
  const char *needle;
} bad_table[] = {
    /* wrong types at every level */
    {"{" BASE ",\"process\":[]}", "config.json: .process: expected an object, got array"},
    {"{\"ociVersion\":1,\"root\":{\"path\":\"r\"}}",
     ".ociVersion: expected a string, got number 1"},
    {"{\"ociVersion\":\"1\",\"root\":\"r\"}", ".root: expected an object, got string \"r\""},
    {"{\"ociVersion\":\"1\",\"root\":{\"path\":true}}",
     ".root.path: expected a string, got boolean true"},
    {"{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\",\"readonly\":\"yes\"}}",
     ".root.readonly: expected a boolean"},
    {"{" BASE ",\"mounts\":{}}", ".mounts: expected an array, got object"},
    {"{" BASE ",\"mounts\":[1]}", ".mounts[0]: expected an object, got number 1"},
    {"{" BASE ",\"mounts\":[{\"destination\":\"/a\"},{\"source\":\"x\"}]}",
     ".mounts[1].destination: required"},
    {"{" BASE ",\"mounts\":[{\"destination\":\"\"}]}", ".mounts[0].destination: must not be empty"},
    {"{" BASE ",\"mounts\":[{\"destination\":\"/a\",\"options\":[\"ro\",7]}]}",
     ".mounts[0].options[1]: expected a string, got number 7"},
    {"{" BASE
     ",\"mounts\":[{\"destination\":\"/a\",\"uidMappings\":[{\"containerID\":0,\"hostID\":0}]}]}",
     ".mounts[0].uidMappings[0].size: required"},
    {"{" BASE ",\"hostname\":[]}", ".hostname: expected a string, got array"},
    {"{" BASE ",\"annotations\":[]}", ".annotations: expected an object, got array"},
    {"{" BASE ",\"annotations\":{\"a.b\":{}}}",
     ".annotations[\"a.b\"]: expected a string, got object"},
    {"{" BASE ",\"hooks\":{\"prestart\":{}}}", ".hooks.prestart: expected an array, got object"},
    {"{" BASE ",\"hooks\":{\"poststop\":[{\"args\":[]}]}}", ".hooks.poststop[0].path: required"},
    {"{" BASE ",\"hooks\":{\"poststop\":[{\"path\":\"\"}]}}",
     ".hooks.poststop[0].path: must be an absolute path"},
    {"{" BASE ",\"hooks\":{\"poststart\":[{\"path\":\"/bin/true\",\"timeout\":0}]}}",
     ".hooks.poststart[0].timeout: expected an integer greater than 0, got number 0"},
    {"{" BASE ",\"process\":{\"args\":[\"sh\"]}}", ".process.cwd: required"},
    {"{" BASE ",\"process\":{\"cwd\":\"\",\"args\":[\"sh\"]}}",
     ".process.cwd: must be an absolute path"},
    {"{" BASE ",\"process\":{\"cwd\":\"rel\",\"args\":[\"sh\"]}}",
     ".process.cwd: must be an absolute path"},
    {"{" BASE ",\"process\":{\"cwd\":\"/\"}}", ".process.args: required"},
    {"{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[]}}", ".process.args: must not be empty"},
    {PROC("\"terminal\":1"), ".process.terminal: expected a boolean, got number 1"},
    {PROC("\"env\":\"A=1\""), ".process.env: expected an array, got string \"A=1\""},
    {PROC("\"consoleSize\":{\"height\":1}"), ".process.consoleSize.width: required"},
    {PROC("\"user\":{\"additionalGids\":[1,-2]}"),
     ".process.user.additionalGids[1]: expected an unsigned integer, got number -2"},
    {PROC("\"user\":{\"umask\":1.5}"),
     ".process.user.umask: expected an unsigned integer, got number 1.5"},
    {PROC("\"capabilities\":{\"bounding\":[null]}"),
     ".process.capabilities.bounding[0]: expected a string, got null"},
    {PROC("\"oomScoreAdj\":2147483648"), ".process.oomScoreAdj: expected an integer from "
                                         "-2147483648 to 2147483647, got number 2147483648"},
    {PROC("\"oomScoreAdj\":-2147483649"),
     ".process.oomScoreAdj: expected an integer from -2147483648 to 2147483647"},
    {PROC("\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1,\"hard\":1},{\"type\":\"RLIMIT_"
          "NOFILE\",\"soft\":1,\"hard\":1}]"),
     ".process.rlimits[1].type: duplicate rlimit type \"RLIMIT_NOFILE\""},
    {PROC("\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1}]"),
     ".process.rlimits[0].soft: required"},
    {PROC("\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1,\"hard\":18446744073709551616}]"),
     ".process.rlimits[0].hard: expected an integer from 0 to 18446744073709551615, got number "
     "18446744073709551616"},
    {PROC("\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":-18446744073709551616,\"hard\":1}]"),
     ".process.rlimits[0].soft: expected an unsigned integer, got number -18446744073709551616"},
    {PROC("\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1e400,\"hard\":1}]"),
     "config.json: invalid JSON at line 1"},
    {PROC("\"scheduler\":{\"nice\":1}"), ".process.scheduler.policy: required"},
    {PROC("\"scheduler\":{\"policy\":\"SCHED_FOO\"}"),
     ".process.scheduler.policy: expected a scheduler policy"},
    {PROC("\"scheduler\":{\"policy\":\"SCHED_RR\",\"flags\":[\"SCHED_FLAG_X\"]}"),
     ".process.scheduler.flags[0]: expected a scheduler flag"},
    {PROC("\"ioPriority\":{\"class\":\"IOPRIO_CLASS_X\"}"),
     ".process.ioPriority.class: expected one of \"IOPRIO_CLASS_RT\""},
    {PROC("\"execCPUAffinity\":{\"initial\":\"0-3;x\"}"),
     ".process.execCPUAffinity.initial: expected a CPU list"},
    {"{" BASE ",\"hostname\":99999999999999999999}",
     ".hostname: expected a string, got number 99999999999999999999"},
    /* linux */
    {LINUX("\"namespaces\":{}"), ".linux.namespaces: expected an array, got object"},
    {LINUX("\"namespaces\":[{\"type\":\"pidd\"}]"),
     ".linux.namespaces[0].type: expected one of \"pid\", \"network\""},
    {LINUX("\"namespaces\":[{\"path\":\"/proc/1/ns/pid\"}]"),
     ".linux.namespaces[0].type: required"},
    {LINUX("\"namespaces\":[{\"type\":\"net\"}]"), ".linux.namespaces[0].type: expected one of"},
    {LINUX("\"uidMappings\":[{\"containerID\":0,\"hostID\":4294967296,\"size\":1}]"),
     ".linux.uidMappings[0].hostID: expected an integer from 0 to 4294967295"},
    {LINUX("\"devices\":[{\"type\":\"x\",\"path\":\"/dev/x\"}]"),
     ".linux.devices[0].type: expected one of \"c\", \"b\", \"u\", \"p\", got string \"x\""},
    {LINUX("\"devices\":[{\"type\":\"c\"}]"), ".linux.devices[0].path: required"},
    {LINUX("\"devices\":[{\"type\":\"c\",\"path\":\"/dev/x\",\"major\":\"1\"}]"),
     ".linux.devices[0].major: expected an integer, got string \"1\""},
    {LINUX("\"timeOffsets\":{\"realtime\":{\"secs\":1}},\"namespaces\":[{\"type\":\"time\"}]"),
     ".linux.timeOffsets.realtime: unknown clock"},
    {LINUX("\"timeOffsets\":{\"boottime\":{\"secs\":1}}"),
     ".linux.timeOffsets: time offsets specified, but no time namespace"},
    {LINUX("\"sysctl\":{\"kernel.shmmax\":\"1\"}"),
     ".linux.sysctl[\"kernel.shmmax\"]: sysctl requires a new or joined ipc namespace"},
    {LINUX("\"sysctl\":{\"vm.swappiness\":\"1\"},\"namespaces\":[{\"type\":\"ipc\"}]"),
     ".linux.sysctl[\"vm.swappiness\"]: sysctl is not in a separate kernel namespace"},
    {LINUX("\"namespaces\":[{\"type\":\"user\"}]"),
     ".linux.namespaces: user namespace enabled, but no uidMappings"},
    {LINUX("\"gidMappings\":[{\"containerID\":0,\"hostID\":0,\"size\":1}]"),
     ".linux.gidMappings: user namespace mappings specified, but no user namespace"},
    {"{" BASE ",\"hostname\":\"h\"}",
     ".hostname: unable to set hostname without a private UTS namespace"},
    {LINUX("\"maskedPaths\":\"/proc\""), ".linux.maskedPaths: expected an array"},
    {LINUX("\"cgroupsPath\":{}"), ".linux.cgroupsPath: expected a string, got object"},
    {LINUX("\"resources\":[]"), ".linux.resources: expected an object, got array"},
    {LINUX("\"resources\":{\"memory\":{\"limit\":\"1G\"}}"),
     ".linux.resources.memory.limit: expected an integer, got string \"1G\""},
    {LINUX("\"resources\":{\"memory\":{\"swappiness\":-1}}"),
     ".linux.resources.memory.swappiness: expected an unsigned integer, got number -1"},
    {LINUX("\"resources\":{\"cpu\":{\"shares\":-5}}"),
     ".linux.resources.cpu.shares: expected an unsigned integer"},
    {LINUX("\"resources\":{\"cpu\":{\"quota\":9223372036854775808}}"),
     ".linux.resources.cpu.quota: expected an integer from -9223372036854775808 to "
     "9223372036854775807, got number 9223372036854775808"},
    {LINUX("\"resources\":{\"pids\":{\"limit\":true}}"),
     ".linux.resources.pids.limit: expected an integer, got boolean true"},
    {LINUX("\"resources\":{\"blockIO\":{\"weight\":65536}}"),
     ".linux.resources.blockIO.weight: expected an integer from 0 to 65535, got number 65536"},
    {LINUX("\"resources\":{\"blockIO\":{\"weightDevice\":[{\"major\":8,\"minor\":0,\"leafWeight\":-"
           "1}]}}"),
     ".linux.resources.blockIO.weightDevice[0].leafWeight: expected an unsigned integer"},
    {LINUX("\"resources\":{\"blockIO\":{\"throttleReadBpsDevice\":[{\"minor\":0,\"rate\":1}]}}"),
     ".linux.resources.blockIO.throttleReadBpsDevice[0].major: required"},
    {LINUX("\"resources\":{\"devices\":[{\"access\":\"rwm\"}]}"),
     ".linux.resources.devices[0].allow: required"},
    {LINUX("\"resources\":{\"devices\":[{\"allow\":true,\"type\":\"z\"}]}"),
     ".linux.resources.devices[0].type: expected one of \"a\", \"b\", \"c\""},
    {LINUX("\"resources\":{\"devices\":[{\"allow\":true,\"access\":\"rwx\"}]}"),
     ".linux.resources.devices[0].access: expected an access string"},
    {LINUX("\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"xyz\"}]}"),
     ".linux.resources.devices[0].access: expected an access string"},
    {LINUX("\"resources\":{\"hugepageLimits\":[{\"pageSize\":\"2MB\"}]}"),
     ".linux.resources.hugepageLimits[0].limit: required"},
    {LINUX("\"resources\":{\"hugepageLimits\":[{\"pageSize\":\"02MB\",\"limit\":1}]}"),
     ".linux.resources.hugepageLimits[0].pageSize: expected a page size"},
    {LINUX("\"resources\":{\"network\":{\"priorities\":[{\"name\":\"eth0\"}]}}"),
     ".linux.resources.network.priorities[0].priority: required"},
    {LINUX("\"resources\":{\"unified\":{\"memory.max\":1}}"),
     ".linux.resources.unified[\"memory.max\"]: expected a string"},
    {LINUX("\"seccomp\":{}"), ".linux.seccomp.defaultAction: required"},
    {LINUX("\"seccomp\":{\"defaultAction\":\"SCMP_ACT_NOPE\"}"),
     ".linux.seccomp.defaultAction: expected a seccomp action (SCMP_ACT_...), got string "
     "\"SCMP_ACT_NOPE\""},
    {LINUX("\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"x86\"]}"),
     ".linux.seccomp.architectures[0]: expected an architecture"},
    {LINUX("\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"TSYNC\"]}"),
     ".linux.seccomp.flags[0]: expected a filter flag"},
    {LINUX("\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
           "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"EQ\"}]}]}"),
     ".linux.seccomp.syscalls[0].args[0].op: expected a seccomp operator"},
    {LINUX("\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"]}]"
           "}"),
     ".linux.seccomp.syscalls[0].action: required"},
    {LINUX("\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
           "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":-1}]}"),
     ".linux.seccomp.syscalls[0].errnoRet: expected an unsigned integer"},
    {LINUX("\"intelRdt\":{\"memBwSchema\":\"L3:0=1\"}"),
     ".linux.intelRdt.memBwSchema: expected a memory bandwidth schema"},
    {LINUX("\"personality\":{\"domain\":\"LINUX64\"}"),
     ".linux.personality.domain: expected one of \"LINUX\", \"LINUX32\""},
    {LINUX("\"memoryPolicy\":{\"mode\":\"MPOL_X\"}"),
     ".linux.memoryPolicy.mode: invalid memory policy mode \"MPOL_X\""},
    {LINUX("\"netDevices\":{\"eth0\":[]}"),
     ".linux.netDevices.eth0: expected an object, got array"},
    /* syntax */
    {"", "config.json: invalid JSON at line 1, column 0"},
    {"{\"ociVersion\":\"1.0.0\",\n\"root\":{\"path\":\"r\"},,}",
     "config.json: invalid JSON at line 2, column 21"},
    {"{" BASE ",\"hostname\":\"a\\u0000b\"}", "config.json: invalid JSON at line 1"},
    {"{" BASE ",\"hostname\":\"\xff\"}", "config.json: invalid JSON at line 1"},
    {"{" BASE "} trailing", "config.json: invalid JSON at line 1"},
};

static void test_bad_table(void) {
  for (size_t i = 0; i < sizeof(bad_table) / sizeof(bad_table[0]); i++)
    expect_error(bad_table[i].json, bad_table[i].needle);
}

static void test_raw_nul(void) {
  static const char doc[] = "{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"r\0s\"}}";
  char *msg = parse_error(doc, sizeof(doc) - 1, NULL);
  CHECK(msg != NULL);
  CHECK_CONTAINS(msg, "config.json: invalid JSON");
  free(msg);
}

static void test_deep_nesting(void) {
  size_t n = 100000;
  char *doc = malloc(n * 2 + 64);
  strcpy(doc, "{\"x\":");
  memset(doc + 5, '[', n);
  doc[5 + n] = '\0';
  char *msg = parse_error(doc, strlen(doc), NULL);
  CHECK(msg != NULL);
  CHECK_CONTAINS(msg, "invalid JSON");
  free(msg);
  /* balanced, within an unknown key: still refused past jansson's depth limit */
  size_t k = 5000;
  char *p = doc + 5;
  memset(p, '[', k);
  memset(p + k, ']', k);
  strcpy(p + 2 * k, ",\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"}}");
  msg = parse_error(doc, strlen(doc), NULL);
  CHECK(msg != NULL);
  CHECK_CONTAINS(msg, "maximum parsing depth");
  free(msg);
  free(doc);
}

/* ---- things that must parse, and what they must give ---- */

static void test_values(void) {
  struct spec *s = NULL;
  const char *doc =
      "{" BASE ",\"annotations\":{\"z\":\"1\",\"a\":\"2\",\"m\":\"3\"},"
      "\"hostname\":\"first\",\"hostname\":\"last\",\"unknownKey\":{\"deep\":[1,2,3]},"
      "\"process\":{\"cwd\":\"/\",\"args\":[\"sh\",\"-c\",\"true\"],\"user\":{\"uid\":4294967294,"
      "\"gid\":null,\"additionalGids\":[5,6]},\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\","
      "\"soft\":1024,\"hard\":18446744073709551615}],\"oomScoreAdj\":-1000,"
      "\"terminal\":null},"
      "\"linux\":{\"namespaces\":[{\"type\":\"uts\"},{\"type\":\"network\",\"path\":\"\"}],"
      "\"rootfsPropagation\":\"\",\"resources\":{\"memory\":{\"limit\":-1,\"swap\":"
      "9223372036854775807},\"cpu\":{\"quota\":-9223372036854775808},\"devices\":[{\"allow\":"
      "false},{\"allow\":false,\"type\":\"c\",\"major\":1,\"minor\":11,\"access\":\"rwa\"}]},"
      "\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":"
      "[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":"
      "18446744073709551615,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}}}";
  char *msg = parse_error(doc, strlen(doc), &s);
  if (msg)
    printf("# %s\n", msg);
  CHECK(msg == NULL);
  free(msg);
  if (s == NULL)
    return;
  CHECK(s->annotations.len == 3);
  /* a deny rule's letters beyond r, w, m are dropped (runc tolerates them there) */
  CHECK(s->linux_.resources.devices_len == 2 &&
        strcmp(s->linux_.resources.devices[1].access, "rw") == 0);
  CHECK_STR_EQ(s->annotations.items[0].key, "z");
  CHECK_STR_EQ(s->annotations.items[2].key, "m");
  CHECK_STR_EQ(spec_annotation(s, "a"), "2");
  CHECK(spec_annotation(s, "b") == NULL);
  CHECK_STR_EQ(s->hostname, "last");
  CHECK(s->process.present && !s->process.terminal);
  CHECK(s->process.args.len == 3 && s->process.args.items[3] == NULL);
  CHECK(s->process.user.uid == 4294967294u && s->process.user.gid == 0);
  CHECK(s->process.user.additional_gids_len == 2 && s->process.user.additional_gids[1] == 6);
  CHECK(s->process.rlimits_len == 1 && s->process.rlimits[0].resource == RLIMIT_NOFILE);
  CHECK(s->process.rlimits[0].hard == UINT64_MAX && s->process.rlimits[0].soft == 1024);
  CHECK(s->process.has_oom_score_adj && s->process.oom_score_adj == -1000);
  CHECK(s->linux_.namespaces_len == 2);
  CHECK(spec_find_namespace(s, SPEC_NS_NETWORK) && !spec_find_namespace(s, SPEC_NS_NETWORK)->path);
  CHECK(spec_find_namespace(s, SPEC_NS_PID) == NULL);
  CHECK(s->linux_.rootfs_propagation == NULL);
  CHECK(s->linux_.resources.memory.has_limit && s->linux_.resources.memory.limit == -1);
  CHECK(!s->linux_.resources.memory.has_reservation);
  CHECK(s->linux_.resources.memory.swap == INT64_MAX);
  CHECK(s->linux_.resources.cpu.quota == INT64_MIN);
  CHECK(s->linux_.resources.devices_len == 2 && s->linux_.resources.devices[0].type == 'a' &&
        s->linux_.resources.devices[0].major == -1 && !s->linux_.resources.devices[0].access);
  CHECK(s->linux_.seccomp.present && s->linux_.seccomp.syscalls_len == 1);
  CHECK(s->linux_.seccomp.syscalls[0].args[0].value == UINT64_MAX);
  CHECK(s->linux_.seccomp.syscalls[0].args[0].has_value_two);
  spec_free(s);

  /* a string that looks like a rewritten big number is still a string */
  expect_error(PROC("\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1,"
                    "\"hard\":\"\\u001f0000000000000000:5\"}]"),
               ".process.rlimits[0].hard: expected an unsigned integer, got string");
  expect_ok(PROC("\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1,\"hard\":1}],"
                 "\"apparmorProfile\":\"\\u001f00:1\""));
  /* big numbers in unknown keys are ignored, and positions stay right after them */
  expect_ok("{" BASE ",\"x\":123456789012345678901234567890}");
  expect_error("{" BASE ",\"x\":123456789012345678901234567890,]", "invalid JSON at line 1");
  /* namespaces by name */
  enum spec_namespace_type t;
  CHECK(spec_namespace_from_name("cgroup", &t) == 0 && t == SPEC_NS_CGROUP);
  CHECK(spec_namespace_from_name("net", &t) < 0);
  CHECK_STR_EQ(spec_namespace_name(SPEC_NS_TIME), "time");
}

/* ---- sizes ---- */

static char *env_config(size_t entries, size_t entry_len, size_t *len) {
  size_t cap = entries * (entry_len + 32) + 256, n = 0;
  char *doc = malloc(cap);
  n += (size_t)sprintf(doc, "{" BASE ",\"process\":{\"cwd\":\"/\",\"args\":[\"sh\"],\"env\":[");
  for (size_t i = 0; i < entries; i++) {
    n += (size_t)sprintf(doc + n, "%s\"V%zu=", i ? "," : "", i);
    memset(doc + n, 'x', entry_len);
    n += entry_len;
    doc[n++] = '"';
  }
  n += (size_t)sprintf(doc + n, "]}}");
  *len = n;
  return doc;
}

/* Members naming one field in different case merge, as runc's decoder decodes each into the
 * same struct in turn (runc's update.bats adds "CPU" beside the "cpu" of its config). */
static void test_case_variants_merge(void) {
  struct spec *s = NULL;
  const char *doc = LINUX("\"resources\":{\"cpu\":{\"shares\":100,\"quota\":5000},"
                          "\"CPU\":{\"Cpus\":\"0\",\"quota\":7000},\"Cpu\":{\"mems\":\"1\"}}");
  char *msg = parse_error(doc, strlen(doc), &s);
  if (msg)
    printf("# %s\n", msg);
  CHECK(msg == NULL);
  free(msg);
  if (s == NULL)
    return;
  CHECK(s->linux_.resources.cpu.has_shares && s->linux_.resources.cpu.shares == 100);
  CHECK(s->linux_.resources.cpu.has_quota && s->linux_.resources.cpu.quota == 7000);
  CHECK_STR_EQ(s->linux_.resources.cpu.cpus, "0");
  CHECK_STR_EQ(s->linux_.resources.cpu.mems, "1");
  spec_free(s);
}

static void test_sizes(void) {
  size_t len;
  struct spec *s = NULL;
  char *doc = env_config(10000, 20, &len);
  char *msg = parse_error(doc, len, &s);
  CHECK(msg == NULL);
  CHECK(s && s->process.env.len == 10000);
  CHECK(s && strncmp(s->process.env.items[9999], "V9999=xx", 8) == 0);
  spec_free(s);
  free(msg);
  free(doc);

  struct timespec a, b;
  doc = env_config(100000, 100, &len); /* ~10.7 MB */
  CHECK(len > 10 * 1000 * 1000);
  clock_gettime(CLOCK_MONOTONIC, &a);
  s = NULL;
  msg = parse_error(doc, len, &s);
  clock_gettime(CLOCK_MONOTONIC, &b);
  double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
  printf("# %zu-byte config parsed in %.3f s\n", len, secs);
  CHECK(msg == NULL);
  CHECK(s && s->process.env.len == 100000);
  CHECK(secs < 20.0); /* generous: sanitizer and valgrind runs are slower */
  spec_free(s);
  free(msg);
  free(doc);
}

/* ---- process.json ---- */

static char *process_error(const char *json, struct spec_process *p) {
  ocirun_error_t *err = NULL;
  if (spec_process_parse("process.json", json, strlen(json), p, &err) == 0)
    return NULL;
  char *msg = strdup(err->msg);
  ocirun_error_free(&err);
  return msg;
}

static void test_process_json(void) {
  struct spec_process p;
  char *msg = process_error("{\"cwd\":\"/tmp\",\"args\":[\"ls\",\"-l\"],\"env\":[\"A=1\"],"
                            "\"terminal\":true,\"user\":{\"uid\":1000,\"gid\":1000},"
                            "\"capabilities\":{\"bounding\":[\"CAP_KILL\"]},"
                            "\"consoleSize\":{\"height\":24,\"width\":80}}",
                            &p);
  CHECK(msg == NULL);
  CHECK(p.present && p.terminal && p.user.uid == 1000);
  CHECK_STR_EQ(p.cwd, "/tmp");
  CHECK(p.args.len == 2 && p.env.len == 1);
  CHECK(p.capabilities.present && p.capabilities.bounding.len == 1);
  CHECK(p.has_console_size && p.console_width == 80);
  spec_process_clear(&p);
  free(msg);

  static const struct {
    const char *json, *want;
  } cases[] = {
      {"{\"cwd\":\"/\",\"args\":\"sh\"}",
       "process.json: .args: expected an array, got string \"sh\""},
      {"{\"args\":[\"sh\"]}", "process.json: .cwd: required"},
      {"{\"cwd\":\"/\",\"args\":[]}", "process.json: .args: must not be empty"},
      {"{\"cwd\":\"/\",\"args\":[\"sh\"],\"user\":{\"uid\":\"root\"}}",
       "process.json: .user.uid: expected an unsigned integer, got string \"root\""},
      {"[1]", "process.json: .: expected an object, got array"},
      {"{",
       "process.json: invalid JSON at line 1, column 1: string or '}' expected near end of file"},
      /* a key in another case is the key (runc's decoder), also in the error naming it */
      {"{\"cwd\":\"/\",\"args\":[\"sh\"],\"rlimits\":[{\"typE\":\"NOFILE\"}]}",
       "process.json: .rlimits[0].type: expected an rlimit type (RLIMIT_NOFILE, RLIMIT_CORE, ...), "
       "got string \"NOFILE\""},
      {"{\"cwd\":\"/"
       "\",\"args\":[\"sh\"],\"scheduler\":{\"policy\":\"SCHED_OTHER\",\"Flags\":[\"X\"]}}",
       "process.json: .scheduler.flags[0]: "},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    msg = process_error(cases[i].json, &p);
    if (msg == NULL || strncmp(msg, cases[i].want, strlen(cases[i].want)) != 0)
      printf("# %s\n#   wanted: %s\n#   got:    %s\n", cases[i].json, cases[i].want,
             msg ? msg : "(success)");
    CHECK(msg != NULL && strncmp(msg, cases[i].want, strlen(cases[i].want)) == 0);
    free(msg);
  }
}

/* ---- "not supported" ---- */

static void expect_unsupported(const char *json, const char *want) {
  struct spec *s = NULL;
  ocirun_error_t *err = NULL;
  char *msg = parse_error(json, strlen(json), &s);
  CHECK(msg == NULL);
  free(msg);
  if (s == NULL)
    return;
  int r = spec_check_supported(s, &err);
  if (want == NULL) {
    CHECK(r == 0);
  } else {
    CHECK(r < 0);
    if (err && strncmp(err->msg, want, strlen(want)) != 0)
      printf("#   wanted: %s\n#   got:    %s\n", want, err->msg);
    CHECK(err && strncmp(err->msg, want, strlen(want)) == 0);
  }
  ocirun_error_free(&err);
  spec_free(s);
}

static void test_supported(void) {
  expect_unsupported("{" BASE "}", NULL);
  /* user namespaces and id-mapped mounts are applied: no longer in the table */
  expect_unsupported("{" BASE ",\"mounts\":[{\"destination\":\"/a\"},{\"destination\":\"/b\"},"
                     "{\"destination\":\"/c\"},{\"destination\":\"/d\",\"uidMappings\":["
                     "{\"containerID\":0,\"hostID\":1,\"size\":1}]}]}",
                     NULL);
  /* seccomp is applied: no longer in the table */
  expect_unsupported(LINUX("\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\"}"), NULL);
  expect_unsupported(LINUX("\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"user\"}],"
                           "\"uidMappings\":[{\"containerID\":0,\"hostID\":1,\"size\":1}]"),
                     NULL);
  /* applied by the runtime: no longer in the table */
  expect_unsupported(PROC("\"apparmorProfile\":\"p\""), NULL);
  expect_unsupported(PROC("\"selinuxLabel\":\"u:r:t:s0\""), NULL);
  expect_unsupported(LINUX("\"mountLabel\":\"x\""), NULL);
  expect_unsupported(LINUX("\"netDevices\":{\"eth0\":{}}"), NULL);
  expect_unsupported(LINUX("\"intelRdt\":{\"closID\":\"x\"}"), NULL);
  expect_unsupported(LINUX("\"resources\":{\"rdma\":{\"mlx\":{\"hcaHandles\":1}}}"), NULL);
  expect_unsupported(PROC("\"scheduler\":{\"policy\":\"SCHED_OTHER\"}"), NULL);
  expect_unsupported(LINUX("\"personality\":{\"domain\":\"LINUX\"}"), NULL);
  expect_unsupported(LINUX("\"memoryPolicy\":{\"mode\":\"MPOL_BIND\"}"), NULL);
}

/* ---- the template of `ocirun spec` ---- */

/* The namespace types of a parsed template, in order, as "pid,network,..." */
static void namespace_list(const struct spec *s, char *out, size_t size) {
  out[0] = '\0';
  for (size_t i = 0; i < s->linux_.namespaces_len; i++) {
    size_t n = strlen(out);
    snprintf(out + n, size - n, "%s%s", i ? "," : "",
             spec_namespace_name(s->linux_.namespaces[i].type));
  }
}

static struct spec *template_for(bool rootless, uid_t uid, gid_t gid, bool cgroup2) {
  const struct spec_template_host host = {.uid = uid, .gid = gid, .cgroup2_unified = cgroup2};
  ocirun_error_t *err = NULL;
  struct spec *s = NULL;
  char *text = NULL;

  CHECK(spec_template(rootless, &host, &text, &err) == 0);
  CHECK(text && parse_error(text, strlen(text), &s) == NULL);
  if (!rootless)
    CHECK(text && strstr(text, "\n\t\"process\": {\n\t\t\"terminal\": true") != NULL);
  free(text);
  return s;
}

static void test_template(void) {
  ocirun_error_t *err = NULL;
  struct spec *s;
  char ns[128];

  /* runc's namespaces on each host kind: a cgroup namespace only on pure v2, the user
   * namespace last when rootless */
  static const struct {
    bool rootless, cgroup2;
    const char *namespaces;
  } kinds[] = {{false, false, "pid,network,ipc,uts,mount"},
               {false, true, "pid,network,ipc,uts,mount,cgroup"},
               {true, false, "pid,ipc,uts,mount,user"},
               {true, true, "pid,ipc,uts,mount,cgroup,user"}};
  for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
    s = template_for(kinds[i].rootless, 1000, 1001, kinds[i].cgroup2);
    CHECK(s != NULL);
    if (s == NULL)
      continue;
    namespace_list(s, ns, sizeof(ns));
    CHECK(strcmp(ns, kinds[i].namespaces) == 0);
    CHECK(s->process.terminal && s->process.no_new_privileges);
    CHECK(s->mounts_len == 7 && s->root.readonly);
    if (kinds[i].rootless) {
      CHECK(s->linux_.uid_mappings_len == 1 && s->linux_.uid_mappings[0].host_id == 1000);
      CHECK(s->linux_.gid_mappings_len == 1 && s->linux_.gid_mappings[0].host_id == 1001);
      CHECK(!s->linux_.resources.present);
    } else {
      CHECK(s->linux_.resources.devices_len == 1 && !s->linux_.resources.devices[0].allow);
      CHECK(spec_check_supported(s, &err) == 0);
      ocirun_error_free(&err);
    }
    spec_free(s);
  }

  char dir[] = "/tmp/ocirun-spec-XXXXXX", path[64];
  CHECK(mkdtemp(dir) != NULL);
  CHECK(spec_write_template(dir, false, &err) == 0);
  CHECK(spec_write_template(dir, false, &err) < 0);
  CHECK(err && strcmp(err->msg, "File config.json exists. Remove it first") == 0);
  ocirun_error_free(&err);
  snprintf(path, sizeof(path), "%s/config.json", dir);
  s = NULL;
  CHECK(spec_load_file(path, &s, &err) == 0);
  /* the file follows this host: a cgroup namespace exactly when it is pure v2 */
  struct spec_template_host here;
  spec_template_probe_host(&here);
  CHECK(s && (spec_find_namespace(s, SPEC_NS_CGROUP) != NULL) == here.cgroup2_unified);
  spec_free(s);
  unlink(path);
  rmdir(dir);
  CHECK(spec_load_file("/nonexistent/config.json", &s, &err) < 0);
  CHECK(err && err->status == ENOENT);
  ocirun_error_free(&err);
}

/* update's resources: parsed with JSON paths, merged into a stored config without touching
 * the rest of it (a uint64 beyond int64 in either survives as a number). */
static void test_resources_update(void) {
  static const char cfg[] = "{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\","
                            "\"hard\":18446744073709551615,\"soft\":1024}]},"
                            "\"linux\":{\"resources\":{\"pids\":{\"limit\":20},"
                            "\"memory\":{\"limit\":1048576,\"swappiness\":10}}}}";
  static const char upd[] = "{\"memory\":{\"limit\":2097152},"
                            "\"cpu\":{\"shares\":18446744073709551615,\"cpus\":\"0\"},"
                            "\"blockIO\":{\"weightDevice\":[{\"major\":8,\"minor\":0,"
                            "\"weight\":300}]}}";
  struct spec_resources r;
  ocirun_error_t *err = NULL;
  char *out = NULL;

  CHECK(spec_resources_parse("r.json", "{\"memory\":{\"limit\":\"x\"}}", 24, &r, &err) < 0);
  CHECK(err && strstr(err->msg, "r.json: .memory.limit") != NULL);
  ocirun_error_free(&err);
  CHECK(spec_resources_parse("r.json", upd, strlen(upd), &r, &err) == 0);
  CHECK(r.memory.has_limit && r.memory.limit == 2097152 && !r.has_pids_limit);
  CHECK(r.cpu.has_shares && r.cpu.shares == UINT64_MAX);
  CHECK(spec_resources_merge("config.json", cfg, strlen(cfg), &r, &out, &err) == 0);
  CHECK(out && strstr(out, "\"hard\":18446744073709551615") != NULL);
  CHECK(out && strstr(out, "\"shares\":18446744073709551615") != NULL);
  CHECK(out && strstr(out, "\"limit\":2097152") != NULL);
  CHECK(out && strstr(out, "\"swappiness\":10") != NULL);
  CHECK(out && strstr(out, "\"pids\":{\"limit\":20}") != NULL);
  CHECK(out && strstr(out, "\"cpus\":\"0\"") != NULL);
  CHECK(out && strstr(out, "\"weightDevice\":[{\"major\":8,\"minor\":0,\"weight\":300}]") != NULL);
  free(out);
  spec_resources_clear(&r);
}

int main(void) {
  test_case_variants_merge();
  test_reference();
  test_exact_messages();
  test_bad_table();
  test_raw_nul();
  test_deep_nesting();
  test_values();
  test_sizes();
  test_process_json();
  test_resources_update();
  test_supported();
  test_template();
  return unit_done();
}
