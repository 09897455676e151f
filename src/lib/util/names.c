#include "util/names.h"

#include <string.h>

bool name_number_lookup(const struct name_number *table, size_t n, const char *name,
                        long long *number) {
  for (size_t i = 0; name && i < n; i++)
    if (strcmp(name, table[i].name) == 0) {
      *number = table[i].number;
      return true;
    }
  return false;
}
