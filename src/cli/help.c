/* `help [command]` */
#include <stdio.h>

#include "cli/cli.h"

int cmd_help(struct cli_global *g, int argc, char **argv) {
  (void)g;
  if (argc < 2) {
    char *args[] = {"ocirun", "--help", NULL};
    (void)args;
    printf("usage: ocirun [global options] command [command options] [arguments...]\n\n"
           "COMMANDS:\n");
    for (const struct cli_command *c = cli_commands; c->name; c++)
      printf("   %-11s %s\n", c->name, c->summary);
    return 0;
  }
  const struct cli_command *cmd = cli_find_command(argv[1]);
  if (cmd == NULL) {
    fprintf(stderr, "No help topic for '%s'\n", argv[1]);
    return 3;
  }
  cli_print_command_help(cmd, NULL, NULL);
  return 0;
}
