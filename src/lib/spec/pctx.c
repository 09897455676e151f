/* The parser's position (a JSON path) and its error messages. */
#include "spec/parse_util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/bignum.h"
#include "util/cleanup.h"
#include "util/json_escape.h"
/* Longest piece of an offending value quoted back in a message. */
#define SHOWN_MAX 64

void pctx_init(struct pctx *c, const char *name, ocirun_error_t **err) {
  c->name = name;
  c->path[0] = '\0';
  c->path_len = 0;
  c->bignum_tag[0] = '\0';
  c->err = err;
}

static void path_append(struct pctx *c, const char *s, size_t n) {
  size_t room = sizeof(c->path) - 1 - c->path_len;
  if (n > room) {
    /* A path this long is only useful for its start: cut it and say so. */
    n = room;
    if (n >= 3) {
      memcpy(c->path + c->path_len, s, n - 3);
      memcpy(c->path + c->path_len + n - 3, "...", 3);
      c->path_len += n;
      c->path[c->path_len] = '\0';
      return;
    }
  }
  memcpy(c->path + c->path_len, s, n);
  c->path_len += n;
  c->path[c->path_len] = '\0';
}

static bool is_identifier(const char *s) {
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
    return false;
  for (s++; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '_'))
      return false;
  return true;
}

size_t pctx_push_key(struct pctx *c, const char *key) {
  size_t saved = c->path_len;
  if (is_identifier(key)) {
    path_append(c, ".", 1);
    path_append(c, key, strlen(key));
  } else {
    /* jq's notation for keys such as "net.ipv4.ip_forward" */
    _cleanup_free_ char *quoted = json_escape_string(key);
    path_append(c, "[", 1);
    if (quoted)
      path_append(c, quoted, strlen(quoted));
    path_append(c, "]", 1);
  }
  return saved;
}

size_t pctx_push_index(struct pctx *c, size_t index) {
  char buf[32];
  size_t saved = c->path_len;
  int n = snprintf(buf, sizeof(buf), "[%zu]", index);
  path_append(c, buf, (size_t)n);
  return saved;
}

void pctx_pop(struct pctx *c, size_t saved) {
  c->path_len = saved;
  c->path[saved] = '\0';
}

static int pctx_vfail(struct pctx *c, const char *fmt, va_list ap) {
  _cleanup_free_ char *msg = NULL;
  if (vasprintf(&msg, fmt, ap) < 0)
    return ocirun_error_set(c->err, ENOMEM, "%s", c->name);
  return ocirun_error_set(c->err, 0, "%s: %s: %s", c->name, c->path_len ? c->path : ".", msg);
}

int pctx_fail(struct pctx *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pctx_vfail(c, fmt, ap);
  va_end(ap);
  return -1;
}

int pctx_fail_key(struct pctx *c, const char *key, const char *fmt, ...) {
  size_t saved = pctx_push_key(c, key);
  va_list ap;
  va_start(ap, fmt);
  pctx_vfail(c, fmt, ap);
  va_end(ap);
  pctx_pop(c, saved);
  return -1;
}

/* A prefix of s cut at a UTF-8 character boundary, quoted as JSON. */
static char *quote_shortened(const char *s) {
  size_t n = strlen(s);
  if (n <= SHOWN_MAX)
    return json_escape_string(s);
  n = SHOWN_MAX;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  _cleanup_free_ char *cut = strndup(s, n);
  if (cut == NULL)
    return NULL;
  char *q = json_escape_string(cut);
  char *full = NULL;
  if (q && asprintf(&full, "%s...", q) < 0)
    full = NULL;
  free(q);
  return full;
}

/* "string \"abc\"", "number -1", "boolean true", "null", "object", "array". */
static char *describe(struct pctx *c, json_t *v) {
  char *out = NULL;
  int r = -1;
  if (v == NULL)
    return strdup("nothing");
  switch (json_typeof(v)) {
  case JSON_STRING: {
    const char *digits = bignum_digits(c->bignum_tag, json_string_value(v));
    if (digits) {
      if (strlen(digits) > SHOWN_MAX)
        r = asprintf(&out, "number %.*s...", SHOWN_MAX, digits);
      else
        r = asprintf(&out, "number %s", digits);
    } else {
      _cleanup_free_ char *q = quote_shortened(json_string_value(v));
      r = asprintf(&out, "string %s", q ? q : "\"\"");
    }
    break;
  }
  case JSON_INTEGER:
    r = asprintf(&out, "number %" JSON_INTEGER_FORMAT, json_integer_value(v));
    break;
  case JSON_REAL: {
    /* keep "1.0" recognisable as a real: %g would print "1" */
    char num[40];
    snprintf(num, sizeof(num), "%.17g", json_real_value(v));
    r = asprintf(&out, "number %s%s", num, strpbrk(num, ".eEn") ? "" : ".0");
    break;
  }
  case JSON_TRUE:
    r = asprintf(&out, "boolean true");
    break;
  case JSON_FALSE:
    r = asprintf(&out, "boolean false");
    break;
  case JSON_NULL:
    r = asprintf(&out, "null");
    break;
  case JSON_OBJECT:
    r = asprintf(&out, "object");
    break;
  case JSON_ARRAY:
    r = asprintf(&out, "array");
    break;
  }
  return r < 0 ? NULL : out;
}

int pctx_fail_type(struct pctx *c, const char *what, json_t *v) {
  _cleanup_free_ char *got = describe(c, v);
  return pctx_fail(c, "expected %s, got %s", what, got ? got : "another type");
}
