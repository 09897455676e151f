#include "spec/bignum.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

void bignum_make_tag(char *tag, size_t size) {
  uint64_t nonce = 0;
  if (getrandom(&nonce, sizeof(nonce), GRND_NONBLOCK) != (ssize_t)sizeof(nonce)) {
    /* No entropy yet (early boot): still unguessable enough for a document written
     * before this process started. */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    nonce = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)ts.tv_sec ^
            (uint64_t)getpid() << 32 ^ (uint64_t)(uintptr_t)tag;
  }
  snprintf(tag, size, "\x1f%016llx:", (unsigned long long)nonce);
}

/* Length of a JSON integer token at p (no fraction, no exponent), 0 if p does not start
 * one.  Leading zeros are left to jansson to reject. */
static size_t integer_token(const char *p, const char *end, bool *fits_int64) {
  const char *q = p;
  bool neg = false;
  size_t ndigits;

  if (q < end && *q == '-') {
    neg = true;
    q++;
  }
  if (q >= end || *q < '1' || *q > '9')
    return 0;
  const char *digits = q;
  while (q < end && *q >= '0' && *q <= '9')
    q++;
  if (q < end && (*q == '.' || *q == 'e' || *q == 'E'))
    return 0;
  ndigits = (size_t)(q - digits);
  if (ndigits < 19)
    *fits_int64 = true;
  else if (ndigits > 19)
    *fits_int64 = false;
  else
    *fits_int64 = memcmp(digits, neg ? "9223372036854775808" : "9223372036854775807", 19) <= 0;
  return (size_t)(q - p);
}

int bignum_rewrite(const char *data, size_t len, const char *tag, char **out, size_t *out_len) {
  const char *p = data, *end = data + len;
  bool in_string = false;
  char *buf = NULL;
  size_t buf_len = 0, buf_cap = 0, copied_upto = 0;
  /* The tag as a JSON string body: the control character must be escaped. */
  char tag_json[64];
  snprintf(tag_json, sizeof(tag_json), "\\u001f%s", tag + 1);
  size_t tag_json_len = strlen(tag_json);

  *out = NULL;
  while (p < end) {
    char ch = *p;
    if (in_string) {
      if (ch == '\\')
        p += (end - p > 1) ? 2 : 1;
      else {
        if (ch == '"')
          in_string = false;
        p++;
      }
      continue;
    }
    if (ch == '"') {
      in_string = true;
      p++;
      continue;
    }
    if (ch != '-' && (ch < '0' || ch > '9')) {
      p++;
      continue;
    }
    bool fits = true;
    size_t n = integer_token(p, end, &fits);
    if (n == 0) {
      /* A real number or something jansson will reject: skip the whole token. */
      p++;
      while (p < end && ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' ||
                         *p == '+' || *p == '-'))
        p++;
      continue;
    }
    if (!fits) {
      size_t start = (size_t)(p - data);
      size_t need = buf_len + (start - copied_upto) + tag_json_len + n + 3 + (len - start);
      if (need > buf_cap) {
        size_t cap = buf_cap ? buf_cap * 2 : len + 256;
        while (cap < need)
          cap *= 2;
        char *nb = realloc(buf, cap);
        if (nb == NULL) {
          free(buf);
          return -1;
        }
        buf = nb;
        buf_cap = cap;
      }
      memcpy(buf + buf_len, data + copied_upto, start - copied_upto);
      buf_len += start - copied_upto;
      buf[buf_len++] = '"';
      memcpy(buf + buf_len, tag_json, tag_json_len);
      buf_len += tag_json_len;
      memcpy(buf + buf_len, p, n);
      buf_len += n;
      buf[buf_len++] = '"';
      copied_upto = start + n;
    }
    p += n;
  }
  if (buf == NULL)
    return 0;
  /* need above reserved room for the tail and a NUL */
  memcpy(buf + buf_len, data + copied_upto, len - copied_upto);
  buf_len += len - copied_upto;
  buf[buf_len] = '\0';
  *out = buf;
  *out_len = buf_len;
  return 1;
}

const char *bignum_digits(const char *tag, const char *s) {
  size_t n;
  if (tag[0] == '\0' || s[0] != '\x1f')
    return NULL;
  n = strlen(tag);
  return strncmp(s, tag, n) == 0 ? s + n : NULL;
}

char *bignum_restore(const char *json, const char *tag) {
  char quoted[72];
  size_t qlen, len = strlen(json);
  char *out = malloc(len + 1), *w = out;

  if (out == NULL)
    return NULL;
  /* jansson writes the control character of the tag as \u001f */
  qlen = (size_t)snprintf(quoted, sizeof(quoted), "\"\\u001f%s", tag + 1);
  for (const char *p = json; *p;) {
    const char *digits = p + qlen, *q = digits;
    if (strncasecmp(p, quoted, qlen) == 0) { /* \u001f or \u001F */
      while (*q == '-' || (*q >= '0' && *q <= '9'))
        q++;
      if (*q == '"' && q > digits) {
        memcpy(w, digits, (size_t)(q - digits));
        w += q - digits;
        p = q + 1;
        continue;
      }
    }
    *w++ = *p++;
  }
  *w = '\0';
  return out;
}
