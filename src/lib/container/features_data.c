/* What `features` claims.  Each list below is the single place to edit when a feature
 * lands: the output must stay honest, listing only what the runtime implements. */
#include "container/features.h"

#include <jansson.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "linux/seccomp_program.h"
#include "ocirun-config.h"
#include "util/names.h"

static const char *const features_oci_version_min = "1.0.0";

static const char *const features_hooks[] = {
    "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop", NULL,
};

/* Mount options recognised in config.json mounts[].options (filesystem-specific data
 * options are passed through and not listed, as the spec asks). */
static const char *const features_mount_options[] = {
    "acl",
    "async",
    "atime",
    "bind",
    "defaults",
    "dev",
    "diratime",
    "dirsync",
    "exec",
    "idmap",
    "iversion",
    "lazytime",
    "loud",
    "mand",
    "noacl",
    "noatime",
    "nodev",
    "nodiratime",
    "noexec",
    "noiversion",
    "nolazytime",
    "nomand",
    "norelatime",
    "nostrictatime",
    "nosuid",
    "nosymfollow",
    "private",
    "ratime",
    "rbind",
    "rdev",
    "rdiratime",
    "relatime",
    "remount",
    "rexec",
    "ridmap",
    "rnoatime",
    "rnodev",
    "rnodiratime",
    "rnoexec",
    "rnorelatime",
    "rnostrictatime",
    "rnosuid",
    "rnosymfollow",
    "ro",
    "rprivate",
    "rrelatime",
    "rro",
    "rrw",
    "rshared",
    "rslave",
    "rstrictatime",
    "rsuid",
    "rsymfollow",
    "runbindable",
    "rw",
    "shared",
    "silent",
    "slave",
    "strictatime",
    "suid",
    "symfollow",
    "sync",
    "tmpcopyup",
    "unbindable",
    NULL,
};

static const char *const features_namespaces[] = {
    "cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts", NULL,
};

/* Every capability of the kernel headers this runtime is built with (0 .. CAP_LAST_CAP). */
static const char *const features_capabilities[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
    NULL,
};

static const struct {
  const char *name;
  bool value;
} features_cgroup[] = {
    {"v1", true}, {"v2", true}, {"systemd", true}, {"systemdUser", false}, {"rdma", true},
};

/* Linux features that are a plain {"enabled": bool}. */
static const struct name_number features_linux_switches[] = {
    {"apparmor", true},
    {"selinux", true},
    {"netDevices", true},
};

static const bool features_idmap_mounts = true;

static json_t *string_array(const char *const *items) {
  json_t *arr = json_array();
  for (size_t i = 0; arr && items[i]; i++)
    if (json_array_append_new(arr, json_string(items[i])) < 0) {
      json_decref(arr);
      return NULL;
    }
  return arr;
}

static json_t *enabled_object(bool enabled) {
  return json_pack("{s:b}", "enabled", enabled);
}

static json_t *linux_features(void) {
  json_t *linux_obj = json_object(), *cg = json_object();
  int rc = 0;

  if (linux_obj == NULL || cg == NULL) {
    json_decref(linux_obj);
    json_decref(cg);
    return NULL;
  }
  rc |= json_object_set_new(linux_obj, "namespaces", string_array(features_namespaces));
  rc |= json_object_set_new(linux_obj, "capabilities", string_array(features_capabilities));
  for (size_t i = 0; i < sizeof(features_cgroup) / sizeof(features_cgroup[0]); i++)
    rc |= json_object_set_new(cg, features_cgroup[i].name, json_boolean(features_cgroup[i].value));
  rc |= json_object_set_new(linux_obj, "cgroup", cg);
  for (size_t i = 0; i < sizeof(features_linux_switches) / sizeof(features_linux_switches[0]); i++)
    rc |= json_object_set_new(linux_obj, features_linux_switches[i].name,
                              enabled_object(features_linux_switches[i].number != 0));
  /* schemata and enableMonitoring are applied too (runtime-spec 1.3). */
  rc |=
      json_object_set_new(linux_obj, "intelRdt",
                          json_pack("{s:b,s:b,s:b}", "enabled", 1, "schemata", 1, "monitoring", 1));
  rc |= json_object_set_new(linux_obj, "seccomp", seccomp_features_json());
  rc |= json_object_set_new(linux_obj, "mountExtensions",
                            json_pack("{s:o}", "idmap", enabled_object(features_idmap_mounts)));
  if (rc != 0) {
    json_decref(linux_obj);
    return NULL;
  }
  return linux_obj;
}

static json_t *annotations(const char *criu_version) {
  json_t *ann = json_object();
  const struct scmp_version *v = seccomp_version();
  char buf[64];

  if (ann == NULL)
    return NULL;
  /* The libseccomp linked into this binary, as runc reports it. */
  if (v) {
    snprintf(buf, sizeof(buf), "%u.%u.%u", v->major, v->minor, v->micro);
    if (json_object_set_new(ann, "io.github.seccomp.libseccomp.version", json_string(buf)) < 0) {
      json_decref(ann);
      return NULL;
    }
  }
  /* checkpoint/restore is built in (runc's key), and which criu it would use. */
  if (json_object_set_new(ann, "org.opencontainers.runc.checkpoint.enabled", json_string("true")) <
          0 ||
      json_object_set_new(ann, "org.ocirun.criu.version",
                          json_string(criu_version ? criu_version : "not found")) < 0) {
    json_decref(ann);
    return NULL;
  }
  return ann;
}

char *features_to_json(void) {
  return features_to_json_with_criu(NULL);
}

char *features_to_json_with_criu(const char *criu_version) {
  json_t *root = json_object();
  char *text = NULL, *out = NULL;
  int rc = 0;

  if (root == NULL)
    return NULL;
  rc |= json_object_set_new(root, "ociVersionMin", json_string(features_oci_version_min));
  rc |= json_object_set_new(root, "ociVersionMax", json_string(OCIRUN_SPEC_VERSION));
  rc |= json_object_set_new(root, "hooks", string_array(features_hooks));
  rc |= json_object_set_new(root, "mountOptions", string_array(features_mount_options));
  rc |= json_object_set_new(root, "linux", linux_features());
  rc |= json_object_set_new(root, "annotations", annotations(criu_version));
  if (rc == 0)
    text = json_dumps(root, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
  json_decref(root);
  if (text && asprintf(&out, "%s\n", text) < 0)
    out = NULL;
  free(text);
  return out;
}
