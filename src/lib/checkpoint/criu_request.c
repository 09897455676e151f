/* Building CRIU's criu_opts: the repeated fields grown one element at a time
 * (every string copied, every element malloc'd, all released by
 * criu_opts_free), and the fields that dump and restore set alike. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint/criu_internal.h"

/* Appends elem to a repeated field (ptr array + count). */
static int push(void ***arr, size_t *n, void *elem) {
  void **grown;

  if (elem == NULL)
    return -1;
  grown = realloc(*arr, (*n + 1) * sizeof(void *));
  if (grown == NULL) {
    free(elem);
    return -1;
  }
  grown[(*n)++] = elem;
  *arr = grown;
  return 0;
}

int criu_opts_add_ext_mount(CriuOpts *o, const char *key, const char *val) {
  ExtMountMap *m = malloc(sizeof(*m));

  if (m == NULL)
    return -1;
  *m = (ExtMountMap)EXT_MOUNT_MAP__INIT;
  m->key = strdup(key);
  m->val = strdup(val);
  if (m->key == NULL || m->val == NULL) {
    free(m->key);
    free(m->val);
    free(m);
    return -1;
  }
  /* A destination named twice (a mount over a mount) is recorded once. */
  for (size_t i = 0; i < o->n_ext_mnt; i++)
    if (strcmp(o->ext_mnt[i]->key, key) == 0) {
      free(o->ext_mnt[i]->key);
      free(o->ext_mnt[i]->val);
      free(o->ext_mnt[i]);
      o->ext_mnt[i] = m;
      return 0;
    }
  return push((void ***)&o->ext_mnt, &o->n_ext_mnt, m);
}

int criu_opts_add_external(CriuOpts *o, const char *value) {
  return push((void ***)&o->external, &o->n_external, strdup(value));
}

int criu_opts_add_inherit_fd(CriuOpts *o, const char *key, int fd) {
  InheritFd *f = malloc(sizeof(*f));

  if (f == NULL)
    return -1;
  *f = (InheritFd)INHERIT_FD__INIT;
  f->key = strdup(key);
  f->fd = fd;
  if (f->key == NULL) {
    free(f);
    return -1;
  }
  return push((void ***)&o->inherit_fd, &o->n_inherit_fd, f);
}

int criu_opts_add_cg_root(CriuOpts *o, const char *ctrl, const char *path) {
  CgroupRoot *r = malloc(sizeof(*r));

  if (r == NULL)
    return -1;
  *r = (CgroupRoot)CGROUP_ROOT__INIT;
  r->ctrl = ctrl ? strdup(ctrl) : NULL;
  r->path = strdup(path);
  if (r->path == NULL || (ctrl && r->ctrl == NULL)) {
    free(r->ctrl);
    free(r->path);
    free(r);
    return -1;
  }
  return push((void ***)&o->cg_root, &o->n_cg_root, r);
}

static int set_str(char **field, const char *value) {
  if (value == NULL)
    return 0;
  *field = strdup(value);
  return *field ? 0 : -1;
}

#define SET_BOOL(o, field, value)                                                                  \
  do {                                                                                             \
    (o)->has_##field = true;                                                                       \
    (o)->field = (value);                                                                          \
  } while (0)

int criu_opts_common(CriuOpts *o, const struct criu_options *f, const struct spec *spec,
                     int image_fd, int work_fd, const char *log_file) {
  const char *config = spec_annotation(spec, "org.criu.config");

  o->images_dir_fd = image_fd;
  o->has_work_dir_fd = true;
  o->work_dir_fd = work_fd;
  o->has_log_level = true;
  o->log_level = 4;
  if (set_str(&o->log_file, log_file) < 0)
    return -1;
  SET_BOOL(o, manage_cgroups, true);
  SET_BOOL(o, notify_scripts, true);
  SET_BOOL(o, shell_job, f->shell_job);
  SET_BOOL(o, tcp_established, f->tcp_established);
  SET_BOOL(o, ext_unix_sk, f->ext_unix_sk);
  SET_BOOL(o, file_locks, f->file_locks);
  SET_BOOL(o, orphan_pts_master, true);
  SET_BOOL(o, auto_dedup, f->auto_dedup);
  SET_BOOL(o, lazy_pages, f->lazy_pages);
  o->has_empty_ns = true;
  o->empty_ns = f->empty_ns;
  if (f->tcp_skip_in_flight)
    SET_BOOL(o, tcp_skip_in_flight, true);
  if (f->link_remap)
    SET_BOOL(o, link_remap, true);
  if (f->manage_cgroups_mode != CRIU_CG_UNSET) {
    o->has_manage_cgroups_mode = true;
    o->manage_cgroups_mode = (CriuCgMode)f->manage_cgroups_mode;
  }
  /* The container's own CRIU configuration file (annotation org.criu.config;
   * an empty value: none), else the runtime-wide one, as runc reads it: its
   * settings override those of the request. */
  if (config == NULL)
    config = "/etc/criu/runc.conf";
  if (config[0] && set_str(&o->config_file, config) < 0)
    return -1;
  return 0;
}

void criu_opts_free(CriuOpts *o) {
  for (size_t i = 0; i < o->n_ext_mnt; i++) {
    free(o->ext_mnt[i]->key);
    free(o->ext_mnt[i]->val);
    free(o->ext_mnt[i]);
  }
  free(o->ext_mnt);
  for (size_t i = 0; i < o->n_external; i++)
    free(o->external[i]);
  free(o->external);
  for (size_t i = 0; i < o->n_inherit_fd; i++) {
    free(o->inherit_fd[i]->key);
    free(o->inherit_fd[i]);
  }
  free(o->inherit_fd);
  for (size_t i = 0; i < o->n_cg_root; i++) {
    free(o->cg_root[i]->ctrl);
    free(o->cg_root[i]->path);
    free(o->cg_root[i]);
  }
  free(o->cg_root);
  if (o->ps) {
    free(o->ps->address);
    free(o->ps);
  }
  free(o->log_file);
  free(o->root);
  free(o->parent_img);
  free(o->freeze_cgroup);
  free(o->config_file);
  free(o->lsm_profile);
  free(o->lsm_mount_context);
  *o = (CriuOpts)CRIU_OPTS__INIT;
}
