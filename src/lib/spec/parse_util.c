/* Typed getters: each checks the JSON type and range and fills a C value. */
#include "spec/parse_util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spec/bignum.h"

static int pctx_oom(struct pctx *c) {
  return pctx_fail(c, "out of memory");
}

void *pctx_calloc(struct pctx *c, size_t n, size_t sz) {
  void *p;
  if (n == 0)
    return NULL;
  p = calloc(n, sz);
  if (p == NULL)
    pctx_oom(c);
  return p;
}

static bool is_bignum(struct pctx *c, json_t *v) {
  return json_is_string(v) && bignum_digits(c->bignum_tag, json_string_value(v)) != NULL;
}

int value_object(struct pctx *c, json_t *v) {
  return json_is_object(v) ? 0 : pctx_fail_type(c, "an object", v);
}

int value_array(struct pctx *c, json_t *v) {
  return json_is_array(v) ? 0 : pctx_fail_type(c, "an array", v);
}

int value_string(struct pctx *c, json_t *v, char **out) {
  if (!json_is_string(v) || is_bignum(c, v))
    return pctx_fail_type(c, "a string", v);
  *out = strdup(json_string_value(v));
  return *out ? 0 : pctx_oom(c);
}

int value_bool(struct pctx *c, json_t *v, bool *out) {
  if (!json_is_boolean(v))
    return pctx_fail_type(c, "a boolean", v);
  *out = json_is_true(v);
  return 0;
}

/* Sign and magnitude of an integer value, including rewritten big ones.  Returns -1
 * when v is not an integer; *overflow is set when the magnitude exceeds 2^64-1. */
static int integer_parts(struct pctx *c, json_t *v, bool *neg, uint64_t *mag, bool *overflow) {
  *overflow = false;
  if (json_is_integer(v)) {
    json_int_t i = json_integer_value(v);
    *neg = i < 0;
    *mag = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
    return 0;
  }
  if (is_bignum(c, v)) {
    const char *d = bignum_digits(c->bignum_tag, json_string_value(v));
    *neg = d[0] == '-';
    if (*neg)
      d++;
    errno = 0;
    *mag = strtoull(d, NULL, 10);
    *overflow = errno == ERANGE;
    return 0;
  }
  return -1;
}

static int value_unsigned(struct pctx *c, json_t *v, uint64_t max, uint64_t *out) {
  bool neg, overflow;
  uint64_t mag;
  if (integer_parts(c, v, &neg, &mag, &overflow) < 0 || (neg && mag != 0))
    return pctx_fail_type(c, "an unsigned integer", v);
  if (overflow || mag > max) {
    char what[64];
    snprintf(what, sizeof(what), "an integer from 0 to %" PRIu64, max);
    return pctx_fail_type(c, what, v);
  }
  *out = mag;
  return 0;
}

static int value_signed(struct pctx *c, json_t *v, int64_t min, int64_t max, int64_t *out) {
  bool neg, overflow;
  uint64_t mag;
  if (integer_parts(c, v, &neg, &mag, &overflow) < 0)
    return pctx_fail_type(c, "an integer", v);
  /* the bounds as magnitudes: -min fits in uint64 for every int64 min */
  uint64_t limit = neg ? (uint64_t)0 - (uint64_t)min : (uint64_t)max;
  if (overflow || mag > limit) {
    char what[80];
    snprintf(what, sizeof(what), "an integer from %" PRId64 " to %" PRId64, min, max);
    return pctx_fail_type(c, what, v);
  }
  *out = neg ? (int64_t)((uint64_t)0 - mag) : (int64_t)mag;
  return 0;
}

int value_u64(struct pctx *c, json_t *v, uint64_t *out) {
  return value_unsigned(c, v, UINT64_MAX, out);
}

/* An unsigned value up to max (at most UINT32_MAX); *out is left alone on error. */
static int value_u32_upto(struct pctx *c, json_t *v, uint64_t max, uint32_t *out) {
  uint64_t u = 0;
  int r = value_unsigned(c, v, max, &u);
  if (r == 0)
    *out = (uint32_t)u;
  return r;
}

int value_u32(struct pctx *c, json_t *v, uint32_t *out) {
  return value_u32_upto(c, v, UINT32_MAX, out);
}

/* uid/gid: 4294967295 is (uid_t)-1, "no change" to the kernel, which would leave
 * the process running as root: refused like any other out-of-range id. */
int value_id(struct pctx *c, json_t *v, uint32_t *out) {
  return value_u32_upto(c, v, UINT32_MAX - 1, out);
}

int value_u16(struct pctx *c, json_t *v, uint16_t *out) {
  uint32_t w = 0;
  int r = value_u32_upto(c, v, UINT16_MAX, &w);
  *out = r == 0 ? (uint16_t)w : *out;
  return r;
}

int value_i64(struct pctx *c, json_t *v, int64_t *out) {
  return value_signed(c, v, INT64_MIN, INT64_MAX, out);
}

int value_i32(struct pctx *c, json_t *v, int32_t *out) {
  int64_t i = 0;
  if (value_signed(c, v, INT32_MIN, INT32_MAX, &i) < 0)
    return -1;
  *out = (int32_t)i;
  return 0;
}

/* Several members naming the same field in different case ({"cpu": {...}, "CPU": {...}}):
 * runc's decoder decodes each into the field in turn, so objects merge (later members win
 * key by key).  The merged object replaces them under `key`; NULL when they are not all
 * objects (or on no memory), leaving the single-member rule to decide. */
static json_t *merge_case_variants(json_t *obj, const char *key) {
  json_t *x, *merged;
  const char *k;
  size_t n = 0, i = 0;
  const char **names;

  json_object_foreach(obj, k, x) {
    if (strcasecmp(k, key) != 0)
      continue;
    if (!json_is_object(x))
      return NULL;
    n++;
  }
  if (n < 2 || (names = calloc(n, sizeof(*names))) == NULL)
    return NULL;
  merged = json_object();
  json_object_foreach(obj, k, x) {
    if (strcasecmp(k, key) == 0 && merged && json_object_update_recursive(merged, x) < 0) {
      json_decref(merged);
      merged = NULL;
    }
    if (strcasecmp(k, key) == 0)
      names[i++] = k;
  }
  if (merged) {
    for (i = 0; i < n; i++)
      json_object_del(obj, names[i]);
    if (json_object_set_new(obj, key, merged) < 0)
      merged = NULL;
  }
  free(names);
  return merged;
}

json_t *spec_member(json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key), *x;
  const char *k;
  size_t matches = 0;

  /* only objects merge: a scalar or an array found under its own name is the answer */
  if (v && !json_is_object(v))
    return v;
  json_object_foreach(obj, k, x) {
    if (strcasecmp(k, key) == 0 && ++matches == 2)
      break;
  }
  if (matches > 1 && (x = merge_case_variants(obj, key)) != NULL)
    return x;
  if (v)
    return v;
  json_object_foreach(obj, k, x) {
    if (strcasecmp(k, key) == 0)
      return x;
  }
  return NULL;
}

/* Look up key in obj; null counts as absent.  Pushes the key when present. */
static json_t *member(struct pctx *c, json_t *obj, const char *key, size_t *saved) {
  json_t *v = obj && json_is_object(obj) ? spec_member(obj, key) : NULL;
  if (v == NULL || json_is_null(v))
    return NULL;
  *saved = pctx_push_key(c, key);
  return v;
}

#define DEFINE_GETTER(fn, type, value_fn)                                                          \
  int fn(struct pctx *c, json_t *obj, const char *key, type *out) {                                \
    size_t saved;                                                                                  \
    json_t *v = member(c, obj, key, &saved);                                                       \
    if (v == NULL)                                                                                 \
      return 0;                                                                                    \
    int r = value_fn(c, v, out);                                                                   \
    pctx_pop(c, saved);                                                                            \
    return r < 0 ? -1 : 1;                                                                         \
  }

DEFINE_GETTER(get_string, char *, value_string)
DEFINE_GETTER(get_bool, bool, value_bool)
DEFINE_GETTER(get_u64, uint64_t, value_u64)
DEFINE_GETTER(get_u32, uint32_t, value_u32)
DEFINE_GETTER(get_id, uint32_t, value_id)
DEFINE_GETTER(get_u16, uint16_t, value_u16)
DEFINE_GETTER(get_i64, int64_t, value_i64)
DEFINE_GETTER(get_i32, int32_t, value_i32)

/* obj.key checked by is_type (value_object, value_array). */
static int get_container(struct pctx *c, json_t *obj, const char *key, json_t **out,
                         int (*is_type)(struct pctx *c, json_t *v)) {
  size_t saved;
  json_t *v = member(c, obj, key, &saved);
  if (v == NULL)
    return 0;
  int r = is_type(c, v);
  pctx_pop(c, saved);
  *out = v;
  return r < 0 ? -1 : 1;
}

int get_object(struct pctx *c, json_t *obj, const char *key, json_t **out) {
  return get_container(c, obj, key, out, value_object);
}

int get_array(struct pctx *c, json_t *obj, const char *key, json_t **out) {
  return get_container(c, obj, key, out, value_array);
}

int get_strv(struct pctx *c, json_t *obj, const char *key, struct spec_strv *out) {
  json_t *arr, *item;
  size_t i, saved;
  int r = get_array(c, obj, key, &arr);
  if (r <= 0)
    return r;
  out->len = 0;
  out->items = pctx_calloc(c, json_array_size(arr) + 1, sizeof(char *));
  if (out->items == NULL)
    return -1;
  saved = pctx_push_key(c, key);
  json_array_foreach(arr, i, item) {
    size_t s2 = pctx_push_index(c, i);
    if (value_string(c, item, &out->items[i]) < 0)
      return -1;
    out->len++;
    pctx_pop(c, s2);
  }
  pctx_pop(c, saved);
  return 1;
}

int get_string_map(struct pctx *c, json_t *obj, const char *key, struct spec_kv_list *out) {
  json_t *map, *v;
  const char *k;
  size_t saved;
  int r = get_object(c, obj, key, &map);
  if (r <= 0)
    return r;
  out->len = 0;
  out->items = pctx_calloc(c, json_object_size(map), sizeof(*out->items));
  if (out->items == NULL && json_object_size(map) > 0)
    return -1;
  saved = pctx_push_key(c, key);
  json_object_foreach(map, k, v) {
    struct spec_kv *kv = &out->items[out->len];
    size_t s2 = pctx_push_key(c, k);
    if (value_string(c, v, &kv->value) < 0)
      return -1;
    kv->key = strdup(k);
    out->len++;
    if (kv->key == NULL)
      return pctx_oom(c);
    pctx_pop(c, s2);
  }
  pctx_pop(c, saved);
  return 1;
}

static int required(struct pctx *c, int r, const char *key) {
  if (r == 0)
    return pctx_fail_key(c, key, "required");
  return r;
}

int need_string(struct pctx *c, json_t *obj, const char *key, char **out) {
  return required(c, get_string(c, obj, key, out), key);
}

int need_u32(struct pctx *c, json_t *obj, const char *key, uint32_t *out) {
  return required(c, get_u32(c, obj, key, out), key);
}

int need_u64(struct pctx *c, json_t *obj, const char *key, uint64_t *out) {
  return required(c, get_u64(c, obj, key, out), key);
}

int need_i64(struct pctx *c, json_t *obj, const char *key, int64_t *out) {
  return required(c, get_i64(c, obj, key, out), key);
}

int need_bool(struct pctx *c, json_t *obj, const char *key, bool *out) {
  return required(c, get_bool(c, obj, key, out), key);
}

int need_enum(struct pctx *c, json_t *obj, const char *key, const char *const *names,
              const char *what, int *index) {
  return required(c, get_enum(c, obj, key, names, what, index), key);
}

int value_enum(struct pctx *c, json_t *v, const char *const *names, const char *what, int *index) {
  if (json_is_string(v) && !is_bignum(c, v)) {
    for (int i = 0; names[i]; i++) {
      if (strcmp(json_string_value(v), names[i]) == 0) {
        *index = i;
        return 0;
      }
    }
  }
  if (what)
    return pctx_fail_type(c, what, v);
  /* list the accepted names: "one of \"a\", \"b\"" */
  char list[512] = "one of ";
  size_t n = strlen(list);
  for (int i = 0; names[i] && n < sizeof(list) - 1; i++)
    n += (size_t)snprintf(list + n, sizeof(list) - n, "%s\"%s\"", i ? ", " : "", names[i]);
  return pctx_fail_type(c, list, v);
}

int get_enum(struct pctx *c, json_t *obj, const char *key, const char *const *names,
             const char *what, int *index) {
  size_t saved;
  json_t *v = member(c, obj, key, &saved);
  if (v == NULL)
    return 0;
  int r = value_enum(c, v, names, what, index);
  pctx_pop(c, saved);
  return r < 0 ? -1 : 1;
}

int get_string_checked(struct pctx *c, json_t *obj, const char *key, string_check_fn check,
                       const char *what, char **out) {
  size_t saved;
  json_t *v = member(c, obj, key, &saved);
  if (v == NULL)
    return 0;
  int r = -1;
  if (!json_is_string(v) || is_bignum(c, v) || !check(json_string_value(v)))
    pctx_fail_type(c, what, v);
  else
    r = value_string(c, v, out);
  pctx_pop(c, saved);
  return r < 0 ? -1 : 1;
}

/* get_strv, then each element checked by check (which fails with the element's path). */
struct strv_check {
  const char *const *names; /* value_enum's */
  string_check_fn fn;       /* or a predicate */
  const char *what;
};

static int checked_strv(struct pctx *c, json_t *obj, const char *key, const struct strv_check *k,
                        struct spec_strv *out) {
  json_t *arr, *item;
  size_t i, saved;
  int idx, r = get_strv(c, obj, key, out);
  if (r <= 0)
    return r;
  /* get_strv checked the types; now the values, with the element's path */
  arr = spec_member(obj, key);
  saved = pctx_push_key(c, key);
  json_array_foreach(arr, i, item) {
    size_t s2 = pctx_push_index(c, i);
    if (k->names && value_enum(c, item, k->names, k->what, &idx) < 0)
      return -1;
    if (k->fn && !k->fn(json_string_value(item)))
      return pctx_fail_type(c, k->what, item);
    pctx_pop(c, s2);
  }
  pctx_pop(c, saved);
  return 1;
}

int get_enum_strv(struct pctx *c, json_t *obj, const char *key, const char *const *names,
                  const char *what, struct spec_strv *out) {
  const struct strv_check k = {.names = names, .what = what};
  return checked_strv(c, obj, key, &k, out);
}

int get_checked_strv(struct pctx *c, json_t *obj, const char *key, string_check_fn check,
                     const char *what, struct spec_strv *out) {
  const struct strv_check k = {.fn = check, .what = what};
  return checked_strv(c, obj, key, &k, out);
}

void *parse_array_items(struct pctx *c, json_t *obj, const char *key, size_t size, size_t *len,
                        parse_item_fn fn, int *result) {
  json_t *arr = obj, *item;
  size_t i, saved = 0;
  char *items;

  *result = key ? get_array(c, obj, key, &arr) : 1;
  if (*result <= 0)
    return NULL;
  items = pctx_calloc(c, json_array_size(arr), size);
  if (items == NULL && json_array_size(arr) > 0) {
    *result = -1;
    return NULL;
  }
  if (key)
    saved = pctx_push_key(c, key);
  json_array_foreach(arr, i, item) {
    size_t s2 = pctx_push_index(c, i);
    (*len)++;
    if (fn(c, item, items, i) < 0) {
      *result = -1;
      return items;
    }
    pctx_pop(c, s2);
  }
  if (key)
    pctx_pop(c, saved);
  return items;
}

void *parse_map_items(struct pctx *c, json_t *obj, const char *key, size_t size, size_t *len,
                      parse_member_fn fn, int *result) {
  json_t *map, *value;
  const char *name;
  char *items;
  size_t saved;

  *result = get_object(c, obj, key, &map);
  if (*result <= 0)
    return NULL;
  items = pctx_calloc(c, json_object_size(map), size);
  if (items == NULL && json_object_size(map) > 0) {
    *result = -1;
    return NULL;
  }
  saved = pctx_push_key(c, key);
  json_object_foreach(map, name, value) {
    size_t s2 = pctx_push_key(c, name);
    int r;
    (*len)++;
    r = fn(c, name, value, items + (*len - 1) * size);
    if (r < 0) {
      *result = -1;
      return items;
    }
    if (r > 0)
      (*len)--; /* left out: nothing was kept in its room */
    pctx_pop(c, s2);
  }
  pctx_pop(c, saved);
  return items;
}

int parse_section(struct pctx *c, json_t *obj, const char *key, parse_section_fn fn, void *out) {
  json_t *section;
  size_t saved;
  int r = get_object(c, obj, key, &section);
  if (r <= 0)
    return r;
  saved = pctx_push_key(c, key);
  if (fn(c, section, out) < 0)
    return -1;
  pctx_pop(c, saved);
  return 1;
}
