/* The read-only re-exec of `create`, `run` and `exec` (sealed_binary.h), made before libc starts.
 *
 * Those three commands run from a binary the container cannot write
 * (linux/sealed_binary.h): unless /proc/self/exe is already read-only, the command executes
 * itself again from a detached read-only bind of its binary.  Done from main(), that costs a
 * whole start of libc in the first image, which is mostly CPU feature probing: on a
 * virtual machine where every cpuid instruction traps to the hypervisor (6 us each), glibc's
 * start takes about 0.5 ms, more than everything else the re-exec costs.  This file is the
 * binary's ELF entry point: with raw system calls only, it makes that decision and that
 * re-exec before jumping to libc's own entry (_start) with the registers the kernel gave
 * it.  Only the static binary has it (meson.build): a dynamic one has paid for the dynamic
 * loader's start before its entry point runs.
 *
 * It only ever takes the cheap road or steps aside: when the binary is already read-only,
 * when no argument is one of the three command names, or when anything fails (an ordinary
 * user may not make mounts), it goes on to _start, and main()'s sealed_binary_ensure()
 * decides and reports as it always did.  So a false "yes" here (`ocirun --root run state x`)
 * costs a re-exec and nothing else, and no "no" can skip the defence.
 *
 * What runs here runs before the binary is relocated (static-pie) and before TLS exists:
 * this file is built with -ffreestanding and without a stack protector, touches no global
 * data, and calls no function outside itself. */
#include <fcntl.h>
#include <linux/mount.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <sys/vfs.h>

#include "util/raw_syscall.h"

#ifndef MOUNT_ATTR_SIZE_VER0
#define MOUNT_ATTR_SIZE_VER0 32
#endif
#ifndef ST_RDONLY
#define ST_RDONLY 0x0001 /* statfs(2) f_flags, the same bit as statvfs's */
#endif

void early_reexec(long *initial_stack) __attribute__((visibility("hidden")));
void state_view_early(long *initial_stack) __attribute__((visibility("hidden")));

/* The entry point: the initial stack pointer goes to state_view_early() (`state` and `list`
 * answered before libc, container/state_view.h), then to early_reexec(); rdx (the exit hook
 * the ABI lets a loader pass, zero from the kernel) and the stack pointer are kept in
 * callee-saved registers across the calls and rdx is handed on to _start with the stack
 * exactly as the kernel left it. */
__asm__(".text\n"
        ".globl ocirun_entry\n"
        ".type ocirun_entry, @function\n"
        "ocirun_entry:\n"
        "  endbr64\n"
        "  xor %ebp, %ebp\n"
        "  mov %rdx, %r12\n"
        "  mov %rsp, %r13\n"
        "  mov %rsp, %rdi\n"
        "  call state_view_early\n"
        "  mov %r13, %rdi\n"
        "  call early_reexec\n"
        "  mov %r12, %rdx\n"
        "  jmp _start\n"
        ".size ocirun_entry, .-ocirun_entry\n");

static int same_word(const char *s, const char *word) {
  while (*word != '\0')
    if (*s++ != *word++)
      return 0;
  return *s == '\0';
}

/* Whether an argument names a command that puts a child in a container. */
static int names_container_command(char **argv, long argc) {
  for (long i = 1; i < argc; i++)
    if (same_word(argv[i], "create") || same_word(argv[i], "run") || same_word(argv[i], "exec"))
      return 1;
  return 0;
}

/* Whether the binary is already out of a container's reach: on a read-only mount or a
 * memfd sealed against writes (the check sealed_binary_fd_is_sealed makes). */
static int already_readonly(void) {
  struct statfs sf;
  long fd = raw_syscall(SYS_open, (long)"/proc/self/exe", O_RDONLY | O_CLOEXEC, 0, 0, 0);
  int readonly = 0;
  long seals;

  if (fd < 0)
    return 0;
  if (raw_syscall(SYS_fstatfs, fd, (long)&sf, 0, 0, 0) == 0 && (sf.f_flags & ST_RDONLY))
    readonly = 1;
  if (!readonly) {
    seals = raw_syscall(SYS_fcntl, fd, F_GET_SEALS, 0, 0, 0);
    readonly = seals >= 0 && (seals & F_SEAL_WRITE);
  }
  raw_syscall(SYS_close, fd, 0, 0, 0, 0);
  return readonly;
}

void early_reexec(long *initial_stack) {
  long argc = initial_stack[0];
  char **argv = (char **)(initial_stack + 1);
  char **envp = argv + argc + 1;
  struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV};
  long tree;

  if (!names_container_command(argv, argc) || already_readonly())
    return;
  tree = raw_syscall(SYS_open_tree, AT_FDCWD, (long)"/proc/self/exe",
                     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC, 0, 0);
  if (tree < 0)
    return;
  if (raw_syscall(SYS_mount_setattr, tree, (long)"", AT_EMPTY_PATH, (long)&attr,
                  MOUNT_ATTR_SIZE_VER0) == 0)
    raw_syscall(SYS_execveat, tree, (long)"", (long)argv, (long)envp, AT_EMPTY_PATH);
  /* Still here: main() makes the read-only copy its own way and reports what fails. */
  raw_syscall(SYS_close, tree, 0, 0, 0, 0);
}
