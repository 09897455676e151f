/* D-Bus marshalling: values in the host's byte order (the message says which), each aligned
 * to its size from the start of the message, arrays with their byte length in front. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dbus/dbus.h"

/* The spec's largest array. */
#define DBUS_ARRAY_MAX (64u << 20)

void dbus_writer_clear(struct dbus_writer *w) {
  free(w->data);
  memset(w, 0, sizeof(*w));
}

static void fail(struct dbus_writer *w, int e) {
  if (w->err == 0)
    w->err = e;
}

static uint8_t *grow(struct dbus_writer *w, size_t n) {
  if (w->err)
    return NULL;
  if (n > DBUS_ARRAY_MAX * 2 || w->len > DBUS_ARRAY_MAX * 2) {
    fail(w, E2BIG);
    return NULL;
  }
  if (w->len + n > w->cap) {
    size_t cap = w->cap ? w->cap : 256;
    while (cap < w->len + n)
      cap *= 2;
    uint8_t *d = realloc(w->data, cap);
    if (d == NULL) {
      fail(w, ENOMEM);
      return NULL;
    }
    w->data = d;
    w->cap = cap;
  }
  uint8_t *p = w->data + w->len;
  w->len += n;
  return p;
}

void dbus_pad(struct dbus_writer *w, size_t align) {
  size_t n = (align - w->len % align) % align;
  uint8_t *p = grow(w, n);
  if (p)
    memset(p, 0, n);
}

static void put(struct dbus_writer *w, const void *v, size_t n) {
  dbus_pad(w, n);
  uint8_t *p = grow(w, n);
  if (p)
    memcpy(p, v, n);
}

void dbus_put_byte(struct dbus_writer *w, uint8_t v) {
  put(w, &v, 1);
}
void dbus_put_raw(struct dbus_writer *w, const void *bytes, size_t n) {
  uint8_t *p = grow(w, n);
  if (p)
    memcpy(p, bytes, n);
}
void dbus_put_bool(struct dbus_writer *w, bool v) {
  dbus_put_u32(w, v ? 1 : 0);
}
void dbus_put_i16(struct dbus_writer *w, int16_t v) {
  put(w, &v, 2);
}
void dbus_put_u16(struct dbus_writer *w, uint16_t v) {
  put(w, &v, 2);
}
void dbus_put_i32(struct dbus_writer *w, int32_t v) {
  put(w, &v, 4);
}
void dbus_put_u32(struct dbus_writer *w, uint32_t v) {
  put(w, &v, 4);
}
void dbus_put_i64(struct dbus_writer *w, int64_t v) {
  put(w, &v, 8);
}
void dbus_put_u64(struct dbus_writer *w, uint64_t v) {
  put(w, &v, 8);
}
void dbus_put_double(struct dbus_writer *w, double v) {
  put(w, &v, 8);
}

void dbus_put_string(struct dbus_writer *w, const char *s) {
  size_t n = strlen(s);
  /* a bus drops the connection of a peer that sends a string that is not UTF-8 */
  if (n > DBUS_ARRAY_MAX || !dbus_valid_utf8(s, n)) {
    fail(w, n > DBUS_ARRAY_MAX ? E2BIG : EINVAL);
    return;
  }
  dbus_put_u32(w, (uint32_t)n);
  uint8_t *p = grow(w, n + 1);
  if (p)
    memcpy(p, s, n + 1);
}

void dbus_put_signature(struct dbus_writer *w, const char *sig) {
  size_t n = strlen(sig);
  if (n > 255) {
    fail(w, EINVAL);
    return;
  }
  uint8_t *p = grow(w, n + 2);
  if (p) {
    p[0] = (uint8_t)n;
    memcpy(p + 1, sig, n + 1);
  }
}

struct dbus_array dbus_array_begin(struct dbus_writer *w, size_t elem_align) {
  struct dbus_array a;
  dbus_put_u32(w, 0);
  a.len_at = w->len - 4;
  /* the padding to the first element is not part of the length, even when there is none */
  dbus_pad(w, elem_align);
  a.start = w->len;
  return a;
}

void dbus_array_end(struct dbus_writer *w, struct dbus_array a) {
  if (w->err)
    return;
  size_t n = w->len - a.start;
  if (n > DBUS_ARRAY_MAX) {
    fail(w, E2BIG);
    return;
  }
  uint32_t v = (uint32_t)n;
  memcpy(w->data + a.len_at, &v, 4);
}

void dbus_struct_begin(struct dbus_writer *w) {
  dbus_pad(w, 8);
}

void dbus_variant_begin(struct dbus_writer *w, const char *sig) {
  if (dbus_complete_type_len(sig) != strlen(sig) || sig[0] == '\0') {
    fail(w, EINVAL);
    return;
  }
  dbus_put_signature(w, sig);
}
