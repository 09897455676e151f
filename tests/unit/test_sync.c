/* Unit tests of the sync protocol's messages (process/sync.h) over a SOCK_SEQPACKET
 * socketpair: a message with file descriptors (GO with the `tasks` fds of a cgroup made
 * after the clone), and that none is left open when a message carries more than the
 * receiver takes, or fds where none are expected. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "process/sync.h"
#include "unit.h"
#include "util/limits.h"

/* The number of open fds of this process. */
static int open_fds(void) {
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl(fd, F_GETFD) >= 0)
      n++;
  return n;
}

static void pair_of(int sv[2]) {
  CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
}

static void test_go_with_fds(void) {
  int sv[2], pipes[3][2], sent[3], got[LIMIT_SYNC_FDS];
  size_t n = 99;
  struct sync_msg msg;
  ocirun_error_t *err = NULL;
  char c = 0;

  pair_of(sv);
  for (int i = 0; i < 3; i++) {
    CHECK(pipe2(pipes[i], O_CLOEXEC) == 0);
    sent[i] = pipes[i][1];
  }
  CHECK(sync_send_fds(sv[0], SYNC_GO, 4242, sent, 3, &err) == 0);
  CHECK(sync_expect_fds(sv[1], SYNC_GO, &msg, got, LIMIT_SYNC_FDS, &n, &err) == 0);
  CHECK(err == NULL);
  CHECK(msg.arg == 4242);
  CHECK(n == 3);
  /* The same files, in order, and close-on-exec: what is written through each received fd
   * comes out of the matching pipe. */
  for (size_t i = 0; i < n && i < 3; i++) {
    CHECK(got[i] != sent[i]);
    CHECK((fcntl(got[i], F_GETFD) & FD_CLOEXEC) != 0);
    CHECK(write(got[i], "x", 1) == 1);
    CHECK(read(pipes[i][0], &c, 1) == 1 && c == 'x');
    close(got[i]);
  }
  /* The sender keeps its own. */
  for (int i = 0; i < 3; i++) {
    CHECK(fcntl(sent[i], F_GETFD) >= 0);
    close(pipes[i][0]);
    close(pipes[i][1]);
  }
  /* Without fds, GO is as before, and sync_expect_fds says none came. */
  n = 99;
  CHECK(sync_send(sv[0], SYNC_GO, 1, &err) == 0);
  CHECK(sync_expect_fds(sv[1], SYNC_GO, &msg, got, LIMIT_SYNC_FDS, &n, &err) == 0);
  CHECK(n == 0);
  close(sv[0]);
  close(sv[1]);
  ocirun_error_free(&err);
}

static void test_fds_not_taken(void) {
  int sv[2], fds[LIMIT_SYNC_FDS + 1], got[2];
  size_t n = 99;
  int before;
  ocirun_error_t *err = NULL;
  char *m;

  pair_of(sv);
  for (int i = 0; i < 3; i++)
    fds[i] = dup(STDERR_FILENO);
  before = open_fds();
  /* More than the receiver takes: an error, and nothing of the message stays open. */
  CHECK(sync_send_fds(sv[0], SYNC_GO, 0, fds, 3, &err) == 0);
  m = unit_error_message(sync_expect_fds(sv[1], SYNC_GO, NULL, got, 2, &n, &err), &err);
  CHECK_CONTAINS(m, "more file descriptors than expected");
  free(m);
  CHECK(n == 0);
  CHECK(open_fds() == before);
  /* Fds where none are expected (sync_recv, sync_expect): an error too. */
  CHECK(sync_send_fds(sv[0], SYNC_READY, 0, fds, 1, &err) == 0);
  m = unit_error_message(sync_expect(sv[1], SYNC_READY, NULL, &err), &err);
  CHECK_CONTAINS(m, "more file descriptors than expected");
  free(m);
  CHECK(open_fds() == before);
  /* A message of another type: refused, its fds closed. */
  CHECK(sync_send_fds(sv[0], SYNC_RUN, 0, fds, 2, &err) == 0);
  m = unit_error_message(sync_expect_fds(sv[1], SYNC_GO, NULL, got, 2, &n, &err), &err);
  CHECK_CONTAINS(m, "sync: expected go, got run");
  free(m);
  CHECK(n == 0);
  CHECK(open_fds() == before);
  /* More than one message can carry: refused before anything is sent. */
  for (int i = 3; i <= LIMIT_SYNC_FDS; i++)
    fds[i] = fds[0];
  m = unit_error_message(sync_send_fds(sv[0], SYNC_GO, 0, fds, LIMIT_SYNC_FDS + 1, &err), &err);
  CHECK_CONTAINS(m, "sync: send go: send 65 file descriptors over unix socket (at most 64)");
  free(m);
  for (int i = 0; i < 3; i++)
    close(fds[i]);
  close(sv[0]);
  close(sv[1]);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  test_go_with_fds();
  test_fds_not_taken();
  return unit_done();
}
