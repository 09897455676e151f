/* The compiled-filter cache: one file per distinct seccomp section,
 * <dir>/<sha256 hex>.bpf, so that containers started from the same profile pay the
 * libseccomp compilation once.
 *
 * The key is SHA-256 over a canonical encoding of everything the program depends on:
 * the section as parsed (listenerPath and listenerMetadata excepted: they do not change
 * the program), the native architecture, and the libseccomp version and API level
 * (which decide the syscall tables and the code generated).  The file is
 *     header { magic, format version, instruction count, key, SHA-256 of the program }
 *     program (struct sock_filter[count], host byte order)
 * written atomically (temporary file + rename, mode 0600, directory 0700) and checked
 * before use: a file with a bad header, length, key or checksum is removed and the
 * program is compiled again.  The directory is the runtime's own (seccomp_cache_default_dir),
 * never a container state root. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/seccomp_internal.h"
#include "linux/seccomp_sha256.h"
#include "util/cleanup.h"
#include "util/userns.h"
#include "util/fs.h"
#include "util/log.h"

#define CACHE_MAGIC "OCIRBPF\n"
#define CACHE_FORMAT 1u

struct cache_header {
  char magic[8];
  uint32_t format;
  uint32_t count;
  uint8_t key[SECCOMP_CACHE_KEY_LEN];
  uint8_t sum[SHA256_DIGEST_LEN];
};

/* Length-prefixed fields, so that no two sections encode to the same bytes. */
static void put_u64(struct sha256_ctx *c, uint64_t v) {
  uint8_t b[8];
  for (int i = 0; i < 8; i++)
    b[i] = (uint8_t)(v >> (8 * i));
  sha256_update(c, b, sizeof(b));
}

static void put_str(struct sha256_ctx *c, const char *s) {
  if (s == NULL) {
    put_u64(c, UINT64_MAX);
    return;
  }
  put_u64(c, strlen(s));
  sha256_update(c, s, strlen(s));
}

static void put_strv(struct sha256_ctx *c, const struct spec_strv *v) {
  put_u64(c, v->len);
  for (size_t i = 0; i < v->len; i++)
    put_str(c, v->items[i]);
}

int seccomp_cache_key(const struct spec_seccomp *s, uint8_t key[SECCOMP_CACHE_KEY_LEN],
                      ocirun_error_t **err) {
  const struct scmp_version *v = seccomp_version();
  struct sha256_ctx c;

  if (v == NULL)
    return ocirun_error_set(err, 0, "seccomp: libseccomp version unknown");
  sha256_init(&c);
  put_str(&c, "ocirun seccomp program");
  put_u64(&c, CACHE_FORMAT);
  put_u64(&c, v->major), put_u64(&c, v->minor), put_u64(&c, v->micro);
  put_u64(&c, seccomp_api_get());
  put_u64(&c, seccomp_arch_native());
  put_str(&c, s->default_action);
  put_u64(&c, s->has_default_errno_ret), put_u64(&c, s->default_errno_ret);
  put_strv(&c, &s->architectures);
  put_strv(&c, &s->flags);
  put_u64(&c, s->syscalls_len);
  for (size_t i = 0; i < s->syscalls_len; i++) {
    const struct spec_seccomp_syscall *sc = &s->syscalls[i];
    put_strv(&c, &sc->names);
    put_str(&c, sc->action);
    put_u64(&c, sc->has_errno_ret), put_u64(&c, sc->errno_ret);
    put_u64(&c, sc->args_len);
    for (size_t j = 0; j < sc->args_len; j++) {
      const struct spec_seccomp_arg *a = &sc->args[j];
      put_u64(&c, a->index), put_u64(&c, a->value);
      put_u64(&c, a->has_value_two), put_u64(&c, a->value_two);
      put_str(&c, a->op);
    }
  }
  sha256_final(&c, key);
  return 0;
}

static void cache_path(char *buf, size_t cap, const char *dir,
                       const uint8_t key[SECCOMP_CACHE_KEY_LEN]) {
  size_t n = (size_t)snprintf(buf, cap, "%s/", dir);
  for (size_t i = 0; i < SECCOMP_CACHE_KEY_LEN && n + 2 < cap; i++, n += 2)
    snprintf(buf + n, cap - n, "%02x", key[i]);
  snprintf(buf + n, cap > n ? cap - n : 0, ".bpf");
}

/* Why the file cannot be used, or NULL when it can. */
static const char *check_file(const uint8_t *data, size_t size,
                              const uint8_t key[SECCOMP_CACHE_KEY_LEN]) {
  struct cache_header h;
  uint8_t sum[SHA256_DIGEST_LEN];

  if (size < sizeof(h))
    return "truncated header";
  memcpy(&h, data, sizeof(h));
  if (memcmp(h.magic, CACHE_MAGIC, sizeof(h.magic)) != 0 || h.format != CACHE_FORMAT)
    return "not a program of this format";
  if (h.count == 0 || h.count > SECCOMP_PROGRAM_MAX_INSNS ||
      size != sizeof(h) + (size_t)h.count * sizeof(struct sock_filter))
    return "wrong length";
  if (memcmp(h.key, key, SECCOMP_CACHE_KEY_LEN) != 0)
    return "key mismatch";
  sha256(data + sizeof(h), size - sizeof(h), sum);
  if (memcmp(sum, h.sum, sizeof(sum)) != 0)
    return "checksum mismatch";
  return NULL;
}

char *seccomp_cache_default_dir(void) {
  const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  char *dir = NULL;
  int n;

  /* root of a user namespace (rootless podman's) cannot reach the host's /var/cache */
  if (geteuid() == 0 && !userns_running_in_nested())
    return strdup("/var/cache/ocirun/seccomp");
  if (xdg && xdg[0] == '/')
    n = asprintf(&dir, "%s/ocirun/seccomp", xdg);
  else if (home && home[0] == '/')
    n = asprintf(&dir, "%s/.cache/ocirun/seccomp", home);
  else
    return strdup("");
  return n < 0 ? NULL : dir;
}

/* A directory someone else could write into is not one to keep programs in. */
static int check_private_dir(const char *dir, ocirun_error_t **err) {
  struct stat st;
  if (lstat(dir, &st) < 0)
    return ocirun_error_set(err, errno, "stat %s", dir);
  if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022))
    return ocirun_error_set(err, 0, "%s: not a private directory, not used", dir);
  return 0;
}

int seccomp_cache_lookup(const char *dir, const uint8_t key[SECCOMP_CACHE_KEY_LEN],
                         struct seccomp_program **out, ocirun_error_t **err) {
  char path[4096];
  _cleanup_free_ char *data = NULL;
  _cleanup_close_ int fd = -1;
  size_t size = 0;
  struct stat st;
  const char *bad;
  struct seccomp_program *p;

  cache_path(path, sizeof(path), dir, key);
  fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0 && errno == ENOENT)
    return 0;
  if (check_private_dir(dir, err) < 0)
    return -1;
  if (fd < 0)
    return ocirun_error_set(err, errno, "open %s", path);
  if (fstat(fd, &st) < 0)
    return ocirun_error_set(err, errno, "stat %s", path);
  /* A program someone else could have written is not one to load into a container. */
  if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022))
    return ocirun_error_set(err, 0, "%s: not a private regular file, not used", path);
  if (st.st_size >
      (off_t)(sizeof(struct cache_header) + SECCOMP_PROGRAM_MAX_INSNS * sizeof(struct sock_filter)))
    bad = "too large";
  else {
    data = malloc((size_t)st.st_size + 1);
    if (data == NULL)
      return ocirun_error_set(err, ENOMEM, "read %s", path);
    ssize_t n = pread(fd, data, (size_t)st.st_size, 0);
    if (n < 0)
      return ocirun_error_set(err, errno, "read %s", path);
    size = (size_t)n;
    bad = check_file((const uint8_t *)data, size, key);
  }
  if (bad) {
    log_warn("seccomp filter cache: %s: %s, compiling again", path, bad);
    unlink(path);
    return 0;
  }
  p = calloc(1, sizeof(*p));
  if (p == NULL)
    return ocirun_error_set(err, ENOMEM, "read %s", path);
  p->len = (unsigned)((size - sizeof(struct cache_header)) / sizeof(struct sock_filter));
  p->insns = malloc(size - sizeof(struct cache_header));
  if (p->insns == NULL) {
    free(p);
    return ocirun_error_set(err, ENOMEM, "read %s", path);
  }
  memcpy(p->insns, data + sizeof(struct cache_header), size - sizeof(struct cache_header));
  p->from_cache = true;
  *out = p;
  return 1;
}

int seccomp_cache_store(const char *dir, const uint8_t key[SECCOMP_CACHE_KEY_LEN],
                        const struct seccomp_program *p, ocirun_error_t **err) {
  char path[4096];
  size_t body = (size_t)p->len * sizeof(struct sock_filter);
  _cleanup_free_ char *buf = malloc(sizeof(struct cache_header) + body);
  struct cache_header h = {.format = CACHE_FORMAT, .count = p->len};

  if (buf == NULL)
    return ocirun_error_set(err, ENOMEM, "seccomp filter cache");
  memcpy(h.magic, CACHE_MAGIC, sizeof(h.magic));
  memcpy(h.key, key, SECCOMP_CACHE_KEY_LEN);
  sha256(p->insns, body, h.sum);
  memcpy(buf, &h, sizeof(h));
  memcpy(buf + sizeof(h), p->insns, body);
  if (fs_mkdir_p(dir, 0700, err) < 0 || check_private_dir(dir, err) < 0)
    return -1;
  cache_path(path, sizeof(path), dir, key);
  return fs_write_file_atomic(path, buf, sizeof(h) + body, 0600, err);
}
