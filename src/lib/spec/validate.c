/* Rules that link fields of config.json, checked once everything is read.  These are
 * the static checks of runc's libcontainer/configs/validate: the ones that need no
 * look at the host (kernel features, existing paths) and so belong to the parser. */
#include <stdio.h>
#include <string.h>

#include "spec/parse.h"

static bool has_ns(const struct spec *s, enum spec_namespace_type t) {
  return spec_find_namespace(s, t) != NULL;
}

/* Fail at `path`, written out: these rules are checked from the top of the document. */
static int fail_at(struct pctx *c, const char *path, const char *msg) {
  snprintf(c->path, sizeof(c->path), "%s", path);
  c->path_len = strlen(c->path);
  pctx_fail(c, "%s", msg);
  pctx_pop(c, 0);
  return -1;
}

/* ipc sysctls that the kernel keeps per ipc namespace */
static bool is_ipc_sysctl(const char *key) {
  static const char *const names[] = {"kernel.msgmax", "kernel.msgmnb",          "kernel.msgmni",
                                      "kernel.sem",    "kernel.shmall",          "kernel.shmmax",
                                      "kernel.shmmni", "kernel.shm_rmid_forced", NULL};
  for (int i = 0; names[i]; i++)
    if (strcmp(key, names[i]) == 0)
      return true;
  return strncmp(key, "fs.mqueue.", 10) == 0;
}

static int validate_sysctl(struct pctx *c, const struct spec *s) {
  for (size_t i = 0; i < s->linux_.sysctl.len; i++) {
    const char *key = s->linux_.sysctl.items[i].key;
    bool ok;
    const char *need;
    if (is_ipc_sysctl(key)) {
      ok = has_ns(s, SPEC_NS_IPC);
      need = "requires a new or joined ipc namespace";
    } else if (strncmp(key, "net.", 4) == 0) {
      ok = has_ns(s, SPEC_NS_NETWORK);
      need = "requires a new or joined network namespace";
    } else if (strcmp(key, "kernel.hostname") == 0 || strcmp(key, "kernel.domainname") == 0) {
      ok = has_ns(s, SPEC_NS_UTS);
      need = "requires a new or joined uts namespace";
    } else {
      ok = false;
      need = "is not in a separate kernel namespace";
    }
    if (!ok) {
      size_t saved = c->path_len;
      pctx_push_key(c, "linux");
      pctx_push_key(c, "sysctl");
      pctx_push_key(c, key);
      pctx_fail(c, "sysctl %s", need);
      pctx_pop(c, saved);
      return -1;
    }
  }
  return 0;
}

int spec_validate(struct pctx *c, const struct spec *s) {
  const struct spec_linux *l = &s->linux_;
  bool has_maps = l->uid_mappings != NULL || l->gid_mappings != NULL;
  const struct spec_namespace *userns = spec_find_namespace(s, SPEC_NS_USER);

  pctx_pop(c, 0);
  if (s->hostname && s->hostname[0] && !has_ns(s, SPEC_NS_UTS))
    return fail_at(c, ".hostname", "unable to set hostname without a private UTS namespace");
  if (s->domainname && s->domainname[0] && !has_ns(s, SPEC_NS_UTS))
    return fail_at(c, ".domainname", "unable to set domainname without a private UTS namespace");
  if (userns && userns->path == NULL && !has_maps)
    return fail_at(c, ".linux.namespaces",
                   "user namespace enabled, but no uidMappings or gidMappings to apply");
  if (!userns && has_maps)
    return fail_at(c, l->uid_mappings ? ".linux.uidMappings" : ".linux.gidMappings",
                   "user namespace mappings specified, but no user namespace in the config");
  if (l->time_offsets_len > 0 && !has_ns(s, SPEC_NS_TIME))
    return fail_at(c, ".linux.timeOffsets",
                   "time offsets specified, but no time namespace in the config");
  return validate_sysctl(c, s);
}
