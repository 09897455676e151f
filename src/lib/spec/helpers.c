/* Small lookups shared by the commands. */
#include <string.h>

#include "spec/parse.h"

/* The runtime-spec's names, in the order of enum spec_namespace_type. */
const char *const spec_namespace_names[SPEC_NS_COUNT + 1] = {
    [SPEC_NS_PID] = "pid",       [SPEC_NS_NETWORK] = "network", [SPEC_NS_MOUNT] = "mount",
    [SPEC_NS_IPC] = "ipc",       [SPEC_NS_UTS] = "uts",         [SPEC_NS_USER] = "user",
    [SPEC_NS_CGROUP] = "cgroup", [SPEC_NS_TIME] = "time",       [SPEC_NS_COUNT] = NULL,
};

const char *spec_namespace_name(enum spec_namespace_type type) {
  if ((unsigned)type >= SPEC_NS_COUNT)
    return "unknown";
  return spec_namespace_names[type];
}

int spec_namespace_from_name(const char *name, enum spec_namespace_type *out) {
  for (int i = 0; i < SPEC_NS_COUNT; i++) {
    if (strcmp(spec_namespace_names[i], name) == 0) {
      *out = (enum spec_namespace_type)i;
      return 0;
    }
  }
  return -1;
}

const struct spec_namespace *spec_find_namespace(const struct spec *spec,
                                                 enum spec_namespace_type type) {
  for (size_t i = 0; i < spec->linux_.namespaces_len; i++)
    if (spec->linux_.namespaces[i].type == type)
      return &spec->linux_.namespaces[i];
  return NULL;
}

const char *spec_annotation(const struct spec *spec, const char *key) {
  /* Duplicate keys were merged by the JSON parser, so the first match is the only one. */
  for (size_t i = 0; i < spec->annotations.len; i++)
    if (strcmp(spec->annotations.items[i].key, key) == 0)
      return spec->annotations.items[i].value;
  return NULL;
}
