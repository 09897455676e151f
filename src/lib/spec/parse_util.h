/* Typed getters over a jansson tree that keep track of the JSON path being read,
 * so that every error names where it is: "config.json: .process.rlimits[1].hard: ...".
 *
 * Getters taking (obj, key) return 1 when the value is present, 0 when the key is
 * absent or null (Go's encoding/json, hence runc, treats null as absent) and -1 after
 * filling the error.  Getters taking a value (value_*) return 0 or -1. */
#ifndef OCIRUN_SPEC_PARSE_UTIL_H
#define OCIRUN_SPEC_PARSE_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec/spec.h"

#define PCTX_PATH_MAX 1024

struct pctx {
  const char *name; /* "config.json", first word of each message */
  char path[PCTX_PATH_MAX];
  size_t path_len;
  /* Integers outside int64 are rewritten as strings starting with this tag before
   * jansson sees them (see bignum.h); empty when the document had none. */
  char bignum_tag[40];
  ocirun_error_t **err;
};

void pctx_init(struct pctx *c, const char *name, ocirun_error_t **err);

/* Append ".key" (or ["key"] when the key is not an identifier) / "[i]" to the path;
 * the return value is handed to pctx_pop to restore the previous path. */
size_t pctx_push_key(struct pctx *c, const char *key);
size_t pctx_push_index(struct pctx *c, size_t index);
void pctx_pop(struct pctx *c, size_t saved);

/* "<name>: <path>: <message>"; returns -1. */
int pctx_fail(struct pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "<name>: <path>: expected <what>, got <description of v>"; returns -1. */
int pctx_fail_type(struct pctx *c, const char *what, json_t *v);
/* Same, for the member `key` of the current object. */
int pctx_fail_key(struct pctx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Value getters (the path already points at v). */
int value_object(struct pctx *c, json_t *v);
int value_array(struct pctx *c, json_t *v);
int value_string(struct pctx *c, json_t *v, char **out);
int value_bool(struct pctx *c, json_t *v, bool *out);
int value_u64(struct pctx *c, json_t *v, uint64_t *out);
int value_u32(struct pctx *c, json_t *v, uint32_t *out);
/* A uid or gid: 0 to 4294967294. */
int value_id(struct pctx *c, json_t *v, uint32_t *out);
int value_u16(struct pctx *c, json_t *v, uint16_t *out);
int value_i64(struct pctx *c, json_t *v, int64_t *out);
int value_i32(struct pctx *c, json_t *v, int32_t *out);

/* Member getters. */
int get_object(struct pctx *c, json_t *obj, const char *key, json_t **out);
int get_array(struct pctx *c, json_t *obj, const char *key, json_t **out);
int get_string(struct pctx *c, json_t *obj, const char *key, char **out);
int get_bool(struct pctx *c, json_t *obj, const char *key, bool *out);
int get_u64(struct pctx *c, json_t *obj, const char *key, uint64_t *out);
int get_u32(struct pctx *c, json_t *obj, const char *key, uint32_t *out);
int get_id(struct pctx *c, json_t *obj, const char *key, uint32_t *out);
int get_u16(struct pctx *c, json_t *obj, const char *key, uint16_t *out);
int get_i64(struct pctx *c, json_t *obj, const char *key, int64_t *out);
int get_i32(struct pctx *c, json_t *obj, const char *key, int32_t *out);
/* The member named key (NULL when absent): like runc's decoder (Go's encoding/json), a key
 * that differs only in case ("pagesize" for "pageSize") is taken when the exact one is
 * absent.  Every lookup of a config key goes through it. */
json_t *spec_member(json_t *obj, const char *key);
int get_strv(struct pctx *c, json_t *obj, const char *key, struct spec_strv *out);
/* An object of string values, kept in document order. */
int get_string_map(struct pctx *c, json_t *obj, const char *key, struct spec_kv_list *out);

/* Present-or-error variants for REQUIRED members: absent gives "<path>.key: required". */
int need_string(struct pctx *c, json_t *obj, const char *key, char **out);
int need_u32(struct pctx *c, json_t *obj, const char *key, uint32_t *out);
int need_u64(struct pctx *c, json_t *obj, const char *key, uint64_t *out);
int need_i64(struct pctx *c, json_t *obj, const char *key, int64_t *out);
int need_bool(struct pctx *c, json_t *obj, const char *key, bool *out);
/* get_enum of a required member. */
int need_enum(struct pctx *c, json_t *obj, const char *key, const char *const *names,
              const char *what, int *index);

/* A string member that must be one of names[] (NULL-terminated); *index is its
 * position.  `what` describes the set in the error ("a namespace type"); NULL lists
 * the names themselves. */
int get_enum(struct pctx *c, json_t *obj, const char *key, const char *const *names,
             const char *what, int *index);
int value_enum(struct pctx *c, json_t *v, const char *const *names, const char *what, int *index);

/* Strings checked by small hand-written patterns (no regex engine needed). */
typedef bool (*string_check_fn)(const char *s);
int get_string_checked(struct pctx *c, json_t *obj, const char *key, string_check_fn check,
                       const char *what, char **out);

/* Arrays of strings each of which must be one of names[] / pass check. */
int get_enum_strv(struct pctx *c, json_t *obj, const char *key, const char *const *names,
                  const char *what, struct spec_strv *out);
int get_checked_strv(struct pctx *c, json_t *obj, const char *key, string_check_fn check,
                     const char *what, struct spec_strv *out);

/* Array helper: calloc an array of n elements of size sz (n may be 0: returns NULL). */
void *pctx_calloc(struct pctx *c, size_t n, size_t sz);

/* obj.key, an array of objects (key NULL: obj is the array, its path already pushed): room
 * for every element (size bytes each, zeroed) is returned, and fn parses element i into it
 * with the path at [i].  *len counts the elements begun, so that what a failure leaves is
 * safe to free; fn may look at the earlier elements (duplicate checks).  *result: 1 when
 * present, 0 when absent, -1 on error.  The room is returned in every case (NULL when
 * absent). */
/* An optional member: getter (get_u32, get_i64 ...) fills ptr->field and ptr->has_field says
 * whether it was there; an error returns -1 from the calling parser (which has c). */
#define GET_OPT(getter, obj, key, ptr, field)                                                      \
  do {                                                                                             \
    int r_ = getter(c, obj, key, &(ptr)->field);                                                   \
    if (r_ < 0)                                                                                    \
      return -1;                                                                                   \
    (ptr)->has_##field = r_ > 0;                                                                   \
  } while (0)

/* obj.key, an object of objects by name (netDevices, rdma, timeOffsets): as
 * parse_array_items, with the path at .key.<name>; fn gets the name and returns 1 to leave
 * the member out (not counted, its room reused). */
typedef int (*parse_member_fn)(struct pctx *c, const char *name, json_t *value, void *item);
void *parse_map_items(struct pctx *c, json_t *obj, const char *key, size_t size, size_t *len,
                      parse_member_fn fn, int *result);
/* obj.key, an optional object: fn parses it with the path at .key.  Returns 1 when present
 * (and parsed), 0 when absent, -1 on error. */
typedef int (*parse_section_fn)(struct pctx *c, json_t *section, void *out);
int parse_section(struct pctx *c, json_t *obj, const char *key, parse_section_fn fn, void *out);

typedef int (*parse_item_fn)(struct pctx *c, json_t *item, void *items, size_t i);
void *parse_array_items(struct pctx *c, json_t *obj, const char *key, size_t size, size_t *len,
                        parse_item_fn fn, int *result);

/* In a parser with c: obj.key (an array / a map of objects) into items and len by fn;
 * an error returns -1 from the parser. */
#define PARSE_ITEMS(parse, obj, key, items, len, fn)                                               \
  do {                                                                                             \
    int r_;                                                                                        \
    (items) = parse(c, obj, key, sizeof(*(items)), &(len), fn, &r_);                               \
    if (r_ < 0)                                                                                    \
      return -1;                                                                                   \
  } while (0)
#define PARSE_ARRAY(obj, key, items, len, fn)                                                      \
  PARSE_ITEMS(parse_array_items, obj, key, items, len, fn)
#define PARSE_MAP(obj, key, items, len, fn) PARSE_ITEMS(parse_map_items, obj, key, items, len, fn)

#endif
