#include "linux/process_attrs.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#define WORD_BITS (sizeof(unsigned long) * CHAR_BIT)

static bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n';
}

/* Parses [p, end) as a decimal number below max. */
static bool parse_num(const char *p, const char *end, size_t max, size_t *out) {
  size_t v = 0;
  if (p == end)
    return false;
  for (; p < end; p++) {
    if (*p < '0' || *p > '9')
      return false;
    v = v * 10 + (size_t)(*p - '0');
    if (v >= max)
      return false;
  }
  *out = v;
  return true;
}

int id_list_parse(const char *s, unsigned long *mask, size_t max_bits, const char *what,
                  ocirun_error_t **err) {
  const char *item = s;
  bool any = false;

  memset(mask, 0, (max_bits + WORD_BITS - 1) / WORD_BITS * sizeof(unsigned long));
  if (s == NULL)
    return ocirun_error_set(err, 0, "empty %s list", what);
  for (;;) {
    const char *end = strchrnul(item, ','), *b = item, *e = end, *dash;
    size_t lo, hi;
    while (b < e && is_blank(*b))
      b++;
    while (e > b && is_blank(e[-1]))
      e--;
    if (b < e) {
      dash = memchr(b, '-', (size_t)(e - b));
      if (dash == NULL) {
        if (!parse_num(b, e, max_bits, &lo))
          return ocirun_error_set(err, 0,
                                  "invalid %s list \"%s\": \"%.*s\" is not a number below %zu",
                                  what, s, (int)(e - b), b, max_bits);
        hi = lo;
      } else if (!parse_num(b, dash, max_bits, &lo) || !parse_num(dash + 1, e, max_bits, &hi)) {
        return ocirun_error_set(
            err, 0, "invalid %s list \"%s\": \"%.*s\" is not a range of numbers below %zu", what, s,
            (int)(e - b), b, max_bits);
      } else if (lo > hi) {
        return ocirun_error_set(err, 0, "invalid %s list \"%s\": range \"%.*s\" is reversed", what,
                                s, (int)(e - b), b);
      }
      for (size_t i = lo; i <= hi; i++)
        mask[i / WORD_BITS] |= 1UL << (i % WORD_BITS);
      any = true;
    }
    if (*end == '\0')
      break;
    item = end + 1;
  }
  if (!any)
    return ocirun_error_set(err, 0, "invalid %s list \"%s\": no %s in it", what, s, what);
  return 0;
}

int cpu_list_parse(const char *s, cpu_set_t *out, ocirun_error_t **err) {
  unsigned long mask[CPU_SETSIZE / WORD_BITS];
  if (id_list_parse(s, mask, CPU_SETSIZE, "CPU", err) < 0)
    return -1;
  CPU_ZERO(out);
  for (size_t i = 0; i < CPU_SETSIZE; i++) {
    if (mask[i / WORD_BITS] & (1UL << (i % WORD_BITS)))
      CPU_SET(i, out);
  }
  return 0;
}

int cpu_affinity_apply_to(pid_t pid, const char *cpu_list, ocirun_error_t **err) {
  cpu_set_t set;
  if (cpu_list == NULL || cpu_list[0] == '\0')
    return 0;
  if (cpu_list_parse(cpu_list, &set, err) < 0)
    return -1;
  if (sched_setaffinity(pid, sizeof(set), &set) < 0)
    return ocirun_error_set(err, errno, "set CPU affinity of %d to \"%s\"", (int)pid, cpu_list);
  return 0;
}

int cpu_affinity_apply(const char *cpu_list, ocirun_error_t **err) {
  return cpu_affinity_apply_to(0, cpu_list, err);
}

void cpu_affinity_reset(void) {
  cpu_set_t all;
  /* Every CPU: the kernel keeps those of the cgroup's cpuset, so the process does not
   * inherit the affinity of whoever started the runtime (taskset), as in runc. */
  memset(&all, 0xff, sizeof(all));
  sched_setaffinity(0, sizeof(all), &all);
}
