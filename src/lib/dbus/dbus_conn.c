/* One connection to a bus: connect, SASL EXTERNAL, Hello, then method calls one at a time.
 * Every read and write waits in poll() against one deadline per operation, so a bus that
 * stops answering fails the call with ETIMEDOUT instead of hanging the runtime. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "dbus/dbus.h"
#include "util/cleanup.h"
#include "util/limits.h"

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 0 when fd is ready for events before the deadline; -1 with errno (ETIMEDOUT). */
static int wait_fd(int fd, short events, int64_t deadline) {
  for (;;) {
    int64_t left = deadline - now_ms();
    if (left <= 0) {
      errno = ETIMEDOUT;
      return -1;
    }
    struct pollfd p = {.fd = fd, .events = events};
    int r = poll(&p, 1, (int)left);
    if (r > 0)
      return 0;
    if (r < 0 && errno != EINTR)
      return -1;
  }
}

static int send_all(struct dbus_conn *c, const void *data, size_t n, int64_t deadline) {
  const uint8_t *p = data;
  while (n > 0) {
    ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w > 0) {
      p += w;
      n -= (size_t)w;
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else if (w < 0 && errno == EAGAIN) {
      if (wait_fd(c->fd, POLLOUT, deadline) < 0)
        return -1;
    } else {
      return -1;
    }
  }
  return 0;
}

/* More bytes into the buffer (at least one); EOF is ECONNRESET. */
static int fill(struct dbus_conn *c, size_t want, int64_t deadline) {
  if (want > c->buf_cap) {
    uint8_t *b = realloc(c->buf, want);
    if (b == NULL)
      return -1;
    c->buf = b;
    c->buf_cap = want;
  }
  for (;;) {
    ssize_t r = recv(c->fd, c->buf + c->buf_len, c->buf_cap - c->buf_len, MSG_DONTWAIT);
    if (r > 0) {
      c->buf_len += (size_t)r;
      return 0;
    }
    if (r == 0) {
      errno = ECONNRESET;
      return -1;
    }
    if (errno == EINTR)
      continue;
    if (errno != EAGAIN || wait_fd(c->fd, POLLIN, deadline) < 0)
      return -1;
  }
}

static void consume(struct dbus_conn *c, size_t n) {
  memmove(c->buf, c->buf + n, c->buf_len - n);
  c->buf_len -= n;
}

/* The next whole message, parsed, into out. */
static int recv_message(struct dbus_conn *c, struct dbus_reply *out, int64_t deadline) {
  size_t total = 0;
  for (;;) {
    if (c->buf_len >= 16 && dbus_message_size(c->buf, c->buf_len, &total) < 0)
      return -1;
    if (total && c->buf_len >= total)
      break;
    size_t want = total ? total : 4096;
    if (fill(c, want > c->buf_cap ? want : c->buf_cap, deadline) < 0)
      return -1;
  }
  dbus_reply_clear(out);
  out->data = malloc(total);
  if (out->data == NULL)
    return -1;
  memcpy(out->data, c->buf, total);
  out->len = total;
  consume(c, total);
  return dbus_message_parse(out->data, out->len, &out->msg);
}

void dbus_reply_clear(struct dbus_reply *r) {
  free(r->data);
  memset(r, 0, sizeof(*r));
}

static int call(struct dbus_conn *c, const char *dest, const char *path, const char *iface,
                const char *member, const char *sig, const struct dbus_writer *body,
                const char *prefix, size_t prefix_len, struct dbus_reply *reply,
                ocirun_error_t **err) {
  struct dbus_writer m = {0};
  struct dbus_reply got = {0};
  int64_t deadline = now_ms() + LIMIT_DBUS_TIMEOUT_MS;
  uint32_t serial = ++c->serial;
  int ret = -1;

  if (dbus_message_method_call(&m, serial, dest, path, iface, member, sig, body) < 0) {
    ocirun_error_set(err, errno, "D-Bus %s: build the message", member);
    goto out;
  }
  /* the SASL BEGIN goes out with the first message */
  if (prefix_len) {
    uint8_t *all = malloc(prefix_len + m.len);
    if (all == NULL) {
      ocirun_error_set(err, ENOMEM, "D-Bus %s", member);
      goto out;
    }
    memcpy(all, prefix, prefix_len);
    memcpy(all + prefix_len, m.data, m.len);
    free(m.data);
    m.data = all;
    m.len += prefix_len;
  }
  if (send_all(c, m.data, m.len, deadline) < 0) {
    ocirun_error_set(err, errno, "D-Bus %s: send to %s", member, c->address);
    goto out;
  }
  for (;;) {
    if (recv_message(c, &got, deadline) < 0) {
      ocirun_error_set(err, errno, "D-Bus %s: read the reply from %s", member, c->address);
      goto out;
    }
    if ((got.msg.type == DBUS_METHOD_RETURN || got.msg.type == DBUS_ERROR) &&
        got.msg.reply_serial == serial)
      break;
    /* a signal awaited next (a job's end may come before the reply that names the job) is
     * kept; others (NameAcquired after Hello) and anything else not ours are passed over */
    if (got.msg.type == DBUS_SIGNAL && c->keep_member && got.msg.member &&
        strcmp(got.msg.member, c->keep_member) == 0 && c->nkept < LIMIT_DBUS_KEPT_SIGNALS) {
      struct dbus_reply *k = realloc(c->kept, (c->nkept + 1) * sizeof(*k));
      if (k == NULL) {
        ocirun_error_set(err, ENOMEM, "D-Bus %s: keep a %s signal", member, c->keep_member);
        goto out;
      }
      c->kept = k;
      c->kept[c->nkept++] = got;
      memset(&got, 0, sizeof(got));
    }
  }
  if (got.msg.type == DBUS_ERROR) {
    dbus_error_from_reply(&got.msg, err);
    goto out;
  }
  if (reply) {
    dbus_reply_clear(reply);
    *reply = got;
    memset(&got, 0, sizeof(got));
  }
  ret = 0;
out:
  dbus_writer_clear(&m);
  dbus_reply_clear(&got);
  return ret;
}

int dbus_call(struct dbus_conn *c, const char *dest, const char *path, const char *iface,
              const char *member, const char *sig, const struct dbus_writer *body,
              struct dbus_reply *reply, ocirun_error_t **err) {
  return call(c, dest, path, iface, member, sig, body, NULL, 0, reply, err);
}

int dbus_add_match(struct dbus_conn *c, const char *rule, ocirun_error_t **err) {
  struct dbus_writer body = {0};
  dbus_put_string(&body, rule);
  int r = body.err ? ocirun_error_set(err, body.err, "D-Bus AddMatch %s", rule)
                   : dbus_call(c, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                               "org.freedesktop.DBus", "AddMatch", "s", &body, NULL, err);
  dbus_writer_clear(&body);
  return r;
}

int dbus_wait_signal(struct dbus_conn *c, int timeout_ms, struct dbus_reply *out,
                     ocirun_error_t **err) {
  int64_t deadline = now_ms() + timeout_ms;
  if (c->nkept > 0) {
    dbus_reply_clear(out);
    *out = c->kept[0];
    memmove(c->kept, c->kept + 1, (c->nkept - 1) * sizeof(*c->kept));
    c->nkept--;
    return 0;
  }
  for (;;) {
    if (recv_message(c, out, deadline) < 0)
      return ocirun_error_set(err, errno, "D-Bus: wait for the %s signal from %s",
                              c->keep_member ? c->keep_member : "", c->address);
    if (out->msg.type == DBUS_SIGNAL && c->keep_member && out->msg.member &&
        strcmp(out->msg.member, c->keep_member) == 0)
      return 0;
  }
}

static int connect_unix(struct dbus_conn *c, const char *path, size_t plen, int64_t deadline) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return -1;
  memcpy(sa.sun_path, path, plen);
  socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen + (path[0] != 0));
  /* a full listen backlog is EAGAIN on a non-blocking unix socket: retried until the
   * deadline */
  while (connect(fd, (struct sockaddr *)&sa, len) < 0) {
    if (errno != EAGAIN && errno != EINTR)
      return -1;
    if (now_ms() >= deadline) {
      errno = ETIMEDOUT;
      return -1;
    }
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
  c->fd = steal_fd(&fd);
  return 0;
}

/* One line of the authentication exchange, without its CRLF, consumed into line. */
static int auth_line(struct dbus_conn *c, char *line, size_t size, int64_t deadline,
                     ocirun_error_t **err) {
  for (;;) {
    uint8_t *end = c->buf_len ? memmem(c->buf, c->buf_len, "\r\n", 2) : NULL;
    if (end) {
      size_t n = (size_t)(end - c->buf);
      snprintf(line, size, "%.*s", (int)n, (char *)c->buf);
      consume(c, n + 2);
      return 0;
    }
    if (c->buf_len >= LIMIT_DBUS_AUTH_LINE)
      return ocirun_error_set(err, EBADMSG, "D-Bus authentication at %s: line too long",
                              c->address);
    if (fill(c, LIMIT_DBUS_AUTH_LINE, deadline) < 0)
      return ocirun_error_set(err, errno, "D-Bus authentication: read from %s", c->address);
  }
}

/* SASL EXTERNAL with no identity of our own: the bus takes the one it sees on the socket.
 * Sending our uid would fail in a user namespace (rootless podman runs us as its uid 0,
 * which the bus sees as the user's uid), so the answer to the bus's empty challenge is
 * empty, as sd-bus does.  Both lines go in one write: one round trip. */
static int authenticate(struct dbus_conn *c, int64_t deadline, ocirun_error_t **err) {
  static const char msg[] = "\0AUTH EXTERNAL\r\nDATA\r\n";
  char line[256];

  if (send_all(c, msg, sizeof(msg) - 1, deadline) < 0)
    return ocirun_error_set(err, errno, "D-Bus authentication: send to %s", c->address);
  if (auth_line(c, line, sizeof(line), deadline, err) < 0)
    return -1;
  /* the bus's empty challenge, which the DATA sent already answers */
  if (strncmp(line, "DATA", 4) == 0 && auth_line(c, line, sizeof(line), deadline, err) < 0)
    return -1;
  if (strncmp(line, "OK ", 3) != 0)
    return ocirun_error_set(err, EACCES, "D-Bus authentication at %s: the bus answered %.200s",
                            c->address, line);
  return 0;
}

int dbus_open_address(struct dbus_conn *c, const char *address, ocirun_error_t **err) {
  int64_t deadline = now_ms() + LIMIT_DBUS_TIMEOUT_MS;
  char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
  struct dbus_reply hello = {0};
  size_t plen;
  int r, last = 0;

  memset(c, 0, sizeof(*c));
  c->fd = -1;
  c->address = strdup(address);
  if (c->address == NULL)
    return ocirun_error_set(err, ENOMEM, "D-Bus connection");
  /* the entries of an address list are tried in order */
  for (size_t i = 0; c->fd < 0; i++) {
    r = dbus_address_unix(address, i, path, sizeof(path), &plen, err);
    if (r < 0)
      goto fail;
    if (r == 0) {
      ocirun_error_set(err, last ? last : EINVAL, "connect to the bus at %s", address);
      goto fail;
    }
    if (connect_unix(c, path, plen, deadline) < 0)
      last = errno;
  }
  if (authenticate(c, deadline, err) < 0)
    goto fail;
  r = call(c, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello",
           NULL, NULL, "BEGIN\r\n", 7, &hello, err);
  if (r < 0)
    goto fail;
  struct dbus_reader rd;
  const char *name;
  dbus_reader_init(&rd, &hello.msg);
  if (strcmp(hello.msg.signature, "s") != 0 || dbus_read_string(&rd, 's', &name) < 0) {
    ocirun_error_set(err, EBADMSG, "D-Bus Hello at %s: no unique name in the reply", address);
    goto fail;
  }
  c->unique_name = strdup(name);
  dbus_reply_clear(&hello);
  if (c->unique_name == NULL) {
    ocirun_error_set(err, ENOMEM, "D-Bus Hello");
    goto fail;
  }
  return 0;
fail:
  dbus_reply_clear(&hello);
  dbus_close(c);
  return -1;
}

int dbus_open(struct dbus_conn *c, bool user, ocirun_error_t **err) {
  _cleanup_free_ char *address = NULL;
  memset(c, 0, sizeof(*c));
  c->fd = -1;
  if (dbus_bus_address(user, &address, err) < 0)
    return -1;
  return dbus_open_address(c, address, err);
}

void dbus_close(struct dbus_conn *c) {
  if (c->fd >= 0)
    close(c->fd);
  for (size_t i = 0; i < c->nkept; i++)
    dbus_reply_clear(&c->kept[i]);
  free(c->kept);
  free(c->unique_name);
  free(c->buf);
  free(c->address);
  memset(c, 0, sizeof(*c));
  c->fd = -1;
}
