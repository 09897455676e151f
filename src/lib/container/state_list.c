/* Enumeration of the containers under a root, and the owner names `list` prints. */
#include "container/state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/limits.h"

void state_list_ids_free(char **ids, size_t count) {
  if (ids == NULL)
    return;
  for (size_t i = 0; i < count; i++)
    free(ids[i]);
  free(ids);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool entry_is_dir(DIR *d, const struct dirent *de) {
  struct stat sb;
  if (de->d_type == DT_DIR)
    return true;
  if (de->d_type != DT_UNKNOWN)
    return false;
  return fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode);
}

static int list_ids(const char *root, bool missing_ok, char ***ids, size_t *count,
                    ocirun_error_t **err);

int state_list_ids(const char *root, char ***ids, size_t *count, ocirun_error_t **err) {
  return list_ids(root, true, ids, count, err);
}

int state_list_ids_existing(const char *root, char ***ids, size_t *count, ocirun_error_t **err) {
  return list_ids(root, false, ids, count, err);
}

static int list_ids(const char *root, bool missing_ok, char ***ids, size_t *count,
                    ocirun_error_t **err) {
  _cleanup_closedir_ DIR *d = NULL;
  char **list = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;

  *ids = NULL;
  *count = 0;
  d = opendir(root);
  if (d == NULL) {
    /* No root yet: no container was ever created there. */
    if (errno == ENOENT && missing_ok)
      return 0;
    return ocirun_error_set(err, errno, "open %s", root);
  }
  while ((errno = 0, de = readdir(d)) != NULL) {
    ocirun_error_t *ignored = NULL;
    /* Anything else in the root (a stray file, a name no id can have) is not a
     * container. */
    if (!entry_is_dir(d, de) || container_id_validate(de->d_name, &ignored) < 0) {
      ocirun_error_free(&ignored);
      continue;
    }
    if (n == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      char **nlist = realloc(list, ncap * sizeof(*nlist));
      if (nlist == NULL) {
        state_list_ids_free(list, n);
        return ocirun_error_set(err, ENOMEM, "list %s", root);
      }
      list = nlist;
      cap = ncap;
    }
    list[n] = strdup(de->d_name);
    if (list[n] == NULL) {
      state_list_ids_free(list, n);
      return ocirun_error_set(err, ENOMEM, "list %s", root);
    }
    n++;
  }
  if (errno != 0) {
    int saved = errno;
    state_list_ids_free(list, n);
    return ocirun_error_set(err, saved, "readdir %s", root);
  }
  if (n > 1)
    qsort(list, n, sizeof(*list), cmp_str);
  *ids = list;
  *count = n;
  return 0;
}

char *state_passwd_name(const char *passwd, uid_t uid) {
  for (const char *line = passwd; line && *line;) {
    const char *end = strchrnul(line, '\n');
    const char *c1 = memchr(line, ':', (size_t)(end - line));
    const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
    const char *c3 = c2 ? memchr(c2 + 1, ':', (size_t)(end - c2 - 1)) : NULL;
    if (c3 && c1 > line && c3 > c2 + 1) {
      char *num_end = NULL;
      errno = 0;
      unsigned long v = strtoul(c2 + 1, &num_end, 10);
      if (errno == 0 && num_end == c3 && c2[1] != '-' && v == (unsigned long)uid)
        return strndup(line, (size_t)(c1 - line));
    }
    line = *end ? end + 1 : NULL;
  }
  return NULL;
}

char *state_owner_name(uid_t uid) {
  /* /etc/passwd itself, as runc reads it (no NSS: the binary is static,
   * and `list` asks once per container). */
  static char *passwd;
  static bool loaded;
  char *out = NULL;

  if (!loaded) {
    ocirun_error_t *err = NULL;
    loaded = true;
    if (fs_read_file("/etc/passwd", LIMIT_PROC_FILE, &passwd, NULL, &err) < 0)
      ocirun_error_free(&err);
  }
  out = passwd ? state_passwd_name(passwd, uid) : NULL;
  if (out == NULL && asprintf(&out, "#%u", (unsigned)uid) < 0)
    return NULL;
  return out;
}
