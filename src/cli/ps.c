/* `ps [-f|--format table|json] ID [PS_ARGS...]`: the container's processes from
 * its cgroup.  json: an array of host pids; table: the host's ps(1) output
 * (default `ps -ef`) keeping the header and the lines of those pids. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/syscalls.h"
#include "container/container_cgroup.h"

static const struct option ps_options[] = {
    {"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
static const char *const ps_descriptions[] = {"select one of: table or json (default: \"table\")",
                                              "show help"};

static bool pid_listed(pid_t pid, const pid_t *pids, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (pids[i] == pid)
      return true;
  return false;
}

/* Index of the PID column in the header line, or -1. */
static int pid_column(char *header) {
  int col = 0;
  for (char *tok = strtok(header, " \t\n"); tok; tok = strtok(NULL, " \t\n"), col++)
    if (strcmp(tok, "PID") == 0)
      return col;
  return -1;
}

static long field_at(const char *line, int col) {
  const char *p = line;
  for (int i = 0; i <= col; i++) {
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p == '\0')
      return -1;
    if (i == col)
      return strtol(p, NULL, 10);
    while (*p && *p != ' ' && *p != '\t')
      p++;
  }
  return -1;
}

static int print_table(char **ps_args, int nargs, const pid_t *pids, size_t n,
                       ocirun_error_t **err) {
  char **argv = calloc((size_t)nargs + 2, sizeof(char *));
  char *line = NULL, *header_copy = NULL;
  size_t cap = 0;
  int pipefd[2], col = -1, status;
  pid_t child;
  FILE *out;

  if (argv == NULL)
    return ocirun_error_set(err, ENOMEM, "ps");
  argv[0] = "ps";
  if (nargs == 0)
    argv[1] = "-ef";
  for (int i = 0; i < nargs; i++)
    argv[i + 1] = ps_args[i];
  if (pipe2(pipefd, O_CLOEXEC) < 0) {
    free(argv);
    return ocirun_error_set(err, errno, "pipe");
  }
  child = fork();
  if (child == 0) {
    dup2(pipefd[1], STDOUT_FILENO);
    execvp("ps", argv);
    _exit(127);
  }
  free(argv);
  close(pipefd[1]);
  if (child < 0) {
    close(pipefd[0]);
    return ocirun_error_set(err, errno, "fork ps");
  }
  out = fdopen(pipefd[0], "r");
  for (bool first = true; out && getline(&line, &cap, out) > 0; first = false) {
    if (first) {
      fputs(line, stdout);
      header_copy = strdup(line);
      col = header_copy ? pid_column(header_copy) : -1;
      free(header_copy);
      continue;
    }
    long pid = col >= 0 ? field_at(line, col) : -1;
    if (pid > 0 && pid_listed((pid_t)pid, pids, n))
      fputs(line, stdout);
  }
  free(line);
  if (out)
    fclose(out);
  if (wait_pid(child, &status, err) < 0)
    return ocirun_error_prefix(err, "ps");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return ocirun_error_set(err, 0, "ps %s failed (exit status %d)", nargs ? ps_args[0] : "-ef",
                            WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  if (col < 0)
    return ocirun_error_set(err, 0, "couldn't find PID field in ps output");
  return 0;
}

int cmd_ps(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("ps");
  const char *format = "table";
  ocirun_error_t *err = NULL;
  pid_t *pids = NULL;
  size_t n = 0;
  int opt, r;

  while ((opt = cli_getopt_leading(argc, argv, "f:h", ps_options)) != -1) {
    if (opt == 'f') {
      format = optarg;
      continue;
    }
    if (opt == 'h') {
      cli_print_command_help(cmd, ps_options, ps_descriptions);
      return 0;
    }
    return CLI_EXIT_FAILURE;
  }
  if (cli_require_args(cmd, argc, argv, 1, -1) < 0)
    return CLI_EXIT_FAILURE;
  if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
    return cli_usage_error(cmd, "invalid format option");
  if (container_pids(g->root, argv[optind], &pids, &n, &err) < 0)
    return cli_fail(&err);
  if (strcmp(format, "json") == 0) {
    printf("[");
    for (size_t i = 0; i < n; i++)
      printf("%s%d", i ? "," : "", (int)pids[i]);
    printf("]\n");
    r = 0;
  } else {
    fflush(stdout);
    r = print_table(argv + optind + 1, argc - optind - 1, pids, n, &err);
  }
  free(pids);
  return r < 0 ? cli_fail(&err) : 0;
}
