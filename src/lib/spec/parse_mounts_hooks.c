/* .mounts and .hooks of config.json. */
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

static int parse_hook_list(struct pctx *c, json_t *hooks, const char *key,
                           struct spec_hook_list *out) {
  int r;
  out->items = parse_array_items(c, hooks, key, sizeof(*out->items), &out->len, parse_hook, &r);
  return r;
}

int parse_hooks(struct pctx *c, json_t *obj, struct spec_hooks *out) {
  if (parse_hook_list(c, obj, "prestart", &out->prestart) < 0 ||
      parse_hook_list(c, obj, "createRuntime", &out->create_runtime) < 0 ||
      parse_hook_list(c, obj, "createContainer", &out->create_container) < 0 ||
      parse_hook_list(c, obj, "startContainer", &out->start_container) < 0 ||
      parse_hook_list(c, obj, "poststart", &out->poststart) < 0 ||
      parse_hook_list(c, obj, "poststop", &out->poststop) < 0)
    return -1;
  return 0;
}
