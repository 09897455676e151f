/* Runtime log: text lines on stderr by default, or runc-style JSON lines
 * ({"level":"error","msg":"...","time":"..."}) in the --log file, which
 * containerd's shim and conmon read back. */
#ifndef OCIRUN_LOG_H
#define OCIRUN_LOG_H

#include <stdbool.h>

#include "util/error.h"

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };
enum log_format { LOG_FORMAT_TEXT, LOG_FORMAT_JSON };

/* path NULL: stderr.  Returns -1 with *err if the log file cannot be opened. */
int log_init(const char *path, enum log_format format, bool debug, ocirun_error_t **err);
void log_close(void);
bool log_debug_enabled(void);
/* The fd log lines go to (kept open in children so that they can report). */
int log_fd(void);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...)                                                                             \
  do {                                                                                             \
    if (log_debug_enabled())                                                                       \
      log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__);                                                       \
  } while (0)

#endif
