/* Writes to /proc that cannot be redirected.  A container can prepare its
 * rootfs so that /proc, or a file below it, is something else (a tmpfs, a
 * symlink, a bind mount of another procfs file): every write goes through an
 * fd whose filesystem was checked, opened without following links or crossing
 * mounts. */
#ifndef OCIRUN_LINUX_PROC_VERIFY_H
#define OCIRUN_LINUX_PROC_VERIFY_H

#include "util/error.h"

/* Every write into /proc goes through one of these two.
 *
 * proc_safe_write("1234/uid_map", "0 100000 65536\n", &err) opens a procfs
 * nothing can have shaped (see proc_open_safe), writes value to relpath below
 * it in one write(2), and closes it.  relpath is relative to the procfs root;
 * a leading "self/" or "thread-self/" is the calling process or thread. */
int proc_safe_write(const char *relpath, const char *value, ocirun_error_t **err);

/* For several writes: a procfs root fd for proc_write_at.  In order of
 * preference: proc_root itself when it is the root of a procfs (every open
 * below it crosses no mount: nothing mounted over its files is reached); when
 * it is shadowed, a new private procfs instance of the caller's pid namespace
 * (fsopen + fsmount, attached nowhere), else a non-recursive clone of
 * proc_root's mount (open_tree: no overmount comes along).  Each is checked to
 * be the root of a procfs. */
int proc_open_safe(const char *proc_root, int *fd, ocirun_error_t **err);

/* Opens proc_root ("/proc") as a directory and checks that it is the root of
 * a procfs mount (PROC_SUPER_MAGIC, root inode). */
int proc_open_verified(const char *proc_root, int *fd, ocirun_error_t **err);

/* Opens "sys" below a verified proc root with RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV: fails when /proc/sys is a mount of
 * its own (e.g. after the read-only remount of readonlyPaths, so sysctls are
 * written before that). */
int proc_open_sys(int proc_fd, int *fd, ocirun_error_t **err);

/* Writes value to relpath below proc_fd (a verified proc root or /proc/sys),
 * opened with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
 * RESOLVE_NO_XDEV, and checked to be on procfs and on the root's mount
 * (mount ids).  A leading "self/" or "thread-self/" is resolved through the procfs's own
 * link (no link is followed by the open itself).  The opened file must be on
 * procfs and reached without crossing a mount. */
int proc_write_at(int proc_fd, const char *relpath, const char *value, ocirun_error_t **err);

/* Opens relpath below proc_fd the same way (flags: O_RDONLY, O_WRONLY, ...). */
int proc_open_at(int proc_fd, const char *relpath, int flags, int *fd, ocirun_error_t **err);

#endif
