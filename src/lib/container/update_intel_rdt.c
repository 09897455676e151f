/* `update --l3-cache-schema/--mem-bw-schema`: new schemata for the container's
 * resctrl group.  As runc, a container created without intelRdt gets its own
 * group (named after its id) joined by its init first. */
#include <errno.h>
#include <string.h>

#include "container/container_cgroup.h"
#include "linux/intel_rdt.h"

static bool set(const char *s) {
  return s && s[0];
}

static int check_enabled(const char *l3, const char *mb, ocirun_error_t **err) {
  struct spec_intel_rdt probe = {.present = true};
  ocirun_error_t *e = NULL;

  probe.l3_cache_schema = (char *)l3;
  if (set(l3) && intel_rdt_validate(&probe, &e) < 0) {
    ocirun_error_free(&e);
    return ocirun_error_set(err, 0, "Intel RDT/CAT: l3 cache schema is not enabled");
  }
  probe.l3_cache_schema = NULL;
  probe.mem_bw_schema = (char *)mb;
  if (set(mb) && intel_rdt_validate(&probe, &e) < 0) {
    ocirun_error_free(&e);
    return ocirun_error_set(err, 0, "Intel RDT/MBA: memory bandwidth schema is not enabled");
  }
  return 0;
}

int container_update_intel_rdt(const char *root, const char *id, const char *l3, const char *mb,
                               ocirun_error_t **err) {
  struct spec_intel_rdt rdt = {.present = true};
  struct container_cgroup c;
  int r = -1;

  if (!set(l3) && !set(mb))
    return 0;
  if (check_enabled(l3, mb, err) < 0)
    return -1;
  if (container_cgroup_open(root, id, true,
                            CONTAINER_STATUS_BIT(CONTAINER_CREATED) |
                                CONTAINER_STATUS_BIT(CONTAINER_RUNNING) |
                                CONTAINER_STATUS_BIT(CONTAINER_PAUSED),
                            "container not running", &c, err) < 0)
    return -1;
  if (c.state.intel_rdt_path == NULL) {
    struct spec_intel_rdt none = {.present = true};
    char *mon = NULL;
    bool created = false;
    if (intel_rdt_group_path(&none, id, &c.state.intel_rdt_path, err) < 0)
      goto out;
    c.state.intel_rdt_created = true; /* recorded before it is made */
    if (state_write(root, &c.state, err) < 0 ||
        intel_rdt_apply(&none, id, c.state.intel_rdt_path, c.state.init_pid, &created, &mon, err) <
            0)
      goto out;
    c.state.intel_rdt_created = created;
    if (state_write(root, &c.state, err) < 0)
      goto out;
  }
  rdt.l3_cache_schema = (char *)l3;
  rdt.mem_bw_schema = (char *)mb;
  r = intel_rdt_set(&rdt, c.state.intel_rdt_path, err);
out:
  container_cgroup_close(&c);
  return r;
}
