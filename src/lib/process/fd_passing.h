/* File descriptors over unix sockets (SCM_RIGHTS): the pty master to
 * --console-socket, the seccomp listener to its agent, a pidfd to --pidfd-socket. */
#ifndef OCIRUN_PROCESS_FD_PASSING_H
#define OCIRUN_PROCESS_FD_PASSING_H

#include <stddef.h>

#include "util/error.h"

/* Connect to the unix socket at path (SOCK_STREAM); returns the fd. */
int unix_socket_connect(const char *path, ocirun_error_t **err);
/* Send fds[0..n_fds) (at most LIMIT_SYNC_FDS, none is fine) with `data` as the message
 * payload; an empty payload is sent as one NUL byte. */
int fds_send(int sock, const int *fds, size_t n_fds, const void *data, size_t len,
             ocirun_error_t **err);
/* Send fd with `data` as the message payload (runc sends the pty name). */
int fd_send(int sock, int fd, const char *data, size_t len, ocirun_error_t **err);
/* --pidfd-socket: connect to path and send pidfd (payload "pidfd"), as runc does for
 * create, run and exec. */
int pidfd_send_to_socket(const char *path, int pidfd, ocirun_error_t **err);
/* Receive one fd (and up to cap-1 bytes of payload into buf when buf is not NULL). */
int fd_recv(int sock, int *fd, char *buf, size_t cap, ocirun_error_t **err);

#endif
