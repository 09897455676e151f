#include "linux/mount_options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/mount.h>

/* MS_NOSYMFOLLOW is newer than some libc headers. */
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

enum opt_kind { OPT_SET, OPT_CLEAR, OPT_PROPAGATION, OPT_REC_SET, OPT_REC_CLEAR, OPT_EXTENSION };

enum extension { EXT_TMPCOPYUP, EXT_IDMAP, EXT_RIDMAP };

struct opt {
  const char *name;
  enum opt_kind kind;
  unsigned long value; /* MS_* flags, MOUNT_ATTR_* or enum extension */
};

/* Sorted by name: looked up with bsearch.  The set of names and their meaning
 * follow runc's mount option table so that configs behave the same. */
static const struct opt opts[] = {
    {"async", OPT_CLEAR, MS_SYNCHRONOUS},
    {"atime", OPT_CLEAR, MS_NOATIME},
    {"bind", OPT_SET, MS_BIND},
    {"defaults", OPT_SET, 0},
    {"dev", OPT_CLEAR, MS_NODEV},
    {"diratime", OPT_CLEAR, MS_NODIRATIME},
    {"dirsync", OPT_SET, MS_DIRSYNC},
    {"exec", OPT_CLEAR, MS_NOEXEC},
    {"idmap", OPT_EXTENSION, EXT_IDMAP},
    {"iversion", OPT_SET, MS_I_VERSION},
    {"lazytime", OPT_SET, MS_LAZYTIME},
    {"loud", OPT_CLEAR, MS_SILENT},
    {"mand", OPT_SET, MS_MANDLOCK},
    {"noatime", OPT_SET, MS_NOATIME},
    {"nodev", OPT_SET, MS_NODEV},
    {"nodiratime", OPT_SET, MS_NODIRATIME},
    {"noexec", OPT_SET, MS_NOEXEC},
    {"noiversion", OPT_CLEAR, MS_I_VERSION},
    {"nolazytime", OPT_CLEAR, MS_LAZYTIME},
    {"nomand", OPT_CLEAR, MS_MANDLOCK},
    {"norelatime", OPT_CLEAR, MS_RELATIME},
    {"nostrictatime", OPT_CLEAR, MS_STRICTATIME},
    {"nosuid", OPT_SET, MS_NOSUID},
    {"nosymfollow", OPT_SET, MS_NOSYMFOLLOW},
    {"private", OPT_PROPAGATION, MS_PRIVATE},
    {"ratime", OPT_REC_CLEAR, MOUNT_ATTR_NOATIME},
    {"rbind", OPT_SET, MS_BIND | MS_REC},
    {"rdev", OPT_REC_CLEAR, MOUNT_ATTR_NODEV},
    {"rdiratime", OPT_REC_CLEAR, MOUNT_ATTR_NODIRATIME},
    {"relatime", OPT_SET, MS_RELATIME},
    {"remount", OPT_SET, MS_REMOUNT},
    {"rexec", OPT_REC_CLEAR, MOUNT_ATTR_NOEXEC},
    {"ridmap", OPT_EXTENSION, EXT_RIDMAP},
    {"rnoatime", OPT_REC_SET, MOUNT_ATTR_NOATIME},
    {"rnodev", OPT_REC_SET, MOUNT_ATTR_NODEV},
    {"rnodiratime", OPT_REC_SET, MOUNT_ATTR_NODIRATIME},
    {"rnoexec", OPT_REC_SET, MOUNT_ATTR_NOEXEC},
    {"rnorelatime", OPT_REC_CLEAR, MOUNT_ATTR_RELATIME},
    {"rnostrictatime", OPT_REC_CLEAR, MOUNT_ATTR_STRICTATIME},
    {"rnosuid", OPT_REC_SET, MOUNT_ATTR_NOSUID},
    {"rnosymfollow", OPT_REC_SET, MOUNT_ATTR_NOSYMFOLLOW},
    {"ro", OPT_SET, MS_RDONLY},
    {"rprivate", OPT_PROPAGATION, MS_PRIVATE | MS_REC},
    {"rrelatime", OPT_REC_SET, MOUNT_ATTR_RELATIME},
    {"rro", OPT_REC_SET, MOUNT_ATTR_RDONLY},
    {"rrw", OPT_REC_CLEAR, MOUNT_ATTR_RDONLY},
    {"rshared", OPT_PROPAGATION, MS_SHARED | MS_REC},
    {"rslave", OPT_PROPAGATION, MS_SLAVE | MS_REC},
    {"rstrictatime", OPT_REC_SET, MOUNT_ATTR_STRICTATIME},
    {"rsuid", OPT_REC_CLEAR, MOUNT_ATTR_NOSUID},
    {"rsymfollow", OPT_REC_CLEAR, MOUNT_ATTR_NOSYMFOLLOW},
    {"runbindable", OPT_PROPAGATION, MS_UNBINDABLE | MS_REC},
    {"rw", OPT_CLEAR, MS_RDONLY},
    {"shared", OPT_PROPAGATION, MS_SHARED},
    {"silent", OPT_SET, MS_SILENT},
    {"slave", OPT_PROPAGATION, MS_SLAVE},
    {"strictatime", OPT_SET, MS_STRICTATIME},
    {"suid", OPT_CLEAR, MS_NOSUID},
    {"symfollow", OPT_CLEAR, MS_NOSYMFOLLOW},
    {"sync", OPT_SET, MS_SYNCHRONOUS},
    {"tmpcopyup", OPT_EXTENSION, EXT_TMPCOPYUP},
    {"unbindable", OPT_PROPAGATION, MS_UNBINDABLE},
};

static int opt_cmp(const void *key, const void *elem) {
  return strcmp(key, ((const struct opt *)elem)->name);
}

static const struct opt *opt_lookup(const char *name) {
  return bsearch(name, opts, sizeof(opts) / sizeof(opts[0]), sizeof(opts[0]), opt_cmp);
}

static int data_append(char **data, const char *opt) {
  size_t old = *data ? strlen(*data) : 0, add = strlen(opt);
  char *n = realloc(*data, old + add + 2);

  if (n == NULL)
    return -1;
  if (old) {
    n[old] = ',';
    memcpy(n + old + 1, opt, add + 1);
  } else {
    memcpy(n, opt, add + 1);
  }
  *data = n;
  return 0;
}

/* The access-time mode is one field: mount_setattr(2) wants the whole field in
 * attr_clr whenever one mode is set.  Clearing a mode ("ratime") means going
 * back to the kernel default, relatime. */
static void rec_apply(struct mount_options *o, enum opt_kind kind, uint64_t attr) {
  if (kind == OPT_REC_SET) {
    if ((attr & MOUNT_ATTR__ATIME) == attr) {
      o->rec_attr_set = (o->rec_attr_set & ~(uint64_t)MOUNT_ATTR__ATIME) | attr;
      o->rec_attr_clr |= MOUNT_ATTR__ATIME;
    } else {
      o->rec_attr_set |= attr;
      o->rec_attr_clr &= ~attr;
    }
    return;
  }
  if ((attr & MOUNT_ATTR__ATIME) == attr) {
    o->rec_attr_set &= ~(uint64_t)MOUNT_ATTR__ATIME;
    o->rec_attr_clr |= MOUNT_ATTR__ATIME;
  } else {
    o->rec_attr_clr |= attr;
    o->rec_attr_set &= ~attr;
  }
}

int mount_options_parse(const struct spec_strv *options, size_t index, struct mount_options *out,
                        ocirun_error_t **err) {
  memset(out, 0, sizeof(*out));
  for (size_t i = 0; options && i < options->len; i++) {
    const char *name = options->items[i];
    const struct opt *o = opt_lookup(name);

    if (o == NULL) {
      if (*name == '\0')
        continue; /* an empty option adds nothing, as in runc */
      if (data_append(&out->data, name) < 0) {
        mount_options_clear(out);
        return ocirun_error_set(err, ENOMEM, ".mounts[%zu].options[%zu]", index, i);
      }
      continue;
    }
    switch (o->kind) {
    case OPT_SET:
      out->flags |= o->value;
      out->clear &= ~o->value;
      break;
    case OPT_CLEAR:
      out->flags &= ~o->value;
      out->clear |= o->value;
      break;
    case OPT_PROPAGATION:
      if (out->propagation_len == MOUNT_OPTIONS_MAX_PROPAGATION) {
        mount_options_clear(out);
        return ocirun_error_set(err, 0,
                                ".mounts[%zu].options[%zu]: more than %d propagation options",
                                index, i, MOUNT_OPTIONS_MAX_PROPAGATION);
      }
      out->propagation[out->propagation_len++] = o->value;
      break;
    case OPT_REC_SET:
    case OPT_REC_CLEAR:
      rec_apply(out, o->kind, o->value);
      break;
    case OPT_EXTENSION:
      if (o->value == EXT_TMPCOPYUP)
        out->tmpcopyup = true;
      else if (o->value == EXT_IDMAP)
        out->idmap = true;
      else
        out->ridmap = true;
      break;
    }
  }
  return 0;
}

void mount_options_clear(struct mount_options *o) {
  free(o->data);
  o->data = NULL;
}

void mount_options_attrs(const struct mount_options *o, uint64_t *set, uint64_t *clr) {
  static const struct {
    unsigned long ms;
    uint64_t attr;
  } map[] = {
      {MS_RDONLY, MOUNT_ATTR_RDONLY},         {MS_NOSUID, MOUNT_ATTR_NOSUID},
      {MS_NODEV, MOUNT_ATTR_NODEV},           {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
      {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}, {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
  };
  uint64_t s = 0, c = 0;

  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
    if (o->flags & map[i].ms)
      s |= map[i].attr;
    else if (o->clear & map[i].ms)
      c |= map[i].attr;
  }
  /* An access-time mode is changed only when one is named, so that a bind
   * keeps the source's mode otherwise (as a MS_REMOUNT|MS_BIND does). */
  if (o->flags & MS_STRICTATIME) {
    s |= MOUNT_ATTR_STRICTATIME;
    c |= MOUNT_ATTR__ATIME;
  } else if (o->flags & MS_NOATIME) {
    s |= MOUNT_ATTR_NOATIME;
    c |= MOUNT_ATTR__ATIME;
  } else if ((o->flags & MS_RELATIME) || (o->clear & (MS_NOATIME | MS_STRICTATIME))) {
    c |= MOUNT_ATTR__ATIME; /* relatime is 0 */
  }
  *set = s;
  *clr = c;
}

void mount_attrs_keep_locked(unsigned long st_flags, uint64_t *set, uint64_t *clr) {
  static const struct {
    unsigned long st;
    uint64_t attr;
  } map[] = {{ST_RDONLY, MOUNT_ATTR_RDONLY},
             {ST_NOSUID, MOUNT_ATTR_NOSUID},
             {ST_NODEV, MOUNT_ATTR_NODEV},
             {ST_NOEXEC, MOUNT_ATTR_NOEXEC}};

  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
    if (st_flags & map[i].st)
      *clr &= ~map[i].attr;
  }
  if (st_flags & ST_NODIRATIME)
    *clr &= ~(uint64_t)MOUNT_ATTR_NODIRATIME;
  /* The access-time mode is locked as a whole. */
  if (*clr & MOUNT_ATTR__ATIME) {
    *set &= ~(uint64_t)MOUNT_ATTR__ATIME;
    *clr &= ~(uint64_t)MOUNT_ATTR__ATIME;
  }
}

#define ATIME_FLAGS (MS_NOATIME | MS_RELATIME | MS_STRICTATIME | MS_NODIRATIME)
/* What the kernel locks (MNT_LOCK_*) on the mounts a user namespace inherits. */
#define LOCKABLE_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | ATIME_FLAGS)

bool mount_options_bind_changes_flags(const struct mount_options *o) {
  return (o->flags & ~(unsigned long)(MS_BIND | MS_REC | MS_REMOUNT)) != 0 || o->clear != 0;
}

void mount_remount_attrs(unsigned long flags, uint64_t *set, uint64_t *clr) {
  static const struct {
    unsigned long ms;
    uint64_t attr;
  } map[] = {
      {MS_RDONLY, MOUNT_ATTR_RDONLY},
      {MS_NOSUID, MOUNT_ATTR_NOSUID},
      {MS_NODEV, MOUNT_ATTR_NODEV},
      {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
      {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
  };
  uint64_t s = 0, c = 0;

  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
    if (flags & map[i].ms)
      s |= map[i].attr;
    else
      c |= map[i].attr;
  }
  if (flags & ATIME_FLAGS) {
    c |= MOUNT_ATTR__ATIME | MOUNT_ATTR_NODIRATIME;
    if (flags & MS_STRICTATIME)
      s |= MOUNT_ATTR_STRICTATIME;
    else if (flags & MS_NOATIME)
      s |= MOUNT_ATTR_NOATIME;
    /* else relatime, which is 0 */
    if (flags & MS_NODIRATIME) {
      s |= MOUNT_ATTR_NODIRATIME;
      c &= ~(uint64_t)MOUNT_ATTR_NODIRATIME;
    }
  }
  *set = s;
  *clr = c;
}

unsigned long mount_flags_from_statvfs(unsigned long st_flags) {
  static const struct {
    unsigned long st, ms;
  } map[] = {
      {ST_RDONLY, MS_RDONLY},     {ST_NOSUID, MS_NOSUID},
      {ST_NODEV, MS_NODEV},       {ST_NOEXEC, MS_NOEXEC},
      {ST_NOATIME, MS_NOATIME},   {ST_NODIRATIME, MS_NODIRATIME},
      {ST_RELATIME, MS_RELATIME}, {0x2000 /* ST_NOSYMFOLLOW */, MS_NOSYMFOLLOW},
  };
  unsigned long ms = 0;

  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
    if (st_flags & map[i].st)
      ms |= map[i].ms;
  if (!(ms & (MS_NOATIME | MS_RELATIME)))
    ms |= MS_STRICTATIME;
  return ms;
}

bool mount_flags_change_locked_atime(unsigned long flags, unsigned long source) {
  const unsigned long modes = MS_NOATIME | MS_RELATIME | MS_STRICTATIME;
  unsigned long want;

  if (!(flags & ATIME_FLAGS))
    return false;
  /* as mount_remount_attrs: naming nodiratime alone means relatime */
  if (flags & MS_STRICTATIME)
    want = MS_STRICTATIME;
  else if (flags & MS_NOATIME)
    want = MS_NOATIME;
  else
    want = MS_RELATIME;
  return want != (source & modes) || (flags & MS_NODIRATIME) != (source & MS_NODIRATIME);
}

unsigned long mount_flags_keep_locked(unsigned long flags, unsigned long source) {
  return (flags & ~(unsigned long)ATIME_FLAGS) | (source & LOCKABLE_FLAGS);
}

unsigned long mount_propagation_from_name(const char *name) {
  const struct opt *o = name ? opt_lookup(name) : NULL;

  if (o == NULL || o->kind != OPT_PROPAGATION)
    return 0;
  return o->value;
}
