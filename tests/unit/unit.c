#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

int unit_failures;
static int unit_count;

void unit_report(bool ok, const char *file, int line, const char *expr) {
  unit_count++;
  if (!ok) {
    unit_failures++;
    printf("not ok %d - %s:%d: %s\n", unit_count, file, line, expr);
  }
}

int unit_done(void) {
  printf("%d checks, %d failed\n", unit_count, unit_failures);
  return unit_failures ? 1 : 0;
}

char *unit_error_message(int r, ocirun_error_t **err) {
  char *msg = NULL;
  if (r < 0)
    msg = strdup(*err ? (*err)->msg : "(no message)");
  ocirun_error_free(err);
  return msg;
}
