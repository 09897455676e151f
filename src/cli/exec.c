/* `exec [flags] ID [COMMAND [ARG...]]` with runc's flags.  The process is the
 * container's config process with the flags applied, or the whole --process
 * file. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "container/exec.h"
#include "util/fs.h"
#include "util/limits.h"
#include "util/user_spec.h"

enum {
  OPT_CONSOLE_SOCKET = 400,
  OPT_PIDFD_SOCKET,
  OPT_CWD,
  OPT_PID_FILE,
  OPT_PROCESS_LABEL,
  OPT_APPARMOR,
  OPT_NO_NEW_PRIVS,
  OPT_PRESERVE_FDS,
  OPT_CGROUP,
  OPT_IGNORE_PAUSED,
  OPT_HELP,
};

static const struct option exec_options_table[] = {
    {"console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET},
    {"pidfd-socket", required_argument, NULL, OPT_PIDFD_SOCKET},
    {"cwd", required_argument, NULL, OPT_CWD},
    {"env", required_argument, NULL, 'e'},
    {"tty", no_argument, NULL, 't'},
    {"user", required_argument, NULL, 'u'},
    {"additional-gids", required_argument, NULL, 'g'},
    {"process", required_argument, NULL, 'p'},
    {"detach", no_argument, NULL, 'd'},
    {"pid-file", required_argument, NULL, OPT_PID_FILE},
    {"process-label", required_argument, NULL, OPT_PROCESS_LABEL},
    {"apparmor", required_argument, NULL, OPT_APPARMOR},
    {"no-new-privs", no_argument, NULL, OPT_NO_NEW_PRIVS},
    {"cap", required_argument, NULL, 'c'},
    {"preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS},
    {"cgroup", required_argument, NULL, OPT_CGROUP},
    {"ignore-paused", no_argument, NULL, OPT_IGNORE_PAUSED},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

static const char *const exec_descriptions[] = {
    "path to an AF_UNIX socket which will receive a file descriptor referencing the master end "
    "of the console's pseudoterminal",
    "path to an AF_UNIX socket which will receive a file descriptor referencing the exec process",
    "current working directory in the container",
    "set environment variables",
    "allocate a pseudo-TTY",
    "UID (format: <uid>[:<gid>])",
    "additional gids",
    "path to the process.json",
    "detach from the container's process",
    "specify the file to write the process id to",
    "set the asm process label for the process commonly used with selinux",
    "set the apparmor profile for the process",
    "set the no new privileges value for the process",
    "add a capability to the bounding set for the process",
    "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)",
    "run the process in an (existing) sub-cgroup(s). Format is [<controller>:]<cgroup>.",
    "allow exec in a paused container",
    "show help",
};

struct exec_flags {
  const char *process_file;
  const char *cwd;
  const char *user;
  const char *pid_file;
  const char *process_label; /* --process-label */
  const char *apparmor;      /* --apparmor */
  char *env[LIMIT_EXEC_ENV];
  size_t env_len;
  char *caps[LIMIT_EXEC_CAPS];
  size_t caps_len;
  uint32_t gids[LIMIT_EXEC_GIDS];
  size_t gids_len;
  char *cgroups[LIMIT_EXEC_CGROUPS];
  size_t cgroups_len;
  bool tty, no_new_privs;
};

static int parse_u32(const char *s, uint32_t *out) {
  char *end = NULL;
  unsigned long long v;
  if (s[0] == '\0' || s[0] == '-' || s[0] == '+')
    return -1;
  errno = 0;
  v = strtoull(s, &end, 10);
  if (errno || *end || v > 4294967294ULL)
    return -1;
  *out = (uint32_t)v;
  return 0;
}

/* -e K=V comes after the config's environment: the process environment keeps the last
 * value of each key. */
static int merge_env(struct spec_strv *env, char **extra, size_t n) {
  char **items = calloc(env->len + n + 1, sizeof(char *));

  if (items == NULL)
    return -1;
  memcpy(items, env->items, env->len * sizeof(char *));
  memcpy(items + env->len, extra, n * sizeof(char *));
  env->items = items; /* borrowed strings; the array is freed with the process copy */
  env->len += n;
  return 0;
}

/* The process to run: config process + flags, or the --process file. */
static int build_process(const struct exec_flags *f, const struct spec *spec, int argc, char **argv,
                         struct spec_process *p, char **process_json, ocirun_error_t **err) {
  if (f->process_file) {
    size_t len = 0;
    if (fs_read_file(f->process_file, LIMIT_DOCUMENT_FILE, process_json, &len, err) < 0)
      return -1;
    return spec_process_parse("process.json", *process_json, len, p, err);
  }
  if (argc - optind < 2)
    return ocirun_error_set(err, 0, "exec: a command to run is required (or --process)");
  *p = spec->process;
  p->args.items = argv + optind + 1;
  p->args.len = (size_t)(argc - optind - 1);
  p->terminal = f->tty;
  p->env.items = NULL;
  p->env.len = 0;
  {
    struct spec_strv base = spec->process.env;
    if (merge_env(&base, (char **)f->env, f->env_len) < 0)
      return ocirun_error_set(err, ENOMEM, "exec: environment");
    p->env = base;
  }
  if (f->cwd)
    p->cwd = (char *)f->cwd;
  if (f->user) {
    uint32_t uid, gid;
    bool has_gid = false;
    if (user_spec_parse(f->user, &uid, &gid, &has_gid, err) < 0)
      return -1;
    p->user.uid = uid;
    /* runc: a uid without a gid runs with gid 0 */
    p->user.gid = has_gid ? gid : 0;
  }
  if (f->gids_len) {
    p->user.additional_gids = (uint32_t *)f->gids;
    p->user.additional_gids_len = f->gids_len;
  }
  if (f->no_new_privs)
    p->no_new_privileges = true;
  /* As runc: an empty value keeps the container's label. */
  if (f->apparmor && f->apparmor[0])
    p->apparmor_profile = (char *)f->apparmor;
  if (f->process_label && f->process_label[0])
    p->selinux_label = (char *)f->process_label;
  return 0;
}

static int parse_flags(int argc, char **argv, struct exec_flags *f, struct exec_options *o,
                       const struct cli_command *cmd) {
  int opt;
  char *end;

  while ((opt = cli_getopt_leading(argc, argv, "e:tu:g:p:dc:", exec_options_table)) != -1) {
    switch (opt) {
    case OPT_HELP:
      cli_print_command_help(cmd, exec_options_table, exec_descriptions);
      return 1;
    case OPT_CONSOLE_SOCKET:
      o->console_socket = optarg;
      break;
    case OPT_PIDFD_SOCKET:
      o->pidfd_socket = optarg;
      break;
    case OPT_CWD:
      f->cwd = optarg;
      break;
    case 'e':
      if (f->env_len == LIMIT_EXEC_ENV)
        return cli_usage_error(cmd, "too many --env flags"), -1;
      f->env[f->env_len++] = optarg;
      break;
    case 't':
      f->tty = true;
      break;
    case 'u':
      f->user = optarg;
      break;
    case 'g':
      if (f->gids_len == LIMIT_EXEC_GIDS || parse_u32(optarg, &f->gids[f->gids_len]) < 0)
        return cli_usage_error(cmd, "invalid --additional-gids value \"%s\"", optarg), -1;
      f->gids_len++;
      break;
    case 'p':
      f->process_file = optarg;
      break;
    case 'd':
      o->detach = true;
      break;
    case OPT_PID_FILE:
      f->pid_file = optarg;
      break;
    case OPT_PROCESS_LABEL:
      f->process_label = optarg;
      break;
    case OPT_APPARMOR:
      f->apparmor = optarg;
      break;
    case OPT_NO_NEW_PRIVS:
      f->no_new_privs = true;
      break;
    case 'c':
      if (f->caps_len == LIMIT_EXEC_CAPS)
        return cli_usage_error(cmd, "too many --cap flags"), -1;
      f->caps[f->caps_len++] = optarg;
      break;
    case OPT_PRESERVE_FDS:
      errno = 0;
      end = NULL;
      long n = strtol(optarg, &end, 10);
      if (errno || *end || n < 0 || n > 65536)
        return cli_usage_error(cmd, "invalid value \"%s\" for flag --preserve-fds", optarg), -1;
      o->preserve_fds = (int)n;
      break;
    case OPT_CGROUP:
      if (f->cgroups_len == LIMIT_EXEC_CGROUPS)
        return cli_usage_error(cmd, "too many --cgroup flags"), -1;
      f->cgroups[f->cgroups_len++] = optarg;
      break;
    case OPT_IGNORE_PAUSED:
      o->ignore_paused = true;
      break;
    default:
      return -1;
    }
  }
  return 0;
}

int cmd_exec(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("exec");
  struct exec_options o = {.root = g->root};
  struct exec_flags f = {0};
  struct spec *spec = NULL;
  struct spec_process process = {0};
  struct cgroup_sub *subs = NULL;
  char *process_json = NULL, *pid_file = NULL;
  ocirun_error_t *err = NULL;
  int r, exit_code = 1;

  r = parse_flags(argc, argv, &f, &o, cmd);
  if (r != 0)
    return r > 0 ? 0 : CLI_EXIT_FAILURE;
  if (cli_require_args(cmd, argc, argv, 1, -1) < 0)
    return CLI_EXIT_FAILURE;
  o.id = argv[optind];
  if (f.pid_file) {
    char cwd[PATH_MAX];
    if (f.pid_file[0] == '/')
      pid_file = strdup(f.pid_file);
    else if (getcwd(cwd, sizeof(cwd)) == NULL || asprintf(&pid_file, "%s/%s", cwd, f.pid_file) < 0)
      pid_file = NULL;
    o.pid_file = pid_file;
  }
  if (container_id_validate(o.id, &err) < 0 || container_load_spec(g->root, o.id, &spec, &err) < 0)
    goto fail;
  if (build_process(&f, spec, argc, argv, &process, &process_json, &err) < 0)
    goto fail;
  if (caps_from_spec(&process.capabilities, ".process.capabilities", &o.caps, &err) < 0 ||
      caps_add_names(&o.caps, f.caps, f.caps_len, &err) < 0)
    goto fail;
  if (cgroup_subs_parse(f.cgroups, f.cgroups_len, &subs, &err) < 0)
    goto fail;
  o.cgroup_subs = subs;
  o.cgroup_subs_len = f.cgroups_len;
  o.spec = spec;
  o.process = &process;
  if (container_exec(&o, &exit_code, &err) < 0)
    goto fail;
  r = exit_code;
  goto out;
fail:
  /* runc: exec's own failures exit 255, apart from any status the process can exit with */
  cli_fail(&err);
  r = 255;
out:
  if (process_json)
    spec_process_clear(&process);
  else
    free(process.env.items);
  if (spec)
    spec_free(spec);
  free(process_json);
  free(pid_file);
  cgroup_subs_free(subs, f.cgroups_len);
  return r;
}
