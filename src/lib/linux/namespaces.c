#include "linux/namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/proc_verify.h"
#include "util/cleanup.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* Local names: the spec helpers live elsewhere and messages need only these. */
static const char *const ns_names[SPEC_NS_COUNT] = {
    [SPEC_NS_PID] = "pid",       [SPEC_NS_NETWORK] = "network", [SPEC_NS_MOUNT] = "mount",
    [SPEC_NS_IPC] = "ipc",       [SPEC_NS_UTS] = "uts",         [SPEC_NS_USER] = "user",
    [SPEC_NS_CGROUP] = "cgroup", [SPEC_NS_TIME] = "time",
};

int namespace_clone_flag(enum spec_namespace_type type) {
  switch (type) {
  case SPEC_NS_PID:
    return CLONE_NEWPID;
  case SPEC_NS_NETWORK:
    return CLONE_NEWNET;
  case SPEC_NS_MOUNT:
    return CLONE_NEWNS;
  case SPEC_NS_IPC:
    return CLONE_NEWIPC;
  case SPEC_NS_UTS:
    return CLONE_NEWUTS;
  case SPEC_NS_USER:
    return CLONE_NEWUSER;
  case SPEC_NS_CGROUP:
    return CLONE_NEWCGROUP;
  case SPEC_NS_TIME:
    return CLONE_NEWTIME;
  default:
    return 0;
  }
}

static const char *type_name_of_flag(int flag) {
  for (int t = 0; t < SPEC_NS_COUNT; t++) {
    if (namespace_clone_flag((enum spec_namespace_type)t) == flag)
      return ns_names[t];
  }
  return "unknown";
}

static int check_type(const struct spec *spec, size_t i, ocirun_error_t **err) {
  enum spec_namespace_type t = spec->linux_.namespaces[i].type;
  if ((int)t < 0 || t >= SPEC_NS_COUNT)
    return ocirun_error_set(err, 0, ".linux.namespaces[%zu].type: unknown namespace type", i);
  for (size_t j = 0; j < i; j++) {
    if (spec->linux_.namespaces[j].type == t)
      return ocirun_error_set(err, 0, ".linux.namespaces[%zu].type: %s namespace is listed twice",
                              i, ns_names[t]);
  }
  return 0;
}

int namespaces_clone_flags(const struct spec *spec, unsigned long *flags, ocirun_error_t **err) {
  *flags = 0;
  for (size_t i = 0; i < spec->linux_.namespaces_len; i++) {
    const struct spec_namespace *ns = &spec->linux_.namespaces[i];
    if (check_type(spec, i, err) < 0)
      return -1;
    if (ns->path == NULL && ns->type != SPEC_NS_TIME)
      *flags |= (unsigned long)namespace_clone_flag(ns->type);
  }
  return 0;
}

void namespaces_close(int fds[SPEC_NS_COUNT]) {
  for (int i = 0; i < SPEC_NS_COUNT; i++) {
    if (fds[i] >= 0)
      close(fds[i]);
    fds[i] = -1;
  }
}

int namespaces_open_paths(const struct spec *spec, int fds[SPEC_NS_COUNT], ocirun_error_t **err) {
  for (int i = 0; i < SPEC_NS_COUNT; i++)
    fds[i] = -1;
  for (size_t i = 0; i < spec->linux_.namespaces_len; i++) {
    const struct spec_namespace *ns = &spec->linux_.namespaces[i];
    int fd, kind;
    if (check_type(spec, i, err) < 0)
      goto fail;
    if (ns->path == NULL)
      continue;
    fd = open(ns->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
      ocirun_error_set(err, errno, ".linux.namespaces[%zu].path: open %s", i, ns->path);
      goto fail;
    }
    fds[ns->type] = fd;
    kind = ioctl(fd, NS_GET_NSTYPE);
    if (kind < 0) {
      ocirun_error_set(err, errno == ENOTTY ? 0 : errno,
                       ".linux.namespaces[%zu].path: %s is not a namespace file", i, ns->path);
      goto fail;
    }
    if (kind != namespace_clone_flag(ns->type)) {
      ocirun_error_set(err, 0, ".linux.namespaces[%zu].path: %s is a %s namespace, not %s", i,
                       ns->path, type_name_of_flag(kind), ns_names[ns->type]);
      goto fail;
    }
  }
  return 0;
fail:
  namespaces_close(fds);
  return -1;
}

bool userns_owns(int userns_fd, int ns_fd) {
  _cleanup_close_ int owner = ioctl(ns_fd, NS_GET_USERNS);
  struct stat a, b;

  /* EPERM: the owner is outside our reach, so it is not the container's. */
  if (owner < 0)
    return false;
  return fstat(owner, &a) == 0 && fstat(userns_fd, &b) == 0 && a.st_ino == b.st_ino &&
         a.st_dev == b.st_dev;
}

static const enum spec_namespace_type join_order[] = {
    SPEC_NS_USER, SPEC_NS_IPC,    SPEC_NS_UTS,  SPEC_NS_NETWORK,
    SPEC_NS_PID,  SPEC_NS_CGROUP, SPEC_NS_TIME, SPEC_NS_MOUNT,
};

/* Whether the calling process is already in the namespace of fd. */
static bool is_current(enum spec_namespace_type t, int fd) {
  static const char *const files[SPEC_NS_COUNT] = {
      [SPEC_NS_PID] = "pid_for_children",
      [SPEC_NS_NETWORK] = "net",
      [SPEC_NS_MOUNT] = "mnt",
      [SPEC_NS_IPC] = "ipc",
      [SPEC_NS_UTS] = "uts",
      [SPEC_NS_USER] = "user",
      [SPEC_NS_CGROUP] = "cgroup",
      [SPEC_NS_TIME] = "time_for_children",
  };
  char path[64];
  struct stat a, b;

  snprintf(path, sizeof(path), "/proc/self/ns/%s", files[t]);
  return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

static int join_one(const int fds[SPEC_NS_COUNT], enum spec_namespace_type t,
                    ocirun_error_t **err) {
  /* Entering one's own user namespace again is refused (EINVAL), and so is
   * entering a namespace the joined user namespace does not own: skip both. */
  if (is_current(t, fds[t]))
    return 0;
  if (setns(fds[t], namespace_clone_flag(t)) < 0)
    return ocirun_error_set(err, errno, "join %s namespace", ns_names[t]);
  return 0;
}

/* Foreign: a namespace the joined user namespace does not own (never pid or time, which
 * the runtime enters for its children). */
static bool is_foreign(const bool has[SPEC_NS_COUNT], const bool owned[SPEC_NS_COUNT],
                       enum spec_namespace_type t) {
  return has[SPEC_NS_USER] && t != SPEC_NS_USER && t != SPEC_NS_PID && t != SPEC_NS_TIME &&
         has[t] && !owned[t];
}

size_t namespaces_join_plan(const bool has[SPEC_NS_COUNT], const bool owned[SPEC_NS_COUNT],
                            bool foreign_only, enum spec_namespace_type plan[SPEC_NS_COUNT]) {
  const size_t n_order = sizeof(join_order) / sizeof(join_order[0]);
  size_t n = 0;

  /* A namespace the joined user namespace does not own needs the privileges
   * we have only before joining it (runc's order too). */
  for (size_t i = 0; i < n_order; i++)
    if (is_foreign(has, owned, join_order[i]))
      plan[n++] = join_order[i];
  for (size_t i = 0; !foreign_only && i < n_order; i++)
    if (has[join_order[i]] && !is_foreign(has, owned, join_order[i]))
      plan[n++] = join_order[i];
  return n;
}

static int join_planned(const int fds[SPEC_NS_COUNT], bool foreign_only, ocirun_error_t **err) {
  bool has[SPEC_NS_COUNT] = {0}, owned[SPEC_NS_COUNT] = {0};
  enum spec_namespace_type plan[SPEC_NS_COUNT];
  size_t n;

  for (int t = 0; t < SPEC_NS_COUNT; t++)
    has[t] = fds[t] >= 0;
  /* Ownership is asked only of the namespaces it can matter for (an ioctl each). */
  for (int t = 0; has[SPEC_NS_USER] && t < SPEC_NS_COUNT; t++)
    if (has[t] && t != SPEC_NS_USER && t != SPEC_NS_PID && t != SPEC_NS_TIME)
      owned[t] = userns_owns(fds[SPEC_NS_USER], fds[t]);
  n = namespaces_join_plan(has, owned, foreign_only, plan);
  for (size_t i = 0; i < n; i++)
    if (join_one(fds, plan[i], err) < 0)
      return -1;
  return 0;
}

int namespaces_join_foreign(const int fds[SPEC_NS_COUNT], ocirun_error_t **err) {
  return join_planned(fds, true, err);
}

int namespaces_join(const int fds[SPEC_NS_COUNT], ocirun_error_t **err) {
  return join_planned(fds, false, err);
}

static const struct spec_namespace *find_ns(const struct spec *spec, enum spec_namespace_type t) {
  for (size_t i = 0; i < spec->linux_.namespaces_len; i++) {
    if (spec->linux_.namespaces[i].type == t)
      return &spec->linux_.namespaces[i];
  }
  return NULL;
}

int timens_set_offsets(const struct spec *spec, ocirun_error_t **err) {
  _cleanup_close_ int proc_fd = -1;
  char buf[256];
  size_t used = 0;

  if (spec->linux_.time_offsets_len == 0)
    return 0;
  for (size_t i = 0; i < spec->linux_.time_offsets_len; i++) {
    const struct spec_time_offset *o = &spec->linux_.time_offsets[i];
    const char *clock = o->clock ? o->clock : "";
    int n;
    if (strcmp(clock, "monotonic") != 0 && strcmp(clock, "boottime") != 0)
      return ocirun_error_set(
          err, 0, ".linux.timeOffsets.%s: unknown clock (monotonic or boottime)", clock);
    if (o->has_nanosecs && o->nanosecs >= 1000000000u)
      return ocirun_error_set(err, 0, ".linux.timeOffsets.%s.nanosecs: %u is not below 1e9", clock,
                              o->nanosecs);
    n = snprintf(buf + used, sizeof(buf) - used, "%s %lld %u\n", clock,
                 (long long)(o->has_secs ? o->secs : 0), o->has_nanosecs ? o->nanosecs : 0);
    if (n < 0 || (size_t)n >= sizeof(buf) - used)
      return ocirun_error_set(err, 0, ".linux.timeOffsets: too many entries");
    used += (size_t)n;
  }
  if (proc_open_safe("/proc", &proc_fd, err) < 0)
    return -1;
  /* One write: the kernel applies the lines together or not at all. */
  if (proc_write_at(proc_fd, "self/timens_offsets", buf, err) < 0)
    return ocirun_error_prefix(err, ".linux.timeOffsets");
  return 0;
}

int timens_enter(const struct spec *spec, ocirun_error_t **err) {
  const struct spec_namespace *ns = find_ns(spec, SPEC_NS_TIME);
  _cleanup_close_ int fd = -1;

  if (ns == NULL || ns->path != NULL)
    return 0;
  if (unshare(CLONE_NEWTIME) < 0)
    return ocirun_error_set(err, errno, "unshare time namespace");
  if (timens_set_offsets(spec, err) < 0)
    return -1;
  /* A magic link into nsfs: the checks of proc_verify do not apply, the
   * namespace type check below does. */
  fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return ocirun_error_set(err, errno, "open /proc/self/ns/time_for_children");
  if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWTIME)
    return ocirun_error_set(err, 0, "/proc/self/ns/time_for_children is not a time namespace");
  if (setns(fd, CLONE_NEWTIME) < 0)
    return ocirun_error_set(err, errno, "enter the new time namespace");
  return 0;
}

int namespaces_save_for_children(struct ns_for_children *saved, ocirun_error_t **err) {
  saved->pid_fd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
  if (saved->pid_fd < 0)
    return ocirun_error_set(err, errno, "open /proc/self/ns/pid");
  /* Kernels without time namespaces have no such file: nothing to restore then. */
  saved->time_fd = open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
  return 0;
}

int namespaces_restore_for_children(struct ns_for_children *saved, ocirun_error_t **err) {
  int r = 0;
  if (saved->pid_fd >= 0 && setns(saved->pid_fd, CLONE_NEWPID) < 0)
    r = ocirun_error_set(err, errno, "return to the runtime's pid namespace");
  if (r == 0 && saved->time_fd >= 0 && setns(saved->time_fd, CLONE_NEWTIME) < 0)
    r = ocirun_error_set(err, errno, "return to the runtime's time namespace");
  if (saved->pid_fd >= 0)
    close(saved->pid_fd);
  if (saved->time_fd >= 0)
    close(saved->time_fd);
  saved->pid_fd = saved->time_fd = -1;
  return r;
}
