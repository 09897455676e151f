/* The command table: runc's commands, in runc's order for `help`. */
#include <string.h>

#include "cli/cli.h"

const struct cli_command cli_commands[] = {
    {"checkpoint", "checkpoint [command options] <container-id>", "checkpoint a running container",
     cmd_checkpoint},
    {"create", "create [command options] <container-id>", "create a container", cmd_create},
    {"delete", "delete [command options] <container-id>",
     "delete any resources held by the container often used with detached container", cmd_delete},
    {"events", "events [command options] <container-id>",
     "display container events such as OOM notifications, cpu, memory, and IO usage statistics",
     cmd_events},
    {"exec", "exec [command options] <container-id> <command> [command options]",
     "execute new process inside the container", cmd_exec},
    {"kill", "kill [command options] <container-id> [signal]",
     "kill sends the specified signal (default: SIGTERM) to the container's init process",
     cmd_kill},
    {"list", "list [command options]", "lists containers started by ocirun with the given root",
     cmd_list},
    {"pause", "pause <container-id>", "pause suspends all processes inside the container",
     cmd_pause},
    {"ps", "ps [command options] <container-id> [ps options]",
     "ps displays the processes running inside a container", cmd_ps},
    {"restore", "restore [command options] <container-id>",
     "restore a container from a previous checkpoint", cmd_restore},
    {"resume", "resume <container-id>", "resumes all processes that have been previously paused",
     cmd_resume},
    {"run", "run [command options] <container-id>", "create and run a container", cmd_run},
    {"spec", "spec [command options]", "create a new specification file", cmd_spec},
    {"start", "start <container-id>", "executes the user defined process in a created container",
     cmd_start},
    {"state", "state <container-id>", "output the state of a container", cmd_state},
    {"update", "update [command options] <container-id>", "update container resource constraints",
     cmd_update},
    {"features", "features", "show the enabled features", cmd_features},
    {"help", "help [command]", "Shows a list of commands or help for one command", cmd_help},
    {NULL, NULL, NULL, NULL},
};

const struct cli_command *cli_find_command(const char *name) {
  for (const struct cli_command *c = cli_commands; c->name; c++)
    if (strcmp(c->name, name) == 0)
      return c;
  /* runc's aliases */
  if (strcmp(name, "h") == 0)
    return cli_find_command("help");
  return NULL;
}
