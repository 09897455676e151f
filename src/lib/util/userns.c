/* The runtime's own user namespace: see userns.h. */
#include "util/userns.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cleanup.h"

/* One unsigned decimal number of at most 32 bits, after blanks. */
static const char *read_u32(const char *p, const char *end, uint32_t *out) {
  uint64_t v = 0;
  const char *start;

  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  start = p;
  while (p < end && *p >= '0' && *p <= '9' && p - start < 11) {
    v = v * 10 + (uint64_t)(*p - '0');
    p++;
  }
  if (p == start || v > UINT32_MAX)
    return NULL;
  *out = (uint32_t)v;
  return p;
}

bool userns_map_is_identity(const char *map, size_t len) {
  const char *p = map, *end = map + len;
  uint32_t in, out, count;

  if ((p = read_u32(p, end, &in)) == NULL || (p = read_u32(p, end, &out)) == NULL ||
      (p = read_u32(p, end, &count)) == NULL)
    return false;
  while (p < end && (*p == ' ' || *p == '\n'))
    p++;
  /* the identity map, alone */
  return in == 0 && out == 0 && count == UINT32_MAX && p == end;
}

/* The first 4 KiB of /proc/self/uid_map (the kernel allows 340 lines of at most 33 bytes,
 * but the identity map and podman's are one to three lines). */
static ssize_t read_uid_map(char *buf, size_t size) {
  _cleanup_close_ int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
  ssize_t n;

  if (fd < 0)
    return -1;
  do
    n = read(fd, buf, size);
  while (n < 0 && errno == EINTR);
  return n;
}

bool userns_running_in_nested(void) {
  char buf[4096];
  ssize_t n = read_uid_map(buf, sizeof(buf));

  return n > 0 && !userns_map_is_identity(buf, (size_t)n);
}
