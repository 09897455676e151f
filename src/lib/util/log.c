#include "util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/json_escape.h"
#include "util/timestamp.h"

static int log_target_fd = STDERR_FILENO;
static enum log_format log_target_format = LOG_FORMAT_TEXT;
static bool log_verbose;

static const char *level_names[] = {"error", "warning", "info", "debug"};

int log_init(const char *path, enum log_format format, bool debug, ocirun_error_t **err) {
  log_target_format = format;
  log_verbose = debug;
  if (path != NULL && path[0] != '\0') {
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
      return ocirun_error_set(err, errno, "open log file %s", path);
    log_target_fd = fd;
  }
  return 0;
}

void log_close(void) {
  if (log_target_fd != STDERR_FILENO)
    close(log_target_fd);
  log_target_fd = STDERR_FILENO;
}

bool log_debug_enabled(void) {
  return log_verbose;
}

int log_fd(void) {
  return log_target_fd;
}

void log_msg(enum log_level level, const char *fmt, ...) {
  char *msg = NULL, *line = NULL, *escaped = NULL;
  char when[TIMESTAMP_SIZE];
  struct timespec now;
  va_list ap;
  int n;

  va_start(ap, fmt);
  n = vasprintf(&msg, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  clock_gettime(CLOCK_REALTIME, &now);
  timestamp_format_buf(&now, when);
  escaped = json_escape_string(msg);
  if (escaped == NULL) {
    free(msg);
    return;
  }
  if (log_target_format == LOG_FORMAT_JSON)
    n = asprintf(&line, "{\"level\":\"%s\",\"msg\":%s,\"time\":\"%s\"}\n", level_names[level],
                 escaped, when);
  else
    n = asprintf(&line, "time=\"%s\" level=%s msg=%s\n", when, level_names[level], escaped);
  if (n >= 0) {
    /* One write per line: concurrent writers (parent and child) do not interleave. */
    ssize_t r = write(log_target_fd, line, (size_t)n);
    (void)r;
  }
  free(line);
  free(escaped);
  free(msg);
}
