/* System calls without libc, for the code that runs at the binary's entry point before
 * libc has started (no errno, no relocations, no TLS): the kernel's return value as is,
 * -errno on failure. */
#ifndef OCIRUN_UTIL_RAW_SYSCALL_H
#define OCIRUN_UTIL_RAW_SYSCALL_H

static inline long raw_syscall6(long nr, long a, long b, long c, long d, long e, long f) {
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  long ret;

  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}

static inline long raw_syscall(long nr, long a, long b, long c, long d, long e) {
  return raw_syscall6(nr, a, b, c, d, e, 0);
}

#endif
