#include "linux/sysctl.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "linux/proc_verify.h"

static const char *const ipc_keys[] = {
    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
    "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
};

static bool is_ipc_key(const char *dotted) {
  if (strncmp(dotted, "fs.mqueue.", 10) == 0)
    return true;
  for (size_t i = 0; i < sizeof(ipc_keys) / sizeof(ipc_keys[0]); i++) {
    if (strcmp(dotted, ipc_keys[i]) == 0)
      return true;
  }
  return false;
}

int sysctl_key_path(const char *key, char *buf, size_t size, ocirun_error_t **err) {
  bool slashes = strchr(key, '/') != NULL;
  size_t len = strlen(key);
  const char *comp;

  if (len == 0)
    return ocirun_error_set(err, 0, ".linux.sysctl[\"\"]: empty sysctl name");
  if (len >= size)
    return ocirun_error_set(err, 0, ".linux.sysctl[\"%s\"]: sysctl name too long", key);
  for (size_t i = 0; i <= len; i++)
    buf[i] = (!slashes && key[i] == '.') ? '/' : key[i];
  /* Every component must be a plain name: no "", "." or ".." that could leave /proc/sys. */
  comp = buf;
  for (;;) {
    const char *end = strchrnul(comp, '/');
    size_t n = (size_t)(end - comp);
    if (n == 0 || (n == 1 && comp[0] == '.') || (n == 2 && comp[0] == '.' && comp[1] == '.'))
      return ocirun_error_set(err, 0, ".linux.sysctl[\"%s\"]: invalid sysctl name", key);
    if (*end == '\0')
      break;
    comp = end + 1;
  }
  return 0;
}

static bool has_ns(const struct spec *spec, enum spec_namespace_type t,
                   const struct spec_namespace **ns) {
  for (size_t i = 0; i < spec->linux_.namespaces_len; i++) {
    if (spec->linux_.namespaces[i].type == t) {
      if (ns)
        *ns = &spec->linux_.namespaces[i];
      return true;
    }
  }
  return false;
}

/* A joined network namespace may be the runtime's own: compare inodes. */
static int is_host_netns(const char *path, bool *host, const char *key, ocirun_error_t **err) {
  struct stat a, b;
  if (stat(path, &a) < 0)
    return ocirun_error_set(err, errno, ".linux.sysctl[\"%s\"]: stat network namespace %s", key,
                            path);
  if (stat("/proc/self/ns/net", &b) < 0)
    return ocirun_error_set(err, errno, "stat /proc/self/ns/net");
  *host = a.st_dev == b.st_dev && a.st_ino == b.st_ino;
  return 0;
}

/* A namespaced key in a container that shares that namespace with the runtime. */
static int needs_namespace(const char *key, const char *which, ocirun_error_t **err) {
  return ocirun_error_set(err, 0,
                          ".linux.sysctl[\"%s\"]: sysctl needs %s namespace, the container "
                          "shares the runtime's",
                          key, which);
}

static int validate_key(const struct spec *spec, const char *key, ocirun_error_t **err) {
  char path[4096], dotted[4096];
  const struct spec_namespace *ns = NULL;

  if (sysctl_key_path(key, path, sizeof(path), err) < 0)
    return -1;
  /* Classify on the dotted form whatever separator the config used. */
  for (size_t i = 0;; i++) {
    dotted[i] = path[i] == '/' ? '.' : path[i];
    if (path[i] == '\0')
      break;
  }
  if (is_ipc_key(dotted))
    return has_ns(spec, SPEC_NS_IPC, NULL) ? 0 : needs_namespace(key, "an ipc", err);
  if (strncmp(dotted, "net.", 4) == 0) {
    bool host = true;
    if (has_ns(spec, SPEC_NS_NETWORK, &ns)) {
      host = false;
      if (ns->path != NULL && is_host_netns(ns->path, &host, key, err) < 0)
        return -1;
    }
    return host ? needs_namespace(key, "a network", err) : 0;
  }
  if (strcmp(dotted, "kernel.hostname") == 0)
    return ocirun_error_set(err, 0,
                            ".linux.sysctl[\"%s\"]: not allowed, it conflicts with the "
                            "\"hostname\" field",
                            key);
  if (strcmp(dotted, "kernel.domainname") == 0)
    return has_ns(spec, SPEC_NS_UTS, NULL) ? 0 : needs_namespace(key, "a uts", err);
  return ocirun_error_set(err, 0,
                          ".linux.sysctl[\"%s\"]: sysctl is not namespaced and cannot be set in "
                          "a container",
                          key);
}

int sysctl_validate(const struct spec *spec, ocirun_error_t **err) {
  const struct spec_kv_list *l = &spec->linux_.sysctl;
  for (size_t i = 0; i < l->len; i++) {
    if (l->items[i].key == NULL || l->items[i].value == NULL)
      return ocirun_error_set(err, 0, ".linux.sysctl: entry %zu has no name or value", i);
    if (validate_key(spec, l->items[i].key, err) < 0)
      return -1;
  }
  return 0;
}

int sysctl_apply(const struct spec *spec, int proc_sys_fd, ocirun_error_t **err) {
  const struct spec_kv_list *l = &spec->linux_.sysctl;
  for (size_t i = 0; i < l->len; i++) {
    char path[4096];
    if (sysctl_key_path(l->items[i].key, path, sizeof(path), err) < 0)
      return -1;
    if (proc_write_at(proc_sys_fd, path, l->items[i].value, err) < 0)
      return ocirun_error_prefix(err, ".linux.sysctl[\"%s\"]", l->items[i].key);
  }
  return 0;
}
