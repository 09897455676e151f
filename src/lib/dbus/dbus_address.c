/* Bus addresses: which bus, and the unix socket of an address entry. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbus/dbus.h"

int dbus_bus_address(bool user, char **address, ocirun_error_t **err) {
  const char *env = getenv(user ? "DBUS_SESSION_BUS_ADDRESS" : "DBUS_SYSTEM_BUS_ADDRESS");
  if (env && env[0]) {
    *address = strdup(env);
  } else if (!user) {
    *address = strdup("unix:path=/run/dbus/system_bus_socket");
  } else {
    /* as runc: the user manager's bus in the runtime directory */
    const char *run = getenv("XDG_RUNTIME_DIR");
    if (run == NULL || run[0] == '\0')
      return ocirun_error_set(err, 0,
                              "find the user's D-Bus: neither $DBUS_SESSION_BUS_ADDRESS nor "
                              "$XDG_RUNTIME_DIR is set");
    if (asprintf(address, "unix:path=%s/bus", run) < 0)
      *address = NULL;
  }
  if (*address == NULL)
    return ocirun_error_set(err, ENOMEM, "bus address");
  return 0;
}

static int hex(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* A value of the address syntax: %XX escapes decoded; n bytes at v into out. */
static int unescape(const char *v, size_t n, char *out, size_t size, size_t *olen) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    char c = v[i];
    if (c == '%') {
      int h, l;
      if (i + 2 >= n || (h = hex(v[i + 1])) < 0 || (l = hex(v[i + 2])) < 0)
        return -1;
      c = (char)(h * 16 + l);
      i += 2;
    }
    if (o + 1 >= size || c == '\0')
      return -1;
    out[o++] = c;
  }
  out[o] = '\0';
  *olen = o;
  return 0;
}

int dbus_address_unix(const char *address, size_t idx, char *path, size_t size, size_t *plen,
                      ocirun_error_t **err) {
  const char *e = address;
  for (size_t i = 0; i < idx; i++) {
    e = strchr(e, ';');
    if (e == NULL)
      return 0;
    e++;
  }
  size_t elen = strcspn(e, ";");
  if (elen == 0)
    return e[0] ? ocirun_error_set(err, EINVAL, "bus address %s: empty entry", address) : 0;
  if (strncmp(e, "unix:", 5) != 0)
    return ocirun_error_set(err, EAFNOSUPPORT, "bus address %.*s: only unix: is supported",
                            (int)elen, e);
  /* key=value pairs after "unix:", separated by commas; guid= and others are not ours */
  for (const char *kv = e + 5; kv < e + elen;) {
    size_t kvlen = strcspn(kv, ",;");
    const char *eq = memchr(kv, '=', kvlen);
    bool abstract = eq && (size_t)(eq - kv) == 8 && strncmp(kv, "abstract", 8) == 0;
    bool file = eq && (size_t)(eq - kv) == 4 && strncmp(kv, "path", 4) == 0;
    if (abstract || file) {
      size_t off = abstract ? 1 : 0, n;
      if (unescape(eq + 1, kvlen - (size_t)(eq + 1 - kv), path + off, size - off, &n) < 0 || n == 0)
        return ocirun_error_set(err, EINVAL, "bus address %.*s: bad or too long socket name",
                                (int)elen, e);
      if (abstract)
        path[0] = '\0';
      *plen = n + off;
      return 1;
    }
    kv += kvlen + (kv[kvlen] == ',');
  }
  return ocirun_error_set(err, EINVAL, "bus address %.*s: no path= or abstract=", (int)elen, e);
}
