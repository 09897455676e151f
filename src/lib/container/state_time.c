/* The `created` timestamp, in the form runc prints (Go's time.RFC3339Nano in UTC):
 * the fraction of a second loses its trailing zeros, and disappears when it is zero. */
#include "container/state.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

char *state_format_created(const struct timespec *ts) {
  struct tm tm;
  char date[32], frac[16] = "";
  char *out = NULL;
  time_t secs = ts->tv_sec;

  if (gmtime_r(&secs, &tm) == NULL)
    return NULL;
  if (strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
    return NULL;
  if (ts->tv_nsec > 0 && ts->tv_nsec < 1000000000L) {
    size_t n = (size_t)snprintf(frac, sizeof(frac), ".%09ld", ts->tv_nsec);
    while (n > 1 && frac[n - 1] == '0')
      frac[--n] = '\0';
  }
  if (asprintf(&out, "%s%sZ", date, frac) < 0)
    return NULL;
  return out;
}

char *state_created_now(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
    return NULL;
  return state_format_created(&ts);
}
