/* Wall-clock timestamps in the form runc prints them (Go's time.RFC3339Nano in UTC): the
 * fraction of a second loses its trailing zeros and disappears when it is zero.  The one
 * timestamp format of the runtime: state.json's `created`, log lines, trace lines. */
#ifndef OCIRUN_UTIL_TIMESTAMP_H
#define OCIRUN_UTIL_TIMESTAMP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* "2006-01-02T15:04:05.999999999Z" and its NUL */
#define TIMESTAMP_SIZE 40

/* The proleptic Gregorian date (UTC) `days` days after 1970-01-01 (negative: before). */
void timestamp_civil_from_days(int64_t days, int64_t *year, int *month, int *day);
/* Format ts into buf (TIMESTAMP_SIZE bytes); an empty string when ts is out of range. */
void timestamp_format_buf(const struct timespec *ts, char buf[TIMESTAMP_SIZE]);
/* The same, malloc'd (NULL when out of memory or out of range). */
char *timestamp_format(const struct timespec *ts);
/* timestamp_format of the current wall-clock time. */
char *timestamp_now(void);

#endif
