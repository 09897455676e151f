/* The state objects other programs read: runc's `state` / `list -f json` output and the
 * runtime-spec state given to hooks.  Written by hand rather than through jansson so
 * that key order, indentation and string escaping are byte-for-byte what runc (Go's
 * encoding/json) prints: callers such as containerd compare and parse this text. */
#include "container/state.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocirun-config.h"

struct outbuf {
  char *data;
  size_t len, cap;
  bool failed; /* an allocation failed: the result is dropped */
};

static void out_append(struct outbuf *b, const char *s, size_t n) {
  if (b->failed)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    char *p;
    while (cap < b->len + n + 1)
      cap *= 2;
    p = realloc(b->data, cap);
    if (p == NULL) {
      b->failed = true;
      return;
    }
    b->data = p;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

static void out_puts(struct outbuf *b, const char *s) {
  out_append(b, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void out_printf(struct outbuf *b, const char *fmt,
                                                             ...) {
  char tmp[64];
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
  va_end(ap);
  if (n > 0 && (size_t)n < sizeof(tmp))
    out_append(b, tmp, (size_t)n);
}

static char *out_finish(struct outbuf *b) {
  if (b->failed || b->data == NULL) {
    free(b->data);
    return NULL;
  }
  return b->data;
}

/* Length of a valid UTF-8 sequence at s (at most n bytes) and its code point, or 0 when
 * the bytes are not valid UTF-8 (overlong forms and surrogates included). */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp) {
  size_t len;
  unsigned min, c;
  if (s[0] >= 0xc2 && s[0] <= 0xdf) {
    len = 2, min = 0x80, c = s[0] & 0x1f;
  } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
    len = 3, min = 0x800, c = s[0] & 0x0f;
  } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
    len = 4, min = 0x10000, c = s[0] & 0x07;
  } else {
    return 0;
  }
  if (n < len)
    return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80)
      return 0;
    c = (c << 6) | (s[i] & 0x3f);
  }
  if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
    return 0;
  *cp = c;
  return len;
}

/* A JSON string as Go's encoding/json writes it: HTML-sensitive <, >, & and the line
 * separators U+2028/U+2029 escaped, invalid UTF-8 replaced by U+FFFD. */
static void out_string(struct outbuf *b, const char *str) {
  const unsigned char *s = (const unsigned char *)(str ? str : "");
  size_t n = strlen((const char *)s);

  out_puts(b, "\"");
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    if (c < 0x80) {
      switch (c) {
      case '"':
        out_puts(b, "\\\"");
        break;
      case '\\':
        out_puts(b, "\\\\");
        break;
      case '\n':
        out_puts(b, "\\n");
        break;
      case '\r':
        out_puts(b, "\\r");
        break;
      case '\t':
        out_puts(b, "\\t");
        break;
      default:
        if (c < 0x20 || c == '<' || c == '>' || c == '&')
          out_printf(b, "\\u%04x", c);
        else
          out_append(b, (const char *)&s[i], 1);
      }
      i++;
      continue;
    }
    unsigned cp;
    size_t len = utf8_decode(s + i, n - i, &cp);
    if (len == 0) {
      out_puts(b, "\\ufffd");
      i++;
    } else if (cp == 0x2028 || cp == 0x2029) {
      out_printf(b, "\\u%04x", cp);
      i += len;
    } else {
      out_append(b, (const char *)&s[i], len);
      i += len;
    }
  }
  out_puts(b, "\"");
}

static int kv_cmp(const void *a, const void *b) {
  const struct spec_kv *const *x = a, *const *y = b;
  return strcmp((*x)->key, (*y)->key);
}

/* Annotations as a JSON object with keys sorted bytewise, as Go writes a map.
 * indent NULL: compact; otherwise the indentation of the enclosing object. */
static void out_annotations(struct outbuf *b, const struct spec_kv_list *list, const char *indent) {
  const struct spec_kv **sorted = calloc(list->len, sizeof(*sorted));

  if (sorted == NULL) {
    b->failed = true;
    return;
  }
  for (size_t i = 0; i < list->len; i++)
    sorted[i] = &list->items[i];
  qsort(sorted, list->len, sizeof(*sorted), kv_cmp);
  out_puts(b, "{");
  for (size_t i = 0; i < list->len; i++) {
    if (i > 0)
      out_puts(b, ",");
    if (indent) {
      out_puts(b, "\n");
      out_puts(b, indent);
      out_puts(b, "  ");
    }
    out_string(b, sorted[i]->key);
    out_puts(b, indent ? ": " : ":");
    out_string(b, sorted[i]->value);
  }
  if (indent) {
    out_puts(b, "\n");
    out_puts(b, indent);
  }
  out_puts(b, "}");
  free(sorted);
}

/* One object in runc's containerState layout; cuts (or NULL) receives where the values
 * of pid, status and owner are in it. */
static char *format_runc_state(const struct container_state *st, enum container_status status,
                               const char *owner, bool pretty, struct state_json_cuts *cuts) {
  struct outbuf b = {0};
  struct state_json_cuts at;
  const char *sep = pretty ? ",\n  " : ",";
  const char *colon = pretty ? ": " : ":";
  pid_t pid = status == CONTAINER_STOPPED ? 0 : st->init_pid;

#define KEY(k, first)                                                                              \
  do {                                                                                             \
    out_puts(&b, (first) ? (pretty ? "{\n  " : "{") : sep);                                        \
    out_puts(&b, "\"" k "\"");                                                                     \
    out_puts(&b, colon);                                                                           \
  } while (0)

  KEY("ociVersion", true);
  out_string(&b, OCIRUN_SPEC_VERSION);
  KEY("id", false);
  out_string(&b, st->id);
  KEY("pid", false);
  at.pid[0] = b.len;
  out_printf(&b, "%d", (int)pid);
  at.pid[1] = b.len;
  KEY("status", false);
  at.status[0] = b.len;
  out_string(&b, container_status_name(status));
  at.status[1] = b.len;
  KEY("bundle", false);
  out_string(&b, st->bundle);
  KEY("rootfs", false);
  out_string(&b, st->rootfs);
  KEY("created", false);
  /* Go prints a zero time.Time when none was recorded. */
  out_string(&b, st->created ? st->created : "0001-01-01T00:00:00Z");
  if (st->annotations.len > 0) {
    KEY("annotations", false);
    out_annotations(&b, &st->annotations, pretty ? "  " : NULL);
  }
  KEY("owner", false);
  at.owner[0] = b.len;
  out_string(&b, owner);
  at.owner[1] = b.len;
  out_puts(&b, pretty ? "\n}" : "}");
#undef KEY
  if (cuts)
    *cuts = at;
  return out_finish(&b);
}

char *state_to_oci_json(const struct container_state *st, enum container_status status) {
  /* runc's `state` leaves the owner empty; only `list` looks it up. */
  return format_runc_state(st, status, "", true, NULL);
}

char *state_to_oci_json_compact(const struct container_state *st, enum container_status status,
                                const char *owner) {
  return format_runc_state(st, status, owner, false, NULL);
}

char *state_to_oci_json_cut(const struct container_state *st, bool pretty,
                            struct state_json_cuts *cuts) {
  return format_runc_state(st, CONTAINER_RUNNING, "", pretty, cuts);
}

/* The members before the pid: ociVersion, id, status. */
static void hook_json_head(struct outbuf *b, const struct container_state *st,
                           enum container_status status) {
  out_puts(b, "{\"ociVersion\":");
  out_string(b, OCIRUN_SPEC_VERSION);
  out_puts(b, ",\"id\":");
  out_string(b, st->id);
  out_puts(b, ",\"status\":");
  out_string(b, container_status_name(status));
}

/* The members after it: bundle, annotations. */
static void hook_json_tail(struct outbuf *b, const struct container_state *st) {
  out_puts(b, ",\"bundle\":");
  out_string(b, st->bundle);
  if (st->annotations.len > 0) {
    out_puts(b, ",\"annotations\":");
    out_annotations(b, &st->annotations, NULL);
  }
  out_puts(b, "}");
}

char *state_to_hook_json(const struct container_state *st, enum container_status status) {
  struct outbuf b = {0};

  hook_json_head(&b, st, status);
  if (st->init_pid > 0)
    out_printf(&b, ",\"pid\":%d", (int)st->init_pid);
  hook_json_tail(&b, st);
  return out_finish(&b);
}

int state_to_hook_json_parts(const struct container_state *st, enum container_status status,
                             char **head, char **tail) {
  struct outbuf h = {0}, t = {0};

  hook_json_head(&h, st, status);
  hook_json_tail(&t, st);
  *head = out_finish(&h);
  *tail = out_finish(&t);
  if (*head && *tail)
    return 0;
  free(*head);
  free(*tail);
  *head = *tail = NULL;
  return -1;
}
