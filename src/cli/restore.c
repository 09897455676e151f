/* `restore [flags] ID`: bring a checkpointed container back (runc's flags).
 * In the foreground, as `run`: signals forwarded, terminal relayed, the exit
 * status of the container returned and the container deleted afterwards. */
#include <signal.h>
#include <stdlib.h>

#include "cli/create_flags.h"
#include "cli/criu_flags.h"
#include "process/relay.h"
#include "process/spawn.h"
#include "util/log.h"

static const struct option restore_options[] = {
    CRIU_COMMON_OPTIONS,
    {"bundle", required_argument, NULL, OPT_BUNDLE},
    {"detach", no_argument, NULL, OPT_DETACH},
    {"pid-file", required_argument, NULL, OPT_PID_FILE},
    {"no-subreaper", no_argument, NULL, OPT_NO_SUBREAPER},
    {"no-pivot", no_argument, NULL, OPT_NO_PIVOT},
    {"console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET},
    {"lsm-profile", required_argument, NULL, OPT_LSM_PROFILE},
    {"lsm-mount-context", required_argument, NULL, OPT_LSM_MOUNT_CONTEXT},
    {NULL, 0, NULL, 0},
};

static const char *const restore_descriptions[] = {
    CRIU_COMMON_DESCRIPTIONS,
    "path to the root of the bundle directory",
    "detach from the container's process",
    "specify the file to write the process id to",
    "disable the use of the subreaper used to reap reparented processes",
    "do not use pivot root to jail process inside rootfs",
    "path to an AF_UNIX socket which will receive a file descriptor referencing the master end "
    "of the console's pseudoterminal",
    "Allow to specify LSM profile to be used during restore in the form of TYPE:NAME",
    "Allow to specify LSM mount context to be used during restore",
};

static int restore_foreground(struct cli_global *g, struct container *c) {
  ocirun_error_t *err = NULL;
  int status = 0;
  struct container_state st;

  if (relay_foreground(c->pid, c->pidfd, c->console_master, NULL, &status, &err) < 0) {
    container_release(c);
    return cli_fail(&err);
  }
  st = c->state;
  if (container_destroy(g->root, &st, c->spec, &err) < 0) {
    log_warn("delete after restore: %s", err->msg);
    ocirun_error_free(&err);
  }
  container_release(c);
  return spawn_exit_code(status);
}

int cmd_restore(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("restore");
  struct restore_options o = {
      /* for_run: restore is run-like (a foreground restore relays the terminal). */
      .create = {.root = g->root,
                 .systemd_cgroup = g->systemd_cgroup,
                 .subreaper = true,
                 .for_run = true},
      .criu = {.status_fd = -1, .manage_cgroups_mode = CRIU_CG_UNSET}};
  const char *pid_file_arg = NULL;
  char *pid_file = NULL, *image = NULL, *work = NULL;
  ocirun_error_t *err = NULL;
  struct container c;
  sigset_t old;
  int opt, rc = CLI_EXIT_FAILURE;

  while ((opt = cli_getopt(argc, argv, "b:d", restore_options)) != -1) {
    if (opt == OPT_CRIU_HELP) {
      cli_print_command_help(cmd, restore_options, restore_descriptions);
      return 0;
    }
    if (opt == OPT_DETACH) {
      o.create.detach = true;
      continue;
    }
    if (opt == OPT_NO_SUBREAPER) {
      o.create.subreaper = false;
      continue;
    }
    int r = criu_flags_handle(opt, &o.criu);
    if (r == 0)
      r = create_flags_handle(opt, &o.create, &pid_file_arg);
    if (r <= 0)
      goto out;
  }
  if (cli_require_args(cmd, argc, argv, 1, 1) < 0 ||
      criu_flags_finish(g, &o.criu, &image, &work) < 0)
    goto out;
  o.create.id = argv[optind];
  if (create_flags_finish(&o.create, pid_file_arg, &pid_file) < 0) {
    rc = cli_usage_error(cmd, "invalid --pid-file");
    goto out;
  }
  if (checkpoint_prepare_image_dir(o.criu.image_path, NULL, &err) < 0) {
    rc = cli_fail(&err);
    goto out;
  }
  if (!o.create.detach)
    relay_block_signals(&old);
  if (container_restore(&o, &c, &err) < 0) {
    rc = cli_fail(&err);
    goto out;
  }
  if (o.create.detach) {
    container_release(&c);
    rc = 0;
  } else {
    rc = restore_foreground(g, &c);
  }
out:
  free(pid_file);
  free(image);
  free(work);
  free(o.criu.page_server_addr);
  return rc;
}
