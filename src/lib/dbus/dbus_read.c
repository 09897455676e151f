/* Reading D-Bus values from a received message, in either byte order, with every bound,
 * padding byte and string checked: the bytes come from another process. */
#include <errno.h>
#include <string.h>

#include "dbus/dbus.h"
#include "util/limits.h"

void dbus_reader_init(struct dbus_reader *r, const struct dbus_message *m) {
  memset(r, 0, sizeof(*r));
  r->data = m->body;
  r->len = m->body_len;
  r->big_endian = m->big_endian;
}

static int bad(void) {
  errno = EBADMSG;
  return -1;
}

bool dbus_valid_utf8(const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str;
  for (size_t i = 0; i < len;) {
    unsigned c = s[i];
    size_t n;
    unsigned cp;
    if (c == 0)
      return false;
    if (c < 0x80) {
      i++;
      continue;
    }
    if ((c & 0xe0) == 0xc0)
      n = 1, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0)
      n = 2, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0)
      n = 3, cp = c & 0x07;
    else
      return false;
    if (len - i - 1 < n)
      return false;
    for (size_t k = 1; k <= n; k++) {
      if ((s[i + k] & 0xc0) != 0x80)
        return false;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    /* overlong forms, surrogates, beyond U+10FFFF */
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
      return false;
    i += n + 1;
  }
  return true;
}

size_t dbus_type_align(char type) {
  switch (type) {
  case 'y':
  case 'g':
  case 'v':
    return 1;
  case 'n':
  case 'q':
    return 2;
  case 'x':
  case 't':
  case 'd':
  case '(':
  case '{':
    return 8;
  default:
    return 4;
  }
}

static size_t complete_type(const char *sig, int depth) {
  if (depth > LIMIT_DBUS_DEPTH)
    return 0;
  switch (sig[0]) {
  case 'y':
  case 'b':
  case 'n':
  case 'q':
  case 'i':
  case 'u':
  case 'x':
  case 't':
  case 'd':
  case 's':
  case 'o':
  case 'g':
  case 'v':
  case 'h':
    return 1;
  case 'a': {
    size_t n = complete_type(sig + 1, depth + 1);
    return n ? n + 1 : 0;
  }
  case '(': {
    size_t i = 1;
    while (sig[i] != ')') {
      size_t n = complete_type(sig + i, depth + 1);
      if (n == 0)
        return 0;
      i += n;
    }
    return i == 1 ? 0 : i + 1;
  }
  case '{': {
    /* a dict entry: a basic key and one value, only as an array's element (checked by
     * the caller through dbus_skip) */
    if (sig[1] == '\0' || strchr("ybnqiuxtdsogh", sig[1]) == NULL)
      return 0;
    size_t n = complete_type(sig + 2, depth + 1);
    return n && sig[2 + n] == '}' ? n + 3 : 0;
  }
  default:
    return 0;
  }
}

size_t dbus_complete_type_len(const char *sig) {
  return complete_type(sig, 0);
}

int dbus_read_align(struct dbus_reader *r, size_t a) {
  while (r->pos % a) {
    if (r->pos >= r->len || r->data[r->pos] != 0)
      return bad();
    r->pos++;
  }
  return 0;
}

static int fixed(struct dbus_reader *r, size_t n, uint64_t *v) {
  uint8_t b[8];
  if (dbus_read_align(r, n) < 0 || r->len - r->pos < n)
    return bad();
  memcpy(b, r->data + r->pos, n);
  r->pos += n;
  *v = 0;
  for (size_t i = 0; i < n; i++) {
    size_t k = r->big_endian ? i : n - 1 - i;
    *v = (*v << 8) | b[k];
  }
  return 0;
}

int dbus_read_byte(struct dbus_reader *r, uint8_t *v) {
  uint64_t x;
  if (fixed(r, 1, &x) < 0)
    return -1;
  *v = (uint8_t)x;
  return 0;
}

int dbus_read_u32(struct dbus_reader *r, uint32_t *v) {
  uint64_t x;
  if (fixed(r, 4, &x) < 0)
    return -1;
  *v = (uint32_t)x;
  return 0;
}

int dbus_read_u64(struct dbus_reader *r, uint64_t *v) {
  return fixed(r, 8, v);
}

static bool valid_path(const char *s, size_t n) {
  if (n == 0 || s[0] != '/')
    return false;
  if (n == 1)
    return true;
  for (size_t i = 1; i < n; i++) {
    char c = s[i];
    bool elem =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (c == '/' ? s[i - 1] == '/' : !elem)
      return false;
  }
  return s[n - 1] != '/';
}

int dbus_read_string(struct dbus_reader *r, char type, const char **s) {
  uint32_t n;
  if (dbus_read_u32(r, &n) < 0 || r->len - r->pos <= n)
    return bad();
  const char *p = (const char *)r->data + r->pos;
  if (p[n] != '\0' || !dbus_valid_utf8(p, n) || (type == 'o' && !valid_path(p, n)))
    return bad();
  r->pos += n + 1;
  *s = p;
  return 0;
}

int dbus_read_signature(struct dbus_reader *r, const char **sig) {
  if (r->pos >= r->len)
    return bad();
  size_t n = r->data[r->pos];
  if (r->len - r->pos - 1 <= n)
    return bad();
  const char *p = (const char *)r->data + r->pos + 1;
  if (p[n] != '\0' || strlen(p) != n)
    return bad();
  /* a sequence of complete types, none of them a bare dict entry */
  for (size_t i = 0; i < n;) {
    size_t k = p[i] == '{' ? 0 : dbus_complete_type_len(p + i);
    if (k == 0)
      return bad();
    i += k;
  }
  r->pos += n + 2;
  *sig = p;
  return 0;
}

int dbus_read_array(struct dbus_reader *r, size_t elem_align, size_t *end) {
  uint32_t n;
  if (dbus_read_u32(r, &n) < 0 || n > (64u << 20) || dbus_read_align(r, elem_align) < 0 ||
      r->len - r->pos < n)
    return bad();
  *end = r->pos + n;
  return 0;
}

static int skip(struct dbus_reader *r, const char **sig, bool in_array) {
  const char *s = *sig;
  uint64_t v;
  const char *str;
  if (r->depth > LIMIT_DBUS_DEPTH)
    return bad();
  switch (s[0]) {
  case 'y':
    *sig = s + 1;
    return fixed(r, 1, &v);
  case 'n':
  case 'q':
    *sig = s + 1;
    return fixed(r, 2, &v);
  case 'b':
    *sig = s + 1;
    return fixed(r, 4, &v) < 0 || v > 1 ? bad() : 0;
  case 'i':
  case 'u':
  case 'h':
    *sig = s + 1;
    return fixed(r, 4, &v);
  case 'x':
  case 't':
  case 'd':
    *sig = s + 1;
    return fixed(r, 8, &v);
  case 's':
  case 'o':
    *sig = s + 1;
    return dbus_read_string(r, s[0], &str);
  case 'g':
    *sig = s + 1;
    return dbus_read_signature(r, &str);
  case 'v': {
    const char *inner;
    if (dbus_read_signature(r, &inner) < 0 || dbus_complete_type_len(inner) != strlen(inner) ||
        inner[0] == '\0')
      return bad();
    r->depth++;
    int rc = skip(r, &inner, false);
    r->depth--;
    *sig = s + 1;
    return rc;
  }
  case 'a': {
    size_t n = dbus_complete_type_len(s);
    size_t end;
    if (n == 0 || dbus_read_array(r, dbus_type_align(s[1]), &end) < 0)
      return bad();
    r->depth++;
    while (r->pos < end) {
      const char *e = s + 1;
      if (skip(r, &e, true) < 0 || r->pos > end)
        return bad();
    }
    r->depth--;
    *sig = s + n;
    return 0;
  }
  case '(':
  case '{': {
    size_t n = dbus_complete_type_len(s);
    if (n == 0 || (s[0] == '{' && !in_array) || dbus_read_align(r, 8) < 0)
      return bad();
    const char *e = s + 1;
    r->depth++;
    while (e < s + n - 1)
      if (skip(r, &e, false) < 0)
        return bad();
    r->depth--;
    *sig = s + n;
    return 0;
  }
  default:
    return bad();
  }
}

int dbus_skip(struct dbus_reader *r, const char **sig) {
  return skip(r, sig, false);
}
