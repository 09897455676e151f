#include "process/stdio_pipes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int stdio_pipes_make(struct stdio_pipes *p, ocirun_error_t **err) {
  for (int i = 0; i < 3; i++) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
      stdio_pipes_close(p);
      return ocirun_error_set(err, errno, "pipe for the container's stdio");
    }
    /* stdin: the child reads; stdout, stderr: the child writes */
    p->child[i] = i == 0 ? fds[0] : fds[1];
    p->parent[i] = i == 0 ? fds[1] : fds[0];
  }
  return 0;
}

/* The host id of id 0 in a /proc/<pid>/{uid,gid}_map; -1 when 0 is not mapped. */
static long host_id_of_root(pid_t pid, const char *file) {
  char path[64];
  unsigned long inside, outside, count;
  long found = -1;
  FILE *f;

  snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
  f = fopen(path, "re");
  if (f == NULL)
    return -1;
  while (fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3) {
    if (inside == 0 && count > 0) {
      found = (long)outside;
      break;
    }
  }
  fclose(f);
  return found;
}

int stdio_pipes_chown_to_root_of(struct stdio_pipes *p, pid_t pid, ocirun_error_t **err) {
  long uid = host_id_of_root(pid, "uid_map"), gid = host_id_of_root(pid, "gid_map");

  if (uid < 0 || gid < 0 || (uid == geteuid() && gid == getegid()))
    return 0;
  /* Both ends of a pipe are one inode: one fchown per pipe. */
  for (int i = 0; i < 3; i++) {
    if (fchown(p->parent[i], (uid_t)uid, (gid_t)gid) < 0)
      return ocirun_error_set(err, errno, "chown the container's stdio pipes to %ld:%ld", uid, gid);
  }
  return 0;
}

int stdio_pipes_install(struct stdio_pipes *p) {
  for (int i = 0; i < 3; i++) {
    if (dup2(p->child[i], i) < 0)
      return -1;
  }
  stdio_pipes_close(p);
  return 0;
}

void stdio_pipes_close_child(struct stdio_pipes *p) {
  for (int i = 0; i < 3; i++) {
    if (p->child[i] >= 0)
      close(p->child[i]);
    p->child[i] = -1;
  }
}

void stdio_pipes_close(struct stdio_pipes *p) {
  stdio_pipes_close_child(p);
  for (int i = 0; i < 3; i++) {
    if (p->parent[i] >= 0)
      close(p->parent[i]);
    p->parent[i] = -1;
  }
}
