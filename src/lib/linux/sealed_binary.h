/* The runtime's own binary, out of the container's reach (CVE-2019-5736 and its variants).
 *
 * The init and exec children are clones of the runtime: until their final execve their
 * /proc/self/exe is the runtime's binary.  A container program (or a script interpreter,
 * or an ELF interpreter) that resolves to /proc/self/exe starts that binary again inside
 * the container, and a container process could then hold it and write it once the runtime
 * has exited.  The commands that put a child in a container therefore run from a binary
 * that cannot be written: a read-only bind of it (a detached mount, private to this
 * process), or, where the caller may not make mounts (an ordinary user), a sealed memfd
 * copy.  A binary that is already on a read-only mount, or already a sealed memfd, is used
 * as it is. */
#ifndef OCIRUN_LINUX_SEALED_BINARY_H
#define OCIRUN_LINUX_SEALED_BINARY_H

#include <stdbool.h>

#include "util/error.h"

/* Returns 0 when the running binary is already out of reach; otherwise re-executes it
 * from a read-only or sealed copy with the same argv and environment and does not
 * return, or returns -1 with *err when that cannot be done. */
int sealed_binary_ensure(char *const argv[], ocirun_error_t **err);

/* Whether the file open at fd cannot be written through any path the fd leads to: on a
 * read-only mount, or a memfd sealed against writes. */
bool sealed_binary_fd_is_sealed(int fd);

#endif
