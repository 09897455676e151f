/* The container's terminal: a pty made in the container's own devpts instance
 * (so that ttyname() works inside), its slave bound over /dev/console and made
 * the process's stdio, its master handed to the console socket. */
#ifndef OCIRUN_PROCESS_CONSOLE_H
#define OCIRUN_PROCESS_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "spec/spec.h"
#include "util/error.h"

/* Open a new pty from <rootfs>/dev/pts/ptmx (resolved inside rootfs_fd).
 * *master and *slave are O_CLOEXEC fds. */
int console_open_pty(int rootfs_fd, int *master, int *slave, ocirun_error_t **err);
/* Bind the slave over <rootfs>/dev/console, never following a symlink there. */
int console_bind(int rootfs_fd, int slave, ocirun_error_t **err);
/* New session, controlling terminal, stdio = slave, window size when given. */
int console_make_stdio(int slave, bool has_size, uint32_t height, uint32_t width,
                       ocirun_error_t **err);

/* The whole terminal set-up of a process: a pty from <root>/dev/pts/ptmx, the
 * slave bound over <root>/dev/console when bind_console, made the stdio, the
 * master sent to console_sock (which is then closed and set to -1). */
int console_setup(const char *root, int *console_sock, bool bind_console,
                  const struct spec_process *p, ocirun_error_t **err);

/* As the reference runtime for a terminal it relays itself: no "\r\n" for every
 * "\n" (the setting made on the master is the terminal's, the container's side). */
void console_clear_onlcr(int master);

#endif
