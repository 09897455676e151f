/* Entry points: config.json (spec_parse, spec_load_file) and process.json
 * (spec_process_parse), and the top-level members of config.json. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#include "spec/bignum.h"
#include "spec/parse.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/limits.h"

void spec_json_seed(void) {
  const unsigned char *r = (const unsigned char *)getauxval(AT_RANDOM);
  uint64_t a, b, seed;
  if (r == NULL)
    return; /* jansson seeds itself */
  /* libc keeps these bytes for its stack and pointer guards: mixed, not copied. */
  memcpy(&a, r, sizeof(a));
  memcpy(&b, r + 8, sizeof(b));
  seed = (a ^ (b << 29 | b >> 35)) * 0x9e3779b97f4a7c15u;
  seed ^= seed >> 31;
  json_object_seed((size_t)(seed ? seed : 1));
}

json_t *spec_load_json(struct pctx *c, const char *data, size_t len) {
  _cleanup_free_ char *rewritten = NULL;
  size_t rewritten_len = 0;
  json_error_t jerr;
  json_t *root;

  bignum_make_tag(c->bignum_tag, sizeof(c->bignum_tag));
  int r = bignum_rewrite(data, len, c->bignum_tag, &rewritten, &rewritten_len);
  if (r < 0) {
    ocirun_error_set(c->err, ENOMEM, "%s", c->name);
    return NULL;
  }
  if (r == 0)
    c->bignum_tag[0] = '\0'; /* nothing rewritten: no string may be taken for a number */

  /* Duplicate keys are accepted, the last one wins, as with runc's Go decoder. */
  root = r ? json_loadb(rewritten, rewritten_len, 0, &jerr) : json_loadb(data, len, 0, &jerr);
  if (root == NULL) {
    /* Report positions of the document as written, not of the rewritten copy. */
    if (r) {
      json_t *again = json_loadb(data, len, 0, &jerr);
      json_decref(again);
    }
    /* jansson words this one after its own flag; say what is wrong instead */
    const char *text = strncmp(jerr.text, "\\u0000 is not allowed", 21) == 0
                           ? "\\u0000 (NUL) is not allowed in a string"
                           : jerr.text;
    ocirun_error_set(c->err, 0, "%s: invalid JSON at line %d, column %d: %s", c->name, jerr.line,
                     jerr.column, text);
    return NULL;
  }
  if (!json_is_object(root)) {
    pctx_fail_type(c, "an object", root);
    json_decref(root);
    return NULL;
  }
  return root;
}

static int process_section(struct pctx *c, json_t *obj, void *out) {
  return parse_process(c, obj, out);
}
static int hooks_section(struct pctx *c, json_t *obj, void *out) {
  return parse_hooks(c, obj, out);
}
static int linux_section(struct pctx *c, json_t *obj, void *out) {
  return parse_linux(c, obj, out);
}

static int parse_root(struct pctx *c, json_t *obj, struct spec_root *out) {
  json_t *root;
  int r = get_object(c, obj, "root", &root);
  if (r == 0)
    return pctx_fail_key(c, "root", "required");
  if (r < 0)
    return -1;
  size_t saved = pctx_push_key(c, "root");
  if (need_string(c, root, "path", &out->path) < 0)
    return -1;
  if (out->path[0] == '\0')
    return pctx_fail_key(c, "path", "must not be empty");
  if (get_bool(c, root, "readonly", &out->readonly) < 0)
    return -1;
  pctx_pop(c, saved);
  return 0;
}

static int parse_config(struct pctx *c, json_t *doc, struct spec *s) {
  json_t *v;
  int r;

  if (need_string(c, doc, "ociVersion", &s->oci_version) < 0)
    return -1;
  if (parse_root(c, doc, &s->root) < 0)
    return -1;
  if ((r = get_array(c, doc, "mounts", &v)) < 0)
    return -1;
  if (r > 0) {
    size_t saved = pctx_push_key(c, "mounts");
    if (parse_mounts(c, v, s) < 0)
      return -1;
    pctx_pop(c, saved);
  }
  if (parse_section(c, doc, "process", process_section, &s->process) < 0)
    return -1;
  if (get_string(c, doc, "hostname", &s->hostname) < 0 ||
      get_string(c, doc, "domainname", &s->domainname) < 0)
    return -1;
  if (parse_section(c, doc, "hooks", hooks_section, &s->hooks) < 0)
    return -1;
  if (get_string_map(c, doc, "annotations", &s->annotations) < 0)
    return -1;
  if (parse_section(c, doc, "linux", linux_section, &s->linux_) < 0)
    return -1;
  return spec_validate(c, s);
}

int spec_parse(const char *name, const char *data, size_t len, struct spec **out,
               ocirun_error_t **err) {
  struct pctx c;
  struct spec *s;
  json_t *doc;
  int r;

  pctx_init(&c, name, err);
  doc = spec_load_json(&c, data, len);
  if (doc == NULL)
    return -1;
  s = calloc(1, sizeof(*s));
  if (s == NULL) {
    json_decref(doc);
    return ocirun_error_set(err, ENOMEM, "%s", name);
  }
  r = parse_config(&c, doc, s);
  json_decref(doc);
  if (r < 0) {
    spec_free(s);
    return -1;
  }
  *out = s;
  return 0;
}

int spec_load_file(const char *path, struct spec **out, ocirun_error_t **err) {
  _cleanup_free_ char *data = NULL;
  size_t len = 0;
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;

  if (fs_read_file(path, LIMIT_CONFIG_FILE, &data, &len, err) < 0)
    return -1;
  return spec_parse(name, data, len, out, err);
}

/* A document that is one part of a config (process.json, update's resources): parsed by
 * parse into the zeroed *out, which clear empties again on failure. */
struct part {
  int (*parse)(struct pctx *c, json_t *doc, void *out);
  void (*clear)(void *out);
  size_t size;
};

static int parse_part(const struct part *p, const char *name, const char *data, size_t len,
                      void *out, ocirun_error_t **err) {
  struct pctx c;
  json_t *doc;
  int r = -1;

  memset(out, 0, p->size);
  pctx_init(&c, name, err);
  if ((doc = spec_load_json(&c, data, len)) != NULL)
    r = p->parse(&c, doc, out);
  json_decref(doc);
  if (r < 0)
    p->clear(out);
  return r;
}

static int resources_part(struct pctx *c, json_t *doc, void *out) {
  return parse_resources(c, doc, out);
}
static void resources_clear(void *out) {
  spec_resources_clear(out);
}
static int process_part(struct pctx *c, json_t *doc, void *out) {
  return parse_process(c, doc, out);
}
static void process_clear(void *out) {
  spec_process_clear(out);
}

int spec_resources_parse(const char *name, const char *data, size_t len, struct spec_resources *out,
                         ocirun_error_t **err) {
  static const struct part part = {resources_part, resources_clear, sizeof(*out)};
  return parse_part(&part, name, data, len, out, err);
}

int spec_process_parse(const char *name, const char *data, size_t len, struct spec_process *out,
                       ocirun_error_t **err) {
  static const struct part part = {process_part, process_clear, sizeof(*out)};
  return parse_part(&part, name, data, len, out, err);
}
