/* Linux security module labels: process.apparmorProfile, process.selinuxLabel
 * (and the session keyring's label), linux.mountLabel.  Every label is written
 * through a procfs from proc_open_safe (linux/proc_verify.h), never through a
 * path the container could have shaped. */
#ifndef OCIRUN_LINUX_LSM_H
#define OCIRUN_LINUX_LSM_H

#include <stdbool.h>

#include "util/error.h"

/* As runc decides it: securityfs shows AppArmor and the module says 'Y'. */
bool apparmor_enabled(void);

/* The profile for the next execve ("exec NAME" into attr/apparmor/exec, or
 * attr/exec on kernels without the per-LSM directory) of the calling thread.
 * NULL or "" does nothing.  Like runc, nothing is checked beforehand: with
 * AppArmor off the kernel refuses the write and that is the error. */
int apparmor_apply_profile(int proc_fd, const char *profile, ocirun_error_t **err);

/* As runc (go-selinux) decides it: selinuxfs is mounted and the caller has a
 * label other than "kernel". */
bool selinux_enabled(void);

/* The label of the calling thread's next execve (attr/exec).  NULL or "" does
 * nothing. */
int selinux_set_exec_label(int proc_fd, const char *label, ocirun_error_t **err);

/* The label of the keyrings the calling thread creates next (attr/keycreate),
 * set before the session keyring is joined.  NULL or "" does nothing. */
int selinux_set_key_label(int proc_fd, const char *label, ocirun_error_t **err);

/* data with context="label" appended (runc's FormatMountLabel), malloc'd into
 * *out; *out is NULL when label is NULL or "" (the caller keeps data).  runc
 * adds it whether or not SELinux is on; a kernel without SELinux then refuses
 * the mount, and so do we. */
int selinux_mount_data(const char *data, const char *label, char **out, ocirun_error_t **err);

/* The label of a mounted filesystem that cannot take context= (mqueue): the
 * security.selinux attribute of its root (fd: opened O_RDONLY), when SELinux
 * is on. */
int selinux_label_fd(int fd, const char *label, ocirun_error_t **err);

/* Both labels of the next execve of the calling thread, through one procfs
 * from proc_open_safe; called just before the privileges are dropped (the
 * labels take effect at execve, so the runtime's own last steps are not
 * confined by them). */
int lsm_set_exec_labels(const char *apparmor_profile, const char *selinux_label,
                        ocirun_error_t **err);

#endif
