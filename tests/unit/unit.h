/* Minimal unit-test harness: CHECK records a failure and goes on; the test
 * binary exits non-zero when any check failed. Output: "ok N - name" /
 * "not ok N - name" lines (TAP). */
#ifndef OCIRUN_UNIT_H
#define OCIRUN_UNIT_H

#include <stdbool.h>
#include <string.h>

#include "util/error.h"

extern int unit_failures;
/* The message of a failed call (r < 0: err's message, malloc'd; err is freed), NULL when
 * it succeeded. */
char *unit_error_message(int r, ocirun_error_t **err);
void unit_report(bool ok, const char *file, int line, const char *expr);
int unit_done(void);

#define CHECK(expr) unit_report((expr) ? true : false, __FILE__, __LINE__, #expr)
#define CHECK_STR_EQ(a, b)                                                                         \
  unit_report(((a) != NULL && (b) != NULL && strcmp((a), (b)) == 0), __FILE__, __LINE__,           \
              #a " == " #b)
#define CHECK_CONTAINS(haystack, needle)                                                           \
  unit_report(((haystack) != NULL && strstr((haystack), (needle)) != NULL), __FILE__, __LINE__,    \
              #haystack " contains " #needle)

#endif
