/* `update` keeps the limits it set in the container's stored config.json, as runc keeps
 * them in its stored configuration: a later `update`, exec, checkpoint or restore sees
 * the values in force.  Only the members update changed are replaced; everything else in
 * the document stays as it was (integers beyond int64 included, see bignum.h). */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/bignum.h"
#include "spec/parse.h"
#include "util/cleanup.h"

struct merge {
  const char *tag;
  int failed;
};

/* obj.key, made an object when absent or of another type. */
static json_t *child_object(struct merge *m, json_t *obj, const char *key) {
  json_t *o = json_object_get(obj, key);
  if (json_is_object(o))
    return o;
  o = json_object();
  if (o == NULL || json_object_set_new(obj, key, o) < 0)
    m->failed = 1;
  return o;
}

static void set(struct merge *m, json_t *obj, const char *key, json_t *v) {
  if (obj == NULL || v == NULL || json_object_set_new(obj, key, v) < 0)
    m->failed = 1;
}

static void set_i64(struct merge *m, json_t *obj, bool has, const char *key, int64_t v) {
  if (has)
    set(m, obj, key, json_integer(v));
}

/* A uint64 beyond int64 goes in as a tagged string, turned back into a number at the end. */
static void set_u64(struct merge *m, json_t *obj, bool has, const char *key, uint64_t v) {
  char buf[64];
  if (!has)
    return;
  if (v <= INT64_MAX) {
    set(m, obj, key, json_integer((json_int_t)v));
    return;
  }
  snprintf(buf, sizeof(buf), "%s%" PRIu64, m->tag, v);
  set(m, obj, key, json_string(buf));
}

static void set_throttle(struct merge *m, json_t *bio, const char *key,
                         const struct spec_throttle_list *l) {
  json_t *a;
  if (l->len == 0)
    return;
  a = json_array();
  for (size_t i = 0; a && i < l->len; i++) {
    json_t *e = json_object();
    set(m, e, "major", json_integer(l->items[i].major));
    set(m, e, "minor", json_integer(l->items[i].minor));
    set_u64(m, e, true, "rate", l->items[i].rate);
    if (e == NULL || json_array_append_new(a, e) < 0)
      m->failed = 1;
  }
  set(m, bio, key, a);
}

static void set_weight_devices(struct merge *m, json_t *bio, const struct spec_block_io *b) {
  json_t *a;
  if (b->weight_device_len == 0)
    return;
  a = json_array();
  for (size_t i = 0; a && i < b->weight_device_len; i++) {
    const struct spec_weight_device *w = &b->weight_device[i];
    json_t *e = json_object();
    set(m, e, "major", json_integer(w->major));
    set(m, e, "minor", json_integer(w->minor));
    set_i64(m, e, w->has_weight, "weight", w->weight);
    set_i64(m, e, w->has_leaf_weight, "leafWeight", w->leaf_weight);
    if (e == NULL || json_array_append_new(a, e) < 0)
      m->failed = 1;
  }
  set(m, bio, "weightDevice", a);
}

/* The numbers update takes, a table per section: where each one's has_ flag and value sit
 * in the section's struct. */
enum num_type { I64, U64 };
struct number {
  const char *key;
  enum num_type type;
  size_t value, has;
};
#define MEM(key, type, f)                                                                          \
  { key, type, offsetof(struct spec_memory, f), offsetof(struct spec_memory, has_##f) }
#define CPU(key, type, f)                                                                          \
  { key, type, offsetof(struct spec_cpu, f), offsetof(struct spec_cpu, has_##f) }
static const struct number memory_numbers[] = {
    MEM("limit", I64, limit),   MEM("reservation", I64, reservation), MEM("swap", I64, swap),
    MEM("kernel", I64, kernel), MEM("kernelTCP", I64, kernel_tcp),    {NULL, I64, 0, 0},
};
static const struct number cpu_numbers[] = {
    CPU("shares", U64, shares),
    CPU("quota", I64, quota),
    CPU("burst", U64, burst),
    CPU("period", U64, period),
    CPU("realtimeRuntime", I64, realtime_runtime),
    CPU("realtimePeriod", U64, realtime_period),
    CPU("idle", I64, idle),
    {NULL, I64, 0, 0},
};

/* The numbers of table present in the section struct at base, into obj.section. */
static void merge_numbers(struct merge *m, json_t *res, const char *section, const void *base,
                          const struct number *table) {
  for (const struct number *n = table; n->key; n++) {
    const char *p = base;
    if (!*(const bool *)(p + n->has))
      continue;
    json_t *o = child_object(m, res, section);
    if (n->type == I64)
      set_i64(m, o, true, n->key, *(const int64_t *)(p + n->value));
    else
      set_u64(m, o, true, n->key, *(const uint64_t *)(p + n->value));
  }
}

static void merge_resources(struct merge *m, json_t *res, const struct spec_resources *u) {
  const struct spec_block_io *bio = &u->block_io;

  merge_numbers(m, res, "memory", &u->memory, memory_numbers);
  if (u->memory.has_check_before_update)
    set(m, child_object(m, res, "memory"), "checkBeforeUpdate",
        json_boolean(u->memory.check_before_update));
  merge_numbers(m, res, "cpu", &u->cpu, cpu_numbers);
  if (u->has_pids_limit)
    set_i64(m, child_object(m, res, "pids"), true, "limit", u->pids_limit);
  if (u->cpu.cpus)
    set(m, child_object(m, res, "cpu"), "cpus", json_string(u->cpu.cpus));
  if (u->cpu.mems)
    set(m, child_object(m, res, "cpu"), "mems", json_string(u->cpu.mems));
  if (bio->present) {
    json_t *o = child_object(m, res, "blockIO");
    set_i64(m, o, bio->has_weight, "weight", bio->weight);
    set_weight_devices(m, o, bio);
    set_throttle(m, o, "throttleReadBpsDevice", &bio->throttle_read_bps);
    set_throttle(m, o, "throttleWriteBpsDevice", &bio->throttle_write_bps);
    set_throttle(m, o, "throttleReadIOPSDevice", &bio->throttle_read_iops);
    set_throttle(m, o, "throttleWriteIOPSDevice", &bio->throttle_write_iops);
  }
  if (u->unified.len) {
    json_t *o = child_object(m, res, "unified");
    for (size_t i = 0; i < u->unified.len; i++)
      set(m, o, u->unified.items[i].key, json_string(u->unified.items[i].value));
  }
}

int spec_resources_merge(const char *name, const char *data, size_t len,
                         const struct spec_resources *upd, char **out, ocirun_error_t **err) {
  struct pctx c;
  struct merge m = {0};
  json_t *doc;
  _cleanup_free_ char *text = NULL;

  *out = NULL;
  pctx_init(&c, name, err);
  doc = spec_load_json(&c, data, len);
  if (doc == NULL)
    return -1;
  if (c.bignum_tag[0] == '\0')
    bignum_make_tag(c.bignum_tag, sizeof(c.bignum_tag));
  m.tag = c.bignum_tag;
  merge_resources(&m, child_object(&m, child_object(&m, doc, "linux"), "resources"), upd);
  if (!m.failed)
    text = json_dumps(doc, JSON_COMPACT);
  json_decref(doc);
  if (text)
    *out = bignum_restore(text, c.bignum_tag);
  if (*out == NULL)
    return ocirun_error_set(err, ENOMEM, "%s: record the updated resources", name);
  return 0;
}
