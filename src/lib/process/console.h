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

enum {
  CONSOLE_BIND = 1,    /* bind the slave over <root>/dev/console (the init) */
  CONSOLE_RELAYED = 2, /* the master goes to the runtime's own foreground relay */
};
/* The whole terminal set-up of a process: a pty from <root>/dev/pts/ptmx, the slave owned
 * by the process's user, bound over <root>/dev/console with CONSOLE_BIND, made the stdio,
 * the master sent to console_sock (which is then closed and set to -1).  With
 * CONSOLE_RELAYED the output is not translated ("\n" stays "\n", as the reference runtime
 * relays it); a console socket's receiver gets the terminal's defaults. */
int console_setup(const char *root, int *console_sock, int flags, const struct spec_process *p,
                  ocirun_error_t **err);

/* As the reference runtime for a terminal it relays itself: no "\r\n" for every
 * "\n" (the setting made on the master is the terminal's, the container's side). */
void console_clear_onlcr(int master);

#endif
