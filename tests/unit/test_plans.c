/* Decisions computed apart from the syscalls that carry them out, checked without
 * root: the order in which namespaces are joined, what happens to the capability
 * sets, and what each mount entry does. */
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <sys/mount.h>

#include "linux/capabilities.h"
#include "linux/mount_plan.h"
#include "linux/namespaces.h"
#include "unit.h"

#define BIT(c) (UINT64_C(1) << (c))

static size_t plan_of(const enum spec_namespace_type *with, size_t n_with,
                      const enum spec_namespace_type *owned_list, size_t n_owned, bool foreign_only,
                      enum spec_namespace_type plan[SPEC_NS_COUNT]) {
  bool has[SPEC_NS_COUNT] = {0}, owned[SPEC_NS_COUNT] = {0};
  for (size_t i = 0; i < n_with; i++)
    has[with[i]] = true;
  for (size_t i = 0; i < n_owned; i++)
    owned[owned_list[i]] = true;
  return namespaces_join_plan(has, owned, foreign_only, plan);
}

static bool plan_is(const enum spec_namespace_type *plan, size_t n,
                    const enum spec_namespace_type *want, size_t n_want) {
  if (n != n_want)
    return false;
  for (size_t i = 0; i < n; i++)
    if (plan[i] != want[i])
      return false;
  return true;
}

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static void test_namespace_order(void) {
  enum spec_namespace_type plan[SPEC_NS_COUNT];
  size_t n;

  /* Every namespace by path, no user namespace: user, ipc, uts, net, pid, cgroup, time,
   * mount last (joining it moves root and cwd). */
  const enum spec_namespace_type all_but_user[] = {SPEC_NS_MOUNT, SPEC_NS_PID, SPEC_NS_NETWORK,
                                                   SPEC_NS_IPC,   SPEC_NS_UTS, SPEC_NS_CGROUP,
                                                   SPEC_NS_TIME};
  const enum spec_namespace_type want1[] = {SPEC_NS_IPC,  SPEC_NS_UTS,    SPEC_NS_NETWORK,
                                            SPEC_NS_PID,  SPEC_NS_CGROUP, SPEC_NS_TIME,
                                            SPEC_NS_MOUNT};
  n = plan_of(all_but_user, LEN(all_but_user), NULL, 0, false, plan);
  CHECK(plan_is(plan, n, want1, LEN(want1)));
  /* Without a user namespace nothing is foreign. */
  CHECK(plan_of(all_but_user, LEN(all_but_user), NULL, 0, true, plan) == 0);

  /* A user namespace that owns net and mount but not ipc or uts: ipc and uts first (they
   * need the privileges left behind once in the user namespace), then user, then the
   * rest in order, with pid and time never foreign. */
  const enum spec_namespace_type with_user[] = {SPEC_NS_USER,    SPEC_NS_IPC,   SPEC_NS_UTS,
                                                SPEC_NS_NETWORK, SPEC_NS_MOUNT, SPEC_NS_PID,
                                                SPEC_NS_TIME};
  const enum spec_namespace_type owned[] = {SPEC_NS_NETWORK, SPEC_NS_MOUNT};
  const enum spec_namespace_type want2[] = {SPEC_NS_IPC,     SPEC_NS_UTS, SPEC_NS_USER,
                                            SPEC_NS_NETWORK, SPEC_NS_PID, SPEC_NS_TIME,
                                            SPEC_NS_MOUNT};
  n = plan_of(with_user, LEN(with_user), owned, LEN(owned), false, plan);
  CHECK(plan_is(plan, n, want2, LEN(want2)));
  const enum spec_namespace_type want3[] = {SPEC_NS_IPC, SPEC_NS_UTS};
  n = plan_of(with_user, LEN(with_user), owned, LEN(owned), true, plan);
  CHECK(plan_is(plan, n, want3, LEN(want3)));

  /* All owned: the user namespace first. */
  const enum spec_namespace_type owned_all[] = {SPEC_NS_IPC, SPEC_NS_UTS, SPEC_NS_NETWORK,
                                                SPEC_NS_MOUNT};
  const enum spec_namespace_type want4[] = {SPEC_NS_USER,    SPEC_NS_IPC, SPEC_NS_UTS,
                                            SPEC_NS_NETWORK, SPEC_NS_PID, SPEC_NS_TIME,
                                            SPEC_NS_MOUNT};
  n = plan_of(with_user, LEN(with_user), owned_all, LEN(owned_all), false, plan);
  CHECK(plan_is(plan, n, want4, LEN(want4)));
  CHECK(plan_of(with_user, LEN(with_user), owned_all, LEN(owned_all), true, plan) == 0);

  /* Nothing by path: nothing to join. */
  CHECK(plan_of(NULL, 0, NULL, 0, false, plan) == 0);
}

static void test_caps_plan(void) {
  ocirun_error_t *err = NULL;
  struct caps_plan p;
  const struct caps_sets want = {
      .bounding = BIT(CAP_CHOWN) | BIT(CAP_KILL),
      .effective = BIT(CAP_KILL),
      .permitted = BIT(CAP_KILL) | BIT(CAP_CHOWN),
  };
  uint64_t all40 = BIT(41) - 1;

  /* Root before any switch: the sets agree, nothing to raise; every capability the kernel
   * knows outside the bounding set is dropped, none above the kernel's last. */
  CHECK(caps_plan(&want, all40, all40, 40, &p, &err) == 0);
  CHECK(!p.raise_effective_first);
  CHECK(p.drop_bounding == (all40 & ~want.bounding));
  CHECK((p.drop_bounding & BIT(41)) == 0);

  /* After the uid switch with keepcaps the effective set is empty: raised first, or the
   * drops would need a CAP_SETPCAP that is not effective. */
  CHECK(caps_plan(&want, 0, all40, 40, &p, &err) == 0);
  CHECK(p.raise_effective_first);

  /* A kernel that knows all 64: the whole complement. */
  CHECK(caps_plan(&want, 0, 0, 63, &p, &err) == 0);
  CHECK(p.drop_bounding == ~want.bounding);

  /* The full bounding set asked for: nothing dropped. */
  struct caps_sets keep_all = {.bounding = all40};
  CHECK(caps_plan(&keep_all, all40, all40, 40, &p, &err) == 0);
  CHECK(p.drop_bounding == 0);

  /* Effective but not permitted cannot be set: an error naming the capability. */
  struct caps_sets bad = {.effective = BIT(CAP_NET_RAW), .permitted = BIT(CAP_KILL)};
  CHECK(caps_plan(&bad, all40, all40, 40, &p, &err) < 0);
  CHECK(err != NULL);
  if (err)
    CHECK_CONTAINS(err->msg, "CAP_NET_RAW");
  ocirun_error_free(&err);
}

/* The plan of one entry {destination, type, options...} with rootfs /bundle/rootfs; NULL on
 * success, else the error's message (malloc'd). */
static char *plan_mount(const char *dest, const char *type, bool in_userns, struct mount_plan *p,
                        size_t n_opts, const char *const *opts) {
  struct spec_mount m = {.destination = (char *)dest,
                         .type = (char *)type,
                         .options = {.items = (char **)opts, .len = n_opts}};
  struct mount_options mo;
  ocirun_error_t *err = NULL;
  char *msg;

  if (mount_options_parse(&m.options, 3, &mo, &err) < 0)
    return unit_error_message(-1, &err);
  msg =
      unit_error_message(mount_plan_entry(&m, 3, &mo, "/bundle/rootfs", in_userns, p, &err), &err);
  mount_options_clear(&mo);
  return msg;
}

static void test_mount_plan(void) {
  struct mount_plan p;
  char *msg;
  static const char *const rbind_ro[] = {"rbind", "ro"};
  static const char *const ro[] = {"nosuid", "ro"};
  static const char *const copyup[] = {"tmpcopyup"};
  static const char *const idmap[] = {"idmap"};

  /* Any entry with a bind option is a bind, whatever its type says. */
  CHECK(plan_mount("/data", "none", false, &p, LEN(rbind_ro), rbind_ro) == NULL);
  CHECK(p.kind == MOUNT_KIND_BIND);
  CHECK_STR_EQ(p.type, "bind");
  CHECK(plan_mount("/data", "bind", false, &p, 0, NULL) == NULL && p.kind == MOUNT_KIND_BIND);

  /* A destination is cleaned, and one written as the rootfs's host path is the path inside. */
  CHECK(plan_mount("/bundle/rootfs/etc/../var//lib/", "tmpfs", false, &p, 0, NULL) == NULL);
  CHECK_STR_EQ(p.dest, "/var/lib");
  CHECK(p.kind == MOUNT_KIND_FILESYSTEM && p.label_in_data && !p.directory_only);

  /* proc and sysfs: directories only, labelled by the kernel; mqueue labelled after. */
  CHECK(plan_mount("/proc", "proc", false, &p, 0, NULL) == NULL);
  CHECK(p.directory_only && !p.label_in_data && !p.label_after_mount);
  CHECK(plan_mount("/dev/mqueue", "mqueue", false, &p, 0, NULL) == NULL);
  CHECK(!p.directory_only && !p.label_in_data && p.label_after_mount);

  /* The host's sysfs and mqueue stand in only inside a user namespace. */
  CHECK(plan_mount("/sys", "sysfs", false, &p, LEN(ro), ro) == NULL);
  CHECK(p.userns_host_instance == NULL && (p.fs_flags & MS_RDONLY));
  CHECK(plan_mount("/sys", "sysfs", true, &p, LEN(ro), ro) == NULL);
  CHECK_STR_EQ(p.userns_host_instance, "/sys");
  CHECK(plan_mount("/dev/mqueue", "mqueue", true, &p, 0, NULL) == NULL);
  CHECK_STR_EQ(p.userns_host_instance, "/dev/mqueue");
  CHECK(plan_mount("/tmp", "tmpfs", true, &p, 0, NULL) == NULL && p.userns_host_instance == NULL);

  /* A read-only /dev is mounted writable (made read-only once the devices are in). */
  CHECK(plan_mount("/dev", "tmpfs", false, &p, LEN(ro), ro) == NULL);
  CHECK(!(p.fs_flags & MS_RDONLY) && (p.fs_flags & MS_NOSUID));
  CHECK(plan_mount("/dev/shm", "tmpfs", false, &p, LEN(ro), ro) == NULL &&
        (p.fs_flags & MS_RDONLY));

  /* tmpcopyup is for tmpfs only; cgroup has a kind of its own. */
  CHECK(plan_mount("/etc", "tmpfs", false, &p, LEN(copyup), copyup) == NULL);
  CHECK(p.kind == MOUNT_KIND_TMPFS_COPYUP);
  CHECK(plan_mount("/etc", "ramfs", false, &p, LEN(copyup), copyup) == NULL);
  CHECK(p.kind == MOUNT_KIND_FILESYSTEM);
  CHECK(plan_mount("/sys/fs/cgroup", "cgroup", false, &p, 0, NULL) == NULL);
  CHECK(p.kind == MOUNT_KIND_CGROUP);

  /* Refusals name the entry. */
  msg = plan_mount("", "tmpfs", false, &p, 0, NULL);
  CHECK_CONTAINS(msg, ".mounts[3].destination");
  free(msg);
  msg = plan_mount("/x", NULL, false, &p, 0, NULL);
  CHECK_CONTAINS(msg, ".mounts[3].type: required");
  free(msg);
  msg = plan_mount("/x", "tmpfs", false, &p, LEN(idmap), idmap);
  CHECK_CONTAINS(msg, "id-mapped mounts are bind mounts only");
  free(msg);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  test_namespace_order();
  test_caps_plan();
  test_mount_plan();
  return unit_done();
}
