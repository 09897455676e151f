/* Fuzz target: signal names and numbers (kill's argument); whatever parses
 * must be a signal number whose name, when it has one, parses back to it. */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "util/signals.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ocirun_error_t *err = NULL;
  char *s = fuzz_cstring(data, size);
  int signo = -1, again = -1;
  const char *name;

  if (s == NULL)
    return 0;
  if (!fuzz_parsed(signal_parse(s, &signo, &err), &err)) {
    free(s);
    return 0;
  }
  if (signo < 0 || signo > SIGRTMAX)
    abort();
  name = signal_name(signo);
  if (name != NULL && (signal_parse(name, &again, &err) < 0 || again != signo))
    abort();
  free(s);
  return 0;
}
