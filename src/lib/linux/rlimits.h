/* process.rlimits, applied by the parent to the child with prlimit(2), before
 * the child enters a user namespace (where the parent's rights would no
 * longer reach it). */
#ifndef OCIRUN_LINUX_RLIMITS_H
#define OCIRUN_LINUX_RLIMITS_H

#include <stddef.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

/* Errors name the entry (".process.rlimits[i]"), the values asked for and,
 * when the kernel refuses a raise, the limit it would allow and why. */
int rlimits_apply(pid_t pid, const struct spec_rlimit *r, size_t n, ocirun_error_t **err);

#endif
