/* Device access rules: the full list (config rules, then runc's default devices) and its
 * form for the v1 devices controller.  As in runc, linux.devices get no rule of their
 * own: a node the config creates is usable only where linux.resources.devices (or the
 * defaults) allow it, so a config can create a node and still deny it. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup_internal.h"

/* What runc always allows: mknod of anything, the standard /dev nodes, ptys
 * and the tun device. */
static const struct spec_device_cgroup_rule default_rules[] = {
    {true, 'c', false, -1, false, -1, (char *)"m"},
    {true, 'b', false, -1, false, -1, (char *)"m"},
    {true, 'c', true, 1, true, 3, (char *)"rwm"},     /* /dev/null */
    {true, 'c', true, 1, true, 8, (char *)"rwm"},     /* /dev/random */
    {true, 'c', true, 1, true, 7, (char *)"rwm"},     /* /dev/full */
    {true, 'c', true, 5, true, 0, (char *)"rwm"},     /* /dev/tty */
    {true, 'c', true, 1, true, 5, (char *)"rwm"},     /* /dev/zero */
    {true, 'c', true, 1, true, 9, (char *)"rwm"},     /* /dev/urandom */
    {true, 'c', true, 136, false, -1, (char *)"rwm"}, /* /dev/pts/N */
    {true, 'c', true, 5, true, 2, (char *)"rwm"},     /* /dev/ptmx */
    {true, 'c', true, 10, true, 200, (char *)"rwm"},  /* /dev/net/tun */
};

int cgroup_device_rules(const struct spec_resources *res, struct spec_device_cgroup_rule **out,
                        size_t *n) {
  size_t ndef = sizeof(default_rules) / sizeof(default_rules[0]);
  size_t cap = res->devices_len + ndef + 1, k = 0;
  struct spec_device_cgroup_rule *v = calloc(cap, sizeof(*v));
  if (v == NULL)
    return -1;
  /* A config without device rules still gets a closed device cgroup: deny
   * everything, then the defaults below.  Otherwise a container holding
   * CAP_MKNOD could make and open any host disk. */
  if (res->devices_len == 0)
    v[k++] = (struct spec_device_cgroup_rule){false, 'a', false, -1, false, -1, (char *)"rwm"};
  for (size_t i = 0; i < res->devices_len; i++)
    v[k++] = res->devices[i];
  for (size_t i = 0; i < ndef; i++)
    v[k++] = default_rules[i];
  *out = v;
  *n = k;
  return 0;
}

static bool is_wildcard(const struct spec_device_cgroup_rule *r) {
  const char *a = r->access ? r->access : "rwm";
  return r->type == 'a' && strchr(a, 'r') && strchr(a, 'w') && strchr(a, 'm');
}

static void rule_string(const struct spec_device_cgroup_rule *r, char *buf, size_t len) {
  char maj[24] = "*", min[24] = "*";
  if (r->type == 'a') {
    snprintf(buf, len, "a");
    return;
  }
  if (r->has_major && r->major >= 0)
    snprintf(maj, sizeof(maj), "%" PRId64, r->major);
  if (r->has_minor && r->minor >= 0)
    snprintf(min, sizeof(min), "%" PRId64, r->minor);
  snprintf(buf, len, "%c %s:%s %s", r->type, maj, min, r->access ? r->access : "rwm");
}

/* devices.allow and devices.deny, each opened once for all its rules (one write per rule:
 * the kernel parses each write on its own). */
struct rule_files {
  const char *dir;
  int fd[2]; /* [0] devices.deny, [1] devices.allow */
};

static int write_rule(struct rule_files *f, bool allow, const char *line, ocirun_error_t **err) {
  const char *file = allow ? "devices.allow" : "devices.deny";
  size_t len = strlen(line);
  ssize_t n;

  if (f->fd[allow] < 0) {
    char *path = cg_join(f->dir, file);
    if (path == NULL)
      return ocirun_error_set(err, ENOMEM, "write %s", file);
    f->fd[allow] = open(path, O_WRONLY | O_CLOEXEC);
    int saved = errno;
    free(path);
    if (f->fd[allow] < 0)
      return ocirun_error_set(err, saved, ".linux.resources.devices: write %s to %s/%s", line,
                              f->dir, file);
  }
  do
    n = write(f->fd[allow], line, len);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return ocirun_error_set(err, errno, ".linux.resources.devices: write %s to %s/%s", line, f->dir,
                            file);
  if ((size_t)n != len)
    return ocirun_error_set(err, EIO, ".linux.resources.devices: write %s to %s/%s: short write",
                            line, f->dir, file);
  return 0;
}

int cgroup_devices_v1_apply(const char *dir, const struct spec_device_cgroup_rule *rules, size_t n,
                            ocirun_error_t **err) {
  struct rule_files f = {.dir = dir, .fd = {-1, -1}};
  size_t start = 0;
  bool deny_all = false;
  int r = 0;

  /* Rules before the last "all devices" rule are overridden by it. */
  for (size_t i = 0; i < n; i++)
    if (is_wildcard(&rules[i])) {
      start = i + 1;
      deny_all = !rules[i].allow;
    }
  r = write_rule(&f, !deny_all, "a", err);
  for (size_t i = start; r == 0 && i < n; i++) {
    char line[96];
    rule_string(&rules[i], line, sizeof(line));
    r = write_rule(&f, rules[i].allow, line, err);
  }
  for (int i = 0; i < 2; i++)
    if (f.fd[i] >= 0)
      close(f.fd[i]);
  return r;
}
