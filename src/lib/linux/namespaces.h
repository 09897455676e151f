/* linux.namespaces: new ones become clone flags, paths are opened and checked
 * in the parent, then joined in the child. */
#ifndef OCIRUN_LINUX_NAMESPACES_H
#define OCIRUN_LINUX_NAMESPACES_H

#include <stdbool.h>

#include "spec/spec.h"
#include "util/error.h"

/* CLONE_NEW* for every namespace without a path.  CLONE_NEWTIME is never in
 * the result: a time namespace takes its offsets only before a process enters
 * it, so the child creates it with timens_enter().  CLONE_NEWCGROUP is
 * included: the caller must make sure the child is in its cgroup when the
 * namespace is made (clone3 CLONE_INTO_CGROUP), or drop the flag and unshare
 * it after joining.  A namespace type listed twice is an error. */
int namespaces_clone_flags(const struct spec *spec, unsigned long *flags, ocirun_error_t **err);

/* Opens each namespace path (fds[type], -1 when none) and checks with
 * NS_GET_NSTYPE that it is a namespace of the declared type; errors name
 * ".linux.namespaces[i].path".  On error no fd is left open. */
int namespaces_open_paths(const struct spec *spec, int fds[SPEC_NS_COUNT], ocirun_error_t **err);

/* setns into every open fd: the ones the joined user namespace does not own
 * first, then user, then ipc, uts, net, pid (children only), cgroup, time, and
 * mount last. */
int namespaces_join(const int fds[SPEC_NS_COUNT], ocirun_error_t **err);
/* Only the first step of it: with a user namespace path, every namespace
 * (but pid and time) that the user namespace does not own.  A namespace the
 * caller is in already is skipped by both. */
int namespaces_join_foreign(const int fds[SPEC_NS_COUNT], ocirun_error_t **err);

/* The decision of both, apart from the syscalls: the order in which namespaces are
 * joined, given which ones have a path (has[t]) and which of those the joined user
 * namespace owns (owned[t]).  Writes the types into plan and returns their number. */
size_t namespaces_join_plan(const bool has[SPEC_NS_COUNT], const bool owned[SPEC_NS_COUNT],
                            bool foreign_only, enum spec_namespace_type plan[SPEC_NS_COUNT]);

void namespaces_close(int fds[SPEC_NS_COUNT]);

/* Whether the namespace ns_fd belongs to the user namespace userns_fd. */
bool userns_owns(int userns_fd, int ns_fd);

/* The CLONE_NEW* value of a namespace type. */
int namespace_clone_flag(enum spec_namespace_type type);

/* Writes linux.timeOffsets to /proc/self/timens_offsets; the calling process
 * must have unshared CLONE_NEWTIME with no process in the new namespace yet. */
int timens_set_offsets(const struct spec *spec, ocirun_error_t **err);

/* For a time namespace without a path: unshare(CLONE_NEWTIME), write the
 * offsets, then move the calling process into it (setns on
 * /proc/self/ns/time_for_children).  No-op when the config has none. */
int timens_enter(const struct spec *spec, ocirun_error_t **err);

/* The pid and time namespaces apply to the children of their caller: the
 * runtime enters the container's to clone into them, then goes back to its own
 * (its later children — hooks, a sanitizer's helper thread — must stay on the
 * host side). */
struct ns_for_children {
  int pid_fd;
  int time_fd;
};
int namespaces_save_for_children(struct ns_for_children *saved, ocirun_error_t **err);
int namespaces_restore_for_children(struct ns_for_children *saved, ocirun_error_t **err);

#endif
