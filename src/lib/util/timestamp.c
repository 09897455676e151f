#include "util/timestamp.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The UTC calendar date of a count of days since 1970-01-01, by arithmetic on 400-year eras
 * (146097 days each, starting on March 1st so that the leap day ends a year).  gmtime_r()
 * would do, but glibc's loads the time zone (/etc/localtime: seven system calls) the first
 * time any conversion runs, for a UTC time that needs none. */
void timestamp_civil_from_days(int64_t days, int64_t *year, int *month, int *day) {
  int64_t z = days + 719468; /* days since 0000-03-01 */
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;                                      /* 0..146096 */
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* 0..365, from March 1st */
  int64_t mp = (5 * doy + 2) / 153;                                    /* 0..11, March = 0 */

  *day = (int)(doy - (153 * mp + 2) / 5 + 1);
  *month = (int)(mp < 10 ? mp + 3 : mp - 9);
  *year = yoe + era * 400 + (*month <= 2);
}

void timestamp_format_buf(const struct timespec *ts, char buf[TIMESTAMP_SIZE]) {
  int64_t secs = (int64_t)ts->tv_sec, days, year, rem;
  int month, day;
  size_t n;

  buf[0] = '\0';
  days = secs / 86400;
  rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days--;
  }
  timestamp_civil_from_days(days, &year, &month, &day);
  /* RFC 3339 has four-digit years. */
  if (year < 0 || year > 9999)
    return;
  n = (size_t)snprintf(buf, TIMESTAMP_SIZE, "%04d-%02d-%02dT%02d:%02d:%02d", (int)year, month, day,
                       (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
  if (n == 0 || n + 12 > TIMESTAMP_SIZE) {
    buf[0] = '\0';
    return;
  }
  if (ts->tv_nsec > 0 && ts->tv_nsec < 1000000000L) {
    n += (size_t)snprintf(buf + n, TIMESTAMP_SIZE - n, ".%09ld", ts->tv_nsec);
    while (buf[n - 1] == '0')
      n--;
  }
  buf[n++] = 'Z';
  buf[n] = '\0';
}

char *timestamp_format(const struct timespec *ts) {
  char buf[TIMESTAMP_SIZE];
  timestamp_format_buf(ts, buf);
  return buf[0] ? strdup(buf) : NULL;
}

char *timestamp_now(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
    return NULL;
  return timestamp_format(&ts);
}
