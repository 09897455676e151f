#include "util/user_spec.h"

#include <ctype.h>
#include <string.h>

/* Parses [begin, end) as a decimal id; returns false when it is not one. */
static bool parse_id(const char *begin, const char *end, uint32_t *out) {
  uint64_t v = 0;
  if (begin == end)
    return false;
  for (const char *p = begin; p < end; p++) {
    if (*p < '0' || *p > '9')
      return false;
    v = v * 10 + (uint64_t)(*p - '0');
    if (v > UINT32_MAX - 1)
      return false;
  }
  *out = (uint32_t)v;
  return true;
}

static bool looks_like_name(const char *begin, const char *end) {
  return begin < end && (isalpha((unsigned char)*begin) || *begin == '_');
}

static int id_error(const char *what, const char *begin, const char *end, const char *whole,
                    ocirun_error_t **err) {
  if (looks_like_name(begin, end))
    return ocirun_error_set(err, 0,
                            "invalid user \"%s\": %s names are not supported, use a numeric %s",
                            whole, what, what[0] == 'u' ? "uid" : "gid");
  return ocirun_error_set(err, 0,
                          "invalid user \"%s\": %s must be a decimal number from 0 to 4294967294",
                          whole, what[0] == 'u' ? "uid" : "gid");
}

int user_spec_parse(const char *s, uint32_t *uid, uint32_t *gid, bool *has_gid,
                    ocirun_error_t **err) {
  const char *colon, *end;

  if (s == NULL || *s == '\0')
    return ocirun_error_set(err, 0, "invalid user \"\": expected UID[:GID]");
  end = s + strlen(s);
  colon = strchr(s, ':');
  if (colon != NULL && strchr(colon + 1, ':') != NULL)
    return ocirun_error_set(err, 0, "invalid user \"%s\": expected UID[:GID]", s);
  if (!parse_id(s, colon ? colon : end, uid))
    return id_error("user", s, colon ? colon : end, s, err);
  *has_gid = colon != NULL;
  if (colon != NULL && !parse_id(colon + 1, end, gid))
    return id_error("group", colon + 1, end, s, err);
  if (colon == NULL)
    *gid = 0;
  return 0;
}
