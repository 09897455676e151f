/* The decisions of user namespaces and id-mapped mounts: map text, who writes
 * the maps, the helpers' arguments, which mounts are id-mapped and how, which
 * mount flags a bind in a user namespace keeps, and who owns the cgroup. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <string.h>
#include <sys/statvfs.h>

#include "container/cgroup_owner.h"
#include "linux/id_map.h"
#include "linux/mount_options.h"
#include "linux/mount_source.h"
#include "unit.h"
#include "util/userns.h"

static void test_format(void) {
  struct spec_id_mapping two[] = {{0, 100000, 65536}, {65536, 1000, 1}};
  struct spec_id_mapping empty[] = {{0, 1000, 0}};
  struct spec_id_mapping wraps[] = {{4294967295u, 1, 2}};
  struct spec_id_mapping whole[] = {{0, 0, 4294967295u}};
  char buf[128], small[8];

  CHECK(id_map_format(two, 2, buf, sizeof(buf)) == 0);
  CHECK_STR_EQ(buf, "0 100000 65536\n65536 1000 1\n");
  CHECK(id_map_format(empty, 1, buf, sizeof(buf)) < 0);
  CHECK(id_map_format(wraps, 1, buf, sizeof(buf)) < 0);
  CHECK(id_map_format(whole, 1, buf, sizeof(buf)) == 0);
  CHECK_STR_EQ(buf, "0 0 4294967295\n");
  CHECK(id_map_format(two, 2, small, sizeof(small)) < 0);
  CHECK(id_map_format(two, 0, buf, sizeof(buf)) == 0 && buf[0] == '\0');
}

static void test_plan(void) {
  struct spec_id_mapping own_u[] = {{0, 1000, 1}}, own_g[] = {{0, 1000, 1}};
  struct spec_id_mapping range[] = {{0, 100000, 65536}};
  struct spec_id_mapping own_plus[] = {{0, 1000, 1}, {1, 100000, 65535}};
  struct spec_linux l = {
      .uid_mappings = own_u, .uid_mappings_len = 1, .gid_mappings = own_g, .gid_mappings_len = 1};
  struct id_map_plan p;

  /* root writes anything itself and never denies setgroups */
  l.uid_mappings = range;
  l.gid_mappings = range;
  id_map_plan_for(&l, 0, 0, &p);
  CHECK(!p.uid_helper && !p.gid_helper && !p.deny_setgroups);
  /* an ordinary user mapping only itself: direct, setgroups denied for the gid map */
  l.uid_mappings = own_u;
  l.gid_mappings = own_g;
  id_map_plan_for(&l, 1000, 1000, &p);
  CHECK(!p.uid_helper && !p.gid_helper && p.deny_setgroups);
  /* more than its own ids: the helpers, and setgroups stays allowed */
  l.uid_mappings = own_plus;
  l.uid_mappings_len = 2;
  l.gid_mappings = range;
  id_map_plan_for(&l, 1000, 1000, &p);
  CHECK(p.uid_helper && p.gid_helper && !p.deny_setgroups);
  /* own uid but someone else's gid */
  l.uid_mappings = own_u;
  l.uid_mappings_len = 1;
  l.gid_mappings = own_g;
  id_map_plan_for(&l, 1000, 1001, &p);
  CHECK(!p.uid_helper && p.gid_helper && !p.deny_setgroups);
  /* the own id mapped to another container id is still its own single id */
  CHECK(id_map_is_own_id((struct spec_id_mapping[]){{1000, 1000, 1}}, 1, 1000));
  CHECK(!id_map_is_own_id((struct spec_id_mapping[]){{0, 1000, 2}}, 1, 1000));
}

static void test_helper_argv(void) {
  struct spec_id_mapping m[] = {{0, 1000, 1}, {1, 100000, 65536}};
  char **argv = id_map_helper_argv("/usr/bin/newuidmap", 4242, m, 2);
  const char *want[] = {"/usr/bin/newuidmap", "4242", "0", "1000", "1", "1", "100000", "65536"};

  CHECK(argv != NULL);
  if (argv == NULL)
    return;
  for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
    CHECK_STR_EQ(argv[i], want[i]);
  CHECK(argv[8] == NULL);
  id_map_argv_free(argv);
}

static enum mount_idmap idmap_of(const char *opt, size_t maps) {
  struct spec_id_mapping map[] = {{0, 100000, 65536}};
  char *items[] = {(char *)"rbind", (char *)opt};
  struct spec_mount m = {.options = {.items = items, .len = opt ? 2 : 1}};
  struct mount_options mo;
  ocirun_error_t *err = NULL;
  enum mount_idmap r;

  if (maps) {
    m.uid_mappings = map;
    m.uid_mappings_len = 1;
  }
  CHECK(mount_options_parse(&m.options, 0, &mo, &err) == 0);
  r = mount_idmap_of(&m, &mo);
  CHECK(mount_idmap_implied(&m) == (maps == 0));
  mount_options_clear(&mo);
  return r;
}

static void test_idmap_kind(void) {
  CHECK(idmap_of(NULL, 0) == MOUNT_IDMAP_NONE);
  /* mappings alone, or "idmap": only the top mount, even of an rbind */
  CHECK(idmap_of(NULL, 1) == MOUNT_IDMAP_TOP);
  CHECK(idmap_of("idmap", 1) == MOUNT_IDMAP_TOP);
  CHECK(idmap_of("idmap", 0) == MOUNT_IDMAP_TOP);
  CHECK(idmap_of("ridmap", 1) == MOUNT_IDMAP_RECURSIVE);
  CHECK(idmap_of("ridmap", 0) == MOUNT_IDMAP_RECURSIVE);
}

static void test_keep_locked(void) {
  uint64_t set, clr;

  /* "rw,suid" on a read-only nosuid source: both stay */
  set = 0;
  clr = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID;
  mount_attrs_keep_locked(ST_RDONLY | ST_NOSUID, &set, &clr);
  CHECK(set == 0 && clr == 0);
  /* clearing what the source does not have is kept; adding restrictions always is */
  set = MOUNT_ATTR_NODEV;
  clr = MOUNT_ATTR_NOEXEC;
  mount_attrs_keep_locked(ST_NOSUID, &set, &clr);
  CHECK(set == MOUNT_ATTR_NODEV && clr == MOUNT_ATTR_NOEXEC);
  /* the access-time mode is locked as a whole */
  set = MOUNT_ATTR_NOATIME | MOUNT_ATTR_RDONLY;
  clr = MOUNT_ATTR__ATIME;
  mount_attrs_keep_locked(0, &set, &clr);
  CHECK(set == MOUNT_ATTR_RDONLY && clr == 0);
  set = 0;
  clr = MOUNT_ATTR_NODIRATIME;
  mount_attrs_keep_locked(ST_NODIRATIME, &set, &clr);
  CHECK(clr == 0);
}

/* The owner of the container's cgroup for a config made of these pieces (JSON members). */
static int64_t owner_of(const char *namespaces, const char *mounts, const char *rest) {
  char json[2048];
  struct spec *s = NULL;
  ocirun_error_t *err = NULL;
  int64_t owner;
  snprintf(json, sizeof(json),
           "{\"ociVersion\": \"1.0.0\", \"root\": {\"path\": \"rootfs\"}, "
           "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", \"user\": {\"uid\": 5, \"gid\": 0}}, "
           "\"mounts\": [%s], \"linux\": {\"namespaces\": [%s]%s}}",
           mounts, namespaces, rest);
  if (spec_parse("config.json", json, strlen(json), &s, &err) < 0) {
    printf("# %s\n", err->msg);
    ocirun_error_free(&err);
    return -2;
  }
  owner = container_cgroup_owner(s);
  spec_free(s);
  return owner;
}

static void test_cgroup_owner(void) {
  const char *rw = "{\"destination\": \"/sys/fs/cgroup\", \"source\": \"cgroup\", \"type\": "
                   "\"cgroup\", \"options\": [\"nosuid\", \"rw\"]}";
  const char *ro = "{\"destination\": \"/sys/fs/cgroup/\", \"source\": \"cgroup\", \"type\": "
                   "\"cgroup\", \"options\": [\"rw\", \"ro\"]}";
  const char *maps =
      ", \"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],"
      " \"gidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]";
  /* the process's user, through the map */
  CHECK(owner_of("{\"type\": \"user\"}, {\"type\": \"cgroup\"}", rw, maps) == 100005);
  /* without a user namespace the uid itself */
  CHECK(owner_of("{\"type\": \"cgroup\"}", rw, "") == 5);
  /* read-only, no cgroup namespace, one joined by path, a uid the map lacks: nobody */
  CHECK(owner_of("{\"type\": \"user\"}, {\"type\": \"cgroup\"}", ro, maps) == -1);
  CHECK(owner_of("{\"type\": \"user\"}", rw, maps) == -1);
  CHECK(owner_of("{\"type\": \"cgroup\", \"path\": \"/proc/1/ns/cgroup\"}", rw, "") == -1);
  CHECK(owner_of("{\"type\": \"user\"}, {\"type\": \"cgroup\"}", rw,
                 ", \"uidMappings\": [{\"containerID\": 10, \"hostID\": 100000, \"size\": 5}],"
                 " \"gidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 1}]") ==
        -1);
}

/* The identity map, as the kernel prints it, alone; anything else is a nested namespace. */
static void test_identity_map(void) {
  static const char identity[] = "         0          0 4294967295\n";
  static const char podman[] = "         0       1000          1\n"
                               "         1     100000      65536\n";
  static const char two[] = "         0          0 4294967295\n         0          0          1\n";

  CHECK(userns_map_is_identity(identity, strlen(identity)));
  CHECK(userns_map_is_identity("0 0 4294967295", 14));
  CHECK(!userns_map_is_identity(podman, strlen(podman)));
  CHECK(!userns_map_is_identity(two, strlen(two)));
  CHECK(!userns_map_is_identity("0 0 4294967294\n", 15));
  /* not numbers, a number too large, a short line, nothing */
  CHECK(!userns_map_is_identity("0 x 1\n", 6));
  CHECK(!userns_map_is_identity("0 0 4294967296\n", 15));
  CHECK(!userns_map_is_identity("0 0\n", 4));
  CHECK(!userns_map_is_identity("", 0));
}

int main(void) {
  test_identity_map();
  test_format();
  test_cgroup_owner();
  test_plan();
  test_helper_argv();
  test_idmap_kind();
  test_keep_locked();
  return unit_done();
}
