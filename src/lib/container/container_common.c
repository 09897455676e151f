/* Helpers shared by the lifecycle operations. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/lifecycle.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/limits.h"

int container_load_spec(const char *root, const char *id, struct spec **spec,
                        ocirun_error_t **err) {
  _cleanup_free_ char *dir = state_dir_path(root, id);
  _cleanup_free_ char *path = NULL;

  if (dir == NULL || asprintf(&path, "%s/config.json", dir) < 0)
    return ocirun_error_set(err, ENOMEM, "load config of %s", id);
  if (access(dir, F_OK) < 0 && errno == ENOENT) {
    ocirun_error_set(err, 0, "container does not exist");
    if (*err)
      (*err)->status = ENOENT;
    return -1;
  }
  return spec_load_file(path, spec, err);
}

int container_load_spec_for_hooks(const char *root, const char *id, const char *key,
                                  struct spec **spec, ocirun_error_t **err) {
  _cleanup_free_ char *dir = state_dir_path(root, id);
  _cleanup_free_ char *path = NULL, *raw = NULL;
  size_t len = 0;

  *spec = NULL;
  if (dir == NULL || asprintf(&path, "%s/config.json", dir) < 0)
    return ocirun_error_set(err, ENOMEM, "load config of %s", id);
  if (fs_read_file(path, LIMIT_CONFIG_FILE, &raw, &len, err) < 0)
    return -1;
  /* A JSON key is either written out or escaped: with neither, the list is absent and the
   * whole parse can be skipped. */
  if (memmem(raw, len, key, strlen(key)) == NULL && memmem(raw, len, "\\u", 2) == NULL)
    return 0;
  return spec_parse(path, raw, len, spec, err);
}

void container_release(struct container *c) {
  if (c->spec)
    spec_free(c->spec);
  state_clear(&c->state);
  if (c->cgroup)
    cgroup_close(c->cgroup);
  if (c->pidfd >= 0)
    close(c->pidfd);
  if (c->sync_fd >= 0)
    close(c->sync_fd);
  if (c->console_master >= 0)
    close(c->console_master);
  stdio_pipes_close(&c->pipes);
  if (c->lock_fd >= 0)
    close(c->lock_fd);
  free(c->state_dir);
  c->spec = NULL;
  c->cgroup = NULL;
  c->state_dir = NULL;
  c->pidfd = c->sync_fd = c->console_master = c->lock_fd = -1;
}
