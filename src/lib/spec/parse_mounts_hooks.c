/* .mounts and .hooks of config.json. */
#include <stddef.h>
#include <string.h>

#include "spec/parse.h"

static int parse_mount(struct pctx *c, json_t *obj, void *items, size_t i) {
  struct spec_mount *m = (struct spec_mount *)items + i;
  if (value_object(c, obj) < 0 || need_string(c, obj, "destination", &m->destination) < 0)
    return -1;
  /* runc accepts (and warns about) a relative destination, so only empty is refused */
  if (m->destination[0] == '\0')
    return pctx_fail_key(c, "destination", "must not be empty");
  if (get_string(c, obj, "source", &m->source) < 0 || get_string(c, obj, "type", &m->type) < 0 ||
      get_strv(c, obj, "options", &m->options) < 0 ||
      parse_id_mappings(c, obj, "uidMappings", &m->uid_mappings, &m->uid_mappings_len) < 0 ||
      parse_id_mappings(c, obj, "gidMappings", &m->gid_mappings, &m->gid_mappings_len) < 0)
    return -1;
  return 0;
}

int parse_mounts(struct pctx *c, json_t *arr, struct spec *out) {
  int r;
  out->mounts =
      parse_array_items(c, arr, NULL, sizeof(*out->mounts), &out->mounts_len, parse_mount, &r);
  return r < 0 ? -1 : 0;
}

static int parse_hook(struct pctx *c, json_t *obj, void *items, size_t i) {
  struct spec_hook *h = (struct spec_hook *)items + i;
  if (value_object(c, obj) < 0 || need_string(c, obj, "path", &h->path) < 0)
    return -1;
  /* the spec extends execv(3): the path MUST be absolute */
  if (h->path[0] != '/')
    return pctx_fail_key(c, "path", "must be an absolute path, got \"%s\"", h->path);
  if (get_strv(c, obj, "args", &h->args) < 0 || get_strv(c, obj, "env", &h->env) < 0)
    return -1;
  GET_OPT(get_i64, obj, "timeout", h, timeout);
  if (h->has_timeout && h->timeout <= 0) {
    size_t saved = pctx_push_key(c, "timeout");
    pctx_fail_type(c, "an integer greater than 0", spec_member(obj, "timeout"));
    pctx_pop(c, saved);
    return -1;
  }
  return 0;
}

/* The phases in the order they are read (an error names the first bad one). */
static const struct {
  const char *key;
  size_t list;
} hook_phases[] = {
    {"prestart", offsetof(struct spec_hooks, prestart)},
    {"createRuntime", offsetof(struct spec_hooks, create_runtime)},
    {"createContainer", offsetof(struct spec_hooks, create_container)},
    {"startContainer", offsetof(struct spec_hooks, start_container)},
    {"poststart", offsetof(struct spec_hooks, poststart)},
    {"poststop", offsetof(struct spec_hooks, poststop)},
};

int parse_hooks(struct pctx *c, json_t *obj, struct spec_hooks *out) {
  for (size_t i = 0; i < sizeof(hook_phases) / sizeof(hook_phases[0]); i++) {
    struct spec_hook_list *l = (struct spec_hook_list *)((char *)out + hook_phases[i].list);
    PARSE_ARRAY(obj, hook_phases[i].key, l->items, l->len, parse_hook);
  }
  return 0;
}
