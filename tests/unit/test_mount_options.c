/* The mount option table: every option to its mount(2) flag, propagation,
 * recursive attribute or data string. */
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include "linux/mount_options.h"
#include "linux/path_resolve.h"
#include "unit.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

static struct mount_options parse(const char *const *items, size_t n) {
  struct spec_strv v = {.items = (char **)items, .len = n};
  struct mount_options mo;
  ocirun_error_t *err = NULL;

  CHECK(mount_options_parse(&v, 0, &mo, &err) == 0);
  CHECK(err == NULL);
  return mo;
}

static struct mount_options parse1(const char *opt) {
  const char *items[] = {opt};
  return parse(items, 1);
}

static void check_set(const char *opt, unsigned long flag) {
  struct mount_options mo = parse1(opt);
  CHECK(mo.flags == flag);
  CHECK(mo.clear == 0);
  CHECK(mo.data == NULL);
  mount_options_clear(&mo);
}

static void check_clear(const char *opt, unsigned long flag) {
  struct mount_options mo = parse1(opt);
  CHECK(mo.flags == 0);
  CHECK(mo.clear == flag);
  CHECK(mo.data == NULL);
  mount_options_clear(&mo);
}

static void check_prop(const char *opt, unsigned long prop) {
  struct mount_options mo = parse1(opt);
  CHECK(mo.flags == 0);
  CHECK(mo.propagation_len == 1 && mo.propagation[0] == prop);
  CHECK(mount_propagation_from_name(opt) == prop);
  mount_options_clear(&mo);
}

static void check_rec(const char *opt, uint64_t set, uint64_t clr) {
  struct mount_options mo = parse1(opt);
  CHECK(mo.flags == 0);
  CHECK(mo.rec_attr_set == set);
  CHECK(mo.rec_attr_clr == clr);
  mount_options_clear(&mo);
}

/* path_strip_root on a copy of path; returns the result. */
static const char *strip(const char *rootfs, const char *path) {
  static char buf[256];
  strcpy(buf, path);
  path_strip_root(rootfs, buf);
  return buf;
}

int main(void) {
  /* A destination spelled with the rootfs's host path lands inside the rootfs. */
  CHECK_STR_EQ(strip("/b/rootfs", "/b/rootfs/mnt/x"), "/mnt/x");
  CHECK_STR_EQ(strip("/b/rootfs/", "/b/rootfs"), "/");
  CHECK_STR_EQ(strip("/b//rootfs/.", "/b/rootfs/mnt"), "/mnt");
  CHECK_STR_EQ(strip("/b/rootfs", "/b/rootfs2/mnt"), "/b/rootfs2/mnt");
  CHECK_STR_EQ(strip("/b/rootfs", "/mnt"), "/mnt");
  CHECK_STR_EQ(strip("/", "/mnt"), "/mnt");
  CHECK_STR_EQ(strip(NULL, "/b/rootfs/mnt"), "/b/rootfs/mnt");

  check_set("ro", MS_RDONLY);
  check_set("nosuid", MS_NOSUID);
  check_set("nodev", MS_NODEV);
  check_set("noexec", MS_NOEXEC);
  check_set("sync", MS_SYNCHRONOUS);
  check_set("dirsync", MS_DIRSYNC);
  check_set("remount", MS_REMOUNT);
  check_set("mand", MS_MANDLOCK);
  check_set("noatime", MS_NOATIME);
  check_set("nodiratime", MS_NODIRATIME);
  check_set("relatime", MS_RELATIME);
  check_set("strictatime", MS_STRICTATIME);
  check_set("lazytime", MS_LAZYTIME);
  check_set("bind", MS_BIND);
  check_set("rbind", MS_BIND | MS_REC);
  check_set("nosymfollow", MS_NOSYMFOLLOW);
  check_set("iversion", MS_I_VERSION);
  check_set("silent", MS_SILENT);
  check_set("defaults", 0);

  check_clear("rw", MS_RDONLY);
  check_clear("suid", MS_NOSUID);
  check_clear("dev", MS_NODEV);
  check_clear("exec", MS_NOEXEC);
  check_clear("async", MS_SYNCHRONOUS);
  check_clear("nomand", MS_MANDLOCK);
  check_clear("atime", MS_NOATIME);
  check_clear("diratime", MS_NODIRATIME);
  check_clear("norelatime", MS_RELATIME);
  check_clear("nostrictatime", MS_STRICTATIME);
  check_clear("nolazytime", MS_LAZYTIME);
  check_clear("symfollow", MS_NOSYMFOLLOW);
  check_clear("noiversion", MS_I_VERSION);
  check_clear("loud", MS_SILENT);

  check_prop("private", MS_PRIVATE);
  check_prop("rprivate", MS_PRIVATE | MS_REC);
  check_prop("slave", MS_SLAVE);
  check_prop("rslave", MS_SLAVE | MS_REC);
  check_prop("shared", MS_SHARED);
  check_prop("rshared", MS_SHARED | MS_REC);
  check_prop("unbindable", MS_UNBINDABLE);
  check_prop("runbindable", MS_UNBINDABLE | MS_REC);
  CHECK(mount_propagation_from_name("ro") == 0);
  CHECK(mount_propagation_from_name("bogus") == 0);
  CHECK(mount_propagation_from_name(NULL) == 0);

  check_rec("rro", MOUNT_ATTR_RDONLY, 0);
  check_rec("rrw", 0, MOUNT_ATTR_RDONLY);
  check_rec("rnosuid", MOUNT_ATTR_NOSUID, 0);
  check_rec("rsuid", 0, MOUNT_ATTR_NOSUID);
  check_rec("rnodev", MOUNT_ATTR_NODEV, 0);
  check_rec("rdev", 0, MOUNT_ATTR_NODEV);
  check_rec("rnoexec", MOUNT_ATTR_NOEXEC, 0);
  check_rec("rexec", 0, MOUNT_ATTR_NOEXEC);
  check_rec("rnodiratime", MOUNT_ATTR_NODIRATIME, 0);
  check_rec("rdiratime", 0, MOUNT_ATTR_NODIRATIME);
  check_rec("rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0);
  check_rec("rsymfollow", 0, MOUNT_ATTR_NOSYMFOLLOW);
  /* An access-time mode always comes with the whole field in attr_clr. */
  check_rec("rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME);
  check_rec("rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME);
  check_rec("rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME);
  check_rec("ratime", 0, MOUNT_ATTR__ATIME);
  check_rec("rnorelatime", 0, MOUNT_ATTR__ATIME);
  check_rec("rnostrictatime", 0, MOUNT_ATTR__ATIME);

  { /* extensions */
    struct mount_options mo = parse1("tmpcopyup");
    CHECK(mo.tmpcopyup && !mo.idmap && !mo.ridmap && mo.data == NULL);
    mo = parse1("idmap");
    CHECK(mo.idmap && !mo.ridmap);
    mo = parse1("ridmap");
    CHECK(mo.ridmap && !mo.idmap);
  }
  { /* unknown options form the data string, in order; empty ones are dropped */
    const char *items[] = {"nosuid", "mode=755", "", "size=65536k", "ro", "uid=5"};
    struct mount_options mo = parse(items, 6);
    CHECK(mo.flags == (MS_NOSUID | MS_RDONLY));
    CHECK_STR_EQ(mo.data, "mode=755,size=65536k,uid=5");
    mount_options_clear(&mo);
  }
  { /* the last of a pair wins */
    const char *items[] = {"ro", "rw", "nosuid", "suid", "nodev"};
    struct mount_options mo = parse(items, 5);
    CHECK(mo.flags == MS_NODEV);
    CHECK(mo.clear == (MS_RDONLY | MS_NOSUID));
    mount_options_clear(&mo);
    const char *items2[] = {"rrw", "rro", "rnoatime", "rstrictatime"};
    mo = parse(items2, 4);
    CHECK(mo.rec_attr_set == (MOUNT_ATTR_RDONLY | MOUNT_ATTR_STRICTATIME));
    CHECK(mo.rec_attr_clr == MOUNT_ATTR__ATIME);
  }
  { /* several propagation options are kept in order */
    const char *items[] = {"rbind", "rprivate", "shared"};
    struct mount_options mo = parse(items, 3);
    CHECK(mo.flags == (MS_BIND | MS_REC));
    CHECK(mo.propagation_len == 2);
    CHECK(mo.propagation[0] == (MS_PRIVATE | MS_REC) && mo.propagation[1] == MS_SHARED);
  }
  { /* too many propagation options: the error names the JSON path */
    const char *items[] = {"shared", "shared", "shared", "shared", "shared",
                           "shared", "shared", "shared", "slave"};
    struct spec_strv v = {.items = (char **)items, .len = 9};
    struct mount_options mo;
    ocirun_error_t *err = NULL;
    CHECK(mount_options_parse(&v, 3, &mo, &err) < 0);
    CHECK(err != NULL);
    if (err)
      CHECK_CONTAINS(err->msg, ".mounts[3].options[8]");
    ocirun_error_free(&err);
  }
  { /* per-mount attributes of a bind */
    uint64_t set, clr;
    const char *items[] = {"bind", "ro", "nosuid", "dev", "noatime"};
    struct mount_options mo = parse(items, 5);
    mount_options_attrs(&mo, &set, &clr);
    CHECK(set == (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOATIME));
    CHECK(clr == (MOUNT_ATTR_NODEV | MOUNT_ATTR__ATIME));
    const char *items2[] = {"bind", "sync"};
    mo = parse(items2, 2);
    mount_options_attrs(&mo, &set, &clr);
    CHECK(set == 0 && clr == 0); /* superblock flags have no per-mount form */
    const char *items3[] = {"rw", "exec", "symfollow", "strictatime"};
    mo = parse(items3, 4);
    mount_options_attrs(&mo, &set, &clr);
    CHECK(set == MOUNT_ATTR_STRICTATIME);
    CHECK(clr ==
          (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSYMFOLLOW | MOUNT_ATTR__ATIME));
  }
  { /* a bind with flag options: MS_BIND|MS_REMOUNT semantics */
    uint64_t set, clr;
    const char *keep[] = {"rbind", "rprivate"};
    struct mount_options mo = parse(keep, 2);
    CHECK(!mount_options_bind_changes_flags(&mo));
    const char *clear_only[] = {"bind", "dev"};
    mo = parse(clear_only, 2);
    CHECK(mount_options_bind_changes_flags(&mo));
    mount_remount_attrs(MS_NOSUID, &set, &clr);
    CHECK(set == MOUNT_ATTR_NOSUID);
    CHECK(clr ==
          (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSYMFOLLOW));
    mount_remount_attrs(MS_NODIRATIME, &set, &clr); /* relatime unless noatime/strictatime */
    CHECK(set == MOUNT_ATTR_NODIRATIME);
    CHECK((clr & MOUNT_ATTR__ATIME) == MOUNT_ATTR__ATIME && !(clr & MOUNT_ATTR_NODIRATIME));
    mount_remount_attrs(MS_NOATIME | MS_STRICTATIME, &set, &clr);
    CHECK((set & MOUNT_ATTR__ATIME) == MOUNT_ATTR_STRICTATIME);
    CHECK(clr & MOUNT_ATTR_NODIRATIME);
    CHECK(mount_flags_from_statvfs(ST_RDONLY | ST_RELATIME) == (MS_RDONLY | MS_RELATIME));
    CHECK(mount_flags_from_statvfs(ST_NOSUID) == (MS_NOSUID | MS_STRICTATIME));
    CHECK(mount_flags_from_statvfs(ST_NOATIME | 0x2000) == (MS_NOATIME | MS_NOSYMFOLLOW));
    /* locked flags of the source replace the asked ones; nosymfollow is not lockable */
    CHECK(mount_flags_keep_locked(MS_NODEV | MS_STRICTATIME,
                                  MS_RDONLY | MS_NOATIME | MS_NOSYMFOLLOW) ==
          (MS_NODEV | MS_RDONLY | MS_NOATIME));
    /* a named access-time mode or nodiratime the locked source lacks is a change */
    CHECK(mount_flags_change_locked_atime(MS_STRICTATIME, MS_RELATIME));
    CHECK(mount_flags_change_locked_atime(MS_NOATIME, MS_RELATIME | MS_NODIRATIME));
    CHECK(mount_flags_change_locked_atime(MS_NODIRATIME, MS_RELATIME));
    CHECK(mount_flags_change_locked_atime(MS_RELATIME, MS_STRICTATIME));
    /* the same mode, or no mode named (clearing only), is none */
    CHECK(!mount_flags_change_locked_atime(MS_NODEV, MS_NOATIME | MS_NODIRATIME));
    CHECK(!mount_flags_change_locked_atime(MS_NODIRATIME, MS_RELATIME | MS_NODIRATIME));
    CHECK(!mount_flags_change_locked_atime(MS_NOATIME | MS_RDONLY, MS_NOATIME | MS_RDONLY));
  }
  { /* no options at all */
    struct spec_strv v = {0};
    struct mount_options mo;
    ocirun_error_t *err = NULL;
    CHECK(mount_options_parse(&v, 0, &mo, &err) == 0);
    CHECK(mo.flags == 0 && mo.data == NULL && mo.propagation_len == 0);
  }
  return unit_done();
}
