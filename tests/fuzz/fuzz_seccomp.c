/* libFuzzer target: a config.json whose linux.seccomp is validated and compiled (no
 * cache).  Besides crashes and leaks, it checks that a refused section names its JSON
 * path and that a compiled program fits the kernel's limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linux/seccomp_program.h"
#include "spec/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* libseccomp 2.5.4 loses a block in db_rule_add() for some argument rules on
 * multiplexed x86 syscalls (socket with args in a filter with SCMP_ARCH_X86), even though
 * the context is released.  Its allocations go through zmalloc() (the only frame the
 * fast unwinder sees in a library without frame pointers): not this runtime's leak, and
 * harmless in a short-lived process.  Without symbols the frame shows only as the
 * library itself, hence the module pattern too. */
const char *__lsan_default_suppressions(void) {
  return "leak:zmalloc\nleak:libseccomp.so\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ocirun_error_t *err = NULL;
  struct spec *spec = NULL;
  struct seccomp_program *p = NULL;

  if (spec_parse("config.json", (const char *)data, size, &spec, &err) < 0) {
    ocirun_error_free(&err);
    return 0;
  }
  if (seccomp_program_prepare(&spec->linux_.seccomp, NULL, &p, &err) == 0) {
    if (spec->linux_.seccomp.present != (p != NULL))
      abort();
    if (p && (seccomp_program_length(p) == 0 || seccomp_program_length(p) > 4096))
      abort();
  } else if (err == NULL ||
             (strstr(err->msg, ".linux.seccomp") == NULL && strstr(err->msg, "seccomp") == NULL)) {
    abort();
  }
  ocirun_error_free(&err);
  seccomp_program_free(p);
  spec_free(spec);
  return 0;
}
