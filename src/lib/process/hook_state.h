/* The container's state as hooks and the seccomp agent read it (runtime-spec
 * "state"), given by the caller as JSON in two parts around the pid, which
 * only the child learns (the init: in GO or RUN):
 *   head + ,"pid":N + tail     (no pid member when the pid is 0) */
#ifndef OCIRUN_PROCESS_HOOK_STATE_H
#define OCIRUN_PROCESS_HOOK_STATE_H

#include <stdio.h>
#include <sys/types.h>

struct hook_state {
  const char *head;
  const char *tail;
};

/* malloc'd, or NULL when out of memory. */
static inline char *hook_state_json(const struct hook_state *s, pid_t pid) {
  char *json = NULL;
  int n = pid > 0 ? asprintf(&json, "%s,\"pid\":%d%s", s->head, (int)pid, s->tail)
                  : asprintf(&json, "%s%s", s->head, s->tail);
  return n < 0 ? NULL : json;
}

#endif
