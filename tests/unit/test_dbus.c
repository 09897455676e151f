/* The D-Bus client: marshalling byte for byte against encodings worked out from the
 * specification, message parsing in both byte orders (and its refusals), error replies,
 * addresses, and a whole connection (SASL, Hello, a call, an error) against a fake bus
 * in a child process. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup_systemd.h"
#include "dbus/dbus.h"
#include "unit.h"

static bool bytes_are(const struct dbus_writer *w, const char *expect, size_t n) {
  if (w->err || w->len != n || memcmp(w->data, expect, n) != 0) {
    fprintf(stderr, "# got %zu bytes (err %d):", w->len, w->err);
    for (size_t i = 0; i < w->len; i++)
      fprintf(stderr, " %02x", w->data[i]);
    fprintf(stderr, "\n");
    return false;
  }
  return true;
}
#define BYTES_ARE(w, lit) CHECK(bytes_are((w), (lit), sizeof(lit) - 1))

static void test_basic_types(void) {
  struct dbus_writer w = {0};
  dbus_put_string(&w, "ab");
  BYTES_ARE(&w, "\x02\0\0\0ab\0");
  dbus_writer_clear(&w);

  /* a byte, then a uint64 aligned to 8; a bool is 4 bytes; int16 aligned to 2 */
  dbus_put_byte(&w, 1);
  dbus_put_u64(&w, 0x0102030405060708ull);
  dbus_put_bool(&w, true);
  dbus_put_byte(&w, 0xff);
  dbus_put_i16(&w, -2);
  BYTES_ARE(&w, "\x01\0\0\0\0\0\0\0\x08\x07\x06\x05\x04\x03\x02\x01"
                "\x01\0\0\0\xff\0\xfe\xff");
  dbus_writer_clear(&w);

  dbus_put_double(&w, 1.5);
  dbus_put_i32(&w, -1);
  dbus_put_signature(&w, "a(sv)");
  BYTES_ARE(&w, "\0\0\0\0\0\0\xf8\x3f\xff\xff\xff\xff\x05"
                "a(sv)\0");
  dbus_writer_clear(&w);

  /* not UTF-8: refused before a bus drops the connection over it */
  dbus_put_string(&w, "a\xff");
  CHECK(w.err == EINVAL);
  dbus_put_u32(&w, 1);
  CHECK(w.len == 0);
  dbus_writer_clear(&w);
}

static void test_arrays(void) {
  struct dbus_writer w = {0};
  struct dbus_array a;

  /* the padding to an 8-aligned first element is not counted in the length */
  dbus_put_byte(&w, 9);
  a = dbus_array_begin(&w, 8);
  dbus_put_u64(&w, 5);
  dbus_array_end(&w, a);
  BYTES_ARE(&w, "\x09\0\0\0\x08\0\0\0\x05\0\0\0\0\0\0\0");
  dbus_writer_clear(&w);

  /* an empty array of structs still pads to 8 */
  dbus_put_byte(&w, 1);
  dbus_array_end(&w, dbus_array_begin(&w, 8));
  BYTES_ARE(&w, "\x01\0\0\0\0\0\0\0");
  dbus_writer_clear(&w);

  /* variant "au" holding [7] */
  dbus_variant_begin(&w, "au");
  a = dbus_array_begin(&w, 4);
  dbus_put_u32(&w, 7);
  dbus_array_end(&w, a);
  BYTES_ARE(&w, "\x02"
                "au\0\x04\0\0\0\x07\0\0\0");
  dbus_writer_clear(&w);

  /* a(sv) [("Delegate", <true>)] */
  a = dbus_array_begin(&w, 8);
  dbus_struct_begin(&w);
  dbus_put_string(&w, "Delegate");
  dbus_variant_begin(&w, "b");
  dbus_put_bool(&w, true);
  dbus_array_end(&w, a);
  BYTES_ARE(&w, "\x14\0\0\0\0\0\0\0\x08\0\0\0Delegate\0\x01"
                "b\0\x01\0\0\0");
  dbus_writer_clear(&w);

  /* nested: aas [["a"], []] */
  a = dbus_array_begin(&w, 4);
  struct dbus_array in = dbus_array_begin(&w, 4);
  dbus_put_string(&w, "a");
  dbus_array_end(&w, in);
  dbus_array_end(&w, dbus_array_begin(&w, 4));
  dbus_array_end(&w, a);
  BYTES_ARE(&w, "\x10\0\0\0\x06\0\0\0\x01\0\0\0a\0\0\0\0\0\0\0");
  dbus_writer_clear(&w);

  dbus_variant_begin(&w, "ss"); /* not one complete type */
  CHECK(w.err == EINVAL);
  dbus_writer_clear(&w);
}

static void test_method_call(void) {
  struct dbus_writer m = {0}, body = {0};
  CHECK(dbus_message_method_call(&m, 1, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                 "org.freedesktop.DBus", "Hello", NULL, NULL) == 0);
  BYTES_ARE(&m, "l\x01\0\x01\0\0\0\0\x01\0\0\0\x6e\0\0\0"
                "\x01\x01o\0\x15\0\0\0/org/freedesktop/DBus\0\0\0"
                "\x06\x01s\0\x14\0\0\0org.freedesktop.DBus\0\0\0\0"
                "\x02\x01s\0\x14\0\0\0org.freedesktop.DBus\0\0\0\0"
                "\x03\x01s\0\x05\0\0\0Hello\0\0\0");
  /* a body: its signature in the header, the body after the padding to 8 */
  dbus_put_string(&body, "x");
  CHECK(dbus_message_method_call(&m, 2, NULL, "/", NULL, "M", "s", &body) == 0);
  BYTES_ARE(&m, "l\x01\0\x01\x06\0\0\0\x02\0\0\0\x27\0\0\0"
                "\x01\x01o\0\x01\0\0\0/\0\0\0\0\0\0\0"
                "\x03\x01s\0\x01\0\0\0M\0\0\0\0\0\0\0"
                "\x08\x01g\0\x01s\0\0"
                "\x01\0\0\0x\0");
  /* and it parses back */
  struct dbus_message msg;
  CHECK(dbus_message_parse(m.data, m.len, &msg) == 0);
  CHECK(msg.type == DBUS_METHOD_CALL && msg.serial == 2);
  CHECK_STR_EQ(msg.member, "M");
  CHECK_STR_EQ(msg.signature, "s");
  CHECK(msg.body_len == 6);
  dbus_writer_clear(&m);
  dbus_writer_clear(&body);
}

static void test_systemd_bodies(void) {
  struct dbus_writer w = {0};
  CHECK(cgroup_systemd_marshal(SD_STOP, "u.scope", NULL, 0, 0, NULL, NULL, &w) == 0);
  BYTES_ARE(&w, "\x07\0\0\0u.scope\0\x07\0\0\0replace\0");
  dbus_writer_clear(&w);

  CHECK(cgroup_systemd_marshal(SD_RESET_FAILED, "u.scope", NULL, 0, 0, NULL, NULL, &w) == 0);
  BYTES_ARE(&w, "\x07\0\0\0u.scope\0");
  dbus_writer_clear(&w);

  /* SetUnitProperties: "sba(sv)" with a uint64 and a device list */
  char *paths[] = {"/dev/null"}, *perms[] = {"rwm"};
  struct cgroup_systemd_prop items[] = {
      {.name = "MemoryMax", .type = 't', .u = 0x100000},
      {.name = "DeviceAllow", .type = 'D', .dev_paths = paths, .dev_perms = perms, .ndev = 1},
  };
  struct cgroup_systemd_props props = {.items = items, .len = 2};
  CHECK(cgroup_systemd_marshal(SD_SET, "u", NULL, 0, 0, NULL, &props, &w) == 0);
  BYTES_ARE(&w, "\x01\0\0\0u\0\0\0\x01\0\0\0"  /* "u", true */
                "\x58\0\0\0"                   /* a(sv): 88 bytes from 16 */
                "\x09\0\0\0MemoryMax\0\x01t\0" /* 16..33 */
                "\0\0\0\0\0\0\0"               /* pad to 40 */
                "\0\0\x10\0\0\0\0\0"           /* t */
                "\x0b\0\0\0DeviceAllow\0\x05"
                "a(ss)\0\0"          /* 64..71, pad to 72 */
                "\x18\0\0\0\0\0\0\0" /* a(ss): 24 bytes from 80 */
                "\x09\0\0\0/dev/null\0\0\0\x03\0\0\0rwm\0");
  dbus_writer_clear(&w);

  /* StartTransientUnit: PIDs after the base properties, then no auxiliary units */
  struct cgroup_systemd_prop base[] = {{.name = "Delegate", .type = 'b', .b = true}};
  CHECK(cgroup_systemd_marshal(SD_START, "u", base, 1, 42, NULL, NULL, &w) == 0);
  BYTES_ARE(&w, "\x01\0\0\0u\0\0\0\x07\0\0\0replace\0"
                "\x30\0\0\0" /* a(sv): 48 bytes from 24 */
                "\x08\0\0\0Delegate\0\x01"
                "b\0\x01\0\0\0"
                "\0\0\0\0\x04\0\0\0PIDs\0\x02"
                "au\0\0\0\0\x04\0\0\0\x2a\0\0\0"
                "\0\0\0\0\0\0\0\0"); /* a(sa(sv)): empty, at 72, padded to 80 */
  CHECK(strcmp(cgroup_systemd_signatures[SD_START], "ssa(sv)a(sa(sv))") == 0);
  dbus_writer_clear(&w);

  /* every value type the variants carry */
  uint8_t bits[] = {0x05};
  char *strv[] = {"a", "b"};
  struct cgroup_systemd_prop all[] = {
      {.name = "X", .type = 'x', .i = -1},
      {.name = "I", .type = 'i', .i = -2},
      {.name = "U", .type = 'u', .i = 3},
      {.name = "D", .type = 'd', .d = 2.0},
      {.name = "Y", .type = 'Y', .i = 4},
      {.name = "B", .type = 'y', .bytes = bits, .nbytes = 1},
      {.name = "S", .type = 'A', .strv = strv, .nstrv = 2},
  };
  struct cgroup_systemd_props allp = {.items = all, .len = 7};
  CHECK(cgroup_systemd_marshal(SD_SET, "u", NULL, 0, 0, NULL, &allp, &w) == 0);
  /* the body reads back as one "sba(sv)" */
  struct dbus_message m = {.body = w.data, .body_len = w.len, .signature = "sba(sv)"};
  struct dbus_reader r;
  const char *sig = "sba(sv)";
  dbus_reader_init(&r, &m);
  CHECK(dbus_skip(&r, &sig) == 0 && dbus_skip(&r, &sig) == 0 && dbus_skip(&r, &sig) == 0);
  CHECK(*sig == '\0' && r.pos == w.len);
  dbus_writer_clear(&w);
}

/* A METHOD_RETURN in big-endian order: reply to 7, body an object path. */
static const char be_return[] = "B\x02\0\x01\0\0\0\x09\0\0\0\x05\0\0\0\x0f"
                                "\x05\x01u\0\0\0\0\x07"
                                "\x08\x01g\0\x01o\0\0"
                                "\0\0\0\x04/a/b\0";

static void test_parse(void) {
  struct dbus_message m;
  size_t n = sizeof(be_return) - 1, total;
  const uint8_t *b = (const uint8_t *)be_return;
  CHECK(dbus_message_size(b, n, &total) == 0 && total == n);
  CHECK(dbus_message_parse(b, n, &m) == 0);
  CHECK(m.big_endian && m.type == DBUS_METHOD_RETURN && m.serial == 5 && m.reply_serial == 7);
  CHECK_STR_EQ(m.signature, "o");
  struct dbus_reader r;
  const char *path = NULL;
  dbus_reader_init(&r, &m);
  CHECK(dbus_read_string(&r, 'o', &path) == 0);
  CHECK_STR_EQ(path, "/a/b");

  uint8_t copy[sizeof(be_return)];
  memcpy(copy, be_return, n);
  CHECK(dbus_message_parse(copy, n - 1, &m) < 0 && errno == EBADMSG); /* short */
  copy[31] = 1;                                                       /* padding before the body */
  CHECK(dbus_message_parse(copy, n, &m) < 0);
  memcpy(copy, be_return, n);
  copy[34] = 'a'; /* "aa/b": not an object path */
  dbus_reader_init(&r, &m);
  CHECK(dbus_message_parse(copy, n, &m) == 0);
  dbus_reader_init(&r, &m);
  CHECK(dbus_read_string(&r, 'o', &path) < 0);
  memcpy(copy, be_return, n);
  copy[23] = 0; /* reply serial 0 */
  CHECK(dbus_message_parse(copy, n, &m) < 0);
  memcpy(copy, be_return, n);
  copy[3] = 2; /* protocol version */
  CHECK(dbus_message_parse(copy, n, &m) < 0);
  memcpy(copy, be_return, n);
  copy[4] = 0x7f; /* longer than any message we read */
  CHECK(dbus_message_size(copy, n, &total) < 0 && errno == EMSGSIZE);

  /* nested arrays and variants skip as one value each; a bad bool does not */
  struct dbus_writer w = {0};
  struct dbus_array a = dbus_array_begin(&w, 4), in = dbus_array_begin(&w, 4);
  dbus_put_i32(&w, 1);
  dbus_array_end(&w, in);
  dbus_array_end(&w, a);
  dbus_variant_begin(&w, "a{sv}");
  a = dbus_array_begin(&w, 8);
  dbus_struct_begin(&w);
  dbus_put_string(&w, "k");
  dbus_variant_begin(&w, "b");
  dbus_put_u32(&w, 2);
  dbus_array_end(&w, a);
  struct dbus_message bm = {.body = w.data, .body_len = w.len};
  const char *sig = "aaiv";
  dbus_reader_init(&r, &bm);
  CHECK(dbus_skip(&r, &sig) == 0 && strcmp(sig, "v") == 0);
  CHECK(dbus_skip(&r, &sig) < 0); /* bool 2 */
  dbus_writer_clear(&w);
  CHECK(dbus_complete_type_len("a{sv}s") == 5);
  CHECK(dbus_complete_type_len("{sv}") == 4);
  CHECK(dbus_complete_type_len("a{vs}") == 0);
  CHECK(dbus_complete_type_len("()") == 0);
  CHECK(dbus_complete_type_len("(i") == 0);
}

/* An ERROR or METHOD_RETURN as a bus would send it, in our byte order. */
static void message_named(struct dbus_writer *out, uint8_t type, uint32_t serial, uint32_t reply_to,
                          const char *error_name, const char *str, const char *member) {
  struct dbus_writer body = {0};
  if (str)
    dbus_put_string(&body, str);
  dbus_writer_clear(out);
  dbus_put_byte(out, 'l');
  dbus_put_byte(out, type);
  dbus_put_byte(out, 1);
  dbus_put_byte(out, 1);
  dbus_put_u32(out, (uint32_t)body.len);
  dbus_put_u32(out, serial);
  struct dbus_array a = dbus_array_begin(out, 8);
  if (type == DBUS_SIGNAL) {
    dbus_struct_begin(out);
    dbus_put_byte(out, 1);
    dbus_variant_begin(out, "o");
    dbus_put_string(out, "/org/freedesktop/DBus");
    dbus_struct_begin(out);
    dbus_put_byte(out, 2);
    dbus_variant_begin(out, "s");
    dbus_put_string(out, "org.freedesktop.DBus");
    dbus_struct_begin(out);
    dbus_put_byte(out, 3);
    dbus_variant_begin(out, "s");
    dbus_put_string(out, member);
  } else {
    dbus_struct_begin(out);
    dbus_put_byte(out, 5);
    dbus_variant_begin(out, "u");
    dbus_put_u32(out, reply_to);
  }
  if (error_name) {
    dbus_struct_begin(out);
    dbus_put_byte(out, 4);
    dbus_variant_begin(out, "s");
    dbus_put_string(out, error_name);
  }
  if (str) {
    dbus_struct_begin(out);
    dbus_put_byte(out, 8);
    dbus_variant_begin(out, "g");
    dbus_put_signature(out, "s");
  }
  dbus_array_end(out, a);
  dbus_pad(out, 8);
  dbus_put_raw(out, body.data, body.len);
  dbus_writer_clear(&body);
}

static void reply_message(struct dbus_writer *out, uint8_t type, uint32_t serial, uint32_t reply_to,
                          const char *error_name, const char *str) {
  message_named(out, type, serial, reply_to, error_name, str, "NameAcquired");
}

static void test_error_reply(void) {
  struct dbus_writer w = {0};
  struct dbus_message m;
  ocirun_error_t *err = NULL;
  reply_message(&w, DBUS_ERROR, 3, 2, "org.freedesktop.systemd1.UnitExists",
                "Unit u.scope already exists.");
  CHECK(dbus_message_parse(w.data, w.len, &m) == 0);
  CHECK(m.type == DBUS_ERROR && m.reply_serial == 2);
  CHECK(dbus_error_from_reply(&m, &err) < 0);
  CHECK(err && err->status == EEXIST);
  const char *text = err ? err->msg : "";
  CHECK_STR_EQ(text, "Unit u.scope already exists. "
                     "(org.freedesktop.systemd1.UnitExists): File exists");
  ocirun_error_free(&err);
  CHECK(dbus_error_errno("System.Error.ENOENT") == ENOENT);
  CHECK(dbus_error_errno("com.example.Unknown") == EIO);
  dbus_writer_clear(&w);
}

static void test_addresses(void) {
  char path[108];
  size_t n;
  ocirun_error_t *err = NULL;
  CHECK(dbus_address_unix("unix:path=/run/x%2cy,guid=12", 0, path, sizeof(path), &n, &err) == 1);
  CHECK(n == 8 && strcmp(path, "/run/x,y") == 0);
  CHECK(dbus_address_unix("tcp:host=a;unix:abstract=zz", 1, path, sizeof(path), &n, &err) == 1);
  CHECK(n == 3 && path[0] == '\0' && memcmp(path + 1, "zz", 2) == 0);
  CHECK(dbus_address_unix("unix:path=/a", 1, path, sizeof(path), &n, &err) == 0);
  char *msg =
      unit_error_message(dbus_address_unix("tcp:host=a", 0, path, sizeof(path), &n, &err), &err);
  CHECK_CONTAINS(msg, "bus address tcp:host=a: only unix: is supported");
  free(msg);
  msg =
      unit_error_message(dbus_address_unix("unix:path=%zz", 0, path, sizeof(path), &n, &err), &err);
  CHECK_CONTAINS(msg, "bad or too long socket name");
  free(msg);

  char *addr = NULL;
  setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/x", 1);
  CHECK(dbus_bus_address(false, &addr, &err) == 0 && strcmp(addr, "unix:path=/x") == 0);
  free(addr);
  unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
  CHECK(dbus_bus_address(false, &addr, &err) == 0 &&
        strcmp(addr, "unix:path=/run/dbus/system_bus_socket") == 0);
  free(addr);
  unsetenv("DBUS_SESSION_BUS_ADDRESS");
  setenv("XDG_RUNTIME_DIR", "/run/user/7", 1);
  CHECK(dbus_bus_address(true, &addr, &err) == 0 && strcmp(addr, "unix:path=/run/user/7/bus") == 0);
  free(addr);
  unsetenv("XDG_RUNTIME_DIR");
  char *none = unit_error_message(dbus_bus_address(true, &addr, &err), &err);
  CHECK_CONTAINS(none, "neither $DBUS_SESSION_BUS_ADDRESS nor $XDG_RUNTIME_DIR is set");
  free(none);
}

/* The fake bus: reads whole lines / messages and answers as a bus would. */
static void fake_bus(int fd) {
  char buf[4096];
  size_t len = 0;
  struct dbus_writer w = {0};
  struct dbus_message m;
  size_t total;
  /* "\0AUTH EXTERNAL\r\n" with no identity, the bus's empty challenge, and the client's
   * empty answer "DATA\r\n" (sent in the same write or later) */
  static const char want[] = "\0AUTH EXTERNAL\r\nDATA\r\n";
  while (len < sizeof(want) - 1) {
    ssize_t r = read(fd, buf + len, sizeof(buf) - len);
    if (r <= 0)
      _exit(2);
    len += (size_t)r;
    if (len >= 17 && len < sizeof(want) - 1 && write(fd, "DATA\r\n", 6) != 6)
      _exit(4);
  }
  if (len != sizeof(want) - 1 || memcmp(buf, want, len) != 0)
    _exit(3);
  if (write(fd, "DATA\r\n", 6) != 6 || write(fd, "OK 0123456789abcdef\r\n", 21) != 21)
    _exit(4);
  len = 0;
  for (int serial = 1; serial <= 2; serial++) {
    size_t skip = serial == 1 ? 7 : 0; /* "BEGIN\r\n" */
    for (;;) {
      if (len >= skip + 16 && dbus_message_size((uint8_t *)buf + skip, len - skip, &total) == 0 &&
          len >= skip + total)
        break;
      ssize_t r = read(fd, buf + len, sizeof(buf) - len);
      if (r <= 0)
        _exit(5);
      len += (size_t)r;
    }
    if (skip && memcmp(buf, "BEGIN\r\n", 7) != 0)
      _exit(6);
    if (dbus_message_parse((uint8_t *)buf + skip, total, &m) < 0 || m.serial != (uint32_t)serial)
      _exit(7);
    memmove(buf, buf + skip + total, len - skip - total);
    len -= skip + total;
    if (serial == 1) {
      if (strcmp(m.member, "Hello") != 0)
        _exit(8);
      /* the signal first: the client must pass over it */
      reply_message(&w, DBUS_SIGNAL, 1, 0, NULL, ":1.9");
      if (write(fd, w.data, w.len) != (ssize_t)w.len)
        _exit(9);
      reply_message(&w, DBUS_METHOD_RETURN, 2, 1, NULL, ":1.9");
    } else {
      /* a signal awaited next, before the reply: kept for dbus_wait_signal */
      message_named(&w, DBUS_SIGNAL, 3, 0, NULL, "first", "JobRemoved");
      if (write(fd, w.data, w.len) != (ssize_t)w.len)
        _exit(9);
      reply_message(&w, DBUS_ERROR, 4, 2, "org.freedesktop.systemd1.NoSuchUnit",
                    "Unit x.scope not loaded.");
    }
    /* in two pieces, to be reassembled */
    if (write(fd, w.data, 5) != 5 || write(fd, w.data + 5, w.len - 5) != (ssize_t)(w.len - 5))
      _exit(10);
  }
  /* after the reply: another signal, passed over, then the awaited one */
  message_named(&w, DBUS_SIGNAL, 5, 0, NULL, "other", "UnitNew");
  if (write(fd, w.data, w.len) != (ssize_t)w.len)
    _exit(11);
  message_named(&w, DBUS_SIGNAL, 6, 0, NULL, "second", "JobRemoved");
  if (write(fd, w.data, w.len) != (ssize_t)w.len)
    _exit(11);
  /* then nothing until the client closes */
  if (read(fd, buf, sizeof(buf)) != 0)
    _exit(12);
  dbus_writer_clear(&w);
  _exit(0);
}

static void test_connection(void) {
  char dir[] = "/tmp/unit-dbus-XXXXXX", addr[128];
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  struct dbus_conn c;
  ocirun_error_t *err = NULL;
  int status;
  if (mkdtemp(dir) == NULL)
    return (void)CHECK(!"mkdtemp");
  snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/bus", dir);
  snprintf(addr, sizeof(addr), "unix:path=%s/bus,guid=0123", dir);
  int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  CHECK(l >= 0 && bind(l, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(l, 1) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    int fd = accept(l, NULL, NULL);
    if (fd < 0)
      _exit(1);
    fake_bus(fd);
  }
  close(l);
  CHECK(dbus_open_address(&c, addr, &err) == 0);
  CHECK_STR_EQ(c.unique_name, ":1.9");
  struct dbus_writer body = {0};
  dbus_put_string(&body, "x.scope");
  c.keep_member = "JobRemoved";
  char *msg = unit_error_message(
      dbus_call(&c, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                "org.freedesktop.systemd1.Manager", "ResetFailedUnit", "s", &body, NULL, &err),
      &err);
  CHECK_STR_EQ(msg, "Unit x.scope not loaded. (org.freedesktop.systemd1.NoSuchUnit): No such "
                    "file or directory");
  free(msg);
  dbus_writer_clear(&body);
  /* the one kept during the call first, then the one read after UnitNew, then none */
  struct dbus_reply sig = {0};
  const char *arg = NULL;
  struct dbus_reader rd;
  CHECK(c.nkept == 1);
  CHECK(dbus_wait_signal(&c, 1000, &sig, &err) == 0);
  dbus_reader_init(&rd, &sig.msg);
  CHECK(dbus_read_string(&rd, 's', &arg) == 0 && arg && strcmp(arg, "first") == 0);
  CHECK(dbus_wait_signal(&c, 5000, &sig, &err) == 0);
  dbus_reader_init(&rd, &sig.msg);
  CHECK(dbus_read_string(&rd, 's', &arg) == 0 && arg && strcmp(arg, "second") == 0);
  msg = unit_error_message(dbus_wait_signal(&c, 50, &sig, &err), &err);
  CHECK_CONTAINS(msg, "wait for the JobRemoved signal from unix:path=");
  CHECK_CONTAINS(msg, "Connection timed out");
  free(msg);
  dbus_reply_clear(&sig);
  dbus_close(&c);
  CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);

  /* nobody listening: the error names the address and the errno */
  unlink(sa.sun_path);
  msg = unit_error_message(dbus_open_address(&c, addr, &err), &err);
  CHECK_CONTAINS(msg, "connect to the bus at unix:path=");
  CHECK_CONTAINS(msg, "No such file or directory");
  free(msg);
  rmdir(dir);
}

/* path's content replaced by s, in one write (a uid_map takes one). */
static int fs_write_str(const char *path, const char *s) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  ssize_t n = fd < 0 ? -1 : write(fd, s, strlen(s));
  if (fd >= 0)
    close(fd);
  return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* A client in a user namespace whose uid 5 is the daemon's uid 0 outside (as rootless
 * podman's uid 0 is the user's uid): the bus must take the identity it sees on the socket,
 * not the one the process has inside.  0 when the connection worked. */
static int connect_from_userns(const char *addr) {
  int up[2], down[2], status;
  char c = 0, path[64], map[32];
  if (pipe(up) < 0 || pipe(down) < 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    struct dbus_conn conn;
    ocirun_error_t *err = NULL;
    if (unshare(CLONE_NEWUSER) < 0 || write(up[1], "u", 1) != 1 || read(down[0], &c, 1) != 1)
      _exit(2);
    if (setresgid(5, 5, 5) < 0 || setresuid(5, 5, 5) < 0)
      _exit(3);
    if (dbus_open_address(&conn, addr, &err) < 0) {
      fprintf(stderr, "# from the user namespace: %s\n", err->msg);
      _exit(4);
    }
    dbus_close(&conn);
    _exit(0);
  }
  int ok = read(up[0], &c, 1) == 1;
  snprintf(map, sizeof(map), "5 %u 1\n", (unsigned)geteuid());
  snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
  ok = ok && fs_write_str(path, map) == 0;
  snprintf(map, sizeof(map), "5 %u 1\n", (unsigned)getegid());
  snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
  ok = ok && fs_write_str(path, map) == 0;
  if (write(down[1], "g", 1) != 1)
    ok = 0;
  close(up[0]);
  close(up[1]);
  close(down[0]);
  close(down[1]);
  if (waitpid(pid, &status, 0) != pid || !ok)
    return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A real dbus-daemon (when installed): Hello, a call with a reply, the bus's own error for
 * a name nobody owns; once on a socket file, once on an abstract socket. */
static void test_real_daemon(bool abstract) {
  const char *daemon = "/usr/bin/dbus-daemon";
  char dir[] = "/tmp/unit-dbusd-XXXXXX", addr[160], sock[140];
  struct dbus_conn c;
  ocirun_error_t *err = NULL;
  if (access(daemon, X_OK) != 0 || mkdtemp(dir) == NULL) {
    printf("# skip: no %s\n", daemon);
    return;
  }
  snprintf(sock, sizeof(sock), "%s/bus", dir);
  if (abstract)
    snprintf(addr, sizeof(addr), "unix:abstract=ocirun-unit-%d", (int)getpid());
  else
    snprintf(addr, sizeof(addr), "unix:path=%s", sock);
  char listen[180];
  snprintf(listen, sizeof(listen), "--address=%s", addr);
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0)
      dup2(null, 2); /* its warnings about fd limits as root */
    execl(daemon, daemon, "--session", "--nofork", "--nopidfile", "--nosyslog", listen,
          (char *)NULL);
    _exit(127);
  }
  /* the daemon listens a moment after it starts: up to 10 s */
  int r = -1;
  for (int i = 0; i < 1000 && r < 0; i++) {
    r = dbus_open_address(&c, addr, &err);
    if (r < 0) {
      ocirun_error_free(&err);
      struct timespec ts = {0, 10000000};
      nanosleep(&ts, NULL);
    }
  }
  CHECK(r == 0);
  if (r == 0) {
    CHECK(c.unique_name && c.unique_name[0] == ':');
    struct dbus_reply reply = {0};
    CHECK(dbus_call(&c, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                    "ListNames", NULL, NULL, &reply, &err) == 0);
    /* "as": our own unique name is among them */
    struct dbus_reader rd;
    size_t end;
    bool found = false;
    const char *name;
    dbus_reader_init(&rd, &reply.msg);
    CHECK(strcmp(reply.msg.signature, "as") == 0 && dbus_read_array(&rd, 4, &end) == 0);
    while (rd.pos < end && dbus_read_string(&rd, 's', &name) == 0)
      found = found || strcmp(name, c.unique_name) == 0;
    CHECK(found);
    dbus_reply_clear(&reply);
    char *msg = unit_error_message(
        dbus_call(&c, "org.example.Nobody", "/", "org.example.X", "Y", NULL, NULL, NULL, &err),
        &err);
    CHECK_CONTAINS(msg, "(org.freedesktop.DBus.Error.ServiceUnknown): No route to host");
    free(msg);
    dbus_close(&c);
    if (geteuid() == 0)
      CHECK(connect_from_userns(addr) == 0);
  }
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
  unlink(sock);
  rmdir(dir);
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  test_basic_types();
  test_arrays();
  test_method_call();
  test_systemd_bodies();
  test_parse();
  test_error_reply();
  test_addresses();
  test_connection();
  test_real_daemon(false);
  test_real_daemon(true);
  return unit_done();
}
