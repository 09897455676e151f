/* The checks runc makes of the checkpoint/restore flags before anything runs:
 * the image directory (made if missing) and its --parent-path, and the
 * --page-server address. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checkpoint/checkpoint.h"
#include "util/cleanup.h"
#include "util/fs.h"

int checkpoint_prepare_image_dir(const char *image_path, const char *parent_path,
                                 ocirun_error_t **err) {
  _cleanup_free_ char *real_parent = NULL;
  struct stat sb;

  if (fs_mkdir_p(image_path, 0700, err) < 0)
    return -1;
  if (parent_path == NULL || parent_path[0] == '\0')
    return 0;
  /* CRIU links <image>/parent to it: it must be relative to the image directory. */
  if (parent_path[0] == '/')
    return ocirun_error_set(err, 0, "--parent-path must be relative");
  if (asprintf(&real_parent, "%s/%s", image_path, parent_path) < 0)
    return ocirun_error_set(err, ENOMEM, "--parent-path");
  if (stat(real_parent, &sb) < 0)
    return ocirun_error_set(err, errno, "invalid --parent-path: stat %s", real_parent);
  if (!S_ISDIR(sb.st_mode))
    return ocirun_error_set(err, ENOTDIR, "invalid --parent-path: %s", real_parent);
  return 0;
}

int checkpoint_parse_page_server(const char *arg, char **addr, int *port, ocirun_error_t **err) {
  const char *colon = strrchr(arg, ':');
  const char *host = arg;
  size_t host_len;
  char *end = NULL;
  long n;

  *addr = NULL;
  if (colon == NULL)
    return ocirun_error_set(err, 0, "Use --page-server ADDRESS:PORT to specify page server");
  host_len = (size_t)(colon - arg);
  if (host_len >= 2 && host[0] == '[' && host[host_len - 1] == ']') {
    host++;
    host_len -= 2;
  }
  if (host_len == 0 || colon[1] == '\0')
    return ocirun_error_set(err, 0, "Use --page-server ADDRESS:PORT to specify page server");
  errno = 0;
  n = strtol(colon + 1, &end, 10);
  if (errno || *end || n < 0 || n > 65535)
    return ocirun_error_set(err, 0, "Invalid port number");
  *addr = strndup(host, host_len);
  if (*addr == NULL)
    return ocirun_error_set(err, ENOMEM, "--page-server");
  *port = (int)n;
  return 0;
}
