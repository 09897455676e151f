/* The state letter and the start time of a process, from /proc/<pid>/stat. */
#include "util/proc_stat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"

/* Field 22 counted from 1; fields 1 and 2 are pid and (comm). */
#define STAT_FIELD_STATE 3
#define STAT_FIELD_STARTTIME 22

int process_stat_parse(const char *buf, size_t len, char *state, uint64_t *start_time) {
  /* comm (field 2) may contain spaces and parentheses: the fields after it begin
   * after the last ')' of the line. */
  const char *p = NULL, *end = buf + len;
  int field = STAT_FIELD_STATE;

  for (const char *q = buf; q < end; q++)
    if (*q == ')')
      p = q;
  if (p == NULL)
    return -1;
  p++;
  for (;;) {
    const char *tok;
    while (p < end && *p == ' ')
      p++;
    if (p >= end)
      return -1;
    tok = p;
    while (p < end && *p != ' ' && *p != '\n')
      p++;
    if (field == STAT_FIELD_STATE) {
      if (p - tok != 1)
        return -1;
      *state = *tok;
    } else if (field == STAT_FIELD_STARTTIME) {
      uint64_t v = 0;
      if (p == tok)
        return -1;
      for (const char *d = tok; d < p; d++) {
        if (*d < '0' || *d > '9')
          return -1;
        if (v > (UINT64_MAX - (uint64_t)(*d - '0')) / 10)
          return -1;
        v = v * 10 + (uint64_t)(*d - '0');
      }
      *start_time = v;
      return 0;
    }
    field++;
  }
}

/* 0 and the fields, or -1 when the process does not exist (or /proc is unreadable). */
static int process_stat_read(pid_t pid, char *state, uint64_t *start_time) {
  char path[64], buf[1024];
  _cleanup_close_ int fd = -1;
  ssize_t n;

  if (pid <= 0)
    return -1;
  snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  do
    n = read(fd, buf, sizeof(buf));
  while (n < 0 && errno == EINTR);
  if (n <= 0)
    return -1;
  return process_stat_parse(buf, (size_t)n, state, start_time);
}

uint64_t process_start_time(pid_t pid) {
  char state;
  uint64_t start;
  if (process_stat_read(pid, &state, &start) < 0)
    return 0;
  return start;
}

bool process_is_same(pid_t pid, uint64_t start_time) {
  char state;
  uint64_t start;
  if (process_stat_read(pid, &state, &start) < 0)
    return false;
  /* A zombie has exited: nothing may be signalled or joined any more.  It can linger
   * when the reaper (a pid 1 that never calls wait) neglects it. 'X' is "dead". */
  if (state == 'Z' || state == 'X')
    return false;
  return start == start_time;
}

int process_stdio_paths(pid_t pid, char *paths[3]) {
  for (int i = 0; i < 3; i++) {
    char link[64], target[4096];
    ssize_t n;
    snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pid, i);
    n = readlink(link, target, sizeof(target) - 1);
    target[n > 0 ? n : 0] = '\0';
    free(paths[i]);
    paths[i] = strdup(target);
    if (paths[i] == NULL)
      return -1;
  }
  return 0;
}
