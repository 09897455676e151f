/* Inside checkpoint/: the CRIU RPC session, the request builders and the
 * pieces dump and restore share.  Not part of the public interface. */
#ifndef OCIRUN_CHECKPOINT_CRIU_INTERNAL_H
#define OCIRUN_CHECKPOINT_CRIU_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "checkpoint/checkpoint.h"
#include "rpc.pb-c.h"
#include "spec/spec.h"
#include "util/error.h"

/* Version numbers as CRIU's VERSION answer gives them: major*10000 + minor*100 + sublevel. */
#define CRIU_MIN_VERSION 30000           /* the VERSION request itself */
#define CRIU_EXT_NET_NS_VERSION 31100    /* --external net[inode]:key */
#define CRIU_EXT_PID_NS_VERSION 31500    /* --external pid[inode]:key */
#define CRIU_STATUS_NOTIFY_VERSION 31500 /* "status-ready" notification */
#define CRIU_V2_FREEZER_VERSION 31400

/* One run of `criu swrk 3`: the request, the notifications CRIU sends while it
 * works, and its final answer. */
struct criu_session {
  const char *criu_path;
  int stdio[3];         /* CRIU's fds 0-2 (restore: the restored tree's); -1: /dev/null */
  const int *extra_fds; /* become fds 4, 5, ... in CRIU (--inherit-fd targets) */
  size_t extra_len;
  const char *log_path; /* named in error messages; NULL for VERSION / FEATURE_CHECK */
  /* After CRIU is spawned and before the request is sent (restore: cgroup placement). */
  int (*on_spawn)(void *arg, pid_t criu_pid, CriuReq *req, ocirun_error_t **err);
  /* A notification; fd is a descriptor CRIU passed along (or -1), owned by the callee. */
  int (*on_notify)(void *arg, const char *script, pid_t pid, int fd, ocirun_error_t **err);
  void *arg;
  pid_t criu_pid; /* set while it runs */
};

/* Runs one request; *resp is CRIU's final answer (free with criu_resp__free_unpacked).
 * A failed request becomes an error naming its type, CRIU's errno and message, the
 * log file and the last error lines of the log. */
int criu_swrk_run(struct criu_session *s, CriuReq *req, CriuResp **resp, ocirun_error_t **err);

const char *criu_req_type_name(CriuReqType t);

/* VERSION (cached per criu path). */
int criu_version(const char *criu_path, int *version, char *text, size_t text_len,
                 ocirun_error_t **err);
/* Fails with "criu X.Y.Z is too old for WHAT: need A.B or later" below min. */
int criu_require_version(const char *criu_path, int min, const char *what, ocirun_error_t **err);
/* FEATURE_CHECK for the features set in want; a missing one is named in the error. */
int criu_check_features(const char *criu_path, CriuOpts *opts, const CriuFeatures *want,
                        ocirun_error_t **err);

/* Request building: repeated fields grow one element at a time.  Strings are
 * copied; everything is released by criu_opts_free. */
int criu_opts_add_ext_mount(CriuOpts *o, const char *key, const char *val);
int criu_opts_add_external(CriuOpts *o, const char *value);
int criu_opts_add_inherit_fd(CriuOpts *o, const char *key, int fd);
int criu_opts_add_cg_root(CriuOpts *o, const char *ctrl, const char *path);
/* The fields set from the shared flags (both dump and restore). */
int criu_opts_common(CriuOpts *o, const struct criu_options *flags, const struct spec *spec,
                     int image_fd, int work_fd, const char *log_file);
void criu_opts_free(CriuOpts *o);

/* External mounts: every bind mount of the config, the /dev nodes, masked files.
 * Dump maps each destination to itself (a key CRIU records); restore maps the key
 * to the host source to bind there.  masked_file(path) says whether a masked path
 * is a file (bound from /dev/null) rather than a directory or absent. */
int criu_mounts_for_dump(CriuOpts *o, const struct spec *spec,
                         bool (*masked_file)(void *arg, const char *path), void *arg);
int criu_mounts_for_restore(CriuOpts *o, const struct spec *spec);
/* True for a mount of the config made as a bind ("bind" type or a bind/rbind option). */
bool criu_mount_is_bind(const struct spec_mount *m);

/* The network/pid namespaces the config joins by path: CRIU dumps them as
 * external ("net[INODE]:extRootNetNS") and restore hands it an fd of the same
 * namespace under that key.  version gates each kind as CRIU gained it. */
int criu_external_ns_for_dump(CriuOpts *o, const struct spec *spec, int version,
                              ocirun_error_t **err);
/* Opens the namespaces (fds appended to *fds, *n grows; CRIU sees them from fd 4 on). */
int criu_external_ns_for_restore(CriuOpts *o, const struct spec *spec, int version, int **fds,
                                 size_t *n, ocirun_error_t **err);

/* descriptors.json: the JSON array of what fds 0-2 of the init pointed to. */
char *descriptors_format(char *const paths[3]);
int descriptors_parse(const char *data, size_t len, char *paths[3], ocirun_error_t **err);

#endif
