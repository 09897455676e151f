/* `run [create flags] [-d|--detach] [--keep] [--no-subreaper] ID`: create and
 * start in one process.  In the foreground ocirun is a subreaper, forwards
 * signals, relays the terminal, exits with the container's status and deletes
 * the container unless --keep. */
#include <signal.h>
#include <stdlib.h>

#include "cli/create_flags.h"
#include "process/relay.h"
#include "process/spawn.h"
#include "util/log.h"
#include "util/trace.h"

static const struct option run_options_table[] = {
    CREATE_COMMON_OPTIONS,
    {"detach", no_argument, NULL, OPT_DETACH},
    {"keep", no_argument, NULL, OPT_KEEP},
    {"no-subreaper", no_argument, NULL, OPT_NO_SUBREAPER},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

static const char *const run_descriptions[] = {
    CREATE_COMMON_DESCRIPTIONS,
    "detach from the container's process",
    "do not delete the container after it exits",
    "disable the use of the subreaper used to reap reparented processes",
    "show help",
};

static int run_foreground(struct cli_global *g, struct container *c, bool keep) {
  ocirun_error_t *err = NULL;
  int status = 0;

  if (relay_foreground(c->pid, c->pidfd, c->console_master, &c->pipes, &status, &err) < 0) {
    container_release(c);
    return cli_fail(&err);
  }
  trace_pointf("container ran", "until its exit (status 0x%x)", status);
  if (!keep) {
    struct container_state st = c->state;
    /* The state copy is owned by c; destroy reads it before release frees it. */
    if (container_destroy(g->root, &st, c->spec, &err) < 0) {
      log_warn("delete after run: %s", err->msg);
      ocirun_error_free(&err);
    }
  }
  container_release(c);
  return spawn_exit_code(status);
}

int cmd_run(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("run");
  struct create_options o = {.root = g->root,
                             .systemd_cgroup = g->systemd_cgroup,
                             .rootless = g->rootless_on,
                             .for_run = true,
                             .subreaper = true};
  const char *pid_file_arg = NULL;
  char *pid_file = NULL;
  bool keep = false;
  struct container c;
  ocirun_error_t *err = NULL;
  sigset_t old;
  int opt, rc;

  while ((opt = cli_getopt(argc, argv, "b:d", run_options_table)) != -1) {
    switch (opt) {
    case OPT_HELP:
      cli_print_command_help(cmd, run_options_table, run_descriptions);
      return 0;
    case OPT_DETACH:
      o.detach = true;
      continue;
    case OPT_KEEP:
      keep = true;
      continue;
    case OPT_NO_SUBREAPER:
      o.subreaper = false;
      continue;
    }
    if (create_flags_handle(opt, &o, &pid_file_arg) <= 0)
      return CLI_EXIT_FAILURE;
  }
  if (create_flags_take_id(cmd, argc, argv, &o, pid_file_arg, &pid_file) < 0)
    return CLI_EXIT_FAILURE;
  if (!o.detach)
    relay_block_signals(&old);
  rc = container_create(&o, &c, &err);
  free(pid_file);
  if (rc < 0)
    return cli_fail(&err);
  if (container_start_held(&c, &err) < 0) {
    struct container_state st = c.state;
    ocirun_error_t *cleanup = NULL;
    container_destroy(g->root, &st, c.spec, &cleanup);
    ocirun_error_free(&cleanup);
    container_release(&c);
    return cli_fail(&err);
  }
  if (o.detach) {
    container_release(&c);
    return 0;
  }
  return run_foreground(g, &c, keep);
}
