/* The v2 device filter program, exposed for tests. */
#ifndef OCIRUN_CGROUP_DEVICES_BPF_H
#define OCIRUN_CGROUP_DEVICES_BPF_H

#include <stddef.h>

#include "spec/spec.h"
#include "util/error.h"

struct bpf_insn;

/* Program for the rules (last match wins; rules before the last "a *:* rwm"
 * rule are dropped; the default is that rule's verdict, allow without one). */
int cgroup_devices_bpf_build(const struct spec_device_cgroup_rule *rules, size_t n,
                             struct bpf_insn **out, size_t *count);
/* Load it; returns the program fd. */
int cgroup_devices_bpf_load(const struct bpf_insn *insns, size_t count, ocirun_error_t **err);
/* Number of device programs attached to the cgroup directory, -1 on error. */
int cgroup_devices_bpf_attached_count(const char *dir);

#endif
