/* Process capabilities: config names -> bit sets -> the kernel, with raw
 * capget/capset/prctl (no libcap: it would cost a shared library at every start). */
#ifndef OCIRUN_LINUX_CAPABILITIES_H
#define OCIRUN_LINUX_CAPABILITIES_H

#include <stddef.h>
#include <stdint.h>

#include "spec/spec.h"
#include "util/error.h"

struct caps_sets {
  uint64_t bounding, effective, inheritable, permitted, ambient;
};

/* Name table (cap_names.c).  cap_from_name returns -1 for an unknown name. */
int cap_last_known(void);
const char *cap_name(int cap);
int cap_from_name(const char *name);

/* The highest capability number the running kernel knows (probed once). */
int cap_last_supported(void);

/* Converts the config lists into sets.  Absent capabilities (c->present false)
 * give empty sets: everything is dropped.  As runc does, a name that is not a
 * capability, or one the running kernel does not have, is skipped with a
 * warning naming its JSON path (json_path + ".bounding[2]"): dropping a
 * privilege that cannot be granted never widens what the process may do. */
int caps_from_spec(const struct spec_capabilities *c, const char *json_path, struct caps_sets *out,
                   ocirun_error_t **err);

/* `exec --cap`: as runc, each name joins the bounding, effective and permitted
 * sets, and the ambient set only when the config already makes it
 * inheritable (the inheritable set is never widened: CVE-2022-29162). */
int caps_add_names(struct caps_sets *sets, char **names, size_t n, ocirun_error_t **err);

/* prctl(PR_SET_KEEPCAPS, 1): keep the permitted set across the uid switch. */
int caps_keep_on_setuid(ocirun_error_t **err);

/* After the uid switch: drops every capability outside s->bounding from the
 * bounding set, sets effective/permitted/inheritable exactly as given, replaces
 * the ambient set and clears PR_SET_KEEPCAPS.  Needs CAP_SETPCAP in the
 * permitted set when the bounding set shrinks. */
int caps_apply(const struct caps_sets *s, ocirun_error_t **err);

/* The decision of caps_apply, apart from the syscalls: from the sets wanted, the sets
 * the process holds and the kernel's last capability, whether the effective set must
 * first be raised to the permitted one (CAP_SETPCAP for the drops) and which
 * capabilities leave the bounding set.  An effective capability that is not permitted
 * is an error.  The sets themselves are then set exactly as wanted. */
struct caps_plan {
  bool raise_effective_first;
  uint64_t drop_bounding;
};
int caps_plan(const struct caps_sets *want, uint64_t held_effective, uint64_t held_permitted,
              int last_cap, struct caps_plan *plan, ocirun_error_t **err);

#endif
