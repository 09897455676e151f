#include "linux/path_resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/syscalls.h"

#define MAX_SYMLINKS 40 /* the kernel's own limit */
#define MAX_DEPTH 256

const char *path_proc_fd(char buf[32], int fd) {
  snprintf(buf, 32, "/proc/self/fd/%d", fd);
  return buf;
}

/* Directory fds from the root down to the current directory.  fds[0] is the
 * caller's root fd and is not ours to close. */
struct walk {
  int fds[MAX_DEPTH];
  size_t depth;
};

static void walk_pop_to(struct walk *w, size_t depth) {
  while (w->depth > depth)
    close(w->fds[w->depth--]);
}

/* Create the missing component `name` in dirfd; an entry appearing meanwhile
 * is fine (the caller looks it up again). */
static int create_component(int dirfd, const char *name, bool file) {
  if (file) {
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
      return errno == EEXIST ? 0 : -1;
    close(fd);
    return 0;
  }
  if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
    return -1;
  return 0;
}

/* Slow path: resolve component by component, following symlinks by reading
 * them (never letting the kernel follow them) and creating what is missing. */
static int walk_path(int root_fd, const char *path, enum path_create create, bool nofollow) {
  struct walk w = {.fds = {root_fd}, .depth = 0};
  _cleanup_free_ char *todo = strdup(path);
  char *p = todo;
  int links = 0, ret = -1;

  if (todo == NULL) {
    errno = ENOMEM;
    return -1;
  }
  for (;;) {
    char *comp, *rest;
    bool last;
    int fd, saved;
    struct stat st;

    while (*p == '/')
      p++;
    if (*p == '\0') {
      ret = openat(w.fds[w.depth], ".", O_PATH | O_CLOEXEC);
      break;
    }
    comp = p;
    rest = strchr(p, '/');
    if (rest) {
      *rest++ = '\0';
      while (*rest == '/')
        rest++;
    } else {
      rest = p + strlen(p);
    }
    last = *rest == '\0';
    p = rest;
    if (strcmp(comp, ".") == 0)
      continue;
    if (strcmp(comp, "..") == 0) {
      if (w.depth > 0)
        walk_pop_to(&w, w.depth - 1);
      continue;
    }
    if (strlen(comp) > NAME_MAX) {
      errno = ENAMETOOLONG;
      break;
    }
  again:
    fd = openat(w.fds[w.depth], comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      if (errno != ENOENT || create == PATH_CREATE_NONE)
        break;
      if (create_component(w.fds[w.depth], comp, last && create == PATH_CREATE_FILE) < 0)
        break;
      goto again;
    }
    if (fstat(fd, &st) < 0) {
      saved = errno;
      close(fd);
      errno = saved;
      break;
    }
    if (S_ISLNK(st.st_mode) && !(last && nofollow)) {
      char target[PATH_MAX];
      ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);
      char *next;

      saved = errno;
      close(fd);
      if (n < 0) {
        errno = saved;
        break;
      }
      if (++links > MAX_SYMLINKS) {
        errno = ELOOP;
        break;
      }
      target[n] = '\0';
      /* The rest of the path now follows the link's target. */
      if (asprintf(&next, "%s/%s", target, rest) < 0) {
        errno = ENOMEM;
        break;
      }
      if (target[0] == '/')
        walk_pop_to(&w, 0);
      free(todo);
      todo = p = next;
      continue;
    }
    if (last) {
      ret = fd;
      break;
    }
    if (!S_ISDIR(st.st_mode)) {
      close(fd);
      errno = ENOTDIR;
      break;
    }
    if (w.depth + 1 >= MAX_DEPTH) {
      close(fd);
      errno = ENAMETOOLONG;
      break;
    }
    w.fds[++w.depth] = fd;
  }
  {
    int saved = errno;
    walk_pop_to(&w, 0);
    errno = saved;
  }
  return ret;
}

int path_open_in_root(int root_fd, const char *path, enum path_create create, bool nofollow) {
  const char *rel = path;
  uint64_t flags = O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0);

  while (*rel == '/')
    rel++;
  if (*rel == '\0')
    rel = ".";
  /* Fast path: one syscall when the path exists.  EAGAIN means a rename
   * raced with the lookup; the kernel asks to retry. */
  for (int i = 0; i < 8; i++) {
    int fd = sys_openat2(root_fd, rel, flags, 0, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
    if (fd >= 0)
      return fd;
    if (errno != EAGAIN)
      break;
  }
  if (errno != ENOENT || create == PATH_CREATE_NONE)
    return -1;
  return walk_path(root_fd, rel, create, nofollow);
}

int path_clean(const char *in, char *out, size_t size) {
  size_t len = 0;

  if (size < 2) {
    errno = ENAMETOOLONG;
    return -1;
  }
  out[len++] = '/';
  while (*in) {
    const char *end;
    size_t n;

    while (*in == '/')
      in++;
    if (*in == '\0')
      break;
    end = strchrnul(in, '/');
    n = (size_t)(end - in);
    if (n == 1 && in[0] == '.') {
      /* nothing */
    } else if (n == 2 && in[0] == '.' && in[1] == '.') {
      while (len > 1 && out[len - 1] != '/')
        len--;
      if (len > 1)
        len--; /* the separator before the removed component */
    } else {
      if (len > 1)
        out[len++] = '/';
      if (len + n + 1 > size) {
        errno = ENAMETOOLONG;
        return -1;
      }
      memcpy(out + len, in, n);
      len += n;
    }
    in = end;
  }
  out[len] = '\0';
  return 0;
}

void path_strip_root(const char *rootfs, char *path) {
  char root[PATH_MAX];
  size_t n;

  if (rootfs == NULL || path_clean(rootfs, root, sizeof(root)) < 0 || strcmp(root, "/") == 0)
    return;
  n = strlen(root);
  if (strncmp(path, root, n) != 0 || (path[n] != '/' && path[n] != '\0'))
    return;
  if (path[n] == '\0')
    strcpy(path, "/");
  else
    memmove(path, path + n, strlen(path + n) + 1);
}
