/* pause.c - the init of the pod sandbox image that tests/clients/cri.bats builds: it holds
 * the pod's namespaces open and does nothing else.  As pid 1 of a pod whose containers share
 * its pid namespace it inherits their orphans, so it reaps them; SIGINT and SIGTERM end it.
 * Built statically (the image has no libc). */
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int sig) {
  (void)sig;
  _exit(0);
}

static void reap(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(void) {
  struct sigaction sa = {.sa_handler = stop};
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0)
    return 1;
  sa.sa_handler = reap;
  sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
  if (sigaction(SIGCHLD, &sa, NULL) < 0)
    return 1;
  for (;;)
    pause();
}
