/* The internal state.json format: one JSON object holding every field of struct
 * container_state.  Unknown keys are ignored so that an older binary can read the
 * state written by a newer one; a wrong type is an error naming the file and key. */
#include "container/state.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Bumped only for changes an older reader would misunderstand. */
#define STATE_FORMAT_VERSION 1

void state_clear(struct container_state *st) {
  if (st == NULL)
    return;
  free(st->id);
  free(st->bundle);
  free(st->rootfs);
  free(st->created);
  free(st->cgroup_path);
  free(st->intel_rdt_path);
  free(st->intel_rdt_mon_path);
  free(st->cgroup_mounts);
  free(st->cgroup_unit_dir);
  free(st->freeze_probe);
  for (size_t i = 0; i < st->annotations.len; i++) {
    free(st->annotations.items[i].key);
    free(st->annotations.items[i].value);
  }
  free(st->annotations.items);
  for (int i = 0; i < 3; i++)
    free(st->stdio[i]);
  memset(st, 0, sizeof(*st));
}

static int set_str(json_t *obj, const char *key, const char *value) {
  if (value == NULL)
    return 0;
  return json_object_set_new(obj, key, json_string(value));
}

char *state_format_json(const struct container_state *st) {
  json_t *obj = json_object(), *ann = json_object();
  char *out = NULL;
  int rc = 0;

  if (obj == NULL || ann == NULL) {
    json_decref(obj);
    json_decref(ann);
    return NULL;
  }
  rc |= json_object_set_new(obj, "version", json_integer(STATE_FORMAT_VERSION));
  rc |= set_str(obj, "id", st->id);
  rc |= set_str(obj, "bundle", st->bundle);
  rc |= set_str(obj, "rootfs", st->rootfs);
  rc |= set_str(obj, "created", st->created);
  rc |= json_object_set_new(obj, "owner", json_integer((json_int_t)st->owner));
  rc |= json_object_set_new(obj, "init_pid", json_integer((json_int_t)st->init_pid));
  rc |= json_object_set_new(obj, "init_start_time", json_integer((json_int_t)st->init_start_time));
  rc |= json_object_set_new(obj, "created_done", json_boolean(st->created_done));
  rc |= set_str(obj, "cgroup_path", st->cgroup_path);
  rc |= set_str(obj, "cgroup_mounts", st->cgroup_mounts);
  rc |= set_str(obj, "cgroup_unit_dir", st->cgroup_unit_dir);
  rc |= set_str(obj, "freeze_probe", st->freeze_probe);
  rc |= json_object_set_new(obj, "systemd_cgroup", json_boolean(st->systemd_cgroup));
  rc |= json_object_set_new(obj, "no_new_keyring", json_boolean(st->no_new_keyring));
  if (st->intel_rdt_path) {
    rc |= set_str(obj, "intel_rdt_path", st->intel_rdt_path);
    rc |= json_object_set_new(obj, "intel_rdt_created", json_boolean(st->intel_rdt_created));
  }
  if (st->intel_rdt_mon_path)
    rc |= set_str(obj, "intel_rdt_mon_path", st->intel_rdt_mon_path);
  for (size_t i = 0; i < st->annotations.len; i++)
    rc |= set_str(ann, st->annotations.items[i].key, st->annotations.items[i].value);
  rc |= json_object_set_new(obj, "annotations", ann);
  if (st->stdio[0] || st->stdio[1] || st->stdio[2]) {
    json_t *fds = json_array();
    for (int i = 0; i < 3; i++)
      rc |= json_array_append_new(fds, json_string(st->stdio[i] ? st->stdio[i] : ""));
    rc |= json_object_set_new(obj, "external_descriptors", fds);
  }
  if (rc == 0)
    out = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(obj);
  return out;
}

struct parse_ctx {
  const char *name;
  json_t *obj;
  ocirun_error_t **err;
};

static int get_str(struct parse_ctx *c, const char *key, char **out) {
  json_t *v = json_object_get(c->obj, key);
  if (v == NULL || json_is_null(v))
    return 0;
  if (!json_is_string(v))
    return ocirun_error_set(c->err, 0, "parse %s: \"%s\" must be a string", c->name, key);
  *out = strdup(json_string_value(v));
  if (*out == NULL)
    return ocirun_error_set(c->err, ENOMEM, "parse %s", c->name);
  return 0;
}

static int get_uint(struct parse_ctx *c, const char *key, uint64_t max, uint64_t *out) {
  json_t *v = json_object_get(c->obj, key);
  json_int_t n;
  if (v == NULL || json_is_null(v))
    return 0;
  if (!json_is_integer(v))
    return ocirun_error_set(c->err, 0, "parse %s: \"%s\" must be an integer", c->name, key);
  n = json_integer_value(v);
  if (n < 0 || (uint64_t)n > max)
    return ocirun_error_set(c->err, 0, "parse %s: \"%s\" is out of range", c->name, key);
  *out = (uint64_t)n;
  return 0;
}

static int get_bool(struct parse_ctx *c, const char *key, bool *out) {
  json_t *v = json_object_get(c->obj, key);
  if (v == NULL || json_is_null(v))
    return 0;
  if (!json_is_boolean(v))
    return ocirun_error_set(c->err, 0, "parse %s: \"%s\" must be a boolean", c->name, key);
  *out = json_is_true(v);
  return 0;
}

static int get_annotations(struct parse_ctx *c, struct spec_kv_list *list) {
  json_t *v = json_object_get(c->obj, "annotations"), *value;
  const char *key;
  size_t n;

  if (v == NULL || json_is_null(v))
    return 0;
  if (!json_is_object(v))
    return ocirun_error_set(c->err, 0, "parse %s: \"annotations\" must be an object", c->name);
  n = json_object_size(v);
  if (n == 0)
    return 0;
  list->items = calloc(n, sizeof(*list->items));
  if (list->items == NULL)
    return ocirun_error_set(c->err, ENOMEM, "parse %s", c->name);
  json_object_foreach(v, key, value) {
    struct spec_kv *kv = &list->items[list->len];
    if (!json_is_string(value))
      return ocirun_error_set(c->err, 0, "parse %s: \"annotations.%s\" must be a string", c->name,
                              key);
    kv->key = strdup(key);
    kv->value = strdup(json_string_value(value));
    list->len++;
    if (kv->key == NULL || kv->value == NULL)
      return ocirun_error_set(c->err, ENOMEM, "parse %s", c->name);
  }
  return 0;
}

static int get_stdio(struct parse_ctx *c, char *out[3]) {
  json_t *v = json_object_get(c->obj, "external_descriptors");

  if (v == NULL || json_is_null(v))
    return 0;
  if (!json_is_array(v))
    return ocirun_error_set(c->err, 0, "parse %s: \"external_descriptors\" must be an array",
                            c->name);
  for (size_t i = 0; i < 3 && i < json_array_size(v); i++) {
    json_t *e = json_array_get(v, i);
    if (!json_is_string(e))
      return ocirun_error_set(c->err, 0, "parse %s: \"external_descriptors[%zu]\" must be a string",
                              c->name, i);
    if ((out[i] = strdup(json_string_value(e))) == NULL)
      return ocirun_error_set(c->err, ENOMEM, "parse %s", c->name);
  }
  return 0;
}

static int parse_fields(struct parse_ctx *c, struct container_state *st) {
  uint64_t owner = 0, pid = 0, version = 0;

  if (get_uint(c, "version", UINT32_MAX, &version) < 0)
    return -1;
  if (version > STATE_FORMAT_VERSION)
    return ocirun_error_set(c->err, 0,
                            "parse %s: state format version %llu is newer than this "
                            "runtime understands (%d)",
                            c->name, (unsigned long long)version, STATE_FORMAT_VERSION);
  if (get_str(c, "id", &st->id) < 0 || get_str(c, "bundle", &st->bundle) < 0 ||
      get_str(c, "rootfs", &st->rootfs) < 0 || get_str(c, "created", &st->created) < 0 ||
      get_str(c, "cgroup_path", &st->cgroup_path) < 0 ||
      get_str(c, "intel_rdt_path", &st->intel_rdt_path) < 0 ||
      get_str(c, "intel_rdt_mon_path", &st->intel_rdt_mon_path) < 0 ||
      get_str(c, "cgroup_mounts", &st->cgroup_mounts) < 0 ||
      get_str(c, "cgroup_unit_dir", &st->cgroup_unit_dir) < 0 ||
      get_str(c, "freeze_probe", &st->freeze_probe) < 0)
    return -1;
  if (get_uint(c, "owner", UINT32_MAX, &owner) < 0 ||
      get_uint(c, "init_pid", INT32_MAX, &pid) < 0 ||
      get_uint(c, "init_start_time", INT64_MAX, &st->init_start_time) < 0)
    return -1;
  st->owner = (uid_t)owner;
  st->init_pid = (pid_t)pid;
  if (get_bool(c, "created_done", &st->created_done) < 0 ||
      get_bool(c, "systemd_cgroup", &st->systemd_cgroup) < 0 ||
      get_bool(c, "no_new_keyring", &st->no_new_keyring) < 0 ||
      get_bool(c, "intel_rdt_created", &st->intel_rdt_created) < 0)
    return -1;
  if (get_annotations(c, &st->annotations) < 0 || get_stdio(c, st->stdio) < 0)
    return -1;
  if (st->id == NULL)
    return ocirun_error_set(c->err, 0, "parse %s: \"id\" is missing", c->name);
  return 0;
}

int state_parse_json(const char *name, const char *data, size_t len, struct container_state *st,
                     ocirun_error_t **err) {
  json_error_t jerr;
  json_t *root;
  struct parse_ctx c = {.name = name, .err = err};
  int rc;

  memset(st, 0, sizeof(*st));
  root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
  if (root == NULL)
    return ocirun_error_set(err, 0, "parse %s: line %d column %d: %s", name, jerr.line, jerr.column,
                            jerr.text);
  if (!json_is_object(root)) {
    json_decref(root);
    return ocirun_error_set(err, 0, "parse %s: not a JSON object", name);
  }
  c.obj = root;
  rc = parse_fields(&c, st);
  json_decref(root);
  if (rc < 0)
    state_clear(st);
  return rc;
}
