/* D-Bus message framing: the 16-byte fixed header, the header fields a(yv), padding to 8,
 * the body. */
#include <errno.h>
#include <string.h>

#include "dbus/dbus.h"
#include "util/limits.h"

enum {
  FIELD_PATH = 1,
  FIELD_INTERFACE = 2,
  FIELD_MEMBER = 3,
  FIELD_ERROR_NAME = 4,
  FIELD_REPLY_SERIAL = 5,
  FIELD_DESTINATION = 6,
  FIELD_SENDER = 7,
  FIELD_SIGNATURE = 8,
  FIELD_UNIX_FDS = 9,
};

static void field(struct dbus_writer *w, uint8_t code, const char *sig, const char *value) {
  dbus_struct_begin(w);
  dbus_put_byte(w, code);
  dbus_variant_begin(w, sig);
  if (sig[0] == 'g')
    dbus_put_signature(w, value);
  else
    dbus_put_string(w, value);
}

int dbus_message_method_call(struct dbus_writer *out, uint32_t serial, const char *dest,
                             const char *path, const char *iface, const char *member,
                             const char *sig, const struct dbus_writer *body) {
  size_t body_len = body ? body->len : 0;
  dbus_writer_clear(out);
  if ((body && body->err) || body_len > LIMIT_DBUS_MESSAGE || serial == 0) {
    errno = body && body->err ? body->err : EINVAL;
    return -1;
  }
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  dbus_put_byte(out, 'B');
#else
  dbus_put_byte(out, 'l');
#endif
  dbus_put_byte(out, DBUS_METHOD_CALL);
  dbus_put_byte(out, 0);
  dbus_put_byte(out, 1);
  dbus_put_u32(out, (uint32_t)body_len);
  dbus_put_u32(out, serial);
  struct dbus_array a = dbus_array_begin(out, 8);
  field(out, FIELD_PATH, "o", path);
  if (dest)
    field(out, FIELD_DESTINATION, "s", dest);
  if (iface)
    field(out, FIELD_INTERFACE, "s", iface);
  field(out, FIELD_MEMBER, "s", member);
  if (sig && sig[0])
    field(out, FIELD_SIGNATURE, "g", sig);
  dbus_array_end(out, a);
  dbus_pad(out, 8);
  if (body_len)
    dbus_put_raw(out, body->data, body_len);
  if (out->err) {
    errno = out->err;
    return -1;
  }
  return 0;
}

static int bad(void) {
  errno = EBADMSG;
  return -1;
}

int dbus_message_size(const uint8_t *data, size_t len, size_t *total) {
  struct dbus_reader r = {.data = data, .len = len < 16 ? len : 16, .big_endian = data[0] == 'B'};
  uint32_t body_len, fields_len, serial;
  if (len < 16 || (data[0] != 'l' && data[0] != 'B') || data[3] != 1)
    return bad();
  r.pos = 4;
  if (dbus_read_u32(&r, &body_len) < 0 || dbus_read_u32(&r, &serial) < 0 ||
      dbus_read_u32(&r, &fields_len) < 0)
    return bad();
  uint64_t n = 16 + (uint64_t)fields_len;
  n = (n + 7) / 8 * 8 + body_len;
  if (n > LIMIT_DBUS_MESSAGE) {
    errno = EMSGSIZE;
    return -1;
  }
  *total = (size_t)n;
  return 0;
}

static int read_field(struct dbus_reader *r, struct dbus_message *m) {
  uint8_t code;
  const char *sig, *s;
  if (dbus_read_align(r, 8) < 0 || dbus_read_byte(r, &code) < 0 || dbus_read_signature(r, &sig) < 0)
    return -1;
  if (dbus_complete_type_len(sig) != strlen(sig) || sig[0] == '\0')
    return bad();
  static const char expect[] = {
      [FIELD_PATH] = 'o',       [FIELD_INTERFACE] = 's',    [FIELD_MEMBER] = 's',
      [FIELD_ERROR_NAME] = 's', [FIELD_REPLY_SERIAL] = 'u', [FIELD_DESTINATION] = 's',
      [FIELD_SENDER] = 's',     [FIELD_SIGNATURE] = 'g',    [FIELD_UNIX_FDS] = 'u'};
  if (code == 0)
    return bad();
  if (code > FIELD_UNIX_FDS) /* unknown fields are to be ignored */
    return dbus_skip(r, &sig);
  if (sig[0] != expect[code] || sig[1] != '\0')
    return bad();
  const char **slot[] = {[FIELD_PATH] = &m->path,
                         [FIELD_INTERFACE] = &m->interface,
                         [FIELD_MEMBER] = &m->member,
                         [FIELD_ERROR_NAME] = &m->error_name,
                         [FIELD_DESTINATION] = &m->destination,
                         [FIELD_SENDER] = &m->sender,
                         [FIELD_SIGNATURE] = &m->signature};
  if (code == FIELD_REPLY_SERIAL)
    return dbus_read_u32(r, &m->reply_serial) < 0 || m->reply_serial == 0 ? bad() : 0;
  if (code == FIELD_UNIX_FDS) {
    uint32_t n;
    return dbus_read_u32(r, &n);
  }
  if (code == FIELD_SIGNATURE) {
    if (dbus_read_signature(r, &s) < 0)
      return -1;
  } else if (dbus_read_string(r, sig[0], &s) < 0) {
    return -1;
  }
  *slot[code] = s;
  return 0;
}

int dbus_message_parse(const uint8_t *data, size_t len, struct dbus_message *m) {
  size_t total, end;
  struct dbus_reader r = {.data = data, .len = len};
  memset(m, 0, sizeof(*m));
  if (dbus_message_size(data, len, &total) < 0 || total != len)
    return bad();
  r.big_endian = m->big_endian = data[0] == 'B';
  m->type = data[1];
  m->flags = data[2];
  r.pos = 8;
  if (dbus_read_u32(&r, &m->serial) < 0 || m->serial == 0)
    return bad();
  if (m->type < DBUS_METHOD_CALL || m->type > DBUS_SIGNAL)
    return bad();
  if (dbus_read_array(&r, 8, &end) < 0)
    return -1;
  /* the fields are read within their array's bounds only */
  size_t whole = r.len;
  r.len = end;
  while (r.pos < end)
    if (read_field(&r, m) < 0)
      return -1;
  r.len = whole;
  while (r.pos % 8) {
    if (r.pos >= len || data[r.pos] != 0)
      return bad();
    r.pos++;
  }
  m->body = data + r.pos;
  m->body_len = len - r.pos;
  if (m->signature == NULL)
    m->signature = "";
  if (m->body_len > 0 && m->signature[0] == '\0')
    return bad();
  /* the fields each type requires */
  if ((m->type == DBUS_METHOD_CALL && (m->path == NULL || m->member == NULL)) ||
      (m->type == DBUS_SIGNAL && (m->path == NULL || m->member == NULL || m->interface == NULL)) ||
      (m->type == DBUS_ERROR && (m->error_name == NULL || m->reply_serial == 0)) ||
      (m->type == DBUS_METHOD_RETURN && m->reply_serial == 0))
    return bad();
  return 0;
}
