/* linux.seccomp -> a classic BPF program, compiled in the parent.
 *
 * libseccomp builds the filter (default action, extra architectures, one rule per
 * syscall), exports it as BPF into a memfd, and the ENOSYS stub of seccomp_enosys.c goes
 * in front.  The filter flags are not libseccomp attributes here: the child installs the
 * exported program itself with seccomp(2), so the flags go straight to the kernel (which
 * also lets WAIT_KILLABLE_RECV through, unknown to libseccomp 2.5). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/seccomp_internal.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/trace.h"

static void ctx_releasep(scmp_filter_ctx *ctx) {
  if (*ctx)
    seccomp_release(*ctx);
}
#define _cleanup_seccomp_ __attribute__((cleanup(ctx_releasep)))

/* Several conditions on the same argument cannot be AND-ed by libseccomp; as runc
 * does, such a rule becomes one rule per condition (OR). */
static bool args_share_index(const struct spec_seccomp_syscall *sc) {
  unsigned seen = 0;
  for (size_t j = 0; j < sc->args_len; j++) {
    if (seen & (1u << sc->args[j].index))
      return true;
    seen |= 1u << sc->args[j].index;
  }
  return false;
}

static struct scmp_arg_cmp make_cmp(const struct spec_seccomp_arg *a) {
  struct scmp_arg_cmp c = {.arg = a->index, .datum_a = a->value, .datum_b = a->value_two};
  seccomp_op_lookup(a->op, &c.op);
  return c;
}

static int add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, const char *name, unsigned count,
                    const struct scmp_arg_cmp *cmps, size_t i, ocirun_error_t **err) {
  int r = seccomp_rule_add_array(ctx, action, nr, count, cmps);
  if (r < 0)
    return ocirun_error_set(err, -r, SECCOMP_JSON_PATH ".syscalls[%zu]: add rule for %s", i, name);
  return 0;
}

static int add_syscall_rules(scmp_filter_ctx ctx, const struct spec_seccomp_syscall *sc,
                             uint32_t default_action, size_t i, ocirun_error_t **err) {
  struct scmp_arg_cmp cmps[6 * 8];
  uint32_t action;
  bool split = args_share_index(sc);

  seccomp_action_lookup(sc->action, sc->has_errno_ret, sc->errno_ret, &action);
  /* libseccomp refuses a rule with the default action; it would change nothing. */
  if (action == default_action)
    return 0;
  if (!split && sc->args_len > 6)
    return ocirun_error_set(err, 0, SECCOMP_JSON_PATH ".syscalls[%zu].args: too many", i);
  for (size_t j = 0; !split && j < sc->args_len; j++)
    cmps[j] = make_cmp(&sc->args[j]);
  for (size_t n = 0; n < sc->names.len; n++) {
    const char *name = sc->names.items[n];
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) {
      /* Profiles list syscalls of newer kernels and other architectures. */
      log_debug("seccomp: unknown syscall \"%s\" ignored", name);
      continue;
    }
    if (!split) {
      if (add_rule(ctx, action, nr, name, (unsigned)sc->args_len, cmps, i, err) < 0)
        return -1;
      continue;
    }
    for (size_t j = 0; j < sc->args_len; j++) {
      struct scmp_arg_cmp one = make_cmp(&sc->args[j]);
      if (add_rule(ctx, action, nr, name, 1, &one, i, err) < 0)
        return -1;
    }
  }
  return 0;
}

/* libseccomp 2.5 exports only to an fd: a memfd keeps it in memory. */
static int export_bpf(scmp_filter_ctx ctx, struct sock_filter **insns, unsigned *len,
                      ocirun_error_t **err) {
  _cleanup_close_ int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
  struct stat st;
  int r;

  if (fd < 0)
    return ocirun_error_set(err, errno, "seccomp: memfd_create");
  if ((r = seccomp_export_bpf(ctx, fd)) < 0)
    return ocirun_error_set(err, -r, "seccomp: export the BPF program");
  if (fstat(fd, &st) < 0)
    return ocirun_error_set(err, errno, "seccomp: fstat the BPF program");
  if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0)
    return ocirun_error_set(err, 0, "seccomp: exported BPF program has a bad size (%lld bytes)",
                            (long long)st.st_size);
  *len = (unsigned)(st.st_size / sizeof(struct sock_filter));
  *insns = malloc((size_t)st.st_size);
  if (*insns == NULL)
    return ocirun_error_set(err, ENOMEM, "seccomp: export the BPF program");
  if (pread(fd, *insns, (size_t)st.st_size, 0) != st.st_size) {
    free(*insns);
    *insns = NULL;
    return ocirun_error_set(err, errno ? errno : EIO, "seccomp: read the BPF program");
  }
  return 0;
}

static int build_filter(const struct spec_seccomp *s, uint32_t default_action, scmp_filter_ctx ctx,
                        ocirun_error_t **err) {
  uint32_t token;
  int r;

  for (size_t i = 0; i < s->architectures.len; i++) {
    seccomp_arch_lookup(s->architectures.items[i], &token);
    r = seccomp_arch_add(ctx, token);
    if (r < 0 && r != -EEXIST)
      return ocirun_error_set(err, -r, SECCOMP_JSON_PATH ".architectures[%zu]: add %s", i,
                              s->architectures.items[i]);
  }
  /* no_new_privs is the runtime's business (process.noNewPrivileges), and the program is
   * exported rather than loaded, so the load attributes stay off. */
  if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0)
    return ocirun_error_set(err, -r, "seccomp: clear the no_new_privs attribute");
  /* A binary tree of syscalls pays off on long profiles; libseccomp 2.5 misbehaves with
   * it on a filter without rules, so short profiles keep the linear list. */
  if (s->syscalls_len > 32 && (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2)) < 0)
    log_debug("seccomp: binary tree optimization unavailable: %s", strerror(-r));
  for (size_t i = 0; i < s->syscalls_len; i++)
    if (add_syscall_rules(ctx, &s->syscalls[i], default_action, i, err) < 0)
      return -1;
  return 0;
}

int seccomp_compile(const struct spec_seccomp *s, struct seccomp_program **out,
                    ocirun_error_t **err) {
  _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
  _cleanup_free_ struct sock_filter *body = NULL, *stub = NULL;
  unsigned body_len = 0, stub_len = 0;
  uint32_t default_action;
  struct seccomp_program *p;

  seccomp_action_lookup(s->default_action, s->has_default_errno_ret, s->default_errno_ret,
                        &default_action);
  ctx = seccomp_init(default_action);
  if (ctx == NULL)
    return ocirun_error_set(err, EINVAL, SECCOMP_JSON_PATH ".defaultAction: %s not supported",
                            s->default_action);
  if (build_filter(s, default_action, ctx, err) < 0 || export_bpf(ctx, &body, &body_len, err) < 0 ||
      seccomp_enosys_stub(s, default_action, &stub, &stub_len, err) < 0)
    return -1;
  if (body_len + stub_len > SECCOMP_PROGRAM_MAX_INSNS)
    return ocirun_error_set(err, E2BIG,
                            SECCOMP_JSON_PATH ": the filter has %u BPF instructions, the kernel "
                                              "takes at most %u",
                            body_len + stub_len, SECCOMP_PROGRAM_MAX_INSNS);
  p = calloc(1, sizeof(*p));
  if (p == NULL || (p->insns = malloc((body_len + stub_len) * sizeof(*p->insns))) == NULL) {
    free(p);
    return ocirun_error_set(err, ENOMEM, "seccomp: compile");
  }
  if (stub_len)
    memcpy(p->insns, stub, stub_len * sizeof(*stub));
  memcpy(p->insns + stub_len, body, body_len * sizeof(*body));
  p->len = body_len + stub_len;
  p->flags = seccomp_section_flags(s);
  *out = p;
  return 0;
}

int seccomp_program_prepare(const struct spec_seccomp *s, const char *cache_dir,
                            struct seccomp_program **out, ocirun_error_t **err) {
  uint8_t key[SECCOMP_CACHE_KEY_LEN];
  ocirun_error_t *cache_err = NULL;
  int r;

  *out = NULL;
  if (s == NULL || !s->present)
    return 0;
  if (seccomp_validate(s, err) < 0)
    return -1;
  if (cache_dir == NULL || cache_dir[0] == '\0')
    return seccomp_compile(s, out, err);
  if (seccomp_cache_key(s, key, err) < 0)
    return -1;
  /* The cache only saves time: when it cannot be used the filter is compiled as if
   * there were none, and the reason is logged. */
  r = seccomp_cache_lookup(cache_dir, key, out, &cache_err);
  if (r > 0) {
    (*out)->flags = seccomp_section_flags(s);
    trace_pointf("seccomp", "from the cache (%u instructions)", (*out)->len);
    return 0;
  }
  if (r < 0) {
    log_warn("seccomp filter cache: %s", cache_err->msg);
    ocirun_error_free(&cache_err);
  }
  if (seccomp_compile(s, out, err) < 0)
    return -1;
  trace_pointf("seccomp", "compiled (%u instructions)", (*out)->len);
  if (seccomp_cache_store(cache_dir, key, *out, &cache_err) < 0) {
    /* A cache the runtime may not make (root of a user namespace, a read-only /var) is
     * only a slower start. */
    if (cache_err->status == EACCES || cache_err->status == EPERM || cache_err->status == EROFS)
      log_debug("seccomp filter cache: %s", cache_err->msg);
    else
      log_warn("seccomp filter cache: %s", cache_err->msg);
    ocirun_error_free(&cache_err);
  }
  trace_point("seccomp cache store");
  return 0;
}

void seccomp_program_free(struct seccomp_program *p) {
  if (p == NULL)
    return;
  free(p->insns);
  free(p);
}

bool seccomp_program_uses_notify(const struct seccomp_program *p) {
  return p && (p->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER);
}

unsigned seccomp_program_length(const struct seccomp_program *p) {
  return p ? p->len : 0;
}

unsigned seccomp_program_flags(const struct seccomp_program *p) {
  return p ? p->flags : 0;
}

bool seccomp_program_from_cache(const struct seccomp_program *p) {
  return p && p->from_cache;
}
