/* Phase timing for `--trace` (or OCIRUN_TRACE=1): every trace point records the
 * time since the previous point of the same process, so the phases of a command
 * add up to its total.  The container init and exec processes are forks of the
 * runtime: their points land in the same buffer, a shared anonymous mapping
 * made by trace_start, and the runtime prints them all after the command.
 *
 * Off (the default), a trace point is one test of a global flag: no clock read,
 * no call. */
#ifndef OCIRUN_TRACE_H
#define OCIRUN_TRACE_H

#include <stdbool.h>

extern bool trace_on;

/* Turn tracing on: map the shared buffer and take the starting time.  On failure
 * (no memory) tracing stays off and a warning says why. */
void trace_start(void);
/* The process the following points belong to ("init", "exec"), for the child of
 * a fork; the runtime itself is "runtime". */
void trace_set_process_slow(const char *name);
/* Record the end of a phase; detail may be NULL. */
void trace_record(const char *phase, const char *detail);
void trace_recordf(const char *phase, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print every point after the command: text on stderr, or JSON lines (one per
 * phase, runc's log keys plus the phase's) into log_fd when it is not stderr. */
void trace_report(const char *command, int log_fd);

#define trace_point(phase)                                                                         \
  do {                                                                                             \
    if (__builtin_expect(trace_on, 0))                                                             \
      trace_record(phase, NULL);                                                                   \
  } while (0)
#define trace_pointf(phase, ...)                                                                   \
  do {                                                                                             \
    if (__builtin_expect(trace_on, 0))                                                             \
      trace_recordf(phase, __VA_ARGS__);                                                           \
  } while (0)
#define trace_set_process(name)                                                                    \
  do {                                                                                             \
    if (__builtin_expect(trace_on, 0))                                                             \
      trace_set_process_slow(name);                                                                \
  } while (0)

#endif
