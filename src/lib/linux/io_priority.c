#include "linux/process_attrs.h"
#include "util/syscalls.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* From the kernel's ioprio ABI. */
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_CLASS_RT 1
#define IOPRIO_CLASS_BE 2
#define IOPRIO_CLASS_IDLE 3

int io_priority_apply(const struct spec_io_priority *p, ocirun_error_t **err) {
  int cls;

  if (p == NULL || !p->present)
    return 0;
  if (p->class_name != NULL && strcmp(p->class_name, "IOPRIO_CLASS_RT") == 0)
    cls = IOPRIO_CLASS_RT;
  else if (p->class_name != NULL && strcmp(p->class_name, "IOPRIO_CLASS_BE") == 0)
    cls = IOPRIO_CLASS_BE;
  else if (p->class_name != NULL && strcmp(p->class_name, "IOPRIO_CLASS_IDLE") == 0)
    cls = IOPRIO_CLASS_IDLE;
  else
    return ocirun_error_set(err, 0, ".process.ioPriority.class: unknown class \"%s\"",
                            p->class_name ? p->class_name : "");
  if (p->priority < 0 || p->priority > 7)
    return ocirun_error_set(err, 0, ".process.ioPriority.priority: %lld is outside 0..7",
                            (long long)p->priority);
  if (sys_ioprio_set(IOPRIO_WHO_PROCESS, 0, (cls << IOPRIO_CLASS_SHIFT) | (int)p->priority) < 0)
    return ocirun_error_set(err, errno, "ioprio_set(%s, %lld)", p->class_name,
                            (long long)p->priority);
  return 0;
}
