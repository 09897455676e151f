/* linux.sysctl: only keys that belong to a namespace the container owns. */
#ifndef OCIRUN_LINUX_SYSCTL_H
#define OCIRUN_LINUX_SYSCTL_H

#include "spec/spec.h"
#include "util/error.h"

/* Checked before anything is created, as runc does: IPC keys (kernel.msg*,
 * kernel.sem, kernel.shm*, fs.mqueue.*) need a new or joined ipc namespace,
 * net.* a network namespace that is not the runtime's own, kernel.domainname
 * a uts namespace; kernel.hostname is refused (the "hostname" field sets it).
 * Keys use dots ("net.ipv4.ip_forward") or, as sysctl(8), slashes
 * ("net/ipv4/conf/eth0.100/forwarding", where a dot is part of a name). */
int sysctl_validate(const struct spec *spec, ocirun_error_t **err);

/* Writes every key below proc_sys_fd (from proc_open_sys).  Must run before
 * /proc/sys is remounted read-only. */
int sysctl_apply(const struct spec *spec, int proc_sys_fd, ocirun_error_t **err);

/* The relative path under /proc/sys for key, written into buf; -1 with *err
 * (naming the JSON path) when the key is malformed. */
int sysctl_key_path(const char *key, char *buf, size_t size, ocirun_error_t **err);

#endif
