/* What the installed CRIU is and can do: its VERSION answer (asked once per
 * command) and FEATURE_CHECK, each turned into an error that says what is
 * missing rather than CRIU's bare errno. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint/criu_internal.h"

static struct {
  char *path;
  int version;
  char text[64];
} cache;

static void format_version(int v, char *buf, size_t len) {
  snprintf(buf, len, "%d.%d.%d", v / 10000, v / 100 % 100, v % 100);
}

int criu_version(const char *criu_path, int *version, char *text, size_t text_len,
                 ocirun_error_t **err) {
  const char *path = criu_path ? criu_path : "criu";
  struct criu_session s = {.criu_path = path, .stdio = {-1, -1, -1}};
  CriuReq req = CRIU_REQ__INIT;
  CriuResp *resp = NULL;

  if (cache.path && strcmp(cache.path, path) == 0) {
    *version = cache.version;
    if (text)
      snprintf(text, text_len, "%s", cache.text);
    return 0;
  }
  req.type = CRIU_REQ_TYPE__VERSION;
  if (criu_swrk_run(&s, &req, &resp, err) < 0)
    return ocirun_error_prefix(err, "criu version check failed");
  if (resp->version == NULL) {
    criu_resp__free_unpacked(resp, NULL);
    return ocirun_error_set(err, 0, "criu version check failed: no version in the answer");
  }
  *version = resp->version->major_number * 10000 + resp->version->minor_number * 100 +
             (resp->version->has_sublevel ? resp->version->sublevel : 0);
  free(cache.path);
  cache.path = strdup(path);
  cache.version = *version;
  format_version(*version, cache.text, sizeof(cache.text));
  if (resp->version->gitid && resp->version->gitid[0]) {
    size_t used = strlen(cache.text);
    snprintf(cache.text + used, sizeof(cache.text) - used, " (%s)", resp->version->gitid);
  }
  if (text)
    snprintf(text, text_len, "%s", cache.text);
  criu_resp__free_unpacked(resp, NULL);
  return 0;
}

int criu_require_version(const char *criu_path, int min, const char *what, ocirun_error_t **err) {
  int v = 0;
  char have[16], need[16];

  if (criu_version(criu_path, &v, NULL, 0, err) < 0)
    return -1;
  if (v >= min)
    return 0;
  format_version(v, have, sizeof(have));
  format_version(min, need, sizeof(need));
  return ocirun_error_set(err, 0, "criu %s is too old for %s: need %s or later", have, what, need);
}

int criu_check_features(const char *criu_path, CriuOpts *opts, const CriuFeatures *want,
                        ocirun_error_t **err) {
  struct criu_session s = {.criu_path = criu_path, .stdio = {-1, -1, -1}};
  CriuReq req = CRIU_REQ__INIT;
  CriuResp *resp = NULL;
  CriuFeatures query = *want;
  char version[64] = "?";
  int v;
  const char *missing = NULL;

  if (criu_version(criu_path, &v, version, sizeof(version), err) < 0)
    return -1;
  req.type = CRIU_REQ_TYPE__FEATURE_CHECK;
  /* Older CRIUs crash on a FEATURE_CHECK without options. */
  req.opts = opts;
  req.features = &query;
  if (criu_swrk_run(&s, &req, &resp, err) < 0)
    return ocirun_error_prefix(err, "criu feature check failed");
  if (resp->features == NULL) {
    criu_resp__free_unpacked(resp, NULL);
    return ocirun_error_set(err, 0, "criu feature check failed: no features in the answer");
  }
  if (want->has_mem_track && want->mem_track && resp->features->has_mem_track &&
      !resp->features->mem_track)
    missing = "memory tracking (--pre-dump, --parent-path: criu check --feature mem_dirty_track)";
  else if (want->has_lazy_pages && want->lazy_pages && resp->features->has_lazy_pages &&
           !resp->features->lazy_pages)
    missing = "lazy pages (--lazy-pages: criu check --feature uffd-noncoop)";
  criu_resp__free_unpacked(resp, NULL);
  if (missing)
    return ocirun_error_set(err, 0, "criu %s lacks %s on this kernel", version, missing);
  return 0;
}

int criu_probe_version(const char *criu_path, char *buf, size_t len, ocirun_error_t **err) {
  int v;
  return criu_version(criu_path, &v, buf, len, err);
}
