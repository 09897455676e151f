#include "container/ps.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/syscalls.h"

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

int container_ps_table(char **ps_args, int nargs, const pid_t *pids, size_t n, char **text,
                       ocirun_error_t **err) {
  char **argv = calloc((size_t)nargs + 2, sizeof(char *));
  char *line = NULL, *header_copy = NULL;
  size_t cap = 0, text_len = 0;
  int pipefd[2], col = -1, status = 0;
  pid_t child;
  FILE *out, *keep;

  *text = NULL;
  keep = open_memstream(text, &text_len);
  if (keep == NULL) {
    free(argv);
    return ocirun_error_set(err, ENOMEM, "ps");
  }

  if (argv == NULL) {
    fclose(keep);
    return ocirun_error_set(err, ENOMEM, "ps");
  }
  argv[0] = "ps";
  if (nargs == 0)
    argv[1] = "-ef";
  for (int i = 0; i < nargs; i++)
    argv[i + 1] = ps_args[i];
  if (pipe2(pipefd, O_CLOEXEC) < 0) {
    free(argv);
    fclose(keep);
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
    fclose(keep);
    return ocirun_error_set(err, errno, "fork ps");
  }
  out = fdopen(pipefd[0], "r");
  for (bool first = true; out && getline(&line, &cap, out) > 0; first = false) {
    if (first) {
      fputs(line, keep);
      header_copy = strdup(line);
      col = header_copy ? pid_column(header_copy) : -1;
      free(header_copy);
      continue;
    }
    long pid = col >= 0 ? field_at(line, col) : -1;
    if (pid > 0 && pid_listed((pid_t)pid, pids, n))
      fputs(line, keep);
  }
  free(line);
  if (out)
    fclose(out);
  if (fclose(keep) != 0 || *text == NULL) {
    wait_pid(child, &status, NULL);
    return ocirun_error_set(err, ENOMEM, "ps");
  }
  if (wait_pid(child, &status, err) < 0)
    return ocirun_error_prefix(err, "ps");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return ocirun_error_set(err, 0, "ps %s failed (exit status %d)", nargs ? ps_args[0] : "-ef",
                            WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  if (col < 0)
    return ocirun_error_set(err, 0, "couldn't find PID field in ps output");
  return 0;
}
