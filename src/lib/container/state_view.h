/* The state view: what `state` and `list` print about a container, pre-rendered beside
 * state.json so that those two commands can answer before libc starts.
 *
 * Why: on a virtual machine where every cpuid instruction traps to the hypervisor, the
 * start of a glibc program costs about 0.5 ms in CPU feature probing alone, three times
 * what `state` needs for its own work.  The static binary's entry point
 * (state_view_early.c) reads this file, adds what only the system knows now (is the init
 * alive, is its cgroup frozen, does the exec fifo exist) and prints the answer with raw
 * system calls; whatever it does not expect makes it step aside to main(), which answers
 * from state.json as always.  So the view is only ever a shortcut to the same bytes.
 *
 * <root>/<id>/state.view, written by state_write after every state.json of a container
 * whose set-up is done (created_done), replaced atomically; text, one record per line:
 *
 *   ocirun-view 1
 *   N <created_done 0|1> <init_pid> <init_start_time> <owner uid>
 *   F <len>:<freeze probe>            cgroup_freeze_probe's string, "none" without a
 *                                     cgroup, "unknown" when none was recorded
 *   I <len>:<id>
 *   B <len>:<bundle>
 *   C <len>:<created>                 as the table prints it
 *   P <p0> <p1> <s0> <s1> <o0> <o1> <len>:<state's JSON>
 *   L <p0> <p1> <s0> <s1> <o0> <o1> <len>:<list --format json's object>
 *
 * A JSON record is the object as printed for a running container whose owner is "" and
 * the byte offsets of the pid's value [p0,p1), of the status's [s0,s1) and of the owner's
 * [o0,o1): the reader puts the live values there.  <len> counts the bytes after the colon;
 * every record ends with a newline after them. */
#ifndef OCIRUN_CONTAINER_STATE_VIEW_H
#define OCIRUN_CONTAINER_STATE_VIEW_H

#define STATE_VIEW_FILE "state.view"
#define STATE_VIEW_MAGIC "ocirun-view 1\n"

#ifndef STATE_VIEW_FREESTANDING
#include "container/state.h"

/* The view of st (malloc'd, *len bytes), NULL when out of memory. */
char *state_view_render(const struct container_state *st, size_t *len);
/* Write <root>/<id>/state.view for st (nothing while it is still `creating`). */
int state_view_write(const char *root, const struct container_state *st, ocirun_error_t **err);
#endif

/* The reader (state_view_early.c), called from the entry point with the initial stack:
 * prints and exits for a `state` or `list` it can answer, returns otherwise. */
void state_view_early(long *initial_stack);

/* For the fuzz target: what the reader prints for this view as `state` (list 0) or as one
 * object of `list --format json` (list 1, with owner), for the status named; the length
 * written into out, or -1 when the view is malformed or out too small. */
long state_view_print(const char *data, long len, int list, const char *status, const char *owner,
                      char *out, long cap);

#endif
