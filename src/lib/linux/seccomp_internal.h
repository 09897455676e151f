/* Shared between the seccomp_*.c files only: the program, the name tables, the pieces of
 * the compiler and the cache. */
#ifndef OCIRUN_LINUX_SECCOMP_INTERNAL_H
#define OCIRUN_LINUX_SECCOMP_INTERNAL_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>

#include "linux/seccomp_program.h"

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* The kernel refuses longer classic BPF programs. */
#define SECCOMP_PROGRAM_MAX_INSNS 4096u

struct seccomp_program {
  unsigned flags; /* SECCOMP_FILTER_FLAG_*, NEW_LISTENER included when notify */
  bool from_cache;
  unsigned len;
  struct sock_filter *insns;
};

#define SECCOMP_JSON_PATH ".linux.seccomp"

/* Name tables (seccomp_names.c).  Each returns false for an unknown name. */
bool seccomp_action_lookup(const char *name, bool has_errno, uint32_t errno_ret, uint32_t *action);
bool seccomp_op_lookup(const char *name, enum scmp_compare *op);
bool seccomp_arch_lookup(const char *name, uint32_t *token);
bool seccomp_flag_lookup(const char *name, unsigned *kernel_flag);
/* True for actions that let the syscall run (no ENOSYS stub in front of them). */
bool seccomp_action_is_permissive(uint32_t action);

/* Check every name and number of the section; errors name the JSON path. */
int seccomp_validate(const struct spec_seccomp *s, ocirun_error_t **err);
/* The seccomp(2) flags of a validated section (NEW_LISTENER for notify rules). */
unsigned seccomp_section_flags(const struct spec_seccomp *s);
bool seccomp_section_uses_notify(const struct spec_seccomp *s);

/* Compile a validated section with libseccomp, the ENOSYS stub in front (seccomp_build.c). */
int seccomp_compile(const struct spec_seccomp *s, struct seccomp_program **out,
                    ocirun_error_t **err);
/* The stub that answers ENOSYS for syscalls newer than the profile (seccomp_enosys.c).
 * *stub = NULL, *len = 0 when no stub is needed. */
int seccomp_enosys_stub(const struct spec_seccomp *s, uint32_t default_action,
                        struct sock_filter **stub, unsigned *len, ocirun_error_t **err);

/* The compiled-filter cache (seccomp_cache.c). */
#define SECCOMP_CACHE_KEY_LEN 32
int seccomp_cache_key(const struct spec_seccomp *s, uint8_t key[SECCOMP_CACHE_KEY_LEN],
                      ocirun_error_t **err);
/* 1 and *out on a hit, 0 on a miss (absent, or corrupt: then removed), -1 on error. */
int seccomp_cache_lookup(const char *dir, const uint8_t key[SECCOMP_CACHE_KEY_LEN],
                         struct seccomp_program **out, ocirun_error_t **err);
int seccomp_cache_store(const char *dir, const uint8_t key[SECCOMP_CACHE_KEY_LEN],
                        const struct seccomp_program *p, ocirun_error_t **err);

#endif
