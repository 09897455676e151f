/* Per-process kernel attributes of the container process: personality,
 * scheduler, I/O priority, NUMA memory policy and CPU affinity.  Each apply
 * function returns 0 without a syscall when its field is absent. */
#ifndef OCIRUN_LINUX_PROCESS_ATTRS_H
#define OCIRUN_LINUX_PROCESS_ATTRS_H

#include <sched.h>

#include "spec/spec.h"
#include "util/error.h"

/* linux.personality: domain LINUX or LINUX32.  Flags are not applied: runc
 * ignores them with a warning, and so does this. */
int personality_apply(const struct spec_personality *p, ocirun_error_t **err);

/* process.scheduler with sched_setattr(2). */
int scheduler_apply(const struct spec_scheduler *s, ocirun_error_t **err);

/* process.ioPriority with ioprio_set(2): class IOPRIO_CLASS_RT|BE|IDLE, 0..7. */
int io_priority_apply(const struct spec_io_priority *p, ocirun_error_t **err);

/* linux.memoryPolicy with set_mempolicy(2). */
int memory_policy_apply(const struct spec_memory_policy *m, ocirun_error_t **err);

/* sched_setaffinity from a list such as "0-3,5"; NULL or "" does nothing. */
int cpu_affinity_apply(const char *cpu_list, ocirun_error_t **err);
/* Reset the calling process's affinity to every CPU of its cpuset (best effort). */
void cpu_affinity_reset(void);

/* The same for another process (pid): execCPUAffinity.initial is set from the
 * parent before the child joins its cgroup. */
int cpu_affinity_apply_to(pid_t pid, const char *cpu_list, ocirun_error_t **err);

/* "0-3, 5,,7": ranges and single numbers separated by commas; blanks around
 * items and empty items are allowed (as runc), an empty result is not. */
int cpu_list_parse(const char *s, cpu_set_t *out, ocirun_error_t **err);

/* The same syntax into a bit mask of max_bits bits (NUMA node lists). */
int id_list_parse(const char *s, unsigned long *mask, size_t max_bits, const char *what,
                  ocirun_error_t **err);

#endif
