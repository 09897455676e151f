/* rootfs-try <bundle> [--no-pivot] [--console] [--cgroupns]
 * Builds a container root filesystem the way the runtime does and runs the
 * config's process in it: unshare mount, pid, uts, ipc and net namespaces,
 * fork, rootfs_prepare + rootfs_finalize in the child, exec process.args.
 * A tool for checking the rootfs code by hand and from shell scripts; it
 * does no cgroups, user namespaces, capabilities or seccomp.
 * --console: a pty is opened and its slave passed as the console.
 * --cgroupns: a cgroup namespace is unshared too. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/rootfs.h"
#include "spec/spec.h"

static int fail(ocirun_error_t **err) {
  fprintf(stderr, "rootfs-try: %s\n", (*err)->msg);
  ocirun_error_free(err);
  return 1;
}

static int child(struct spec *spec, struct rootfs_options *opts) {
  ocirun_error_t *err = NULL;

  if (rootfs_prepare(spec, opts, &err) < 0 || rootfs_finalize(spec, opts, &err) < 0)
    return fail(&err);
  if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)) < 0)
    perror("rootfs-try: sethostname");
  if (spec->process.cwd && chdir(spec->process.cwd) < 0)
    perror("rootfs-try: chdir");
  if (spec->process.args.len == 0) {
    fprintf(stderr, "rootfs-try: no process.args\n");
    return 1;
  }
  clearenv();
  for (size_t i = 0; i < spec->process.env.len; i++)
    putenv(spec->process.env.items[i]);
  /* process.args is NULL-terminated by a copy with room for it. */
  char **argv = calloc(spec->process.args.len + 1, sizeof(char *));
  if (argv == NULL)
    return 1;
  memcpy(argv, spec->process.args.items, spec->process.args.len * sizeof(char *));
  execvp(argv[0], argv);
  fprintf(stderr, "rootfs-try: exec %s: %s\n", argv[0], strerror(errno));
  return 127;
}

int main(int argc, char **argv) {
  ocirun_error_t *err = NULL;
  struct spec *spec = NULL;
  struct rootfs_options opts = {.console_slave_fd = -1};
  char rootfs[PATH_MAX];
  bool console = false;
  int status;
  pid_t pid;

  if (argc < 2) {
    fprintf(stderr, "usage: rootfs-try <bundle> [--no-pivot] [--console] [--cgroupns]\n");
    return 2;
  }
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--no-pivot") == 0)
      opts.no_pivot = true;
    else if (strcmp(argv[i], "--console") == 0)
      console = true;
    else if (strcmp(argv[i], "--cgroupns") == 0)
      opts.new_cgroupns = true;
  }
  if (chdir(argv[1]) < 0) {
    perror("rootfs-try: chdir bundle");
    return 1;
  }
  if (spec_load_file("config.json", &spec, &err) < 0)
    return fail(&err);
  if (spec->root.path == NULL || realpath(spec->root.path, rootfs) == NULL) {
    perror("rootfs-try: root.path");
    return 1;
  }
  opts.rootfs = rootfs;
  if (console) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
      perror("rootfs-try: openpt");
      return 1;
    }
    opts.console_slave_fd = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (opts.console_slave_fd < 0) {
      perror("rootfs-try: open pty slave");
      return 1;
    }
  }
  if (unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
              (opts.new_cgroupns ? CLONE_NEWCGROUP : 0)) < 0) {
    perror("rootfs-try: unshare");
    return 1;
  }
  pid = fork();
  if (pid < 0) {
    perror("rootfs-try: fork");
    return 1;
  }
  if (pid == 0)
    _exit(child(spec, &opts));
  if (waitpid(pid, &status, 0) < 0) {
    perror("rootfs-try: waitpid");
    return 1;
  }
  spec_free(spec);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}
