/* A short scheduler slice for a command while it waits on a process it has just woken.
 *
 * `start` opens the exec fifo, which wakes the container's init, and then waits until the
 * init's execve closes its end.  On a small machine the two share a CPU: the init, woken
 * first, keeps the CPU through its execve and on into the new program's own start-up
 * (0.6 ms of glibc start on a virtual machine that traps cpuid), and `start`, woken by the
 * close, waits behind it for the rest of the init's slice.  Linux's fair scheduler (EEVDF,
 * 6.12 and later) lets a woken task that asked for a shorter slice preempt the running
 * one, and protects the running task only for the shortest slice queued.  So for the time
 * of that wait the command asks for the shortest slice (sched_attr.sched_runtime of a
 * SCHED_OTHER or SCHED_BATCH task, which the kernel clamps to 0.1 ms) and then puts its
 * own attributes back.  Older kernels ignore the field.  Only the calling process
 * changes: the container's processes keep their own attributes. */
#ifndef OCIRUN_LINUX_WAKE_SLICE_H
#define OCIRUN_LINUX_WAKE_SLICE_H

#include <stdbool.h>

#include "linux/sched_attr.h"

/* The slice the kernel gives a fair task at the least (ns). */
#define WAKE_SLICE_NS 100000u

struct wake_slice {
  bool active; /* the slice was shortened: saved holds what to put back */
  struct kernel_sched_attr saved;
};

/* Ask for the short slice.  Returns 1 when it was asked for, 0 when the calling task is
 * not a SCHED_OTHER/SCHED_BATCH task (a real-time one needs no help, an idle one asked
 * not to have any), -1 with errno when the kernel refused.  This is a scheduling hint:
 * callers go on either way and say which in --trace. */
int wake_slice_shorten(struct wake_slice *ws);

/* Put the attributes saved by wake_slice_shorten back (nothing when it asked for none).
 * The kernel reports a fair task's slice but not whether it was asked for, so a default
 * slice comes back as the same length asked for explicitly (a later change of the
 * system's base slice no longer reaches the rest of the command: its poststart hooks).
 * Returns 0, or -1 with errno when the kernel refused them. */
int wake_slice_restore(struct wake_slice *ws);

#endif
