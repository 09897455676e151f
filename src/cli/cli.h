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

/* The flags loop of a command: -h/--help (option code 'h') prints the help, listing opts
 * with their descriptions (descriptions NULL: no OPTIONS section); any other option code
 * goes to on_flag with its argument (NULL on_flag: the command has no other flag), which
 * returns a negative value to fail; then between min and max positional arguments (max < 0:
 * no limit).  shortopts starting with '+': the flags stop at the first positional argument
 * (cli_getopt_leading).  Returns 0 when parsed (argv[optind] is the first positional argument), 1
 * when the help was printed, -1 after a usage error was printed. */
typedef int (*cli_flag_fn)(int opt, const char *arg, void *ctx);
int cli_parse(const struct cli_command *cmd, int argc, char **argv, const char *shortopts,
              const struct option *opts, const char *const *descriptions, int min, int max,
              cli_flag_fn on_flag, void *ctx);
/* What a command returns for a cli_parse result that is not 0 (help: 0, error: 1). */
static inline int cli_parse_exit(int parsed) {
  return parsed > 0 ? 0 : CLI_EXIT_FAILURE;
}

/* A cli_flag_fn for the commands whose flags are one value and/or one switch; ctx is a
 * struct cli_simple_flags naming their option codes. */
struct cli_simple_flags {
  int value_opt;     /* the value flag's option code, 0 for none */
  const char *value; /* its argument (or the default given) */
  int switch_opt;    /* the switch's option code, 0 for none */
  bool on;
};
int cli_set_simple_flag(int opt, const char *arg, void *ctx);

/* Print a JSON document made by the library (NULL: out of memory, reported as what) and
 * free it; returns the command's exit status. */
int cli_print_json(char *json, const char *what);

/* Commands (one file each; start, pause and resume share id_commands.c). */
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
