/* Fields that are parsed but not applied by this build.  A container must not start
 * silently without something its config asks for, so create refuses them.  Remove an
 * entry when the feature lands. */
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "spec/parse.h"

/* Each finder returns -1 when the field is not set, else the array index where it is
 * set (0 for a plain field). */
typedef ssize_t (*find_fn)(const struct spec *s);

static ssize_t mount_uid_mappings(const struct spec *s) {
  for (size_t i = 0; i < s->mounts_len; i++)
    if (s->mounts[i].uid_mappings_len > 0)
      return (ssize_t)i;
  return -1;
}
static ssize_t mount_gid_mappings(const struct spec *s) {
  for (size_t i = 0; i < s->mounts_len; i++)
    if (s->mounts[i].gid_mappings_len > 0)
      return (ssize_t)i;
  return -1;
}
static ssize_t user_namespace(const struct spec *s) {
  for (size_t i = 0; i < s->linux_.namespaces_len; i++)
    if (s->linux_.namespaces[i].type == SPEC_NS_USER)
      return (ssize_t)i;
  return -1;
}
static ssize_t uid_mappings(const struct spec *s) {
  return s->linux_.uid_mappings_len > 0 ? 0 : -1;
}
static ssize_t gid_mappings(const struct spec *s) {
  return s->linux_.gid_mappings_len > 0 ? 0 : -1;
}
enum reason { NO_REASON, NO_USERNS };

static const struct {
  const char *path;   /* for arrays: the array's path, index appended */
  const char *suffix; /* for arrays: the member after the index; NULL for plain fields */
  find_fn find;
  enum reason reason;
} unsupported[] = {
    {".mounts", ".uidMappings", mount_uid_mappings, NO_REASON},
    {".mounts", ".gidMappings", mount_gid_mappings, NO_REASON},
    {".linux.namespaces", "", user_namespace, NO_USERNS},
    {".linux.uidMappings", NULL, uid_mappings, NO_USERNS},
    {".linux.gidMappings", NULL, gid_mappings, NO_USERNS},
};

static const char *reason_text(enum reason r) {
  switch (r) {
  case NO_USERNS:
    return " (user namespaces are not supported yet)";
  case NO_REASON:
    break;
  }
  return "";
}

int spec_check_supported(const struct spec *spec, ocirun_error_t **err) {
  for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
    ssize_t at = unsupported[i].find(spec);
    if (at < 0)
      continue;
    if (unsupported[i].suffix)
      return ocirun_error_set(err, 0, "not supported: %s[%zd]%s%s", unsupported[i].path, at,
                              unsupported[i].suffix, reason_text(unsupported[i].reason));
    return ocirun_error_set(err, 0, "not supported: %s%s", unsupported[i].path,
                            reason_text(unsupported[i].reason));
  }
  return 0;
}
