/* Entry point: global options (runc's), then dispatch to one command. */
#include <errno.h>
#include <getopt.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "linux/sealed_binary.h"
#include "ocirun-config.h"
#include "ocirun-version.h"
#include "spec/spec.h"
#include "util/trace.h"
#include "util/userns.h"

enum {
  OPT_ROOT = 256,
  OPT_LOG,
  OPT_LOG_FORMAT,
  OPT_DEBUG,
  OPT_SYSTEMD_CGROUP,
  OPT_CRIU,
  OPT_ROOTLESS,
  OPT_TRACE,
};

static const struct option global_options[] = {
    {"debug", no_argument, NULL, OPT_DEBUG},
    {"log", required_argument, NULL, OPT_LOG},
    {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
    {"root", required_argument, NULL, OPT_ROOT},
    {"criu", required_argument, NULL, OPT_CRIU},
    {"systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP},
    {"rootless", required_argument, NULL, OPT_ROOTLESS},
    {"trace", no_argument, NULL, OPT_TRACE},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'v'},
    {NULL, 0, NULL, 0},
};

static void print_version(void) {
  const struct scmp_version *v = seccomp_version();
  printf("ocirun version %s\ncommit: %s\nspec: %s\n", OCIRUN_VERSION, OCIRUN_COMMIT,
         OCIRUN_SPEC_VERSION);
  if (v)
    printf("libseccomp: %u.%u.%u\n", v->major, v->minor, v->micro);
}

static void print_main_help(void) {
  printf("NAME:\n   ocirun - Open Container Initiative runtime\n\n"
         "ocirun is a command line client for running applications packaged according to\n"
         "the Open Container Initiative (OCI) format and is a compliant implementation of the\n"
         "Open Container Initiative specification, with runc's command line.\n\n"
         "USAGE:\n   ocirun [global options] command [command options] [arguments...]\n\n"
         "VERSION:\n   %s\n\nCOMMANDS:\n",
         OCIRUN_VERSION);
  for (const struct cli_command *c = cli_commands; c->name; c++)
    printf("   %-11s %s\n", c->name, c->summary);
  printf("\nGLOBAL OPTIONS:\n"
         "   --debug             enable debug logging\n"
         "   --log value         set the log file to write ocirun logs to (default is stderr)\n"
         "   --log-format value  set the log format ('text' (default), or 'json') (default: "
         "\"text\")\n"
         "   --root value        root directory for storage of container state (default: "
         "\"%s\")\n"
         "   --criu value        path to the criu binary used for checkpoint and restore "
         "(default: \"criu\")\n"
         "   --systemd-cgroup    enable systemd cgroup support\n"
         "   --rootless value    ignore cgroup permission errors ('true', 'false', or 'auto') "
         "(default: \"auto\")\n"
         "   --trace             print the time spent in each phase after the command (also\n"
         "                       OCIRUN_TRACE=1); JSON lines into the --log file when set\n"
         "   --help, -h          show help\n"
         "   --version, -v       print the version\n",
         OCIRUN_DEFAULT_ROOT);
}

int cli_fail(ocirun_error_t **err) {
  if (err && *err) {
    /* The log file (when --log is set) gets the structured line that containerd's shim
     * and conmon read back; the caller's stderr always gets the plain message. */
    if (log_fd() != STDERR_FILENO)
      log_error("%s", (*err)->msg);
    fprintf(stderr, "ocirun: %s\n", (*err)->msg);
    ocirun_error_free(err);
  }
  return CLI_EXIT_FAILURE;
}

int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...) {
  char *msg = NULL;
  va_list ap;
  va_start(ap, fmt);
  if (vasprintf(&msg, fmt, ap) < 0)
    msg = NULL;
  va_end(ap);
  if (log_fd() != STDERR_FILENO)
    log_error("%s", msg ? msg : "usage error");
  fprintf(stderr, "ocirun: %s\n", msg ? msg : "usage error");
  if (cmd)
    fprintf(stderr, "usage: ocirun %s\n", cmd->usage);
  free(msg);
  return CLI_EXIT_FAILURE;
}

void cli_print_command_help(const struct cli_command *cmd, const struct option *opts,
                            const char *const *descriptions) {
  /* As runc's: a command's help names the program as it was called (a `runc` link to us
   * says runc), the main help names the runtime. */
  const char *self = program_invocation_short_name;
  printf("NAME:\n   %s %s - %s\n\nUSAGE:\n   %s %s\n", self, cmd->name, cmd->summary, self,
         cmd->usage);
  if (opts && opts[0].name) {
    printf("\nOPTIONS:\n");
    for (size_t i = 0; opts[i].name; i++) {
      char flag[64];
      snprintf(flag, sizeof(flag), "--%s%s", opts[i].name,
               opts[i].has_arg == required_argument ? " value" : "");
      printf("   %-28s %s\n", flag, descriptions && descriptions[i] ? descriptions[i] : "");
    }
  }
}

bool cli_help_requested(const struct cli_command *cmd, int argc, char **argv) {
  for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0 ||
        strcmp(argv[i], "-help") == 0) {
      cli_print_command_help(cmd, NULL, NULL);
      return true;
    }
  return false;
}

static int getopt_with_mode(int argc, char **argv, const char *mode, const char *shortopts,
                            const struct option *longopts) {
  int c;
  char full[64];

  /* ':' first (after the mode) so that a missing argument is distinguishable. */
  snprintf(full, sizeof(full), "%s:%s", mode, shortopts);
  opterr = 0;
  c = getopt_long_only(argc, argv, full, longopts, NULL);
  if (c == '?') {
    fprintf(stderr, "ocirun: flag provided but not defined: %s\n", argv[optind - 1]);
    return '?';
  }
  if (c == ':') {
    fprintf(stderr, "ocirun: flag needs an argument: %s\n", argv[optind - 1]);
    return '?';
  }
  return c;
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts) {
  /* runc's command line takes flags anywhere among the arguments (`delete ID --force`,
   * `update ID --memory 1M`): getopt's default permutation moves the non-flags to the end,
   * and "--" still ends the flags. */
  return getopt_with_mode(argc, argv, "", shortopts, longopts);
}

int cli_getopt_leading(int argc, char **argv, const char *shortopts,
                       const struct option *longopts) {
  /* '+': stop at the first non-flag, which is what runc does for `exec` and `ps`: what
   * follows the container id belongs to the process (or to ps(1)). */
  return getopt_with_mode(argc, argv, "+", shortopts, longopts);
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, const char *shortopts,
              const struct option *opts, const char *const *descriptions, int min, int max,
              cli_flag_fn on_flag, void *ctx) {
  int opt;

  bool leading = shortopts[0] == '+';

  while ((opt = leading ? cli_getopt_leading(argc, argv, shortopts + 1, opts)
                        : cli_getopt(argc, argv, shortopts, opts)) != -1) {
    if (opt == 'h') {
      cli_print_command_help(cmd, descriptions ? opts : NULL, descriptions);
      return 1;
    }
    if (opt == '?' || on_flag == NULL || on_flag(opt, optarg, ctx) < 0)
      return -1;
  }
  return cli_require_args(cmd, argc, argv, min, max);
}

int cli_set_simple_flag(int opt, const char *arg, void *ctx) {
  struct cli_simple_flags *f = ctx;
  if (f->value_opt && opt == f->value_opt)
    f->value = arg;
  else if (f->switch_opt && opt == f->switch_opt)
    f->on = true;
  else
    return -1;
  return 0;
}

int cli_print_json(char *json, const char *what) {
  ocirun_error_t *err = NULL;
  if (json == NULL) {
    ocirun_error_set(&err, 0, "%s: out of memory", what);
    return cli_fail(&err);
  }
  fputs(json, stdout);
  free(json);
  return fflush(stdout) == 0 ? 0 : CLI_EXIT_FAILURE;
}

int cli_require_args(const struct cli_command *cmd, int argc, char **argv, int min, int max) {
  int n = argc - optind;
  (void)argv;
  if (n < min) {
    cli_usage_error(cmd, "\"%s\" requires a minimum of %d argument%s", cmd->name, min,
                    min == 1 ? "" : "s");
    return -1;
  }
  if (max >= 0 && n > max) {
    cli_usage_error(cmd, "\"%s\" requires a maximum of %d argument%s", cmd->name, max,
                    max == 1 ? "" : "s");
    return -1;
  }
  return 0;
}

/* runc's rule for $XDG_RUNTIME_DIR: an ordinary user's, and root's of a user
 * namespace (rootless podman) unless $USER says root; never the real root's
 * (/run/user/0 would move its containers). */
static bool honor_xdg_runtime_dir(void) {
  const char *xdg = getenv("XDG_RUNTIME_DIR"), *user = getenv("USER");

  if (xdg == NULL || xdg[0] == '\0')
    return false;
  if (geteuid() != 0)
    return true;
  if (!userns_running_in_nested())
    return false;
  return user == NULL || strcmp(user, "root") != 0;
}

/* --rootless as runc: "auto" (the default) means rootless for an ordinary user
 * and for root of a user namespace (rootless podman runs us so).  An ordinary
 * user's default --root is $XDG_RUNTIME_DIR/ocirun, as runc's is .../runc. */
static int resolve_rootless(struct cli_global *g) {
  static char xdg_root[4096];
  const char *xdg = getenv("XDG_RUNTIME_DIR");

  if (g->rootless == NULL || strcmp(g->rootless, "auto") == 0)
    g->rootless_on = geteuid() != 0 || userns_running_in_nested();
  else if (strcmp(g->rootless, "true") == 0)
    g->rootless_on = true;
  else if (strcmp(g->rootless, "false") == 0)
    g->rootless_on = false;
  else {
    fprintf(stderr, "ocirun: invalid value \"%s\" for flag --rootless (true, false or auto)\n",
            g->rootless);
    return -1;
  }
  if (!g->root_given && honor_xdg_runtime_dir() &&
      (size_t)snprintf(xdg_root, sizeof(xdg_root), "%s/ocirun", xdg) < sizeof(xdg_root))
    g->root = xdg_root;
  return 0;
}

int main(int argc, char **argv) {
  struct cli_global g = {.root = OCIRUN_DEFAULT_ROOT, .log_format = LOG_FORMAT_TEXT};
  const struct cli_command *cmd;
  ocirun_error_t *err = NULL;
  int c, rc;
  const char *trace_env = getenv("OCIRUN_TRACE");
  char **argv_all = argv;

  spec_json_seed();
  /* For clients whose command line we do not control (containerd's shim). */
  if (trace_env && strcmp(trace_env, "1") == 0)
    trace_start();
  while ((c = cli_getopt_leading(argc, argv, "hv", global_options)) != -1) {
    switch (c) {
    case OPT_DEBUG:
      g.debug = true;
      break;
    case OPT_LOG:
      g.log_path = optarg;
      break;
    case OPT_LOG_FORMAT:
      if (strcmp(optarg, "text") == 0)
        g.log_format = LOG_FORMAT_TEXT;
      else if (strcmp(optarg, "json") == 0)
        g.log_format = LOG_FORMAT_JSON;
      else {
        fprintf(stderr, "ocirun: invalid log-format: %s\n", optarg);
        return CLI_EXIT_FAILURE;
      }
      break;
    case OPT_ROOT:
      g.root = optarg;
      g.root_given = true;
      break;
    case OPT_CRIU:
      g.criu = optarg;
      break;
    case OPT_SYSTEMD_CGROUP:
      g.systemd_cgroup = true;
      break;
    case OPT_ROOTLESS:
      g.rootless = optarg;
      break;
    case OPT_TRACE:
      trace_start();
      break;
    case 'h':
      print_main_help();
      return 0;
    case 'v':
      print_version();
      return 0;
    default:
      return CLI_EXIT_FAILURE;
    }
  }
  if (log_init(g.log_path, g.log_format, g.debug, &err) < 0)
    return cli_fail(&err);
  if (resolve_rootless(&g) < 0)
    return CLI_EXIT_FAILURE;

  if (optind >= argc) {
    print_main_help();
    return 0;
  }
  cmd = cli_find_command(argv[optind]);
  if (cmd == NULL) {
    fprintf(stderr, "No help topic for '%s'\n", argv[optind]);
    return 3; /* runc's exit code for an unknown command */
  }
  /* A child of these commands runs our code inside the container until its execve. */
  if ((cmd->run == cmd_create || cmd->run == cmd_run || cmd->run == cmd_exec) &&
      sealed_binary_ensure(argv_all, &err) < 0)
    return cli_fail(&err);
  /* The command parses its own flags from argv[optind..]. */
  argc -= optind;
  argv += optind;
  optind = 0;
  rc = cmd->run(&g, argc, argv);
  trace_report(cmd->name, log_fd());
  log_close();
  return rc;
}
