/* The "seccomp" object of `ocirun features`: what this runtime understands
 * (actions, operators, architectures, flags) and which flags this kernel accepts. */
#include <errno.h>
#include <jansson.h>
#include <unistd.h>

#include "linux/seccomp_internal.h"
#include "util/syscalls.h"

static const char *const feature_actions[] = {
    "SCMP_ACT_ALLOW",       "SCMP_ACT_ERRNO",
    "SCMP_ACT_KILL",        "SCMP_ACT_KILL_PROCESS",
    "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG",
    "SCMP_ACT_NOTIFY",      "SCMP_ACT_TRACE",
    "SCMP_ACT_TRAP",        NULL,
};
static const char *const feature_operators[] = {
    "SCMP_CMP_EQ", "SCMP_CMP_GE",        "SCMP_CMP_GT", "SCMP_CMP_LE",
    "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE", NULL,
};
static const char *const feature_archs[] = {
    "SCMP_ARCH_AARCH64",   "SCMP_ARCH_ARM",      "SCMP_ARCH_MIPS",     "SCMP_ARCH_MIPS64",
    "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",   "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
    "SCMP_ARCH_PARISC",    "SCMP_ARCH_PARISC64", "SCMP_ARCH_PPC",      "SCMP_ARCH_PPC64",
    "SCMP_ARCH_PPC64LE",   "SCMP_ARCH_RISCV64",  "SCMP_ARCH_S390",     "SCMP_ARCH_S390X",
    "SCMP_ARCH_X32",       "SCMP_ARCH_X86",      "SCMP_ARCH_X86_64",   NULL,
};
static const char *const feature_flags[] = {
    "SECCOMP_FILTER_FLAG_TSYNC",
    "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    NULL,
};

/* A filter flag the kernel knows fails with EFAULT on a NULL program, one it does not
 * know with EINVAL.  WAIT_KILLABLE_RECV is only valid together with NEW_LISTENER. */
static bool kernel_accepts(unsigned flag) {
  if (flag == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
    flag |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  return sys_seccomp(SECCOMP_SET_MODE_FILTER, flag, NULL) < 0 && errno == EFAULT;
}

static json_t *names(const char *const *items) {
  json_t *arr = json_array();
  for (size_t i = 0; arr && items[i]; i++)
    json_array_append_new(arr, json_string(items[i]));
  return arr;
}

json_t *seccomp_features_json(void) {
  json_t *supported = json_array();
  unsigned flag;

  for (size_t i = 0; supported && feature_flags[i]; i++)
    if (seccomp_flag_lookup(feature_flags[i], &flag) && kernel_accepts(flag))
      json_array_append_new(supported, json_string(feature_flags[i]));
  return json_pack("{s:b, s:o, s:o, s:o, s:o, s:o}", "enabled", 1, "actions",
                   names(feature_actions), "operators", names(feature_operators), "archs",
                   names(feature_archs), "knownFlags", names(feature_flags), "supportedFlags",
                   supported);
}
