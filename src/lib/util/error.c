#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Used when even the message cannot be allocated: callers still get an error. */
static ocirun_error_t oom_error = {ENOMEM, (char *)"out of memory"};

static char *errno_suffix(char *msg, int errno_) {
  char *full = NULL;
  if (errno_ == 0)
    return msg;
  if (asprintf(&full, "%s: %s", msg, strerror(errno_)) < 0) {
    return msg;
  }
  free(msg);
  return full;
}

int ocirun_error_vset(ocirun_error_t **err, int errno_, const char *fmt, va_list ap) {
  char *msg = NULL;
  ocirun_error_t *e;

  if (err == NULL || *err != NULL)
    return -1;
  e = calloc(1, sizeof(*e));
  if (e == NULL || vasprintf(&msg, fmt, ap) < 0) {
    free(e);
    *err = &oom_error;
    return -1;
  }
  e->status = errno_;
  e->msg = errno_suffix(msg, errno_);
  *err = e;
  return -1;
}

int ocirun_error_set(ocirun_error_t **err, int errno_, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ocirun_error_vset(err, errno_, fmt, ap);
  va_end(ap);
  return -1;
}

int ocirun_error_prefix(ocirun_error_t **err, const char *fmt, ...) {
  char *ctx = NULL, *full = NULL;
  va_list ap;

  if (err == NULL || *err == NULL || *err == &oom_error)
    return -1;
  va_start(ap, fmt);
  if (vasprintf(&ctx, fmt, ap) < 0)
    ctx = NULL;
  va_end(ap);
  if (ctx == NULL)
    return -1;
  if (asprintf(&full, "%s: %s", ctx, (*err)->msg) >= 0) {
    free((*err)->msg);
    (*err)->msg = full;
  }
  free(ctx);
  return -1;
}

void ocirun_error_free(ocirun_error_t **err) {
  if (err == NULL || *err == NULL)
    return;
  if (*err != &oom_error) {
    free((*err)->msg);
    free(*err);
  }
  *err = NULL;
}

void ocirun_error_move(ocirun_error_t **dst, ocirun_error_t **src) {
  ocirun_error_free(dst);
  *dst = *src;
  *src = NULL;
}
