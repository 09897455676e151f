/* The cgroup of an existing container, for the commands that act on it
 * (pause, resume, update, ps, events): the state is read (under the lock when
 * asked), the status checked, and the driver opened from the recorded path. */
#ifndef OCIRUN_CONTAINER_CGROUP_H
#define OCIRUN_CONTAINER_CGROUP_H

#include <stdbool.h>

#include "cgroup/cgroup.h"
#include "container/state.h"

struct container_cgroup {
  struct container_state state;
  struct cgroup *cgroup;
  int lock_fd; /* -1 when not locked */
};

#define CONTAINER_STATUS_BIT(s) (1u << (s))
/* Every status but stopped. */
#define CONTAINER_ALIVE (~CONTAINER_STATUS_BIT(CONTAINER_STOPPED))

/* allowed: CONTAINER_STATUS_BIT()s of the statuses the command accepts; any other
 * status fails with `refusal` ("container not running"). */
int container_cgroup_open(const char *root, const char *id, bool lock, unsigned allowed,
                          const char *refusal, struct container_cgroup *out, ocirun_error_t **err);
void container_cgroup_close(struct container_cgroup *c);

int container_pause(const char *root, const char *id, ocirun_error_t **err);
int container_resume(const char *root, const char *id, ocirun_error_t **err);
/* `update`: write the members of res that update takes (memory limits, cpu, blockIO weight
 * and throttles, pids, unified) into the cgroup, and keep them in the stored config.json
 * (update.c). */
int container_update(const char *root, const char *id, const struct spec_resources *res,
                     ocirun_error_t **err);
/* update --l3-cache-schema / --mem-bw-schema (either may be NULL). */
int container_update_intel_rdt(const char *root, const char *id, const char *l3, const char *mb,
                               ocirun_error_t **err);
/* Host pids of every process of the container (malloc'd). */
int container_pids(const char *root, const char *id, pid_t **pids, size_t *n, ocirun_error_t **err);

#endif
