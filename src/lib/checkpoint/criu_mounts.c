/* What CRIU cannot know by itself about a container's mounts and namespaces.
 * A bind mount's source lives outside the container: CRIU records it as an
 * external mount under a key (its destination) at dump, and at restore binds the
 * host path given for that key.  Devices made by bind (in a user namespace) and
 * masked files (the host's /dev/null) are such binds too.  A network or pid
 * namespace joined by path is external likewise: recorded by inode under a key,
 * handed back as an open fd at restore. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checkpoint/criu_internal.h"
#include "linux/path_resolve.h"
#include "util/cleanup.h"

/* The default device nodes every container gets (linux/devices.c). */
static const char *const default_device_paths[] = {"/dev/null",   "/dev/zero",    "/dev/full",
                                                   "/dev/random", "/dev/urandom", "/dev/tty"};

bool criu_mount_is_bind(const struct spec_mount *m) {
  if (m->type && strcmp(m->type, "bind") == 0)
    return true;
  for (size_t i = 0; i < m->options.len; i++)
    if (strcmp(m->options.items[i], "bind") == 0 || strcmp(m->options.items[i], "rbind") == 0)
      return true;
  return false;
}

/* The destination as CRIU sees it: symlinks inside the rootfs followed (a bind
 * onto /conf -> /real/conf is mounted at /real/conf), cleaned otherwise. */
static void mount_key(const char *rootfs, const char *dest, char *out, size_t size) {
  _cleanup_close_ int root = -1, fd = -1;
  char link[32], real[PATH_MAX];
  size_t rl = rootfs ? strlen(rootfs) : 0;
  ssize_t n;

  if (path_clean(dest, out, size) < 0)
    snprintf(out, size, "%s", dest);
  if (rootfs == NULL || (root = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
    return;
  fd = path_open_in_root(root, dest, PATH_CREATE_NONE, false);
  if (fd < 0)
    return;
  n = readlink(path_proc_fd(link, fd), real, sizeof(real) - 1);
  if (n <= 0)
    return;
  real[n] = '\0';
  while (rl > 1 && rootfs[rl - 1] == '/')
    rl--;
  if (strncmp(real, rootfs, rl) == 0 && (real[rl] == '/' || real[rl] == '\0'))
    snprintf(out, size, "%s", real[rl] ? real + rl : "/");
}

static int add_devices(CriuOpts *o, const struct spec *spec) {
  for (size_t i = 0; i < sizeof(default_device_paths) / sizeof(default_device_paths[0]); i++)
    if (criu_opts_add_ext_mount(o, default_device_paths[i], default_device_paths[i]) < 0)
      return -1;
  for (size_t i = 0; i < spec->linux_.devices_len; i++) {
    const char *p = spec->linux_.devices[i].path;
    if (p && criu_opts_add_ext_mount(o, p, p) < 0)
      return -1;
  }
  return 0;
}

int criu_mounts_for_dump(CriuOpts *o, const struct spec *spec,
                         bool (*masked_file)(void *arg, const char *path), void *arg) {
  char key[PATH_MAX];

  for (size_t i = 0; i < spec->mounts_len; i++) {
    const struct spec_mount *m = &spec->mounts[i];
    if (!criu_mount_is_bind(m) || m->destination == NULL)
      continue;
    mount_key(o->root, m->destination, key, sizeof(key));
    if (criu_opts_add_ext_mount(o, key, key) < 0)
      return -1;
  }
  for (size_t i = 0; i < spec->linux_.masked_paths.len; i++) {
    const char *p = spec->linux_.masked_paths.items[i];
    if (masked_file(arg, p) && criu_opts_add_ext_mount(o, p, "/dev/null") < 0)
      return -1;
  }
  return add_devices(o, spec);
}

int criu_mounts_for_restore(CriuOpts *o, const struct spec *spec) {
  char key[PATH_MAX], cwd[PATH_MAX];

  if (getcwd(cwd, sizeof(cwd)) == NULL)
    return -1;
  for (size_t i = 0; i < spec->mounts_len; i++) {
    const struct spec_mount *m = &spec->mounts[i];
    _cleanup_free_ char *src = NULL;
    if (!criu_mount_is_bind(m) || m->destination == NULL || m->source == NULL)
      continue;
    mount_key(o->root, m->destination, key, sizeof(key));
    /* A relative source is relative to the bundle, our working directory. */
    if (m->source[0] == '/')
      src = strdup(m->source);
    else if (asprintf(&src, "%s/%s", cwd, m->source) < 0)
      src = NULL;
    if (src == NULL || criu_opts_add_ext_mount(o, key, src) < 0)
      return -1;
  }
  if (spec->linux_.masked_paths.len && criu_opts_add_ext_mount(o, "/dev/null", "/dev/null") < 0)
    return -1;
  return add_devices(o, spec);
}

struct ext_ns {
  enum spec_namespace_type type;
  const char *name;
  const char *key;
  int min_version;
};

static const struct ext_ns ext_namespaces[] = {
    {SPEC_NS_NETWORK, "net", "extRootNetNS", CRIU_EXT_NET_NS_VERSION},
    {SPEC_NS_PID, "pid", "extRootPidNS", CRIU_EXT_PID_NS_VERSION},
};

int criu_external_ns_for_dump(CriuOpts *o, const struct spec *spec, int version,
                              ocirun_error_t **err) {
  for (size_t i = 0; i < sizeof(ext_namespaces) / sizeof(ext_namespaces[0]); i++) {
    const struct ext_ns *e = &ext_namespaces[i];
    const struct spec_namespace *ns = spec_find_namespace(spec, e->type);
    struct stat st;
    char value[128];
    if (ns == NULL || ns->path == NULL || version < e->min_version)
      continue;
    if (stat(ns->path, &st) < 0)
      return ocirun_error_set(err, errno, "stat %s namespace %s", e->name, ns->path);
    snprintf(value, sizeof(value), "%s[%llu]:%s", e->name, (unsigned long long)st.st_ino, e->key);
    if (criu_opts_add_external(o, value) < 0)
      return ocirun_error_set(err, ENOMEM, "criu request");
  }
  return 0;
}

int criu_external_ns_for_restore(CriuOpts *o, const struct spec *spec, int version, int **fds,
                                 size_t *n, ocirun_error_t **err) {
  for (size_t i = 0; i < sizeof(ext_namespaces) / sizeof(ext_namespaces[0]); i++) {
    const struct ext_ns *e = &ext_namespaces[i];
    const struct spec_namespace *ns = spec_find_namespace(spec, e->type);
    int fd, *grown;
    if (ns == NULL || ns->path == NULL || version < e->min_version)
      continue;
    fd = open(ns->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      return ocirun_error_set(err, errno, "requested %s namespace %s does not exist", e->name,
                              ns->path);
    grown = realloc(*fds, (*n + 1) * sizeof(int));
    if (grown == NULL) {
      close(fd);
      return ocirun_error_set(err, ENOMEM, "criu request");
    }
    *fds = grown;
    (*fds)[*n] = fd;
    /* CRIU's fds 0-2 are stdio and 3 the RPC socket: extras start at 4. */
    if (criu_opts_add_inherit_fd(o, e->key, 4 + (int)*n) < 0)
      return ocirun_error_set(err, ENOMEM, "criu request");
    (*n)++;
  }
  return 0;
}
