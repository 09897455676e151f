#include "cli/criu_flags.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --empty-ns names, as in config.json. */
static const struct {
  const char *name;
  unsigned flag;
} ns_names[] = {
    {"pid", CLONE_NEWPID},       {"network", CLONE_NEWNET}, {"mount", CLONE_NEWNS},
    {"ipc", CLONE_NEWIPC},       {"uts", CLONE_NEWUTS},     {"user", CLONE_NEWUSER},
    {"cgroup", CLONE_NEWCGROUP},
};

static int parse_cg_mode(const char *arg, struct criu_options *o) {
  static const struct {
    const char *name;
    int mode;
  } modes[] = {{"soft", CRIU_CG_SOFT},
               {"full", CRIU_CG_FULL},
               {"strict", CRIU_CG_STRICT},
               {"ignore", CRIU_CG_IGNORE}};
  for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
    if (strcmp(arg, modes[i].name) == 0) {
      o->manage_cgroups_mode = modes[i].mode;
      return 1;
    }
  fprintf(stderr, "ocirun: Invalid manage cgroups mode\n");
  return -1;
}

static int parse_empty_ns(const char *arg, struct criu_options *o) {
  for (size_t i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++)
    if (strcmp(arg, ns_names[i].name) == 0) {
      o->empty_ns |= ns_names[i].flag;
      return 1;
    }
  fprintf(stderr, "ocirun: namespace \"%s\" is not supported\n", arg);
  return -1;
}

int criu_flags_handle(int opt, struct criu_options *o) {
  char *end = NULL;
  long n;

  switch (opt) {
  case OPT_IMAGE_PATH:
    o->image_path = optarg;
    return 1;
  case OPT_WORK_PATH:
    o->work_path = optarg;
    return 1;
  case OPT_PARENT_PATH:
    o->parent_path = optarg;
    return 1;
  case OPT_LEAVE_RUNNING:
    o->leave_running = true;
    return 1;
  case OPT_TCP_ESTABLISHED:
    o->tcp_established = true;
    return 1;
  case OPT_TCP_SKIP_IN_FLIGHT:
    o->tcp_skip_in_flight = true;
    return 1;
  case OPT_LINK_REMAP:
    o->link_remap = true;
    return 1;
  case OPT_EXT_UNIX_SK:
    o->ext_unix_sk = true;
    return 1;
  case OPT_SHELL_JOB:
    o->shell_job = true;
    return 1;
  case OPT_LAZY_PAGES:
    o->lazy_pages = true;
    return 1;
  case OPT_FILE_LOCKS:
    o->file_locks = true;
    return 1;
  case OPT_PRE_DUMP:
    o->pre_dump = true;
    return 1;
  case OPT_AUTO_DEDUP:
    o->auto_dedup = true;
    return 1;
  case OPT_LSM_PROFILE:
    o->lsm_profile = optarg;
    return 1;
  case OPT_LSM_MOUNT_CONTEXT:
    o->lsm_mount_context = optarg;
    return 1;
  case OPT_MANAGE_CGROUPS_MODE:
    return parse_cg_mode(optarg, o);
  case OPT_EMPTY_NS:
    return parse_empty_ns(optarg, o);
  case OPT_STATUS_FD:
    errno = 0;
    n = strtol(optarg, &end, 10);
    if (errno || *end || n < -1 || n > INT_MAX) {
      fprintf(stderr, "ocirun: invalid value \"%s\" for flag --status-fd\n", optarg);
      return -1;
    }
    o->status_fd = (int)n;
    return 1;
  case OPT_PAGE_SERVER: {
    ocirun_error_t *err = NULL;
    free(o->page_server_addr);
    if (checkpoint_parse_page_server(optarg, &o->page_server_addr, &o->page_server_port, &err) <
        0) {
      cli_fail(&err);
      return -1;
    }
    return 1;
  }
  default:
    return 0;
  }
}

static char *absolute(const char *path) {
  char cwd[PATH_MAX];
  char *out = NULL;

  if (path[0] == '/')
    return strdup(path);
  if (getcwd(cwd, sizeof(cwd)) == NULL || asprintf(&out, "%s/%s", cwd, path) < 0)
    return NULL;
  return out;
}

int criu_flags_finish(struct cli_global *g, struct criu_options *o, char **image_abs,
                      char **work_abs) {
  *image_abs = absolute(o->image_path && o->image_path[0] ? o->image_path : "checkpoint");
  *work_abs = o->work_path && o->work_path[0] ? absolute(o->work_path) : NULL;
  if (*image_abs == NULL || (o->work_path && o->work_path[0] && *work_abs == NULL)) {
    fprintf(stderr, "ocirun: cannot make the image or work path absolute\n");
    return -1;
  }
  o->image_path = *image_abs;
  o->work_path = *work_abs;
  o->criu_path = g->criu;
  /* Network devices are not the runtime's to restore: CRIU always makes the
   * network namespace empty (or takes the external one), as runc asks. */
  o->empty_ns |= CLONE_NEWNET;
  return 0;
}
