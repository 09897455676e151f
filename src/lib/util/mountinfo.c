#include "util/mountinfo.h"

#include <stdlib.h>
#include <string.h>

#include "util/fs.h"
#include "util/limits.h"

static bool is_octal(char c) {
  return c >= '0' && c <= '7';
}

void mountinfo_unescape(char *s) {
  char *w = s;
  for (const char *r = s; *r; r++) {
    if (r[0] == '\\' && is_octal(r[1]) && is_octal(r[2]) && is_octal(r[3])) {
      *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
      r += 3;
    } else {
      *w++ = *r;
    }
  }
  *w = '\0';
}

/* Cut the next space-separated field off *p; NULL when there is none. */
static char *field(char **p) {
  char *s = *p, *end;
  if (s == NULL || *s == '\0')
    return NULL;
  end = strchr(s, ' ');
  if (end) {
    *end = '\0';
    *p = end + 1;
  } else {
    *p = s + strlen(s);
  }
  return s;
}

static bool parse_line(char *line, struct mountinfo_entry *e) {
  /* id parent maj:min root mountpoint options [optional...] - fstype source superoptions */
  char *sep = strstr(line, " - "), *p = line, *end, *id, *parent, *root, *mp, *opts;
  char *optional, *fstype, *source;

  if (sep == NULL)
    return false;
  *sep = '\0';
  if ((id = field(&p)) == NULL || (parent = field(&p)) == NULL || field(&p) == NULL ||
      (root = field(&p)) == NULL || (mp = field(&p)) == NULL || (opts = field(&p)) == NULL)
    return false;
  optional = p; /* what is left before the separator */
  e->id = strtoull(id, &end, 10);
  if (*end != '\0')
    return false;
  e->parent = strtoull(parent, &end, 10);
  if (*end != '\0')
    return false;
  p = sep + 3;
  if ((fstype = field(&p)) == NULL || (source = field(&p)) == NULL)
    return false;
  e->super_options = p;
  mountinfo_unescape(root);
  mountinfo_unescape(mp);
  mountinfo_unescape(source);
  e->root = root;
  e->mountpoint = mp;
  e->options = opts;
  e->optional = optional;
  e->fstype = fstype;
  e->source = source;
  return true;
}

bool mountinfo_next(char **cursor, struct mountinfo_entry *e) {
  while (*cursor && **cursor) {
    char *line = *cursor, *nl = strchr(line, '\n');
    if (nl) {
      *nl = '\0';
      *cursor = nl + 1;
    } else {
      *cursor = line + strlen(line);
    }
    if (parse_line(line, e))
      return true;
  }
  return false;
}

bool mountinfo_is_shared(const struct mountinfo_entry *e) {
  const char *s = e->optional;
  while ((s = strstr(s, "shared:")) != NULL) {
    if (s == e->optional || s[-1] == ' ')
      return true;
    s++;
  }
  return false;
}

int mountinfo_read_self(char **text, ocirun_error_t **err) {
  return fs_read_file("/proc/self/mountinfo", LIMIT_PROC_FILE, text, NULL, err);
}
