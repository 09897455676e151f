/* The short slice of a waiting command (wake_slice.h). */
#include "linux/wake_slice.h"

#include <errno.h>
#include <sched.h>
#include <string.h>

#include "util/syscalls.h"

int wake_slice_shorten(struct wake_slice *ws) {
  struct kernel_sched_attr attr;

  memset(ws, 0, sizeof(*ws));
  if (sys_sched_getattr(&ws->saved, sizeof(ws->saved)) < 0)
    return -1;
  if (ws->saved.sched_policy != SCHED_OTHER && ws->saved.sched_policy != SCHED_BATCH)
    return 0;
  attr = ws->saved;
  attr.size = sizeof(attr);
  attr.sched_runtime = WAKE_SLICE_NS;
  if (sys_sched_setattr(&attr) < 0)
    return -1;
  ws->active = true;
  return 1;
}

int wake_slice_restore(struct wake_slice *ws) {
  if (!ws->active)
    return 0;
  ws->active = false;
  ws->saved.size = sizeof(ws->saved);
  return sys_sched_setattr(&ws->saved);
}
