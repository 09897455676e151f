/* Fuzz target: a D-Bus message as a bus would send it.  The size read from the fixed header
 * and the parse agree; a parsed message's body is read through its whole signature, and an
 * error reply becomes an error with a message (no overflow, no UB, no leak). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dbus/dbus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct dbus_message m;
  size_t total;
  /* a private copy of exactly size bytes, so that reading past it is caught */
  uint8_t *copy = malloc(size ? size : 1);
  if (copy == NULL)
    return 0;
  memcpy(copy, data, size);
  int sized = size >= 16 ? dbus_message_size(copy, size, &total) : -1;
  if (dbus_message_parse(copy, size, &m) == 0) {
    if (sized < 0 || total != size)
      abort();
    struct dbus_reader r;
    const char *sig = m.signature;
    dbus_reader_init(&r, &m);
    while (*sig && dbus_skip(&r, &sig) == 0)
      if (r.pos > m.body_len)
        abort();
    if (m.type == DBUS_ERROR) {
      ocirun_error_t *err = NULL;
      if (dbus_error_from_reply(&m, &err) >= 0 || err == NULL || err->msg == NULL)
        abort();
      ocirun_error_free(&err);
    }
  }
  free(copy);
  return 0;
}
