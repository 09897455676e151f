/* The ENOSYS stub: a few BPF instructions in front of the libseccomp program.
 *
 * A profile is written for the kernel of its day.  A newer libc tries newer syscalls
 * first (clone3, faccessat2, openat2, ...) and falls back to the old ones only on ENOSYS,
 * but the profile's default action answers EPERM (or kills), so without help a new
 * syscall breaks the container instead of degrading.  runc answers
 * that, and so does this stub: for each architecture of the filter, a syscall whose
 * number is above the highest number the profile names (on that architecture) gets
 * ENOSYS; everything else goes on to the real filter.  Syscalls the profile names keep
 * their rule; unnamed syscalls below the highest one keep the default action.
 *
 * Differences from runc, both on the safe side: the native architecture
 * is covered even when `architectures` does not list it (libseccomp always filters it),
 * and a default of ERRNO(ENOSYS) needs no stub.  No stub either for a permissive default
 * (ALLOW, LOG, TRACE): new syscalls are allowed there anyway.
 *
 * Layout (every conditional jump is short, long distances use `ja`):
 *     ld  [arch]
 *     jeq ARCH_1, 0, 1 ; ja section_1     (one pair per architecture)
 *     ...
 *     ja  filter
 *   section (most architectures):
 *     ld  [nr] ; jgt MAX, 0, 1 ; ret ERRNO(ENOSYS) ; ja filter
 *   section (s390/s390x): "setup" (0) multiplexes syscalls the kernel does not know,
 *     so it gets ENOSYS too:  jeq 0, 0, 1 ; ret ERRNO(ENOSYS)  after the ld
 *   section (x86_64 with x32): x32 syscalls carry bit 30 and their own maximum:
 *     ld [nr] ; jset 0x40000000, 0, N ; <x32 check> ; <x86_64 check>
 *   filter: the libseccomp program */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "linux/seccomp_internal.h"

#define X32_SYSCALL_BIT 0x40000000u
#define MAX_ARCH_SECTIONS 24

struct arch_section {
  uint32_t audit;  /* AUDIT_ARCH_* as seen in seccomp_data.arch */
  int64_t max;     /* highest syscall number named, -1 when none */
  int64_t max_x32; /* x86_64 only: the same for x32 syscalls, -1 when none */
  bool x86_64, s390;
};

struct emitter {
  struct sock_filter *buf; /* NULL: only count */
  unsigned n;
};

static void emit(struct emitter *e, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k) {
  if (e->buf)
    e->buf[e->n] = (struct sock_filter){code, jt, jf, k};
  e->n++;
}

static void emit_ja(struct emitter *e, unsigned target) {
  emit(e, BPF_JMP | BPF_JA, 0, 0, target - e->n - 1);
}

/* "jgt MAX ; ret ENOSYS ; ja filter", or only "ja filter" when there is no maximum. */
static void emit_max_check(struct emitter *e, int64_t max, unsigned filter) {
  if (max >= 0) {
    emit(e, BPF_JMP | BPF_JGT | BPF_K, 0, 1, (uint32_t)max);
    emit(e, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS);
  }
  emit_ja(e, filter);
}

static unsigned max_check_len(int64_t max) {
  return max >= 0 ? 3 : 1;
}

static void emit_section(struct emitter *e, const struct arch_section *s, unsigned filter) {
  emit(e, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
  if (s->s390) {
    emit(e, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0);
    emit(e, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS);
  }
  if (s->x86_64) {
    emit(e, BPF_JMP | BPF_JSET | BPF_K, 0, (uint8_t)max_check_len(s->max_x32), X32_SYSCALL_BIT);
    emit_max_check(e, s->max_x32, filter);
  }
  emit_max_check(e, s->max, filter);
}

static void emit_stub(struct emitter *e, const struct arch_section *secs, size_t nsecs,
                      unsigned filter) {
  unsigned section_start[MAX_ARCH_SECTIONS];
  struct emitter counter = {NULL, 0};

  /* Section offsets: the dispatch is 1 + 2 per architecture + 1 instructions long. */
  counter.n = 2 + 2 * (unsigned)nsecs;
  for (size_t i = 0; i < nsecs; i++) {
    section_start[i] = counter.n;
    emit_section(&counter, &secs[i], filter);
  }
  emit(e, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
  for (size_t i = 0; i < nsecs; i++) {
    emit(e, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, secs[i].audit);
    emit_ja(e, section_start[i]);
  }
  emit_ja(e, filter);
  for (size_t i = 0; i < nsecs; i++)
    emit_section(e, &secs[i], filter);
}

static int64_t highest_syscall(const struct spec_seccomp *s, uint32_t token) {
  int64_t max = -1;
  for (size_t i = 0; i < s->syscalls_len; i++)
    for (size_t j = 0; j < s->syscalls[i].names.len; j++) {
      /* Negative numbers are libseccomp's pseudo-syscalls: absent on this architecture. */
      int nr = seccomp_syscall_resolve_name_arch(token, s->syscalls[i].names.items[j]);
      if (nr >= 0 && nr > max)
        max = nr;
    }
  return max;
}

static struct arch_section *section_for(struct arch_section *secs, size_t *nsecs, uint32_t audit) {
  for (size_t i = 0; i < *nsecs; i++)
    if (secs[i].audit == audit)
      return &secs[i];
  if (*nsecs == MAX_ARCH_SECTIONS)
    return NULL;
  secs[*nsecs] = (struct arch_section){.audit = audit, .max = -1, .max_x32 = -1};
  return &secs[(*nsecs)++];
}

static int add_arch(const struct spec_seccomp *s, uint32_t token, struct arch_section *secs,
                    size_t *nsecs, ocirun_error_t **err) {
  bool x32 = token == SCMP_ARCH_X32;
  struct arch_section *sec = section_for(secs, nsecs, x32 ? SCMP_ARCH_X86_64 : token);
  int64_t max;

  if (sec == NULL)
    return ocirun_error_set(err, E2BIG, SECCOMP_JSON_PATH ".architectures: too many");
  max = highest_syscall(s, token);
  sec->x86_64 = sec->audit == SCMP_ARCH_X86_64;
  sec->s390 = token == SCMP_ARCH_S390 || token == SCMP_ARCH_S390X;
  if (x32) {
    if (max >= 0)
      max |= X32_SYSCALL_BIT;
    sec->max_x32 = max;
  } else {
    sec->max = max;
  }
  return 0;
}

int seccomp_enosys_stub(const struct spec_seccomp *s, uint32_t default_action,
                        struct sock_filter **stub, unsigned *len, ocirun_error_t **err) {
  struct arch_section secs[MAX_ARCH_SECTIONS];
  size_t nsecs = 0, used = 0;
  struct emitter e = {NULL, 0};
  uint32_t token;

  *stub = NULL;
  *len = 0;
  if (seccomp_action_is_permissive(default_action) || default_action == SCMP_ACT_ERRNO(ENOSYS))
    return 0;
  if (add_arch(s, seccomp_arch_native(), secs, &nsecs, err) < 0)
    return -1;
  for (size_t i = 0; i < s->architectures.len; i++) {
    if (!seccomp_arch_lookup(s->architectures.items[i], &token))
      continue; /* refused by seccomp_validate() already */
    if (add_arch(s, token, secs, &nsecs, err) < 0)
      return -1;
  }
  /* Architectures where the profile names no syscall at all get no check. */
  for (size_t i = 0; i < nsecs; i++)
    if (secs[i].max >= 0 || secs[i].max_x32 >= 0)
      secs[used++] = secs[i];
  if (used == 0)
    return 0;
  /* Pass 1 measures, pass 2 writes: the filter starts right after the stub. */
  emit_stub(&e, secs, used, 0);
  unsigned n = e.n;
  e = (struct emitter){calloc(n, sizeof(struct sock_filter)), 0};
  if (e.buf == NULL)
    return ocirun_error_set(err, ENOMEM, "seccomp: ENOSYS stub");
  emit_stub(&e, secs, used, n);
  *stub = e.buf;
  *len = n;
  return 0;
}
