/* Tables of names and the numbers they stand for (rlimit types, seccomp operators,
 * architectures and flags ...), and the one lookup over them. */
#ifndef OCIRUN_UTIL_NAMES_H
#define OCIRUN_UTIL_NAMES_H

#include <stdbool.h>
#include <stddef.h>

struct name_number {
  const char *name;
  long long number;
};

/* The number named name in table (n entries); false when none is (or name is NULL). */
bool name_number_lookup(const struct name_number *table, size_t n, const char *name,
                        long long *number);
#define NAMES_LOOKUP(table, name, number)                                                          \
  name_number_lookup(table, sizeof(table) / sizeof((table)[0]), name, number)

#endif
