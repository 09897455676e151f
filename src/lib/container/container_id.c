/* Container id validation.  Ids become directory names under --root and appear in
 * cgroup paths and systemd unit names, so only a conservative ASCII set is allowed. */
#include "container/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID_PATTERN "[A-Za-z0-9][A-Za-z0-9_+.-]*"

static bool id_first_char_ok(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool id_char_ok(unsigned char c) {
  return id_first_char_ok(c) || c == '_' || c == '+' || c == '.' || c == '-';
}

/* The id as a printable quoted string: a rejected id may hold newlines or control
 * bytes that would otherwise garble the error line. */
static char *id_quote(const char *id) {
  /* Only a bounded prefix is shown: the whole id may be megabytes long. */
  const size_t shown_max = 128;
  size_t len = strnlen(id, shown_max + 1);
  size_t shown = len > shown_max ? shown_max : len;
  char *out = malloc(shown * 4 + 8), *p = out;

  if (out == NULL)
    return NULL;
  *p++ = '"';
  for (size_t i = 0; i < shown; i++) {
    unsigned char c = (unsigned char)id[i];
    switch (c) {
    case '\n':
      p += sprintf(p, "\\n");
      break;
    case '\t':
      p += sprintf(p, "\\t");
      break;
    case '\r':
      p += sprintf(p, "\\r");
      break;
    case '"':
    case '\\':
      *p++ = '\\';
      *p++ = (char)c;
      break;
    default:
      if (c < 0x20 || c >= 0x7f)
        p += sprintf(p, "\\x%02x", c);
      else
        *p++ = (char)c;
    }
  }
  *p++ = '"';
  if (len > shown)
    p += sprintf(p, "...");
  *p = '\0';
  return out;
}

int container_id_validate(const char *id, ocirun_error_t **err) {
  size_t len;
  bool ok;
  char *quoted;

  if (id == NULL || id[0] == '\0')
    return ocirun_error_set(err, 0, "container id is empty");
  len = strnlen(id, CONTAINER_ID_MAX + 1);
  if (len > CONTAINER_ID_MAX)
    return ocirun_error_set(err, 0, "container id is longer than %d characters", CONTAINER_ID_MAX);
  ok = id_first_char_ok((unsigned char)id[0]);
  for (size_t i = 1; ok && i < len; i++)
    ok = id_char_ok((unsigned char)id[i]);
  /* "." and ".." cannot start with an allowed first character, but keep the rule
   * explicit: they would name the root or its parent. */
  if (ok && strcmp(id, ".") != 0 && strcmp(id, "..") != 0)
    return 0;
  quoted = id_quote(id);
  ocirun_error_set(err, 0, "invalid container id %s: must match " ID_PATTERN, quoted ? quoted : "");
  free(quoted);
  return -1;
}
