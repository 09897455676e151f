/* The "options" array of a spec mount, translated once into what the kernel
 * takes: mount(2) flags, propagation changes, mount_setattr(2) attributes
 * for the recursive forms, and the filesystem data string for everything
 * the runtime does not know itself (the filesystem parses it). */
#ifndef OCIRUN_LINUX_MOUNT_OPTIONS_H
#define OCIRUN_LINUX_MOUNT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec/spec.h"
#include "util/error.h"

#define MOUNT_OPTIONS_MAX_PROPAGATION 8

struct mount_options {
  unsigned long flags; /* MS_* requested (the last of "ro"/"rw" etc. wins) */
  unsigned long clear; /* MS_* explicitly turned off ("rw", "suid", "dev", ...) */
  /* MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE, possibly | MS_REC, in order */
  unsigned long propagation[MOUNT_OPTIONS_MAX_PROPAGATION];
  size_t propagation_len;
  uint64_t rec_attr_set; /* MOUNT_ATTR_* applied with AT_RECURSIVE ("rro", ...) */
  uint64_t rec_attr_clr;
  char *data;     /* unknown options joined by ',' (NULL when none) */
  bool tmpcopyup; /* copy the destination's content into the new tmpfs */
  bool idmap;     /* idmapped mount of the top mount */
  bool ridmap;    /* idmapped, recursively */
};

/* Parse options[] of .mounts[index].  Unknown options go to ->data; errors name
 * the JSON path (.mounts[3].options[1]).  Free with mount_options_clear(). */
int mount_options_parse(const struct spec_strv *options, size_t index, struct mount_options *out,
                        ocirun_error_t **err);
void mount_options_clear(struct mount_options *o);

/* Per-mount attributes (MOUNT_ATTR_*) for the non-recursive mount flags: what a
 * bind mount has to set and clear with mount_setattr(2).  Superblock flags
 * (sync, dirsync, mand, lazytime, ...) have no per-mount form and are left out,
 * as a bind remount ignores them too. */
void mount_options_attrs(const struct mount_options *o, uint64_t *set, uint64_t *clr);

/* In a user namespace the host's flags of a bind mount's source are locked:
 * clearing one of them, or changing the access-time mode, fails with EPERM.
 * Drops those changes from set/clr given the source's statvfs f_flag (ST_*). */
void mount_attrs_keep_locked(unsigned long st_flags, uint64_t *set, uint64_t *clr);

/* A bind mount changes the flags of its tree only when its options name a flag to set
 * or to clear (beyond bind/rbind); otherwise the tree keeps the source's, as runc's. */
bool mount_options_bind_changes_flags(const struct mount_options *o);

/* What MS_BIND|MS_REMOUNT with `flags` (MS_*) does to one mount, as the attributes
 * mount_setattr(2) takes: every per-mount flag not in `flags` is cleared; the access-time
 * mode and nodiratime change only when `flags` name one of them (relatime unless
 * noatime or strictatime is named), else they stay as they are. */
void mount_remount_attrs(unsigned long flags, uint64_t *set, uint64_t *clr);

/* A statvfs f_flag (ST_*) as mount flags (MS_*); a mount with neither noatime nor
 * relatime is strictatime. */
unsigned long mount_flags_from_statvfs(unsigned long st_flags);

/* The flags of a bind whose source has flags a user namespace locked (`source`,
 * MS_*): the entry's flags with the source's locked ones (ro, nosuid, nodev, noexec,
 * the access-time mode and nodiratime) in place of what the entry asked for them. */
unsigned long mount_flags_keep_locked(unsigned long flags, unsigned long source);

/* Whether `flags` (MS_*) name an access-time mode or nodiratime other than the one of
 * `source` (MS_*, as mount_flags_from_statvfs gives it): a change that a user namespace's
 * lock refuses and that runc lets fail, where flags that only clear one keep the source's. */
bool mount_flags_change_locked_atime(unsigned long flags, unsigned long source);

/* Propagation flags of a rootfsPropagation value ("rslave", "shared", ...);
 * 0 when the name is unknown. */
unsigned long mount_propagation_from_name(const char *name);

#endif
