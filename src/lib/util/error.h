/* Errors travel up the stack as an ocirun_error_t: the errno of the failing
 * operation (0 when none) and a message naming the operation and its object.
 * Each layer may prepend context with ocirun_error_prefix().  The CLI prints
 * the final message once. */
#ifndef OCIRUN_ERROR_H
#define OCIRUN_ERROR_H

#include <stdarg.h>

typedef struct ocirun_error {
  int status; /* errno of the root cause, 0 if not a syscall failure */
  char *msg;  /* full message, "op path: strerror" */
} ocirun_error_t;

/* Fill *err (when err is not NULL and *err is NULL) and return -1.
 * When errno_ is not 0, ": <strerror(errno_)>" is appended. */
int ocirun_error_set(ocirun_error_t **err, int errno_, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int ocirun_error_vset(ocirun_error_t **err, int errno_, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Prepend "<context>: " to an existing error; returns -1. */
int ocirun_error_prefix(ocirun_error_t **err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void ocirun_error_free(ocirun_error_t **err);

/* Move *src into *dst (freeing a previous *dst) */
void ocirun_error_move(ocirun_error_t **dst, ocirun_error_t **src);

#endif
