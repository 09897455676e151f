/* .linux.seccomp: the filter as written.  Names are checked here for form only (an
 * action must be one the spec defines, an architecture looks like SCMP_ARCH_*); what
 * libseccomp and the kernel support is checked when the filter is built. */
#include <string.h>

#include "spec/parse.h"

static const char *const seccomp_actions[] = {"SCMP_ACT_KILL",        "SCMP_ACT_KILL_PROCESS",
                                              "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
                                              "SCMP_ACT_ERRNO",       "SCMP_ACT_TRACE",
                                              "SCMP_ACT_ALLOW",       "SCMP_ACT_LOG",
                                              "SCMP_ACT_NOTIFY",      NULL};
static const char *const seccomp_ops[] = {"SCMP_CMP_NE",        "SCMP_CMP_LT", "SCMP_CMP_LE",
                                          "SCMP_CMP_EQ",        "SCMP_CMP_GE", "SCMP_CMP_GT",
                                          "SCMP_CMP_MASKED_EQ", NULL};

static bool has_upper_suffix(const char *s, const char *prefix) {
  size_t n = strlen(prefix);
  if (strncmp(s, prefix, n) != 0 || s[n] == '\0')
    return false;
  return strspn(s + n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(s + n);
}

static bool is_arch_name(const char *s) {
  return has_upper_suffix(s, "SCMP_ARCH_");
}

static bool is_flag_name(const char *s) {
  return has_upper_suffix(s, "SECCOMP_FILTER_FLAG_");
}

static int need_action(struct pctx *c, json_t *obj, const char *key, char **out) {
  int idx, r = get_enum(c, obj, key, seccomp_actions, "a seccomp action (SCMP_ACT_...)", &idx);
  if (r == 0)
    return pctx_fail_key(c, key, "required");
  if (r < 0)
    return -1;
  *out = strdup(seccomp_actions[idx]);
  return *out ? 0 : pctx_fail(c, "out of memory");
}

static int parse_arg(struct pctx *c, json_t *obj, void *items, size_t i) {
  struct spec_seccomp_arg *out = (struct spec_seccomp_arg *)items + i;
  int idx;
  if (value_object(c, obj) < 0 || need_u32(c, obj, "index", &out->index) < 0 ||
      need_u64(c, obj, "value", &out->value) < 0)
    return -1;
  GET_OPT(get_u64, obj, "valueTwo", out, value_two);
  if (need_enum(c, obj, "op", seccomp_ops, "a seccomp operator (SCMP_CMP_...)", &idx) < 0)
    return -1;
  out->op = strdup(seccomp_ops[idx]);
  return out->op ? 0 : pctx_fail(c, "out of memory");
}

static int parse_syscall(struct pctx *c, json_t *obj, void *items, size_t i) {
  struct spec_seccomp_syscall *out = (struct spec_seccomp_syscall *)items + i;
  int r;
  if (value_object(c, obj) < 0)
    return -1;
  if ((r = get_strv(c, obj, "names", &out->names)) < 0)
    return -1;
  if (r == 0)
    return pctx_fail_key(c, "names", "required");
  if (need_action(c, obj, "action", &out->action) < 0)
    return -1;
  GET_OPT(get_u32, obj, "errnoRet", out, errno_ret);
  out->args = parse_array_items(c, obj, "args", sizeof(*out->args), &out->args_len, parse_arg, &r);
  return r < 0 ? -1 : 0;
}

int parse_seccomp(struct pctx *c, json_t *obj, struct spec_seccomp *out) {
  int r;
  out->present = true;
  if (need_action(c, obj, "defaultAction", &out->default_action) < 0)
    return -1;
  GET_OPT(get_u32, obj, "defaultErrnoRet", out, default_errno_ret);
  if (get_checked_strv(c, obj, "architectures", is_arch_name, "an architecture (SCMP_ARCH_...)",
                       &out->architectures) < 0 ||
      get_checked_strv(c, obj, "flags", is_flag_name, "a filter flag (SECCOMP_FILTER_FLAG_...)",
                       &out->flags) < 0 ||
      get_string(c, obj, "listenerPath", &out->listener_path) < 0 ||
      get_string(c, obj, "listenerMetadata", &out->listener_metadata) < 0)
    return -1;
  out->syscalls = parse_array_items(c, obj, "syscalls", sizeof(*out->syscalls), &out->syscalls_len,
                                    parse_syscall, &r);
  return r < 0 ? -1 : 0;
}
