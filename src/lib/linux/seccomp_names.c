/* The names of linux.seccomp (actions, operators, architectures, flags) mapped to
 * libseccomp and kernel values, and the validation of a whole section, so that every
 * mistake is reported with its JSON path before anything is compiled or started. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "linux/seccomp_internal.h"
#include "util/names.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* bool fn(const char *name, type *out): the number of name in table. */
#define LOOKUP_FUNCTION(fn, table, type)                                                           \
  bool fn(const char *name, type *out) {                                                           \
    long long n;                                                                                   \
    if (!NAMES_LOOKUP(table, name, &n))                                                            \
      return false;                                                                                \
    *out = (type)n;                                                                                \
    return true;                                                                                   \
  }

/* errnoRet is the 16-bit data of SECCOMP_RET_ERRNO / SECCOMP_RET_TRACE. */
#define SECCOMP_RET_DATA_MAX 0xffffu

bool seccomp_action_lookup(const char *name, bool has_errno, uint32_t errno_ret, uint32_t *action) {
  /* ERRNO and TRACE without errnoRet return EPERM, as runc does. */
  uint32_t data = has_errno ? errno_ret : EPERM;

  if (name == NULL)
    return false;
  if (strcmp(name, "SCMP_ACT_KILL") == 0)
    *action = SCMP_ACT_KILL;
  else if (strcmp(name, "SCMP_ACT_KILL_THREAD") == 0)
    *action = SCMP_ACT_KILL_THREAD;
  else if (strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0)
    *action = SCMP_ACT_KILL_PROCESS;
  else if (strcmp(name, "SCMP_ACT_TRAP") == 0)
    *action = SCMP_ACT_TRAP;
  else if (strcmp(name, "SCMP_ACT_ERRNO") == 0)
    *action = SCMP_ACT_ERRNO(data);
  else if (strcmp(name, "SCMP_ACT_TRACE") == 0)
    *action = SCMP_ACT_TRACE(data);
  else if (strcmp(name, "SCMP_ACT_ALLOW") == 0)
    *action = SCMP_ACT_ALLOW;
  else if (strcmp(name, "SCMP_ACT_LOG") == 0)
    *action = SCMP_ACT_LOG;
  else if (strcmp(name, "SCMP_ACT_NOTIFY") == 0)
    *action = SCMP_ACT_NOTIFY;
  else
    return false;
  return true;
}

bool seccomp_action_is_permissive(uint32_t action) {
  /* A tracer is expected to cope with new syscalls itself, so TRACE counts as permissive
   * too: answering ENOSYS in front of it would get in the way of emulation. */
  return action == SCMP_ACT_ALLOW || action == SCMP_ACT_LOG ||
         (action & 0xffff0000u) == SCMP_ACT_TRACE(0);
}

static const struct name_number seccomp_ops[] = {
    {"SCMP_CMP_NE", SCMP_CMP_NE},
    {"SCMP_CMP_LT", SCMP_CMP_LT},
    {"SCMP_CMP_LE", SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
    {"SCMP_CMP_GE", SCMP_CMP_GE},
    {"SCMP_CMP_GT", SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

LOOKUP_FUNCTION(seccomp_op_lookup, seccomp_ops, enum scmp_compare)

/* The architectures libseccomp 2.5 knows; the tokens are the kernel's AUDIT_ARCH_*
 * values except for x32, which libseccomp tells apart from x86_64 itself. */
static const struct name_number seccomp_arches[] = {
    {"SCMP_ARCH_X86", SCMP_ARCH_X86},
    {"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64},
    {"SCMP_ARCH_X32", SCMP_ARCH_X32},
    {"SCMP_ARCH_ARM", SCMP_ARCH_ARM},
    {"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64},
    {"SCMP_ARCH_MIPS", SCMP_ARCH_MIPS},
    {"SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64},
    {"SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32},
    {"SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL},
    {"SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64},
    {"SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32},
    {"SCMP_ARCH_PPC", SCMP_ARCH_PPC},
    {"SCMP_ARCH_PPC64", SCMP_ARCH_PPC64},
    {"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE},
    {"SCMP_ARCH_S390", SCMP_ARCH_S390},
    {"SCMP_ARCH_S390X", SCMP_ARCH_S390X},
    {"SCMP_ARCH_PARISC", SCMP_ARCH_PARISC},
    {"SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64},
    {"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64},
#ifdef SCMP_ARCH_LOONGARCH64
    {"SCMP_ARCH_LOONGARCH64", SCMP_ARCH_LOONGARCH64},
#endif
#ifdef SCMP_ARCH_M68K
    {"SCMP_ARCH_M68K", SCMP_ARCH_M68K},
#endif
#ifdef SCMP_ARCH_SH
    {"SCMP_ARCH_SH", SCMP_ARCH_SH},
    {"SCMP_ARCH_SHEB", SCMP_ARCH_SHEB},
#endif
};

LOOKUP_FUNCTION(seccomp_arch_lookup, seccomp_arches, uint32_t)

static const struct name_number seccomp_flags[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
};

LOOKUP_FUNCTION(seccomp_flag_lookup, seccomp_flags, unsigned)

bool seccomp_section_uses_notify(const struct spec_seccomp *s) {
  for (size_t i = 0; i < s->syscalls_len; i++)
    if (s->syscalls[i].action && strcmp(s->syscalls[i].action, "SCMP_ACT_NOTIFY") == 0)
      return true;
  return false;
}

unsigned seccomp_section_flags(const struct spec_seccomp *s) {
  unsigned flags = 0, f;
  bool notify = seccomp_section_uses_notify(s);

  for (size_t i = 0; i < s->flags.len; i++)
    if (seccomp_flag_lookup(s->flags.items[i], &f))
      flags |= f;
  if (notify)
    flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  /* The kernel refuses TSYNC with a listener unless a thread that cannot be synchronised
   * makes the call fail with ESRCH instead of returning its id. */
  if ((flags & SECCOMP_FILTER_FLAG_TSYNC) && notify)
    flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
  /* WAIT_KILLABLE_RECV only changes how notifications wait: without a listener the kernel
   * refuses it, and there is nothing for it to change. */
  if ((flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) && !notify)
    flags &= ~(unsigned)SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
  return flags;
}

static int check_errno_ret(bool has, uint32_t value, const char *path, ocirun_error_t **err) {
  if (has && value > SECCOMP_RET_DATA_MAX)
    return ocirun_error_set(err, 0, "%s: %u is out of range (0-%u)", path, value,
                            SECCOMP_RET_DATA_MAX);
  return 0;
}

static int validate_arg(const struct spec_seccomp_arg *a, size_t i, size_t j,
                        ocirun_error_t **err) {
  enum scmp_compare op;
  if (a->index > 5)
    return ocirun_error_set(err, 0,
                            SECCOMP_JSON_PATH ".syscalls[%zu].args[%zu].index: %u is out of range "
                                              "(a syscall has arguments 0 to 5)",
                            i, j, a->index);
  if (!seccomp_op_lookup(a->op, &op))
    return ocirun_error_set(
        err, 0, SECCOMP_JSON_PATH ".syscalls[%zu].args[%zu].op: unknown operator \"%s\"", i, j,
        a->op ? a->op : "");
  return 0;
}

static int validate_syscall(const struct spec_seccomp_syscall *sc, size_t i, ocirun_error_t **err) {
  char path[96];
  uint32_t action;

  snprintf(path, sizeof(path), SECCOMP_JSON_PATH ".syscalls[%zu].errnoRet", i);
  if (check_errno_ret(sc->has_errno_ret, sc->errno_ret, path, err) < 0)
    return -1;
  if (!seccomp_action_lookup(sc->action, sc->has_errno_ret, sc->errno_ret, &action))
    return ocirun_error_set(err, 0,
                            SECCOMP_JSON_PATH ".syscalls[%zu].action: unknown action \"%s\"", i,
                            sc->action ? sc->action : "");
  if (sc->names.len == 0)
    return ocirun_error_set(err, 0, SECCOMP_JSON_PATH ".syscalls[%zu].names: empty", i);
  for (size_t j = 0; j < sc->names.len; j++) {
    const char *name = sc->names.items[j];
    if (name == NULL || name[0] == '\0')
      return ocirun_error_set(err, 0, SECCOMP_JSON_PATH ".syscalls[%zu].names[%zu]: empty name", i,
                              j);
    /* The child needs write() to tell the parent the listener fd: a notify rule on it
     * would wait for an agent that never gets the fd. */
    if (action == SCMP_ACT_NOTIFY && strcmp(name, "write") == 0)
      return ocirun_error_set(err, 0,
                              SECCOMP_JSON_PATH ".syscalls[%zu].names[%zu]: SCMP_ACT_NOTIFY cannot "
                                                "be used for the write syscall",
                              i, j);
  }
  for (size_t j = 0; j < sc->args_len; j++)
    if (validate_arg(&sc->args[j], i, j, err) < 0)
      return -1;
  return 0;
}

int seccomp_validate(const struct spec_seccomp *s, ocirun_error_t **err) {
  uint32_t action, token;
  unsigned flag;

  if (check_errno_ret(s->has_default_errno_ret, s->default_errno_ret,
                      SECCOMP_JSON_PATH ".defaultErrnoRet", err) < 0)
    return -1;
  if (!seccomp_action_lookup(s->default_action, s->has_default_errno_ret, s->default_errno_ret,
                             &action))
    return ocirun_error_set(err, 0, SECCOMP_JSON_PATH ".defaultAction: unknown action \"%s\"",
                            s->default_action ? s->default_action : "");
  /* Every syscall would wait for the agent, write() included (see above). */
  if (action == SCMP_ACT_NOTIFY)
    return ocirun_error_set(err, 0,
                            SECCOMP_JSON_PATH ".defaultAction: SCMP_ACT_NOTIFY cannot be the "
                                              "default action");
  for (size_t i = 0; i < s->architectures.len; i++)
    if (!seccomp_arch_lookup(s->architectures.items[i], &token))
      return ocirun_error_set(err, 0,
                              SECCOMP_JSON_PATH ".architectures[%zu]: unknown architecture "
                                                "\"%s\"",
                              i, s->architectures.items[i]);
  for (size_t i = 0; i < s->flags.len; i++)
    if (!seccomp_flag_lookup(s->flags.items[i], &flag))
      return ocirun_error_set(err, 0, SECCOMP_JSON_PATH ".flags[%zu]: unknown flag \"%s\"", i,
                              s->flags.items[i]);
  for (size_t i = 0; i < s->syscalls_len; i++)
    if (validate_syscall(&s->syscalls[i], i, err) < 0)
      return -1;
  if (seccomp_section_uses_notify(s) && (s->listener_path == NULL || s->listener_path[0] == '\0'))
    return ocirun_error_set(err, 0,
                            SECCOMP_JSON_PATH ".listenerPath: required with SCMP_ACT_NOTIFY rules");
  return 0;
}
