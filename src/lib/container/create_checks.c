#include "container/create_checks.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "linux/intel_rdt.h"
#include "linux/lsm.h"
#include "linux/net_devices.h"
#include "linux/sysctl.h"

static int check_rootfs(const struct spec *spec, char **rootfs, ocirun_error_t **err) {
  char resolved[PATH_MAX];
  struct stat st;

  if (spec->root.path == NULL || spec->root.path[0] == '\0')
    return ocirun_error_set(err, 0, "config.json: .root.path: required");
  /* Relative to the bundle, which is the current directory. */
  if (realpath(spec->root.path, resolved) == NULL)
    return ocirun_error_set(err, errno, "rootfs (%s) does not exist", spec->root.path);
  if (stat(resolved, &st) < 0)
    return ocirun_error_set(err, errno, "stat rootfs %s", resolved);
  if (!S_ISDIR(st.st_mode))
    return ocirun_error_set(err, ENOTDIR, "rootfs (%s) is not a directory", resolved);
  *rootfs = strdup(resolved);
  return *rootfs ? 0 : ocirun_error_set(err, ENOMEM, "rootfs path");
}

static int check_namespaced_names(const struct spec *spec, ocirun_error_t **err) {
  const struct spec_namespace *uts = spec_find_namespace(spec, SPEC_NS_UTS);
  bool private_uts = uts != NULL;

  if (spec->hostname && spec->hostname[0] && !private_uts)
    return ocirun_error_set(err, 0,
                            "config.json: .hostname: unable to set hostname without a private "
                            "UTS namespace");
  if (spec->domainname && spec->domainname[0] && !private_uts)
    return ocirun_error_set(err, 0,
                            "config.json: .domainname: unable to set domainname without a "
                            "private UTS namespace");
  return 0;
}

int create_checks_run(const struct spec *spec, char **rootfs, ocirun_error_t **err) {
  if (!spec->process.present)
    return ocirun_error_set(err, 0, "config.json: .process: required to create a container");
  if (spec->process.args.len == 0)
    return ocirun_error_set(err, 0, "config.json: .process.args: must not be empty");
  if (spec_check_supported(spec, err) < 0)
    return -1;
  if (check_namespaced_names(spec, err) < 0)
    return -1;
  /* runc refuses a process label it could not apply; an AppArmor profile it
   * simply writes (the kernel refuses it when AppArmor is off). */
  if (spec->process.selinux_label && spec->process.selinux_label[0] && !selinux_enabled())
    return ocirun_error_set(err, 0,
                            "selinux label is specified in config, but selinux is disabled or "
                            "not supported");
  if (sysctl_validate(spec, err) < 0 || net_devices_validate(spec, err) < 0 ||
      intel_rdt_validate(&spec->linux_.intel_rdt, err) < 0)
    return -1;
  return check_rootfs(spec, rootfs, err);
}
