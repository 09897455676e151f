#include "util/timestamp.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void timestamp_format_buf(const struct timespec *ts, char buf[TIMESTAMP_SIZE]) {
  struct tm tm;
  time_t secs = ts->tv_sec;
  size_t n;

  buf[0] = '\0';
  if (gmtime_r(&secs, &tm) == NULL)
    return;
  /* Not strftime(): POSIX has it load the time zone (/etc/localtime) on every call, for a
   * UTC time that needs none. */
  n = (size_t)snprintf(buf, TIMESTAMP_SIZE, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
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
