/* cgroup drivers: path rules, conversions, systemd properties, the v2 driver
 * on a fake tree, and (as root) real v1 and v2 hierarchies.
 * `unit-cgroup --v2-only [ROOT]` runs only the real cgroup v2 part against
 * ROOT (default: the cgroup2 mount), e.g. inside a pure v2 guest. */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "cgroup/cgroup_convert.h"
#include "cgroup/cgroup_devices_bpf.h"
#include "cgroup/cgroup_paths.h"
#include "cgroup/cgroup_stats.h"
#include "cgroup/cgroup_systemd.h"
#include "cgroup/cgroup_units.h"
#include "dbus/dbus.h"
#include "unit.h"

static const char *emsg(const ocirun_error_t *e) {
  return e && e->msg ? e->msg : "";
}

static char *slurp(const char *dir, const char *file) {
  char path[8400], *buf = calloc(1, 65536);
  snprintf(path, sizeof(path), "%s/%s", dir, file);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || buf == NULL) {
    free(buf);
    if (fd >= 0)
      close(fd);
    return NULL;
  }
  ssize_t n = read(fd, buf, 65535);
  close(fd);
  if (n < 0)
    n = 0;
  buf[n] = '\0';
  if (n > 0 && buf[n - 1] == '\n')
    buf[n - 1] = '\0';
  return buf;
}

#define CHECK_FILE(dir, file, want)                                                                \
  do {                                                                                             \
    char *got_ = slurp(dir, file);                                                                 \
    CHECK_STR_EQ(got_, want);                                                                      \
    if (got_ == NULL || strcmp(got_, want) != 0)                                                   \
      printf("# %s/%s: got \"%s\", want \"%s\"\n", dir, file, got_ ? got_ : "(null)", want);       \
    free(got_);                                                                                    \
  } while (0)

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static void test_paths(void) {
  char *s;
#define CLEAN(in, out)                                                                             \
  s = cgroup_clean_path(in);                                                                       \
  CHECK_STR_EQ(s, out);                                                                            \
  free(s)
  CLEAN("/a//b/../c/.", "/a/c");
  CLEAN("../../x", "x");
  CLEAN("/../..", "/");
  CLEAN("a/./b/", "a/b");
  CLEAN("", "");
#define REL(path, id, own, root, v2, out)                                                          \
  s = cgroup_compute_rel_mode(path, id, own, root, v2);                                            \
  CHECK_STR_EQ(s, out);                                                                            \
  free(s)
  /* default: a child of the caller's own cgroup, named like the container */
  REL(NULL, "c1", "/process_api/abc", "/", false, "/process_api/abc/c1");
  REL("", "c1", "/", "/", false, "/c1");
  /* absolute: from the hierarchy root */
  REL("/a/b", "c1", "/process_api/abc", "/", false, "/a/b");
  REL("/a/../../b", "c1", "/x", "/", false, "/b");
  /* relative: below the own cgroup; ".." cannot climb out */
  REL("a/b", "c1", "/x", "/", false, "/x/a/b");
  REL("../../a", "c1", "/x", "/", false, "/x/a");
  /* a mount whose root is not the hierarchy root (cgroup namespace, bind) */
  REL("d", "c1", "/lxc/c/sub", "/lxc/c", false, "/sub/d");
  /* v2: relative paths start at the parent of the own cgroup */
  REL("foo", "c1", "/user.slice/session-1.scope", "/", true, "/user.slice/foo");
  REL(NULL, "c1", "/", "/", true, "/c1");
  REL("/abs", "c1", "/user.slice/s.scope", "/", true, "/abs");
  s = cgroup_compute_rel("x", "c", "/o", "/");
  CHECK_STR_EQ(s, "/o/x");
  free(s);
}

static void test_mountinfo(void) {
  const char *mi =
      "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
      "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup "
      "rw,cpu,cpuacct\n"
      "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
      "36 31 0:33 /lxc/c /sys/fs/cgroup/my\\040pids rw - cgroup cgroup rw,pids,clone_children\n"
      "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup "
      "rw,xattr,release_agent=/x,name=systemd\n"
      "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n"
      "42 31 0:35 / /other rw - cgroup cgroup rw,name=foo\n"
      "43 31 0:35 / /again/memory rw - cgroup cgroup rw,memory\n";
  struct cgroup_mount *m = NULL;
  size_t n = 0;
  CHECK(cgroup_mounts_parse(mi, &m, &n) == 0);
  CHECK(n == 5);
  if (n == 5) {
    CHECK_STR_EQ(m[0].controllers, "cpu,cpuacct");
    CHECK_STR_EQ(m[0].mountpoint, "/sys/fs/cgroup/cpu,cpuacct");
    CHECK_STR_EQ(m[1].controllers, "memory");
    CHECK_STR_EQ(m[2].controllers, "pids");
    CHECK_STR_EQ(m[2].mountpoint, "/sys/fs/cgroup/my pids");
    CHECK_STR_EQ(m[2].root, "/lxc/c");
    CHECK_STR_EQ(m[3].controllers, "name=systemd");
    CHECK(m[4].v2);
    CHECK_STR_EQ(m[4].mountpoint, "/sys/fs/cgroup/unified");
  }
  cgroup_mounts_free(m, n);

  const char *self = "12:cpuacct,cpu:/a\n4:memory:/process_api/h\n1:name=systemd:/s\n0::/u\n";
  char *o = cgroup_own_path(self, "cpu,cpuacct", false);
  CHECK_STR_EQ(o, "/a");
  free(o);
  o = cgroup_own_path(self, "memory", false);
  CHECK_STR_EQ(o, "/process_api/h");
  free(o);
  o = cgroup_own_path(self, "name=systemd", false);
  CHECK_STR_EQ(o, "/s");
  free(o);
  o = cgroup_own_path(self, "", true);
  CHECK_STR_EQ(o, "/u");
  free(o);
  o = cgroup_own_path(self, "pids", false);
  CHECK_STR_EQ(o, "/");
  free(o);
}

static void test_convert(void) {
  char buf[48];
  int64_t v = 0;
  ocirun_error_t *err = NULL;
  CHECK(cgroup_convert_shares_to_weight(0) == 0);
  CHECK(cgroup_convert_shares_to_weight(2) == 1);
  /* runc's quadratic curve: the default shares give the default weight */
  CHECK(cgroup_convert_shares_to_weight(1024) == 100);
  CHECK(cgroup_convert_shares_to_weight(3) == 2);
  CHECK(cgroup_convert_shares_to_weight(100) == 17);
  CHECK(cgroup_convert_shares_to_weight(200) == 29);
  CHECK(cgroup_convert_shares_to_weight(3333) == 256);
  CHECK(cgroup_convert_shares_to_weight(262143) == 10000);
  CHECK(cgroup_convert_shares_to_weight(262144) == 10000);
  CHECK(cgroup_convert_shares_to_weight(1u << 30) == 10000);
  CHECK(cgroup_convert_blkio_to_io_weight(0) == 0);
  CHECK(cgroup_convert_blkio_to_io_weight(10) == 1);
  CHECK(cgroup_convert_blkio_to_io_weight(500) == 4950);
  CHECK(cgroup_convert_blkio_to_io_weight(1000) == 10000);
  CHECK(cgroup_convert_swap_v2(0, -1, &v, &err) == 0 && v == -1);
  CHECK(cgroup_convert_swap_v2(-1, 100, &v, &err) == 0 && v == -1);
  CHECK(cgroup_convert_swap_v2(0, 100, &v, &err) == 0 && v == 0);
  CHECK(cgroup_convert_swap_v2(300, 100, &v, &err) == 0 && v == 200);
  CHECK(cgroup_convert_swap_v2(100, 100, &v, &err) == 0 && v == 0);
  CHECK(cgroup_convert_swap_v2(50, 100, &v, &err) < 0);
  CHECK_CONTAINS(emsg(err), "should be >= memory limit");
  ocirun_error_free(&err);
  CHECK(cgroup_convert_swap_v2(200, 0, &v, &err) < 0);
  CHECK_CONTAINS(emsg(err), "without memory limit");
  ocirun_error_free(&err);
  CHECK_STR_EQ(cgroup_convert_num(-1, buf), "max");
  CHECK_STR_EQ(cgroup_convert_num(0, buf), "");
  CHECK_STR_EQ(cgroup_convert_num(42, buf), "42");
  CHECK(cgroup_convert_cpu_max(0, 0, buf) == NULL);
  CHECK_STR_EQ(cgroup_convert_cpu_max(50000, 100000, buf), "50000 100000");
  CHECK_STR_EQ(cgroup_convert_cpu_max(-1, 0, buf), "max");
  CHECK_STR_EQ(cgroup_convert_cpu_max(0, 20000, buf), "max 20000");
  CHECK_STR_EQ(cgroup_convert_cpu_max(7000, 0, buf), "7000");
}

static void test_units(void) {
  int64_t v = 0;
  ocirun_error_t *err = NULL;
  CHECK(units_parse_duration("5s", &v, NULL) == 0 && v == 5000000000LL);
  CHECK(units_parse_duration("100ms", &v, NULL) == 0 && v == 100000000LL);
  CHECK(units_parse_duration("1m30s", &v, NULL) == 0 && v == 90000000000LL);
  CHECK(units_parse_duration("1.5h", &v, NULL) == 0 && v == 5400000000000LL);
  CHECK(units_parse_duration("-2us", &v, NULL) == 0 && v == -2000);
  CHECK(units_parse_duration("3\xc2\xb5s", &v, NULL) == 0 && v == 3000);
  CHECK(units_parse_duration("0", &v, NULL) == 0 && v == 0);
  CHECK(units_parse_duration(".5s", &v, NULL) == 0 && v == 500000000LL);
  CHECK(units_parse_duration("", &v, &err) < 0);
  CHECK_CONTAINS(emsg(err), "time: invalid duration \"\"");
  ocirun_error_free(&err);
  CHECK(units_parse_duration("5", &v, &err) < 0);
  CHECK_CONTAINS(emsg(err), "missing unit");
  ocirun_error_free(&err);
  CHECK(units_parse_duration("5x", &v, &err) < 0);
  ocirun_error_free(&err);
  CHECK(units_parse_duration("s", &v, &err) < 0);
  ocirun_error_free(&err);
  CHECK(units_parse_duration("9999999999h", &v, &err) < 0);
  ocirun_error_free(&err);
  CHECK(units_parse_ram_bytes("1024", &v, NULL) == 0 && v == 1024);
  CHECK(units_parse_ram_bytes("100M", &v, NULL) == 0 && v == 100LL << 20);
  CHECK(units_parse_ram_bytes("1.5g", &v, NULL) == 0 && v == 3LL << 29);
  CHECK(units_parse_ram_bytes("64KiB", &v, NULL) == 0 && v == 64LL << 10);
  CHECK(units_parse_ram_bytes("2 GB", &v, NULL) == 0 && v == 2LL << 30);
  CHECK(units_parse_ram_bytes("10x", &v, &err) < 0);
  CHECK_CONTAINS(emsg(err), "invalid size: '10x'");
  ocirun_error_free(&err);
  CHECK(units_parse_ram_bytes("-5", &v, &err) < 0);
  ocirun_error_free(&err);
}

static const struct cgroup_systemd_prop *find_prop(const struct cgroup_systemd_props *p,
                                                   const char *name) {
  for (size_t i = 0; i < p->len; i++)
    if (strcmp(p->items[i].name, name) == 0)
      return &p->items[i];
  return NULL;
}

/* A user manager's placement: its ControlGroup from the Properties.Get reply, the unit's
 * directory below it. */
static void test_systemd_user_manager(void) {
  struct dbus_writer body = {0};
  struct dbus_message m = {.signature = "v"};
  ocirun_error_t *err = NULL;
  char *value = NULL, *dir;

  dbus_variant_begin(&body, "s");
  dbus_put_string(&body, "/system.slice/mgr.service");
  m.body = body.data;
  m.body_len = body.len;
  CHECK(cgroup_systemd_string_property(&m, &value, &err) == 0);
  CHECK_STR_EQ(value, "/system.slice/mgr.service");
  free(value);
  value = NULL;
  /* a truncated string */
  m.body_len = body.len - 3;
  CHECK(cgroup_systemd_string_property(&m, &value, &err) < 0);
  CHECK(err && err->status == EBADMSG && value == NULL);
  CHECK_CONTAINS(emsg(err), "bad string");
  ocirun_error_free(&err);
  dbus_writer_clear(&body);
  /* a variant of another type, a reply that is no variant */
  dbus_variant_begin(&body, "u");
  dbus_put_u32(&body, 7);
  m.body = body.data;
  m.body_len = body.len;
  CHECK(cgroup_systemd_string_property(&m, &value, &err) < 0);
  CHECK_CONTAINS(emsg(err), "the variant holds \"u\", not a string");
  ocirun_error_free(&err);
  m.signature = "s";
  CHECK(cgroup_systemd_string_property(&m, &value, &err) < 0);
  CHECK_CONTAINS(emsg(err), "holds \"s\", not a variant");
  ocirun_error_free(&err);
  m.signature = NULL;
  CHECK(cgroup_systemd_string_property(&m, &value, &err) < 0);
  ocirun_error_free(&err);
  dbus_writer_clear(&body);

  dir = cgroup_systemd_unit_dir("/user.slice/user-1000.slice/user@1000.service", "/user.slice",
                                "runc-a.scope");
  CHECK_STR_EQ(dir, "/user.slice/user-1000.slice/user@1000.service/user.slice/runc-a.scope");
  free(dir);
  dir = cgroup_systemd_unit_dir("/system.slice/mgr.service/", "/a.slice/a-b.slice", "x.scope");
  CHECK_STR_EQ(dir, "/system.slice/mgr.service/a.slice/a-b.slice/x.scope");
  free(dir);
  /* the root slice "-.slice", a manager at the root of its cgroup namespace */
  dir = cgroup_systemd_unit_dir("/", "", "runc-a.scope");
  CHECK_STR_EQ(dir, "/runc-a.scope");
  free(dir);
  dir = cgroup_systemd_unit_dir("", "/user.slice", "runc-a.scope");
  CHECK_STR_EQ(dir, "/user.slice/runc-a.scope");
  free(dir);
  /* relative: from the root; ".." stays below it */
  dir = cgroup_systemd_unit_dir("mgr.service", "/user.slice", "runc-a.scope");
  CHECK_STR_EQ(dir, "/mgr.service/user.slice/runc-a.scope");
  free(dir);
  dir = cgroup_systemd_unit_dir("/../../x", "/user.slice", "runc-a.scope");
  CHECK_STR_EQ(dir, "/x/user.slice/runc-a.scope");
  free(dir);
}

static void test_systemd(void) {
  char *slice = NULL, *unit = NULL, *exp = NULL;
  uint8_t *bits = NULL;
  size_t nbits = 0;
  ocirun_error_t *err = NULL;

  CHECK(cgroup_systemd_parse_path("machine.slice:docker:abc", "id", false, &slice, &unit, NULL) ==
        0);
  CHECK_STR_EQ(slice, "machine.slice");
  CHECK_STR_EQ(unit, "docker-abc.scope");
  free(slice), free(unit);
  CHECK(cgroup_systemd_parse_path(NULL, "id1", false, &slice, &unit, NULL) == 0);
  CHECK_STR_EQ(slice, "system.slice");
  CHECK_STR_EQ(unit, "runc-id1.scope");
  free(slice), free(unit);
  CHECK(cgroup_systemd_parse_path(":p:n", "id", false, &slice, &unit, NULL) == 0);
  CHECK_STR_EQ(slice, "system.slice");
  CHECK_STR_EQ(unit, "p-n.scope");
  free(slice), free(unit);
  CHECK(cgroup_systemd_parse_path(NULL, "id1", true, &slice, &unit, NULL) == 0);
  CHECK_STR_EQ(slice, "user.slice");
  CHECK_STR_EQ(unit, "runc-id1.scope");
  free(slice), free(unit);
  CHECK(cgroup_systemd_parse_path(":p:n", "id", true, &slice, &unit, NULL) == 0);
  CHECK_STR_EQ(slice, "user.slice");
  free(slice), free(unit);
  CHECK(cgroup_systemd_parse_path("a.slice::my.slice", "id", false, &slice, &unit, NULL) == 0);
  CHECK_STR_EQ(unit, "my.slice");
  free(slice), free(unit);
  CHECK(cgroup_systemd_parse_path("/a/b", "id", false, &slice, &unit, &err) < 0);
  CHECK_CONTAINS(emsg(err), "slice:prefix:name");
  ocirun_error_free(&err);

  CHECK(cgroup_systemd_expand_slice("a-b-c.slice", &exp, NULL) == 0);
  CHECK_STR_EQ(exp, "/a.slice/a-b.slice/a-b-c.slice");
  free(exp);
  CHECK(cgroup_systemd_expand_slice("system.slice", &exp, NULL) == 0);
  CHECK_STR_EQ(exp, "/system.slice");
  free(exp);
  CHECK(cgroup_systemd_expand_slice("-.slice", &exp, NULL) == 0);
  CHECK_STR_EQ(exp, "");
  free(exp);
  CHECK(cgroup_systemd_expand_slice("a--b.slice", &exp, &err) < 0);
  ocirun_error_free(&err);

  CHECK(cgroup_systemd_range_to_bits("0-2,9", &bits, &nbits, NULL) == 0);
  CHECK(nbits == 2 && bits && bits[0] == 0x07 && bits[1] == 0x02);
  free(bits);
  CHECK(cgroup_systemd_range_to_bits("3-1", &bits, &nbits, &err) < 0);
  ocirun_error_free(&err);

  struct spec_device_cgroup_rule rules[] = {
      {false, 'a', false, -1, false, -1, (char *)"rwm"},
      {true, 'c', true, 1, true, 3, (char *)"rwm"},
      {true, 'c', true, 136, false, -1, (char *)"rw"},
  };
  struct spec_resources res = {.present = true};
  res.devices = rules;
  res.devices_len = 3;
  res.memory = (struct spec_memory){.present = true,
                                    .has_limit = true,
                                    .limit = 1 << 30,
                                    .has_swap = true,
                                    .swap = 3 << 29,
                                    .has_reservation = true,
                                    .reservation = 1 << 20};
  res.cpu = (struct spec_cpu){.present = true,
                              .has_shares = true,
                              .shares = 1024,
                              .has_quota = true,
                              .quota = 12345,
                              .has_period = true,
                              .period = 100000,
                              .cpus = (char *)"0-3"};
  res.has_pids_limit = true;
  res.pids_limit = -1;
  res.block_io = (struct spec_block_io){.present = true, .has_weight = true, .weight = 500};
  struct cgroup_systemd_props p;
  CHECK(cgroup_systemd_properties(&res, true, &p, NULL) == 0);
  const struct cgroup_systemd_prop *x;
  CHECK((x = find_prop(&p, "MemoryAccounting")) && x->type == 'b' && x->b);
  CHECK((x = find_prop(&p, "MemoryMax")) && x->u == 1ULL << 30);
  CHECK((x = find_prop(&p, "MemoryLow")) && x->u == 1ULL << 20);
  CHECK((x = find_prop(&p, "MemorySwapMax")) && x->u == 1ULL << 29);
  CHECK((x = find_prop(&p, "CPUWeight")) && x->u == 100);
  CHECK((x = find_prop(&p, "CPUQuotaPeriodUSec")) && x->u == 100000);
  /* 12345/100000 of a CPU = 123450 us/s, rounded up to whole percents */
  CHECK((x = find_prop(&p, "CPUQuotaPerSecUSec")) && x->u == 130000);
  /* ... and the files get the quota that systemd then puts in force */
  CHECK(cgroup_systemd_quota_in_force(12345, 100000) == 13000);
  CHECK(cgroup_systemd_quota_in_force(500000, 900000) == 504000);
  CHECK(cgroup_systemd_quota_in_force(50000, 0) == 50000);
  CHECK(cgroup_systemd_quota_in_force(-1, 100000) == -1);
  CHECK((x = find_prop(&p, "AllowedCPUs")) && x->nbytes == 1 && x->bytes[0] == 0x0f);
  CHECK((x = find_prop(&p, "TasksMax")) && x->u == UINT64_MAX);
  CHECK((x = find_prop(&p, "IOWeight")) && x->u == 4950);
  CHECK((x = find_prop(&p, "DevicePolicy")) && strcmp(x->s, "strict") == 0);
  /* the list emptied first (systemd appends), then the rules and runc's defaults */
  x = find_prop(&p, "DeviceAllow");
  CHECK(x && x->ndev == 0);
  for (size_t i = 0; i < p.len; i++)
    if (strcmp(p.items[i].name, "DeviceAllow") == 0)
      x = &p.items[i];
  CHECK(x && x->ndev > 2);
  if (x && x->ndev > 2) {
    bool null_default = false;
    for (size_t i = 2; i < x->ndev; i++)
      null_default |= strcmp(x->dev_paths[i], "/dev/char/1:3") == 0;
    CHECK(null_default);
    CHECK_STR_EQ(x->dev_paths[0], "/dev/char/1:3");
    CHECK_STR_EQ(x->dev_perms[0], "rwm");
    /* every minor of a major: its group in /proc/devices, the name systemd knows */
    CHECK_STR_EQ(x->dev_paths[1], "char-pts");
    CHECK_STR_EQ(x->dev_perms[1], "rw");
  }
  /* SetUnitProperties' order: the drop-ins' names sorted, the empty list still first */
  cgroup_systemd_props_dropin_order(&p);
  for (size_t i = 1; i < p.len; i++) {
    CHECK(strcmp(p.items[i - 1].name, p.items[i].name) <= 0);
  }
  CHECK((x = find_prop(&p, "AllowedCPUs")) && x == &p.items[0]);
  CHECK((x = find_prop(&p, "DeviceAllow")) && x->ndev == 0 && x[1].ndev > 2);
  CHECK((x = find_prop(&p, "CPUQuotaPerSecUSec")) && strcmp(x[1].name, "CPUQuotaPeriodUSec") == 0);
  cgroup_systemd_props_clear(&p);
  CHECK(cgroup_systemd_properties(&res, false, &p, NULL) == 0);
  CHECK((x = find_prop(&p, "MemoryLimit")) && x->u == 1ULL << 30);
  CHECK((x = find_prop(&p, "CPUShares")) && x->u == 1024);
  CHECK((x = find_prop(&p, "BlockIOWeight")) && x->u == 500);
  CHECK(find_prop(&p, "BlockIOAccounting") != NULL);
  CHECK(find_prop(&p, "MemorySwapMax") == NULL);
  cgroup_systemd_props_clear(&p);
  res.pids_limit = 0; /* systemd has no TasksMax=0: 1, as on cgroupfs */
  CHECK(cgroup_systemd_properties(&res, true, &p, NULL) == 0);
  CHECK((x = find_prop(&p, "TasksMax")) && x->u == 1);
  cgroup_systemd_props_clear(&p);

  /* no systemd on the host: a clear error */
  if (access("/run/systemd/system", F_OK) != 0) {
    struct cgroup_options o = {.id = "x", .systemd = true};
    struct cgroup *cg = NULL;
    CHECK(cgroup_open(&o, &cg, &err) < 0);
    CHECK_CONTAINS(emsg(err),
                   "systemd cgroup driver: systemd is not running (no /run/systemd/system)");
    ocirun_error_free(&err);
  }
}

/* The GVariant text values of "org.systemd.property.*" annotations, and the unified
 * keys that are also unit properties. */
static void test_systemd_annotations(void) {
  struct cgroup_systemd_prop v;
  static const struct {
    const char *text;
    char type;
  } good[] = {{"5", 'i'},
              {" -7 ", 'i'},
              {"uint64 100", 't'},
              {"@t 100", 't'},
              {"int64 -3", 'x'},
              {"uint32 0x10", 'u'},
              {"1.5", 'd'},
              {"double 2", 'd'},
              {"true", 'b'},
              {"false", 'b'},
              {"'a b'", 's'},
              {"\"x\\\"y\"", 's'},
              {"[\"a\", 'b']", 'A'},
              {"@as []", 'A'},
              {"byte 255", 'Y'},
              {"int16 -2", 'n'},
              {"objectpath '/x'", 'o'}};
  for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
    int r = cgroup_systemd_parse_variant(good[i].text, &v);
    CHECK(r == 0 && v.type == good[i].type);
    if (r != 0 || v.type != good[i].type)
      printf("# variant %s: r=%d type=%c\n", good[i].text, r, v.type ? v.type : '0');
    cgroup_systemd_prop_clear(&v);
  }
  CHECK(cgroup_systemd_parse_variant("\"x\\\"y\"", &v) == 0 && strcmp(v.s, "x\"y") == 0);
  cgroup_systemd_prop_clear(&v);
  CHECK(cgroup_systemd_parse_variant("[\"a\", 'b']", &v) == 0 && v.nstrv == 2 &&
        strcmp(v.strv[1], "b") == 0);
  cgroup_systemd_prop_clear(&v);
  static const char *const bad[] = {"",           "[]",    "uint64 -1", "byte 256",
                                    "3000000000", "'open", "5 6",       "@z 1",
                                    "int32 'x'",  "[1]",   "yes",       "\"a\\q\""};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    CHECK(cgroup_systemd_parse_variant(bad[i], &v) < 0);
    cgroup_systemd_prop_clear(&v);
  }

  struct spec_kv kv[] = {
      {(char *)"org.systemd.property.TimeoutStopSec", (char *)"2"},
      {(char *)"org.systemd.property.CollectMode", (char *)"'inactive-or-failed'"},
      {(char *)"org.systemd.property.RuntimeMaxUSec", (char *)"uint64 7"},
      {(char *)"com.example.other", (char *)"not a variant"}};
  struct spec_kv_list list = {kv, 4};
  struct cgroup_systemd_props p = {0};
  const struct cgroup_systemd_prop *x;
  ocirun_error_t *err = NULL;
  CHECK(cgroup_systemd_annotation_props(&list, &p, &err) == 0 && p.len == 3);
  /* "...Sec" becomes "...USec" in microseconds; "...USec" is taken as is */
  CHECK((x = find_prop(&p, "TimeoutStopUSec")) && x->type == 't' && x->u == 2000000);
  CHECK((x = find_prop(&p, "CollectMode")) && x->type == 's' &&
        strcmp(x->s, "inactive-or-failed") == 0);
  CHECK((x = find_prop(&p, "RuntimeMaxUSec")) && x->type == 't' && x->u == 7);
  cgroup_systemd_props_clear(&p);
  struct spec_kv badname[] = {{(char *)"org.systemd.property.Bad_Name", (char *)"1"}};
  CHECK(cgroup_systemd_annotation_props(&(struct spec_kv_list){badname, 1}, &p, &err) < 0);
  CHECK_CONTAINS(emsg(err), "Annotation org.systemd.property.Bad_Name name incorrect");
  ocirun_error_free(&err);
  struct spec_kv badval[] = {{(char *)"org.systemd.property.TimeoutStopSec", (char *)"'x'"}};
  CHECK(cgroup_systemd_annotation_props(&(struct spec_kv_list){badval, 1}, &p, &err) < 0);
  CHECK_CONTAINS(emsg(err), "value parse error: not a number");
  ocirun_error_free(&err);
  cgroup_systemd_props_clear(&p);

  /* unified keys: appended after the converted values (systemd keeps the last) */
  struct spec_kv uni[] = {
      {(char *)"cpu.weight", (char *)" 500\n"}, {(char *)"cpu.max", (char *)"max 50000"},
      {(char *)"memory.max", (char *)"max"},    {(char *)"pids.max", (char *)"99"},
      {(char *)"cpuset.cpus", (char *)"1"},     {(char *)"memory.oom.group", (char *)"1"}};
  struct spec_resources res = {.present = true, .unified = {uni, 6}};
  res.cpu = (struct spec_cpu){.present = true, .has_shares = true, .shares = 1024};
  CHECK(cgroup_systemd_properties(&res, true, &p, &err) == 0);
  size_t weights = 0;
  for (size_t i = 0; i < p.len; i++)
    if (strcmp(p.items[i].name, "CPUWeight") == 0)
      weights++;
  CHECK(weights == 2 && p.items[p.len - 1].type == 'y');
  for (size_t i = p.len; i-- > 0;)
    if (strcmp(p.items[i].name, "CPUWeight") == 0) {
      CHECK(p.items[i].u == 500);
      break;
    }
  CHECK((x = find_prop(&p, "CPUQuotaPeriodUSec")) && x->u == 50000);
  CHECK((x = find_prop(&p, "CPUQuotaPerSecUSec")) && x->u == UINT64_MAX);
  CHECK((x = find_prop(&p, "MemoryMax")) && x->u == UINT64_MAX);
  CHECK((x = find_prop(&p, "TasksMax")) && x->u == 99);
  CHECK((x = find_prop(&p, "AllowedCPUs")) && x->nbytes == 1 && x->bytes[0] == 2);
  cgroup_systemd_props_clear(&p);
  struct spec_kv unibad[] = {{(char *)"memory.max", (char *)"lots"}};
  struct spec_resources rb = {.present = true, .unified = {unibad, 1}};
  CHECK(cgroup_systemd_properties(&rb, true, &p, &err) < 0);
  CHECK_CONTAINS(emsg(err), "unified resource \"memory.max\" value conversion error");
  ocirun_error_free(&err);
}

static void test_bpf_program(void) {
  struct spec_device_cgroup_rule rules[] = {
      {true, 'a', false, -1, false, -1, (char *)"rwm"},
      {false, 'a', false, -1, false, -1, (char *)"rwm"},
      {true, 'c', true, 1, true, 3, (char *)"rwm"},
      {true, 'b', true, 8, false, -1, (char *)"r"},
  };
  struct bpf_insn *insns = NULL;
  size_t n = 0;
  CHECK(cgroup_devices_bpf_build(rules, 4, &insns, &n) == 0);
  /* 6 loads; c 1:3 rwm: type, major, minor, mov, exit = 5; b 8:* r: type, 3 for
   * the access, major, mov, exit = 7; default deny: 2 */
  CHECK(n == 6 + 5 + 7 + 2);
  if (n == 20) {
    CHECK(insns[n - 2].imm == 0);               /* default: deny */
    CHECK(insns[6].imm == BPF_DEVCG_DEV_BLOCK); /* last rule first */
    CHECK(insns[6].off == 6);                   /* to the next block */
  }
  free(insns);
}

/* ---- fake v2 tree ---- */

static void touch(const char *dir, const char *file, const char *content) {
  char path[8400];
  snprintf(path, sizeof(path), "%s/%s", dir, file);
  FILE *f = fopen(path, "we");
  if (f) {
    fputs(content, f);
    fclose(f);
  }
}

static void rm_rf(const char *path) {
  char cmd[4200];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
  if (system(cmd) != 0)
    printf("# rm -rf %s failed\n", path);
}

static void test_fake_v2(void) {
  char root[] = "/tmp/ocirun-cg-v2-XXXXXX", dir[4200];
  struct cgroup *cg = NULL;
  ocirun_error_t *err = NULL;
  if (mkdtemp(root) == NULL) {
    CHECK(!"mkdtemp");
    return;
  }
  touch(root, "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma\n");
  touch(root, "cgroup.subtree_control", "");
  CHECK(cgroup_v2_open_at(root, "/c1", "c1", &cg, &err) == 0);
  if (cg == NULL) {
    rm_rf(root);
    return;
  }
  CHECK_STR_EQ(cgroup_recorded_path(cg), "/c1");
  CHECK(cgroup_create(cg, &err) == 0);
  CHECK_FILE(root, "cgroup.subtree_control", "+cpuset +cpu +io +memory +hugetlb +pids +rdma");
  snprintf(dir, sizeof(dir), "%s/c1", root);
  static const char *const files[] = {"pids.max",        "memory.swap.max",
                                      "memory.max",      "memory.low",
                                      "io.weight",       "io.max",
                                      "cpu.idle",        "cpu.weight",
                                      "cpu.max",         "cpu.max.burst",
                                      "cpuset.cpus",     "cpuset.mems",
                                      "hugetlb.2MB.max", "hugetlb.1GB.max",
                                      "rdma.max",        "hugetlb.2MB.rsvd.max",
                                      "memory.high",     "cgroup.procs",
                                      "cgroup.freeze",   "cgroup.events",
                                      "memory.events",   NULL};
  for (size_t i = 0; files[i]; i++)
    touch(dir, files[i], "");
  touch(dir, "memory.events", "low 0\nhigh 0\nmax 2\noom 1\noom_kill 3\n");
  touch(dir, "cgroup.events", "populated 1\nfrozen 1\n");

  struct spec_throttle_device rbps[] = {{8, 0, 1048576}};
  struct spec_throttle_device wiops[] = {{8, 16, 100}, {8, 0, 0}};
  struct spec_hugepage_limit huge[] = {{(char *)"2MB", 4194304}, {(char *)"1GB", 0}};
  struct spec_rdma_limit rdma[] = {{(char *)"mlx5_0", true, 3, true, 10000}};
  struct spec_kv uni[] = {{(char *)"memory.high", (char *)"500000000"}};
  struct spec_resources r = {.present = true};
  r.memory = (struct spec_memory){.present = true,
                                  .has_limit = true,
                                  .limit = 268435456,
                                  .has_swap = true,
                                  .swap = 536870912,
                                  .has_reservation = true,
                                  .reservation = 134217728};
  r.cpu = (struct spec_cpu){.present = true,
                            .has_shares = true,
                            .shares = 2048,
                            .has_quota = true,
                            .quota = 50000,
                            .has_period = true,
                            .period = 100000,
                            .has_burst = true,
                            .burst = 10000,
                            .cpus = (char *)"0-1",
                            .mems = (char *)"0",
                            .has_idle = true,
                            .idle = 0};
  r.has_pids_limit = true;
  r.pids_limit = 100;
  r.block_io = (struct spec_block_io){.present = true, .has_weight = true, .weight = 300};
  r.block_io.throttle_read_bps = (struct spec_throttle_list){rbps, 1};
  r.block_io.throttle_write_iops = (struct spec_throttle_list){wiops, 2};
  r.hugepage_limits = huge;
  r.hugepage_limits_len = 2;
  r.rdma = rdma;
  r.rdma_len = 1;
  r.unified = (struct spec_kv_list){uni, 1};
  CHECK(cgroup_set_resources(cg, &r, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  ocirun_error_free(&err);
  CHECK_FILE(dir, "pids.max", "100");
  CHECK_FILE(dir, "memory.swap.max", "268435456");
  CHECK_FILE(dir, "memory.max", "268435456");
  CHECK_FILE(dir, "memory.low", "134217728");
  CHECK_FILE(dir, "io.weight", "2930");
  CHECK_FILE(dir, "io.max", "8:0 wiops=max"); /* each write replaces the fake file */
  CHECK_FILE(dir, "cpu.idle", "0");
  CHECK_FILE(dir, "cpu.weight", "174");
  CHECK_FILE(dir, "cpu.max", "50000 100000");
  CHECK_FILE(dir, "cpu.max.burst", "10000");
  {
    /* a quota or a period alone keeps the other half of cpu.max in force */
    struct spec_resources rq = {.present = true};
    rq.cpu = (struct spec_cpu){.present = true, .has_quota = true, .quota = 60000};
    CHECK(cgroup_set_resources(cg, &rq, &err) == 0);
    CHECK_FILE(dir, "cpu.max", "60000 100000");
    rq.cpu = (struct spec_cpu){.present = true, .has_period = true, .period = 90000};
    CHECK(cgroup_set_resources(cg, &rq, &err) == 0);
    CHECK_FILE(dir, "cpu.max", "60000 90000");
    touch(dir, "cpu.max", "max 100000");
    CHECK(cgroup_set_resources(cg, &rq, &err) == 0);
    CHECK_FILE(dir, "cpu.max", "max 90000");
    touch(dir, "cpu.max", "50000 100000");
  }
  CHECK_FILE(dir, "cpuset.cpus", "0-1");
  CHECK_FILE(dir, "cpuset.mems", "0");
  CHECK_FILE(dir, "hugetlb.2MB.max", "4194304");
  CHECK_FILE(dir, "hugetlb.1GB.max", "0");
  /* the reservation limit follows where the kernel has it (here only for 2MB) */
  CHECK_FILE(dir, "hugetlb.2MB.rsvd.max", "4194304");
  {
    char rsvd[4300];
    snprintf(rsvd, sizeof(rsvd), "%s/hugetlb.1GB.rsvd.max", dir);
    CHECK(access(rsvd, F_OK) != 0);
  }
  CHECK_FILE(dir, "rdma.max", "mlx5_0 hca_handle=3 hca_object=10000");
  CHECK_FILE(dir, "memory.high", "500000000");

  /* memory unlimited, swap unset: swap unlimited too; pids -1: max */
  struct spec_resources r2 = {.present = true};
  r2.memory = (struct spec_memory){.present = true, .has_limit = true, .limit = -1};
  r2.has_pids_limit = true;
  r2.pids_limit = -1;
  CHECK(cgroup_set_resources(cg, &r2, &err) == 0);
  CHECK_FILE(dir, "memory.max", "max");
  CHECK_FILE(dir, "memory.swap.max", "max");
  CHECK_FILE(dir, "pids.max", "max");
  /* an explicit pids limit of 0 is 1 (systemd has no TasksMax=0) */
  r2.pids_limit = 0;
  CHECK(cgroup_set_resources(cg, &r2, &err) == 0);
  CHECK_FILE(dir, "pids.max", "1");
  touch(dir, "pids.max", "max");

  /* a unified value of several lines is written a line at a time (the fake file keeps the
   * last write; the kernel takes one line per write) */
  struct spec_kv lines[] = {{(char *)"io.max", (char *)"8:0 riops=1\n8:16 riops=2\n"}};
  struct spec_resources rl = {.present = true, .unified = {lines, 1}};
  CHECK(cgroup_set_resources(cg, &rl, &err) == 0);
  CHECK_FILE(dir, "io.max", "8:16 riops=2");

  /* checkBeforeUpdate: a limit at or below the usage is refused, memory+swap first */
  touch(dir, "memory.current", "1000");
  touch(dir, "memory.swap.current", "500");
  struct spec_resources rc = {.present = true};
  rc.memory = (struct spec_memory){.present = true,
                                   .has_limit = true,
                                   .limit = 900,
                                   .has_check_before_update = true,
                                   .check_before_update = true};
  CHECK(cgroup_set_resources(cg, &rc, &err) < 0);
  CHECK_CONTAINS(emsg(err), "rejecting memory limit 900 below current usage 1000");
  ocirun_error_free(&err);
  rc.memory.limit = 1200;
  rc.memory.has_swap = true;
  rc.memory.swap = 1400;
  CHECK(cgroup_set_resources(cg, &rc, &err) < 0);
  CHECK_CONTAINS(emsg(err), "rejecting memory+swap limit 1400 below current usage 1500");
  ocirun_error_free(&err);
  rc.memory.swap = 3000;
  CHECK(cgroup_set_resources(cg, &rc, &err) == 0);
  ocirun_error_free(&err);

  /* errors name the resource and the file */
  struct spec_kv bad[] = {{(char *)"nosuch.file", (char *)"1"}};
  struct spec_resources r3 = {.present = true, .unified = {bad, 1}};
  CHECK(cgroup_set_resources(cg, &r3, &err) < 0);
  CHECK_CONTAINS(emsg(err), ".linux.resources.unified: nosuch.file");
  ocirun_error_free(&err);
  struct spec_resources r4 = {.present = true};
  r4.cpu =
      (struct spec_cpu){.present = true, .has_realtime_runtime = true, .realtime_runtime = 1000};
  CHECK(cgroup_set_resources(cg, &r4, &err) < 0);
  CHECK_CONTAINS(emsg(err), "realtime");
  ocirun_error_free(&err);
  struct spec_resources r5 = {.present = true};
  r5.network = (struct spec_network_resources){.present = true, .has_class_id = true};
  CHECK(cgroup_set_resources(cg, &r5, &err) < 0);
  CHECK_CONTAINS(emsg(err), "net_cls");
  ocirun_error_free(&err);

  uint64_t kills = 0;
  CHECK(cgroup_oom_kill_count(cg, &kills, &err) == 0 && kills == 3);
  CHECK(cgroup_is_frozen(cg));
  touch(dir, "cgroup.procs", "12\n34\n");
  {
    char sub[4300];
    snprintf(sub, sizeof(sub), "%s/sub", dir);
    mkdir(sub, 0755);
    touch(sub, "cgroup.procs", "56\n");
  }
  pid_t *pids = NULL;
  size_t np = 0;
  CHECK(cgroup_pids(cg, &pids, &np, &err) == 0 && np == 3);
  CHECK(np == 3 && pids[0] == 12 && pids[1] == 34 && pids[2] == 56);
  free(pids);

  struct cgroup_stats st;
  touch(dir, "cpu.stat", "usage_usec 10\nuser_usec 6\nsystem_usec 4\nnr_periods 2\n");
  touch(dir, "memory.current", "4096\n");
  touch(dir, "memory.stat", "file 100\nanon 200\n");
  touch(dir, "pids.current", "3\n");
  touch(dir, "io.stat", "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0\n");
  CHECK(cgroup_get_stats(cg, &st, &err) == 0);
  char *json = cgroup_stats_to_json(&st);
  CHECK_CONTAINS(json, "\"usage\":{\"total\":10000,\"kernel\":4000,\"user\":6000}");
  CHECK_CONTAINS(json, "\"throttling\":{\"periods\":2}");
  CHECK_CONTAINS(json, "\"cache\":100");
  CHECK_CONTAINS(json, "\"raw\":{\"anon\":200,\"file\":100}");
  CHECK_CONTAINS(json, "\"pids\":{\"current\":3}");
  CHECK_CONTAINS(json, "{\"major\":8,\"op\":\"Read\",\"value\":1}");
  CHECK_CONTAINS(json, "\"network_interfaces\":null");
  free(json);
  cgroup_stats_clear(&st);
  cgroup_close(cg);
  rm_rf(root);
}

/* ---- real hierarchies ---- */

static volatile unsigned long *counter;

static pid_t spawn_counter(void) {
  pid_t p = fork();
  if (p == 0) {
    for (;;)
      (*counter)++;
  }
  return p;
}

/* Whether the counter child runs: it moves within 5 s (a loaded machine may leave it
 * unscheduled for a while). */
static bool counter_moves(void) {
  unsigned long a = *counter;
  for (int i = 0; i < 500; i++) {
    sleep_ms(10);
    if (*counter != a)
      return true;
  }
  return false;
}

/* Whether the counter stays still for 100 ms (frozen: it cannot move at all). */
static bool counter_still(void) {
  unsigned long a = *counter;
  sleep_ms(100);
  return *counter == a;
}

static bool in_cgroup(pid_t pid, const char *needle) {
  char path[64], *s;
  snprintf(path, sizeof(path), "/proc/%d", (int)pid);
  s = slurp(path, "cgroup");
  bool ok = s && strstr(s, needle);
  free(s);
  return ok;
}

static bool reaped(pid_t pid) {
  for (int i = 0; i < 200; i++) {
    if (waitpid(pid, NULL, WNOHANG) == pid)
      return true;
    sleep_ms(5);
  }
  return false;
}

/* Freeze, thaw, pids and kill on a live child: shared by v1 and v2. */
static void exercise_process(struct cgroup *cg, const char *needle) {
  ocirun_error_t *err = NULL;
  pid_t child = spawn_counter(), child2;
  pid_t *pids = NULL;
  size_t n = 0;

  CHECK(child > 0);
  CHECK(cgroup_apply(cg, child, NULL, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  ocirun_error_free(&err);
  CHECK(in_cgroup(child, needle));
  CHECK(counter_moves());
  CHECK(cgroup_freeze(cg, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  ocirun_error_free(&err);
  CHECK(cgroup_is_frozen(cg));
  CHECK(counter_still());
  CHECK(cgroup_thaw(cg, &err) == 0);
  ocirun_error_free(&err);
  CHECK(!cgroup_is_frozen(cg));
  CHECK(counter_moves());
  CHECK(cgroup_pids(cg, &pids, &n, &err) == 0 && n == 1 && pids[0] == child);
  free(pids);
  /* a signal other than SIGKILL: freeze, signal each, thaw */
  CHECK(cgroup_kill_all(cg, SIGTERM, &err) == 0);
  ocirun_error_free(&err);
  CHECK(reaped(child));
  child2 = spawn_counter();
  CHECK(cgroup_apply(cg, child2, NULL, &err) == 0);
  ocirun_error_free(&err);
  CHECK(cgroup_kill_all(cg, SIGKILL, &err) == 0);
  ocirun_error_free(&err);
  CHECK(reaped(child2));
}

static void test_real_v1(void) {
  char id[64], path[80], dir[4200];
  struct cgroup *cg = NULL;
  ocirun_error_t *err = NULL;
  struct statfs sfs;

  if (geteuid() != 0 || statfs("/sys/fs/cgroup", &sfs) < 0 || sfs.f_type != TMPFS_MAGIC ||
      access("/sys/fs/cgroup/memory/cgroup.procs", F_OK) != 0) {
    printf("# skipped: real cgroup v1 (not root or no v1 memory hierarchy)\n");
    return;
  }
  snprintf(id, sizeof(id), "ocirun-unit-%d", (int)getpid());
  snprintf(path, sizeof(path), "/%s", id);
  struct spec_resources r = {.present = true};
  r.memory = (struct spec_memory){.present = true,
                                  .has_limit = true,
                                  .limit = 64 << 20,
                                  .has_swappiness = true,
                                  .swappiness = 10};
  r.has_pids_limit = true;
  r.pids_limit = 30;
  r.cpu = (struct spec_cpu){.present = true, .has_shares = true, .shares = 512};
  struct spec_device_cgroup_rule deny_all = {false, 'a', false, -1, false, -1, (char *)"rwm"};
  r.devices = &deny_all;
  r.devices_len = 1;
  struct cgroup_options o = {.id = id, .cgroups_path = path, .resources = &r};
  CHECK(cgroup_open(&o, &cg, &err) == 0);
  if (cg == NULL) {
    printf("# %s\n", err ? err->msg : "?");
    ocirun_error_free(&err);
    return;
  }
  CHECK_STR_EQ(cgroup_recorded_path(cg), path);
  CHECK(cgroup_clone_fd(cg) == -1);
  CHECK(cgroup_create(cg, &err) == 0);
  CHECK(cgroup_set_resources(cg, &r, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  ocirun_error_free(&err);
  snprintf(dir, sizeof(dir), "/sys/fs/cgroup/memory%s", path);
  CHECK_FILE(dir, "memory.limit_in_bytes", "67108864");
  CHECK_FILE(dir, "memory.swappiness", "10");
  snprintf(dir, sizeof(dir), "/sys/fs/cgroup/pids%s", path);
  CHECK_FILE(dir, "pids.max", "30");
  snprintf(dir, sizeof(dir), "/sys/fs/cgroup/devices%s", path);
  {
    char *l = slurp(dir, "devices.list");
    CHECK_CONTAINS(l, "c 1:3 rwm");
    CHECK(l && strstr(l, "a *:* rwm") == NULL);
    free(l);
  }
  snprintf(dir, sizeof(dir), "/sys/fs/cgroup/cpuset%s", path);
  {
    char *c = slurp(dir, "cpuset.cpus");
    CHECK(c && c[0] != '\0'); /* copied from the parent */
    free(c);
  }

  /* lowering the limit below usage is refused with the numbers */
  struct spec_resources bad = {.present = true};
  bad.pids_limit = 0;
  bad.memory = (struct spec_memory){.present = true, .has_swappiness = true, .swappiness = 101};
  CHECK(cgroup_set_resources(cg, &bad, &err) < 0);
  CHECK_CONTAINS(emsg(err), "valid range is 0-100");
  ocirun_error_free(&err);
  struct spec_resources net = {.present = true};
  net.network =
      (struct spec_network_resources){.present = true, .has_class_id = true, .class_id = 1};
  if (access("/sys/fs/cgroup/net_cls", F_OK) != 0) {
    CHECK(cgroup_set_resources(cg, &net, &err) < 0);
    CHECK_CONTAINS(
        emsg(err),
        ".linux.resources.network.classID: the net_cls cgroup controller is not mounted");
    ocirun_error_free(&err);
  }

  exercise_process(cg, path);

  /* the same cgroup reopened from its recorded path */
  struct cgroup *again = NULL;
  CHECK(cgroup_open_recorded(id, cgroup_recorded_path(cg), NULL, NULL, false, &again, &err) == 0);
  if (again) {
    uint64_t ooms = 99;
    CHECK(cgroup_oom_kill_count(again, &ooms, &err) == 0 && ooms == 0);
    CHECK(!cgroup_path_is_frozen(cgroup_recorded_path(cg), NULL, NULL, false));
    cgroup_close(again);
  }
  /* ... and with the mounts recorded at create: the same directories, no mountinfo */
  char *mounts = cgroup_mounts_record(cg);
  CHECK(mounts != NULL && strncmp(mounts, "v1\n", 3) == 0);
  static const char *const records[] = {NULL, "v9\nnot a record\n", "v1\n", "v1\n2\tx\t/y\n"};
  for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
    /* the first: the real record; the others do not parse, so mountinfo is read instead */
    const char *rc = i == 0 ? mounts : records[i];
    struct cgroup *rec = NULL;
    bool v2a = true, v2b = true;
    CHECK(cgroup_open_recorded(id, cgroup_recorded_path(cg), rc, NULL, false, &rec, &err) == 0);
    if (rec) {
      CHECK_STR_EQ(cgroup_memory_dir(rec, &v2a), cgroup_memory_dir(cg, &v2b));
      CHECK(!v2a && !v2b);
      CHECK(!cgroup_path_is_frozen(cgroup_recorded_path(cg), rc, NULL, false));
      cgroup_close(rec);
    }
  }
  free(mounts);
  CHECK(cgroup_destroy(cg, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  ocirun_error_free(&err);
  static const char *const hier[] = {"cpu",     "cpuacct", "cpuset", "memory",  "devices",
                                     "freezer", "blkio",   "pids",   "systemd", "unified"};
  for (size_t i = 0; i < sizeof(hier) / sizeof(hier[0]); i++) {
    snprintf(dir, sizeof(dir), "/sys/fs/cgroup/%s%s", hier[i], path);
    CHECK(access(dir, F_OK) != 0);
  }
  cgroup_close(cg);

  /* the default path is relative to our own cgroup in each hierarchy */
  struct cgroup_options d = {.id = id};
  CHECK(cgroup_open(&d, &cg, &err) == 0);
  if (cg) {
    char *self = slurp("/proc/self", "cgroup"), *mem = self ? strstr(self, ":memory:") : NULL;
    if (mem) {
      char want[512];
      mem += 8;
      mem[strcspn(mem, "\n")] = '\0';
      if (strcmp(mem, "/") != 0) {
        snprintf(want, sizeof(want), "memory=%s/%s", mem, id);
        CHECK_CONTAINS(cgroup_recorded_path(cg), want);
      }
    }
    free(self);
    cgroup_close(cg);
  }
}

static int real_v2(const char *mount) {
  char rel[64], dir[4200];
  struct cgroup *cg = NULL;
  ocirun_error_t *err = NULL;
  int before = unit_failures;

  snprintf(rel, sizeof(rel), "/ocirun-unit-v2-%d", (int)getpid());
  CHECK(cgroup_v2_open_at(mount, rel, "v2", &cg, &err) == 0);
  if (cg == NULL)
    return 1;
  CHECK(cgroup_create(cg, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  ocirun_error_free(&err);
  CHECK(cgroup_clone_fd(cg) >= 0);
  CHECK(cgroup_clone_fd(cg) == cgroup_clone_fd(cg));
  snprintf(dir, sizeof(dir), "%s%s", mount, rel);

  /* resources where the controllers exist (a pure v2 host) */
  char *ctrls = slurp(dir, "cgroup.controllers");
  if (ctrls && strstr(ctrls, "memory") && strstr(ctrls, "pids") && strstr(ctrls, "cpu")) {
    struct spec_resources r = {.present = true};
    r.memory = (struct spec_memory){.present = true,
                                    .has_limit = true,
                                    .limit = 64 << 20,
                                    .has_reservation = true,
                                    .reservation = 1 << 20};
    r.cpu = (struct spec_cpu){.present = true,
                              .has_shares = true,
                              .shares = 1024,
                              .has_quota = true,
                              .quota = 20000,
                              .has_period = true,
                              .period = 100000};
    r.has_pids_limit = true;
    r.pids_limit = 40;
    CHECK(cgroup_set_resources(cg, &r, &err) == 0);
    if (err)
      printf("# %s\n", err->msg);
    ocirun_error_free(&err);
    CHECK_FILE(dir, "memory.max", "67108864");
    CHECK_FILE(dir, "memory.low", "1048576");
    CHECK_FILE(dir, "pids.max", "40");
    CHECK_FILE(dir, "cpu.weight", "100"); /* 1024 shares: the default weight */
    CHECK_FILE(dir, "cpu.max", "20000 100000");
    /* a value the kernel refuses names the resource and the file */
    struct spec_resources bad = {.present = true};
    bad.cpu = (struct spec_cpu){
        .present = true, .has_quota = true, .quota = 10, .has_period = true, .period = 100};
    CHECK(cgroup_set_resources(cg, &bad, &err) < 0);
    CHECK_CONTAINS(emsg(err), ".linux.resources.cpu.quota: write 10 100 to ");
    ocirun_error_free(&err);
  } else {
    printf("# real v2 at %s: memory/pids/cpu not delegated here, resource files skipped\n", mount);
  }
  free(ctrls);

  /* device filter: deny all, allow /dev/null; replacing keeps one program */
  struct spec_device_cgroup_rule rules[] = {
      {false, 'a', false, -1, false, -1, (char *)"rwm"},
      {true, 'c', true, 1, true, 3, (char *)"rwm"},
  };
  struct spec_resources devr = {.present = true, .devices = rules, .devices_len = 2};
  CHECK(cgroup_set_resources(cg, &devr, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  ocirun_error_free(&err);
  CHECK(cgroup_set_resources(cg, &devr, &err) == 0);
  ocirun_error_free(&err);
  CHECK(cgroup_devices_bpf_attached_count(dir) == 1);
  {
    int pipefd[2];
    CHECK(pipe(pipefd) == 0);
    pid_t p = fork();
    if (p == 0) {
      char res[2] = {'?', '?'};
      char b;
      close(pipefd[0]);
      if (read(pipefd[1], &b, 0) < 0) {
      }
      sleep_ms(100); /* the parent moves us meanwhile */
      int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
      res[0] = fd >= 0 ? 'y' : 'n';
      fd = open("/dev/kmsg", O_RDONLY | O_CLOEXEC); /* c 1:11, not a default device */
      res[1] = fd >= 0 ? 'y' : (errno == EPERM ? 'n' : 'e');
      if (write(pipefd[1], res, 2) < 0)
        _exit(1);
      _exit(0);
    }
    close(pipefd[1]);
    CHECK(cgroup_apply(cg, p, NULL, &err) == 0);
    ocirun_error_free(&err);
    char got[3] = {0};
    CHECK(read(pipefd[0], got, 2) == 2);
    CHECK_STR_EQ(got, "yn"); /* /dev/null allowed, /dev/kmsg denied */
    if (strcmp(got, "yn") != 0)
      printf("# device access: got %s\n", got);
    close(pipefd[0]);
    waitpid(p, NULL, 0);
  }

  exercise_process(cg, rel);
  CHECK(cgroup_destroy(cg, &err) == 0);
  if (err)
    printf("# %s\n", err->msg);
  ocirun_error_free(&err);
  CHECK(access(dir, F_OK) != 0);
  /* a cgroup that is gone: no processes, nothing to signal */
  {
    pid_t *gone = NULL;
    size_t ng = 1;
    CHECK(cgroup_pids(cg, &gone, &ng, &err) == 0 && ng == 0);
    free(gone);
    CHECK(cgroup_kill_all(cg, SIGKILL, &err) == 0);
    ocirun_error_free(&err);
  }
  cgroup_close(cg);
  return unit_failures != before;
}

static const char *v2_mount(void) {
  struct statfs sfs;
  if (statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
    return "/sys/fs/cgroup";
  if (statfs("/sys/fs/cgroup/unified", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
    return "/sys/fs/cgroup/unified";
  return NULL;
}

int main(int argc, char **argv) {
  counter = mmap(NULL, sizeof(*counter), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (argc > 1 && strcmp(argv[1], "--v2-only") == 0) {
    const char *m = argc > 2 ? argv[2] : v2_mount();
    if (m == NULL || geteuid() != 0) {
      printf("# no cgroup2 mount or not root\n");
      return 1;
    }
    printf("# real cgroup v2 at %s\n", m);
    real_v2(m);
    return unit_done();
  }
  test_paths();
  test_mountinfo();
  test_convert();
  test_units();
  test_systemd();
  test_systemd_user_manager();
  test_systemd_annotations();
  test_bpf_program();
  test_fake_v2();
  test_real_v1();
  if (geteuid() == 0 && v2_mount())
    real_v2(v2_mount());
  else
    printf("# skipped: real cgroup v2\n");
  return unit_done();
}
