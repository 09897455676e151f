/* The command line: global options, the command table, and the helpers that
 * every command file uses to parse its flags and report errors. */
#ifndef OCIRUN_CLI_H
#define OCIRUN_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"
#include "util/log.h"

struct cli_global {
  const char *root; /* --root, default OCIRUN_DEFAULT_ROOT ($XDG_RUNTIME_DIR/ocirun for
                     * an ordinary user) */
  bool root_given;
  const char *log_path; /* --log */
  enum log_format log_format;
  bool debug;
  bool systemd_cgroup;  /* --systemd-cgroup */
  const char *criu;     /* --criu */
  const char *rootless; /* --rootless true|false|auto */
  bool rootless_on;     /* resolved: true, or auto and not root of the initial namespace */
};

typedef int (*cli_command_fn)(struct cli_global *g, int argc, char **argv);

struct cli_command {
  const char *name;
  const char *usage;   /* "create [command options] <container-id>" */
  const char *summary; /* one line for `help` */
  cli_command_fn run;
};

/* Exit codes, as runc: 1 for any failure (including usage errors of a known command). */
enum { CLI_EXIT_FAILURE = 1 };

/* Print err (to stderr, and to the --log file when one is set), free it, return 1. */
int cli_fail(ocirun_error_t **err);
/* Print a usage error for cmd and return 1. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print the command's help text (its usage and flags) to stdout. */
void cli_print_command_help(const struct cli_command *cmd, const struct option *opts,
                            const char *const *descriptions);

/* For a command without flags of its own yet: true (after printing the help) when its
 * arguments hold -h or --help, so that help works on every command. */
bool cli_help_requested(const struct cli_command *cmd, int argc, char **argv);

const struct cli_command *cli_find_command(const char *name);
extern const struct cli_command cli_commands[];

/* Parse the flags of a command as runc does: both -flag and --flag, flags anywhere among
 * the positional arguments ("--" ends them).  Returns the option code, -1 at the end, or
 * '?' after printing an "flag provided but not defined" error. */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);
/* The same, but stopping at the first positional argument (exec and ps: the rest is the
 * process's command line or ps(1)'s options). */
int cli_getopt_leading(int argc, char **argv, const char *shortopts, const struct option *longopts);

/* Count of positional arguments in [min, max] (max < 0: no limit); prints a usage
 * error and returns -1 otherwise. */
int cli_require_args(const struct cli_command *cmd, int argc, char **argv, int min, int max);

/* Commands (one file each). */
int cmd_checkpoint(struct cli_global *g, int argc, char **argv);
int cmd_create(struct cli_global *g, int argc, char **argv);
int cmd_delete(struct cli_global *g, int argc, char **argv);
int cmd_events(struct cli_global *g, int argc, char **argv);
int cmd_exec(struct cli_global *g, int argc, char **argv);
int cmd_features(struct cli_global *g, int argc, char **argv);
int cmd_help(struct cli_global *g, int argc, char **argv);
int cmd_kill(struct cli_global *g, int argc, char **argv);
int cmd_list(struct cli_global *g, int argc, char **argv);
int cmd_pause(struct cli_global *g, int argc, char **argv);
int cmd_ps(struct cli_global *g, int argc, char **argv);
int cmd_restore(struct cli_global *g, int argc, char **argv);
int cmd_resume(struct cli_global *g, int argc, char **argv);
int cmd_run(struct cli_global *g, int argc, char **argv);
int cmd_spec(struct cli_global *g, int argc, char **argv);
int cmd_start(struct cli_global *g, int argc, char **argv);
int cmd_state(struct cli_global *g, int argc, char **argv);
int cmd_update(struct cli_global *g, int argc, char **argv);

#endif
