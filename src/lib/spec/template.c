/* The starter config.json written by `ocirun spec`: runc's template, key for key, so
 * that scripts editing it with jq work the same. Like runc's, it is not fixed text: a pure
 * cgroup v2 host adds a cgroup namespace, so that the container sees its own cgroup as
 * the root of /sys/fs/cgroup and of /proc/self/cgroup. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <jansson.h>

#include "ocirun-config.h"
#include "spec/spec.h"
#include "util/cleanup.h"

static json_t *strings(const char *const *v) {
  json_t *a = json_array();
  for (; a && *v; v++)
    json_array_append_new(a, json_string(*v));
  return a;
}

static json_t *mount(const char *dest, const char *type, const char *src,
                     const char *const *options) {
  json_t *m = json_pack("{s:s, s:s, s:s}", "destination", dest, "type", type, "source", src);
  if (m && options)
    json_object_set_new(m, "options", strings(options));
  return m;
}

/* No ambient set (as current runc's template): ambient capabilities need the inheritable
 * set too, and raising them without it only produces a warning per start. */
static json_t *process(void) {
  static const char *const caps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL};
  static const char *const args[] = {"sh", NULL};
  static const char *const env[] = {
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", NULL};
  return json_pack("{s:b, s:{s:i, s:i}, s:o, s:o, s:s, s:{s:o, s:o, s:o}, "
                   "s:[{s:s, s:i, s:i}], s:b}",
                   "terminal", 1, "user", "uid", 0, "gid", 0, "args", strings(args), "env",
                   strings(env), "cwd", "/", "capabilities", "bounding", strings(caps), "effective",
                   strings(caps), "permitted", strings(caps), "rlimits", "type", "RLIMIT_NOFILE",
                   "hard", 1024, "soft", 1024, "noNewPrivileges", 1);
}

static json_t *mounts(bool rootless) {
  static const char *const dev[] = {"nosuid", "strictatime", "mode=755", "size=65536k", NULL};
  static const char *const devpts[] = {"nosuid",    "noexec", "newinstance", "ptmxmode=0666",
                                       "mode=0620", "gid=5",  NULL};
  static const char *const shm[] = {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL};
  static const char *const mqueue[] = {"nosuid", "noexec", "nodev", NULL};
  static const char *const sysfs[] = {"nosuid", "noexec", "nodev", "ro", NULL};
  static const char *const sysfs_bind[] = {"rbind", "nosuid", "noexec", "nodev", "ro", NULL};
  static const char *const cgroup[] = {"nosuid", "noexec", "nodev", "relatime", "ro", NULL};
  const char *devpts_rootless[7];

  /* Without privileges the tty group may not be mapped, and sysfs cannot be mounted
   * outside a new network namespace: bind the host's instead (as runc does). */
  memcpy(devpts_rootless, devpts, sizeof(devpts));
  devpts_rootless[5] = NULL;
  json_t *m = json_array();
  if (m == NULL)
    return NULL;
  json_array_append_new(m, mount("/proc", "proc", "proc", NULL));
  json_array_append_new(m, mount("/dev", "tmpfs", "tmpfs", dev));
  json_array_append_new(m,
                        mount("/dev/pts", "devpts", "devpts", rootless ? devpts_rootless : devpts));
  json_array_append_new(m, mount("/dev/shm", "tmpfs", "shm", shm));
  json_array_append_new(m, mount("/dev/mqueue", "mqueue", "mqueue", mqueue));
  if (rootless)
    json_array_append_new(m, mount("/sys", "none", "/sys", sysfs_bind));
  else
    json_array_append_new(m, mount("/sys", "sysfs", "sysfs", sysfs));
  json_array_append_new(m, mount("/sys/fs/cgroup", "cgroup", "cgroup", cgroup));
  return m;
}

static json_t *linux_section(bool rootless, const struct spec_template_host *host) {
  static const char *const masked[] = {"/proc/acpi",
                                       "/proc/asound",
                                       "/proc/kcore",
                                       "/proc/keys",
                                       "/proc/latency_stats",
                                       "/proc/timer_list",
                                       "/proc/timer_stats",
                                       "/proc/sched_debug",
                                       "/sys/firmware",
                                       "/proc/scsi",
                                       NULL};
  static const char *const readonly[] = {
      "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL};
  /* runc: pid, network, ipc, uts, mount, then cgroup on a v2 host; rootless drops the
   * network namespace and appends a user namespace last. */
  static const char *const ns_root[] = {"pid", "network", "ipc", "uts", "mount", NULL};
  static const char *const ns_rootless[] = {"pid", "ipc", "uts", "mount", NULL};
  json_t *l = json_object(), *ns = json_array();

  if (l == NULL || ns == NULL) {
    json_decref(l);
    json_decref(ns);
    return NULL;
  }
  if (rootless) {
    /* the caller's ids become root inside; no cgroup limits without delegation */
    json_object_set_new(l, "uidMappings",
                        json_pack("[{s:i, s:I, s:i}]", "containerID", 0, "hostID",
                                  (json_int_t)host->uid, "size", 1));
    json_object_set_new(l, "gidMappings",
                        json_pack("[{s:i, s:I, s:i}]", "containerID", 0, "hostID",
                                  (json_int_t)host->gid, "size", 1));
  } else {
    json_object_set_new(l, "resources",
                        json_pack("{s:[{s:b, s:s}]}", "devices", "allow", 0, "access", "rwm"));
  }
  for (const char *const *t = rootless ? ns_rootless : ns_root; *t; t++)
    json_array_append_new(ns, json_pack("{s:s}", "type", *t));
  if (host->cgroup2_unified)
    json_array_append_new(ns, json_pack("{s:s}", "type", "cgroup"));
  if (rootless)
    json_array_append_new(ns, json_pack("{s:s}", "type", "user"));
  json_object_set_new(l, "namespaces", ns);
  json_object_set_new(l, "maskedPaths", strings(masked));
  json_object_set_new(l, "readonlyPaths", strings(readonly));
  return l;
}

/* jansson indents with spaces; runc's file uses one tab per level. */
static char *tabs_for_indent(const char *text) {
  size_t n = strlen(text);
  char *out = malloc(n + 1), *o = out;
  bool line_start = true;
  if (out == NULL)
    return NULL;
  for (const char *p = text; *p; p++) {
    if (line_start && *p == ' ') {
      *o++ = '\t';
      continue;
    }
    line_start = *p == '\n';
    *o++ = *p;
  }
  *o = '\0';
  return out;
}

void spec_template_probe_host(struct spec_template_host *host) {
  struct statfs sfs;
  host->uid = geteuid();
  host->gid = getegid();
  /* runc's test, the magic of the filesystem at the cgroup root; a host without
   * /sys/fs/cgroup gets the v1 template, as from runc */
  host->cgroup2_unified = statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

int spec_template(bool rootless, const struct spec_template_host *host, char **out,
                  ocirun_error_t **err) {
  json_t *doc =
      json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}", "ociVersion", OCIRUN_SPEC_VERSION,
                "process", process(), "root", "path", "rootfs", "readonly", 1, "hostname", "ocirun",
                "mounts", mounts(rootless), "linux", linux_section(rootless, host));
  _cleanup_free_ char *text = NULL;

  if (doc == NULL)
    return ocirun_error_set(err, ENOMEM, "spec template");
  text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
  json_decref(doc);
  if (text == NULL || (*out = tabs_for_indent(text)) == NULL)
    return ocirun_error_set(err, ENOMEM, "spec template");
  return 0;
}

int spec_write_template(const char *bundle, bool rootless, ocirun_error_t **err) {
  _cleanup_free_ char *text = NULL;
  _cleanup_free_ char *path = NULL;
  _cleanup_close_ int fd = -1;
  struct spec_template_host host;
  size_t len, done = 0;

  spec_template_probe_host(&host);
  if (spec_template(rootless, &host, &text, err) < 0)
    return -1;
  if (asprintf(&path, "%s/config.json", bundle && bundle[0] ? bundle : ".") < 0)
    return ocirun_error_set(err, ENOMEM, "spec");
  /* O_EXCL: never overwrite a config someone edited (runc's wording below) */
  fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0 && errno == EEXIST)
    return ocirun_error_set(err, 0, "File %s exists. Remove it first", "config.json");
  if (fd < 0)
    return ocirun_error_set(err, errno, "open %s", path);
  len = strlen(text);
  while (done < len) {
    ssize_t n = write(fd, text + done, len - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return ocirun_error_set(err, errno, "write %s", path);
    done += (size_t)n;
  }
  return 0;
}
