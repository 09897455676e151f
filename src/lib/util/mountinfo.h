/* /proc/<pid>/mountinfo, one line at a time: the one parser of the runtime.  The kernel
 * escapes space, tab, newline and backslash in paths as \ooo; every path field comes back
 * decoded, so a mount point with a space is read as the kernel mounted it. */
#ifndef OCIRUN_UTIL_MOUNTINFO_H
#define OCIRUN_UTIL_MOUNTINFO_H

#include <stdbool.h>

#include "util/error.h"

/* One line: "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue".
 * The strings point into the text being parsed. */
struct mountinfo_entry {
  unsigned long long id, parent;
  const char *root;          /* the mount's root within its filesystem, decoded */
  const char *mountpoint;    /* decoded */
  const char *options;       /* per-mount options */
  const char *optional;      /* "shared:1 master:2", "" when none */
  const char *fstype;        /* "cgroup2", "proc" ... */
  const char *source;        /* decoded */
  const char *super_options; /* per-superblock options */
};

/* The next well-formed entry of the text at *cursor, which is modified in place (lines and
 * fields are cut and decoded); *cursor moves past it.  False at the end.  Malformed lines
 * are skipped. */
bool mountinfo_next(char **cursor, struct mountinfo_entry *e);

/* Whether the mount is shared (an optional field "shared:N"). */
bool mountinfo_is_shared(const struct mountinfo_entry *e);

/* Read /proc/self/mountinfo (malloc'd). */
int mountinfo_read_self(char **text, ocirun_error_t **err);

/* Decode mountinfo's \ooo escapes in place. */
void mountinfo_unescape(char *s);

#endif
