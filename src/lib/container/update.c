/* `update`: new limits for a live container's cgroup, kept in its stored config.json so
 * that they are the container's configuration from then on (runc saves them in its state
 * the same way). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container/container_cgroup.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/limits.h"

/* What update takes from a LinuxResources object, as runc: memory (limit, reservation,
 * swap, kernel, kernelTCP, checkBeforeUpdate), cpu, blockIO weight, the per-device weights and
 * throttles,
 * pids and unified.  A view: the pointers are borrowed. */
static struct spec_resources updatable(const struct spec_resources *r) {
  struct spec_resources u = {.present = true};
  const struct spec_block_io *b = &r->block_io;

  u.memory = r->memory;
  u.memory.has_swappiness = u.memory.has_disable_oom_killer = false;
  u.memory.has_use_hierarchy = false;
  u.cpu = r->cpu;
  u.block_io.has_weight = b->has_weight;
  u.block_io.weight = b->weight;
  u.block_io.throttle_read_bps = b->throttle_read_bps;
  u.block_io.throttle_write_bps = b->throttle_write_bps;
  u.block_io.throttle_read_iops = b->throttle_read_iops;
  u.block_io.throttle_write_iops = b->throttle_write_iops;
  u.block_io.weight_device = b->weight_device;
  u.block_io.weight_device_len = b->weight_device_len;
  u.block_io.present = b->has_weight || b->weight_device_len || b->throttle_read_bps.len ||
                       b->throttle_write_bps.len || b->throttle_read_iops.len ||
                       b->throttle_write_iops.len;
  u.has_pids_limit = r->has_pids_limit;
  u.pids_limit = r->pids_limit;
  u.unified = r->unified;
  return u;
}

/* Replace the stored config.json with one carrying the new values (atomically). */
static int record(const char *root, const char *id, const struct spec_resources *u,
                  ocirun_error_t **err) {
  _cleanup_free_ char *dir = state_dir_path(root, id), *path = NULL, *raw = NULL;
  _cleanup_free_ char *merged = NULL;
  size_t len = 0;

  if (dir == NULL || asprintf(&path, "%s/config.json", dir) < 0) {
    path = NULL;
    return ocirun_error_set(err, ENOMEM, "update %s", id);
  }
  if (fs_read_file(path, LIMIT_CONFIG_FILE, &raw, &len, err) < 0 ||
      spec_resources_merge(path, raw, len, u, &merged, err) < 0 ||
      fs_write_file_atomic(path, merged, strlen(merged), 0600, err) < 0)
    return ocirun_error_prefix(err, "record the new resources of %s", id);
  return 0;
}

int container_update(const char *root, const char *id, const struct spec_resources *res,
                     ocirun_error_t **err) {
  struct spec_resources u = updatable(res);
  struct container_cgroup c;
  int r;

  if (container_cgroup_open(root, id, true, CONTAINER_ALIVE, "container not running", &c, err) < 0)
    return -1;
  r = cgroup_set_resources(c.cgroup, &u, err);
  if (r == 0)
    r = record(root, id, &u, err);
  container_cgroup_close(&c);
  return r;
}
