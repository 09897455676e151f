/* Unit properties from the config's annotations, for the systemd driver:
 * "org.systemd.property.NAME": "VALUE", where VALUE is in the GVariant text format
 * that runc reads (`uint64 100`, `"string"`, `true`, `5`, `1.5`, `@as ["a", "b"]`).
 * Names ending in a lowercase letter + "Sec" (TimeoutStopSec) become "...USec" with the
 * number scaled to microseconds, as runc does.  The subset here is the scalars, strings
 * and string arrays: what unit properties take. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup/cgroup_systemd.h"
#include "util/cleanup.h"

#define PREFIX "org.systemd.property."

struct cursor {
  const char *p;
};

static void skip_ws(struct cursor *c) {
  while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')
    c->p++;
}

static bool take_word(struct cursor *c, const char *word) {
  size_t n = strlen(word);
  char next;
  if (strncmp(c->p, word, n) != 0)
    return false;
  next = c->p[n];
  if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || (next >= '0' && next <= '9'))
    return false;
  c->p += n;
  return true;
}

/* A type given before the value: a keyword ("uint64") or "@t"; 0 when none. */
static int take_type(struct cursor *c, char *type) {
  static const struct {
    const char *word;
    char type;
  } words[] = {{"boolean", 'b'}, {"byte", 'Y'},   {"int16", 'n'},      {"uint16", 'q'},
               {"int32", 'i'},   {"uint32", 'u'}, {"int64", 'x'},      {"uint64", 't'},
               {"double", 'd'},  {"string", 's'}, {"objectpath", 'o'}, {"signature", 'g'}};
  *type = 0;
  if (*c->p == '@') {
    static const char scalars[] = "bnqiuxtdsog";
    c->p++;
    if (c->p[0] == 'a' && c->p[1] == 's') {
      *type = 'A';
      c->p += 2;
    } else if (c->p[0] == 'y') {
      *type = 'Y';
      c->p++;
    } else if (c->p[0] && strchr(scalars, c->p[0])) {
      *type = *c->p++;
    } else {
      return -1;
    }
    return 0;
  }
  for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
    if (take_word(c, words[i].word)) {
      *type = words[i].type;
      return 0;
    }
  return 0;
}

/* '...' or "..." with backslash escapes; *out malloc'd. */
static int take_string(struct cursor *c, char **out) {
  char quote = *c->p, *s, *o;
  if (quote != '"' && quote != '\'')
    return -1;
  s = o = malloc(strlen(c->p) + 1);
  if (s == NULL)
    return -1;
  for (c->p++; *c->p && *c->p != quote; c->p++) {
    char ch = *c->p;
    if (ch == '\\') {
      static const char from[] = "\\\"'abfnrtv", to[] = "\\\"'\a\b\f\n\r\t\v";
      const char *e = c->p[1] ? strchr(from, c->p[1]) : NULL;
      if (e == NULL) {
        free(s);
        return -1;
      }
      ch = to[e - from];
      c->p++;
    }
    *o++ = ch;
  }
  if (*c->p != quote) {
    free(s);
    return -1;
  }
  c->p++;
  *o = '\0';
  *out = s;
  return 0;
}

static int take_number(struct cursor *c, char type, struct cgroup_systemd_prop *v) {
  const char *start = c->p;
  size_t len = strcspn(start, " \t\n\r,]");
  bool hex = len > 1 && start[0] == '0' && (start[1] == 'x' || start[1] == 'X');
  char *end;
  /* untyped: a fraction or an exponent makes a double, anything else an int32 */
  if (type == 0)
    type = memchr(start, '.', len) || (!hex && strcspn(start, "eE") < len) ? 'd' : 'i';
  v->type = type;
  errno = 0;
  if (type == 'd') {
    v->d = strtod(start, &end);
    if (end == start || errno || !isfinite(v->d))
      return -1;
  } else if (type == 't') {
    if (*start == '-')
      return -1;
    v->u = strtoull(start, &end, 0);
    if (end == start || errno)
      return -1;
  } else if (strchr("Ynqiux", type)) {
    static const struct {
      char type;
      int64_t min, max;
    } ranges[] = {{'Y', 0, UINT8_MAX},  {'n', INT16_MIN, INT16_MAX},
                  {'q', 0, UINT16_MAX}, {'i', INT32_MIN, INT32_MAX},
                  {'u', 0, UINT32_MAX}, {'x', INT64_MIN, INT64_MAX}};
    long long x = strtoll(start, &end, 0);
    if (end == start || errno)
      return -1;
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
      if (ranges[i].type == type && (x < ranges[i].min || x > ranges[i].max))
        return -1;
    v->i = x;
  } else {
    return -1;
  }
  c->p = end;
  return 0;
}

static int take_string_array(struct cursor *c, struct cgroup_systemd_prop *v) {
  v->type = 'A';
  c->p++; /* '[' */
  skip_ws(c);
  while (*c->p != ']') {
    char **n = realloc(v->strv, (v->nstrv + 2) * sizeof(char *));
    if (n == NULL)
      return -1;
    v->strv = n;
    v->strv[v->nstrv] = NULL;
    if (take_string(c, &v->strv[v->nstrv]) < 0)
      return -1;
    v->strv[++v->nstrv] = NULL;
    skip_ws(c);
    if (*c->p == ',') {
      c->p++;
      skip_ws(c);
    } else if (*c->p != ']') {
      return -1;
    }
  }
  c->p++;
  return 0;
}

int cgroup_systemd_parse_variant(const char *text, struct cgroup_systemd_prop *v) {
  struct cursor c = {text};
  char type;
  memset(v, 0, sizeof(*v));
  skip_ws(&c);
  if (take_type(&c, &type) < 0)
    return -1;
  skip_ws(&c);
  if (*c.p == '[') {
    /* an empty array has no element to tell its type: GVariant wants "@as []" */
    if ((type != 0 && type != 'A') || take_string_array(&c, v) < 0 || (type == 0 && !v->nstrv))
      return -1;
  } else if (*c.p == '"' || *c.p == '\'') {
    if ((type != 0 && !strchr("sog", type)) || take_string(&c, &v->s) < 0)
      return -1;
    v->type = type ? type : 's';
  } else if (type == 0 || type == 'b') {
    if (take_word(&c, "true"))
      v->b = true;
    else if (!take_word(&c, "false") && (type == 'b' || take_number(&c, 0, v) < 0))
      return -1;
    if (v->type == 0)
      v->type = 'b';
  } else if (take_number(&c, type, v) < 0) {
    return -1;
  }
  skip_ws(&c);
  return *c.p == '\0' ? 0 : -1;
}

/* runc's name rule: latin letters only, three or more. */
static bool valid_name(const char *s) {
  size_t n = 0;
  for (; s[n]; n++)
    if (!((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z')))
      return false;
  return n >= 3;
}

/* "TimeoutStopSec" = 5 -> "TimeoutStopUSec" = uint64 5000000 */
static int sec_to_usec(struct cgroup_systemd_prop *v, char **name) {
  size_t n = strlen(*name);
  char *usec;
  uint64_t sec;
  switch (v->type) {
  case 'Y':
  case 'n':
  case 'q':
  case 'i':
  case 'u':
  case 'x':
    sec = (uint64_t)v->i * 1000000;
    break;
  case 't':
    sec = v->u * 1000000;
    break;
  case 'd':
    sec = (uint64_t)(v->d * 1000000);
    break;
  default:
    return -1;
  }
  usec = malloc(n + 2);
  if (usec == NULL)
    return -1;
  snprintf(usec, n + 2, "%.*sUSec", (int)(n - 3), *name);
  free(*name);
  *name = usec;
  v->type = 't';
  v->u = sec;
  return 0;
}

int cgroup_systemd_annotation_props(const struct spec_kv_list *annotations,
                                    struct cgroup_systemd_props *out, ocirun_error_t **err) {
  for (size_t i = 0; annotations && i < annotations->len; i++) {
    const char *key = annotations->items[i].key, *value = annotations->items[i].value;
    _cleanup_free_ char *name = NULL;
    struct cgroup_systemd_prop v, *n;
    size_t len;

    if (strncmp(key, PREFIX, strlen(PREFIX)) != 0)
      continue;
    if (!valid_name(key + strlen(PREFIX)))
      return ocirun_error_set(err, EINVAL, "Annotation %s name incorrect: %s", key,
                              key + strlen(PREFIX));
    if ((name = strdup(key + strlen(PREFIX))) == NULL)
      return ocirun_error_set(err, ENOMEM, "annotation %s", key);
    if (cgroup_systemd_parse_variant(value ? value : "", &v) < 0) {
      cgroup_systemd_prop_clear(&v);
      return ocirun_error_set(err, EINVAL, "Annotation %s=%s value parse error", key, value);
    }
    len = strlen(name);
    if (len > 4 && name[len - 4] >= 'a' && name[len - 4] <= 'z' &&
        strcmp(name + len - 3, "Sec") == 0 && sec_to_usec(&v, &name) < 0) {
      cgroup_systemd_prop_clear(&v);
      return ocirun_error_set(err, EINVAL, "Annotation %s=%s value parse error: not a number", key,
                              value);
    }
    n = realloc(out->items, (out->len + 1) * sizeof(*n));
    if (n == NULL) {
      cgroup_systemd_prop_clear(&v);
      return ocirun_error_set(err, ENOMEM, "annotation %s", key);
    }
    out->items = n;
    v.owned_name = steal_pointer(&name);
    v.name = v.owned_name;
    out->items[out->len++] = v;
  }
  return 0;
}
