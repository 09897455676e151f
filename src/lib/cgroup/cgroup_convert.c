#include "cgroup/cgroup_convert.h"

#include <inttypes.h>
#include <stdio.h>

/* log2(n) for 2 < n < 2^18, as a double: the octave from the bits, the rest from
 * ln(m) = 2 atanh((m - 1) / (m + 1)) in long double (t <= 1/3: 9x smaller per term).  Written
 * out so that the runtime links no libm: one more shared library costs every command its
 * loading. */
static double log2_of(uint64_t n) {
  static const long double ln2 = 0.693147180559945309417232121458176568L;
  int k = 63 - __builtin_clzll(n);
  long double m = (long double)n / (long double)(1ull << k), t = (m - 1) / (m + 1), t2 = t * t;
  long double term = t, sum = 0;
  for (int i = 1; i < 60; i += 2, term *= t2)
    sum += term / i;
  return (double)(k + 2 * sum / ln2);
}

/* 10^x for 0 <= x <= 4, as a double: 2^(x log2 10), the fraction of the octave by its series. */
static double exp10_of(double x) {
  static const long double log2_10 = 3.32192809488736234787031942948939018L;
  static const long double ln2 = 0.693147180559945309417232121458176568L;
  long double y = x * log2_10, r, term = 1, sum = 1;
  int octave = (int)y;
  if ((double)(int)x == x) {
    double p = 1; /* exact for whole exponents, as pow() is */
    for (int i = 0; i < (int)x; i++)
      p *= 10;
    return p;
  }
  r = (y - octave) * ln2;
  for (int i = 1; i < 30; i++) {
    term *= r / i;
    sum += term;
  }
  for (int i = 0; i < octave; i++)
    sum *= 2;
  return (double)sum;
}

uint64_t cgroup_convert_shares_to_weight(uint64_t shares) {
  double l, exponent, w;
  if (shares == 0)
    return 0;
  if (shares <= 2)
    return 1;
  if (shares >= 262144)
    return 10000;
  /* Current runc's curve (runc pull request 4785, checked by its 1.5.1 suite) through the
   * minimum (2 -> 1), the default (1024 -> 100) and the maximum (262144 -> 10000), quadratic
   * in log2(shares) on a log10 scale, rounded up; the same double arithmetic as runc's.
   * runc 1.1's linear map gave 1024 -> 39, far below the default weight of other cgroups. */
  l = log2_of(shares);
  exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
  w = exp10_of(exponent);
  return (uint64_t)w + ((double)(uint64_t)w < w);
}

uint64_t cgroup_convert_blkio_to_io_weight(uint64_t weight) {
  if (weight == 0)
    return 0;
  if (weight < 10)
    return 1;
  return 1 + (weight - 10) * 9999 / 990;
}

int cgroup_convert_swap_v2(int64_t swap, int64_t limit, int64_t *out, ocirun_error_t **err) {
  /* memory unlimited and swap not given: both unlimited, as v1 behaves. */
  if (limit == -1 && swap == 0) {
    *out = -1;
    return 0;
  }
  if (swap == -1 || swap == 0) {
    *out = swap;
    return 0;
  }
  if (limit == 0 || limit == -1)
    return ocirun_error_set(err, 0, "unable to set swap limit without memory limit");
  if (limit < 0)
    return ocirun_error_set(err, 0, "invalid memory value: %" PRId64, limit);
  if (swap < limit)
    return ocirun_error_set(err, 0, "memory+swap limit should be >= memory limit");
  /* v1 limits memory+swap together, v2 limits swap alone. */
  *out = swap - limit;
  return 0;
}

const char *cgroup_convert_num(int64_t v, char buf[24]) {
  if (v == 0)
    buf[0] = '\0';
  else if (v < 0)
    snprintf(buf, 24, "max");
  else
    snprintf(buf, 24, "%" PRId64, v);
  return buf;
}

const char *cgroup_convert_cpu_max(int64_t quota, uint64_t period, char buf[48]) {
  int n;
  if (quota == 0 && period == 0)
    return NULL;
  if (quota > 0)
    n = snprintf(buf, 48, "%" PRId64, quota);
  else
    n = snprintf(buf, 48, "max");
  if (period != 0)
    snprintf(buf + n, 48 - (size_t)n, " %" PRIu64, period);
  return buf;
}
