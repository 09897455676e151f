/* A small D-Bus client: what the systemd cgroup driver needs and nothing more.  Messages are
 * marshalled by dbus_write.c (the caller gives the body's signature and writes its values in
 * order), framed and parsed by dbus_message.c, their values read by dbus_read.c; the
 * connection (dbus_address.c, dbus_conn.c: connect, SASL EXTERNAL, Hello, one method call at
 * a time) bounds every read and write with a deadline. */
#ifndef OCIRUN_DBUS_H
#define OCIRUN_DBUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

enum {
  DBUS_METHOD_CALL = 1,
  DBUS_METHOD_RETURN = 2,
  DBUS_ERROR = 3,
  DBUS_SIGNAL = 4,
};

/* ---- dbus_write.c: marshalling into a growing buffer ----
 * Offsets are those of the message: a body starts 8-aligned, so aligning within the body is
 * aligning within the message.  The first failure (ENOMEM, EINVAL for a string that is not
 * UTF-8, E2BIG for an array over 64 MiB) sticks in err; later calls do nothing. */
struct dbus_writer {
  uint8_t *data;
  size_t len, cap;
  int err;
};
struct dbus_array {
  size_t len_at, start;
};

void dbus_writer_clear(struct dbus_writer *w);
void dbus_put_byte(struct dbus_writer *w, uint8_t v);
void dbus_put_bool(struct dbus_writer *w, bool v);
void dbus_put_i16(struct dbus_writer *w, int16_t v);
void dbus_put_u16(struct dbus_writer *w, uint16_t v);
void dbus_put_i32(struct dbus_writer *w, int32_t v);
void dbus_put_u32(struct dbus_writer *w, uint32_t v);
void dbus_put_i64(struct dbus_writer *w, int64_t v);
void dbus_put_u64(struct dbus_writer *w, uint64_t v);
void dbus_put_double(struct dbus_writer *w, double v);
/* 's' and 'o' */
void dbus_put_string(struct dbus_writer *w, const char *s);
/* 'g', also a variant's type */
void dbus_put_signature(struct dbus_writer *w, const char *sig);
/* An array of elements aligned to elem_align (1 y, 2 n q, 4 b i u s o a, 8 x t d and
 * structs): its length, the padding to the first element, then the elements up to
 * dbus_array_end. */
struct dbus_array dbus_array_begin(struct dbus_writer *w, size_t elem_align);
void dbus_array_end(struct dbus_writer *w, struct dbus_array a);
/* A struct or dict entry starts 8-aligned. */
void dbus_struct_begin(struct dbus_writer *w);
/* A variant: its signature; its single value follows. */
void dbus_variant_begin(struct dbus_writer *w, const char *sig);
void dbus_pad(struct dbus_writer *w, size_t align);
/* bytes as they are (a marshalled body into its message) */
void dbus_put_raw(struct dbus_writer *w, const void *bytes, size_t n);

/* ---- dbus_message.c: framing ---- */
/* A method call (flags 0) with the body written by the caller (NULL or empty with sig ""),
 * into out (cleared first).  0, or -1 with errno set (ENOMEM, EINVAL). */
int dbus_message_method_call(struct dbus_writer *out, uint32_t serial, const char *dest,
                             const char *path, const char *iface, const char *member,
                             const char *sig, const struct dbus_writer *body);

/* A received message; the strings point into the buffer it was parsed from (NULL when the
 * header lacks the field). */
struct dbus_message {
  uint8_t type, flags;
  bool big_endian;
  uint32_t serial, reply_serial; /* reply_serial 0: none */
  const char *path, *interface, *member, *error_name, *destination, *sender, *signature;
  const uint8_t *body;
  size_t body_len;
};
/* The whole length of the message whose first 16 bytes are at data (len >= 16).  -1 with
 * errno EBADMSG (not a message start) or EMSGSIZE (longer than LIMIT_DBUS_MESSAGE). */
int dbus_message_size(const uint8_t *data, size_t len, size_t *total);
/* The message of exactly len bytes at data.  -1 with errno EBADMSG when it is not one. */
int dbus_message_parse(const uint8_t *data, size_t len, struct dbus_message *m);

/* ---- dbus_read.c: values of a body (or of a header) ----
 * Every read checks alignment padding (zero), bounds and validity; -1 with errno EBADMSG. */
struct dbus_reader {
  const uint8_t *data;
  size_t len, pos;
  bool big_endian;
  int depth;
};
void dbus_reader_init(struct dbus_reader *r, const struct dbus_message *m);
/* Past the (zero) padding to align: a struct starts 8-aligned. */
int dbus_read_align(struct dbus_reader *r, size_t align);
int dbus_read_byte(struct dbus_reader *r, uint8_t *v);
int dbus_read_u32(struct dbus_reader *r, uint32_t *v);
int dbus_read_u64(struct dbus_reader *r, uint64_t *v);
/* 's' and 'o' (a valid object path for 'o'); 'g' */
int dbus_read_string(struct dbus_reader *r, char type, const char **s);
int dbus_read_signature(struct dbus_reader *r, const char **sig);
/* The array's end offset (its elements up to there), after its length and padding. */
int dbus_read_array(struct dbus_reader *r, size_t elem_align, size_t *end);
/* Skips one complete type of sig (advanced past it), checking the value as it goes. */
int dbus_skip(struct dbus_reader *r, const char **sig);
/* The length of the one complete type at the start of sig, 0 when there is none. */
size_t dbus_complete_type_len(const char *sig);
size_t dbus_type_align(char type);
bool dbus_valid_utf8(const char *s, size_t len);

/* ---- dbus_error.c ---- */
/* The errno sd-bus gives a D-Bus error name (systemd's and the bus's; EIO for others). */
int dbus_error_errno(const char *name);
/* An ERROR reply as an error: "MESSAGE (NAME)" with its errno. */
int dbus_error_from_reply(const struct dbus_message *m, ocirun_error_t **err);

/* ---- dbus_address.c ---- */
/* The bus address to use: the system bus ($DBUS_SYSTEM_BUS_ADDRESS, else
 * unix:path=/run/dbus/system_bus_socket) or the user's ($DBUS_SESSION_BUS_ADDRESS, else
 * unix:path=$XDG_RUNTIME_DIR/bus, as runc finds it).  malloc'd. */
int dbus_bus_address(bool user, char **address, ocirun_error_t **err);
/* One "unix:path=..." or "unix:abstract=..." entry of an address list ("a;b": the first
 * that parses is index 0 ...): the socket path, with a leading NUL for an abstract one
 * (*plen bytes).  1 when entry idx exists and is such, 0 when idx is past the list, -1 with
 * an error for an entry it cannot use. */
int dbus_address_unix(const char *address, size_t idx, char *path, size_t size, size_t *plen,
                      ocirun_error_t **err);

/* ---- dbus_conn.c ---- */
struct dbus_reply;
struct dbus_conn {
  int fd;
  uint32_t serial;
  char *unique_name;
  uint8_t *buf; /* received bytes not yet consumed */
  size_t buf_len, buf_cap;
  char *address;
  /* Signals named keep_member that arrive while a call waits for its reply are kept for
   * dbus_wait_signal (at most LIMIT_DBUS_KEPT_SIGNALS); other signals are passed over. */
  const char *keep_member;
  struct dbus_reply *kept;
  size_t nkept;
};
/* Connects to the bus (user: the user's bus, else the system bus), authenticates (SASL
 * EXTERNAL, the caller's uid) and says Hello, within LIMIT_DBUS_TIMEOUT_MS. */
int dbus_open(struct dbus_conn *c, bool user, ocirun_error_t **err);
int dbus_open_address(struct dbus_conn *c, const char *address, ocirun_error_t **err);
void dbus_close(struct dbus_conn *c);

/* A method reply, kept with its bytes. */
struct dbus_reply {
  uint8_t *data;
  size_t len;
  struct dbus_message msg;
};
void dbus_reply_clear(struct dbus_reply *r);
/* Calls member and waits for its reply (LIMIT_DBUS_TIMEOUT_MS); an ERROR reply is an error
 * ("MESSAGE (NAME)", errno from the name).  reply may be NULL. */
int dbus_call(struct dbus_conn *c, const char *dest, const char *path, const char *iface,
              const char *member, const char *sig, const struct dbus_writer *body,
              struct dbus_reply *reply, ocirun_error_t **err);
/* The bus delivers the signals that rule matches (AddMatch, "type='signal',..."). */
int dbus_add_match(struct dbus_conn *c, const char *rule, ocirun_error_t **err);
/* The next signal named c->keep_member (a kept one first) within timeout_ms, into out;
 * other messages are passed over.  -1 with an error (ETIMEDOUT when none came). */
int dbus_wait_signal(struct dbus_conn *c, int timeout_ms, struct dbus_reply *out,
                     ocirun_error_t **err);

#endif
