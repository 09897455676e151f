#include "cgroup/cgroup_units.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

static const struct {
  const char *name;
  uint64_t ns;
} duration_units[] = {
    {"ns", 1ULL},
    {"us", 1000ULL},
    {"\xc2\xb5s", 1000ULL}, /* U+00B5 micro sign */
    {"\xce\xbcs", 1000ULL}, /* U+03BC Greek mu */
    {"ms", 1000000ULL},
    {"s", 1000000000ULL},
    {"m", 60ULL * 1000000000ULL},
    {"h", 3600ULL * 1000000000ULL},
};

int units_parse_duration(const char *orig, int64_t *out, ocirun_error_t **err) {
  const char *s = orig;
  bool neg = false;
  uint64_t total = 0;

  if (*s == '-' || *s == '+')
    neg = *s++ == '-';
  if (strcmp(s, "0") == 0) {
    *out = 0;
    return 0;
  }
  if (*s == '\0')
    goto invalid;
  while (*s) {
    uint64_t whole = 0, frac = 0, scale = 1, unit = 0;
    bool digits = false, overflow = false;
    size_t ul = 0;
    while (isdigit((unsigned char)*s)) {
      if (whole > (UINT64_MAX - 9) / 10)
        overflow = true;
      else
        whole = whole * 10 + (uint64_t)(*s - '0');
      s++;
      digits = true;
    }
    if (*s == '.') {
      s++;
      while (isdigit((unsigned char)*s)) {
        /* digits beyond nanosecond resolution of an hour are dropped */
        if (scale < 1000000000000000000ULL) {
          frac = frac * 10 + (uint64_t)(*s - '0');
          scale *= 10;
        }
        s++;
        digits = true;
      }
    }
    if (!digits || overflow)
      goto invalid;
    for (size_t i = 0; i < sizeof(duration_units) / sizeof(duration_units[0]); i++) {
      size_t l = strlen(duration_units[i].name);
      /* longest match: "ms" before "m" */
      if (l > ul && strncmp(s, duration_units[i].name, l) == 0) {
        ul = l;
        unit = duration_units[i].ns;
      }
    }
    if (ul == 0) {
      if (err)
        ocirun_error_set(err, 0, "time: %s unit in duration \"%s\"", *s ? "unknown" : "missing",
                         orig);
      return -1;
    }
    s += ul;
    if (whole > (uint64_t)INT64_MAX / unit)
      goto invalid;
    uint64_t v = whole * unit;
    /* frac/scale of a unit, computed without overflow for unit <= 1h */
    v += (uint64_t)((long double)frac * (long double)unit / (long double)scale);
    if (v > (uint64_t)INT64_MAX || total > (uint64_t)INT64_MAX - v)
      goto invalid;
    total += v;
  }
  *out = neg ? -(int64_t)total : (int64_t)total;
  return 0;
invalid:
  return ocirun_error_set(err, 0, "time: invalid duration \"%s\"", orig);
}

int units_parse_ram_bytes(const char *orig, int64_t *out, ocirun_error_t **err) {
  const char *s = orig;
  long double v = 0, scale = 1;
  bool digits = false;
  uint64_t mult = 1;

  while (isdigit((unsigned char)*s)) {
    v = v * 10 + (*s++ - '0');
    digits = true;
  }
  if (!digits)
    goto invalid;
  if (*s == '.') {
    bool fd = false;
    s++;
    while (isdigit((unsigned char)*s)) {
      scale /= 10;
      v += (*s++ - '0') * scale;
      fd = true;
    }
    if (!fd)
      goto invalid;
  }
  if (*s == ' ')
    s++;
  switch (tolower((unsigned char)*s)) {
  case 'k':
    mult = 1ULL << 10;
    s++;
    break;
  case 'm':
    mult = 1ULL << 20;
    s++;
    break;
  case 'g':
    mult = 1ULL << 30;
    s++;
    break;
  case 't':
    mult = 1ULL << 40;
    s++;
    break;
  case 'p':
    mult = 1ULL << 50;
    s++;
    break;
  default:
    break;
  }
  if (tolower((unsigned char)*s) == 'i')
    s++;
  if (tolower((unsigned char)*s) == 'b')
    s++;
  if (*s != '\0')
    goto invalid;
  v *= (long double)mult;
  if (v >= 9223372036854775807.0L)
    goto invalid;
  *out = (int64_t)v;
  return 0;
invalid:
  return ocirun_error_set(err, 0, "invalid size: '%s'", orig);
}
