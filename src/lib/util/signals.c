#include "util/signals.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct signal_entry {
  const char *name; /* with the SIG prefix */
  int signo;
};

/* The first entry for a number is its canonical name; aliases follow. */
static const struct signal_entry signal_table[] = {
    {"SIGHUP", SIGHUP},   {"SIGINT", SIGINT},       {"SIGQUIT", SIGQUIT}, {"SIGILL", SIGILL},
    {"SIGTRAP", SIGTRAP}, {"SIGABRT", SIGABRT},     {"SIGBUS", SIGBUS},   {"SIGFPE", SIGFPE},
    {"SIGKILL", SIGKILL}, {"SIGUSR1", SIGUSR1},     {"SIGSEGV", SIGSEGV}, {"SIGUSR2", SIGUSR2},
    {"SIGPIPE", SIGPIPE}, {"SIGALRM", SIGALRM},     {"SIGTERM", SIGTERM}, {"SIGSTKFLT", SIGSTKFLT},
    {"SIGCHLD", SIGCHLD}, {"SIGCONT", SIGCONT},     {"SIGSTOP", SIGSTOP}, {"SIGTSTP", SIGTSTP},
    {"SIGTTIN", SIGTTIN}, {"SIGTTOU", SIGTTOU},     {"SIGURG", SIGURG},   {"SIGXCPU", SIGXCPU},
    {"SIGXFSZ", SIGXFSZ}, {"SIGVTALRM", SIGVTALRM}, {"SIGPROF", SIGPROF}, {"SIGWINCH", SIGWINCH},
    {"SIGIO", SIGIO},     {"SIGPWR", SIGPWR},       {"SIGSYS", SIGSYS},   {"SIGIOT", SIGIOT},
    {"SIGPOLL", SIGPOLL}, {"SIGCLD", SIGCHLD},
};

/* Parses a decimal number made only of digits; false on anything else or overflow. */
static bool parse_small_decimal(const char *s, int max, int *out) {
  long v = 0;
  if (*s == '\0')
    return false;
  for (; *s; s++) {
    if (*s < '0' || *s > '9')
      return false;
    v = v * 10 + (*s - '0');
    if (v > max)
      return false;
  }
  *out = (int)v;
  return true;
}

/* "RTMIN", "RTMIN+n", "RTMAX", "RTMAX-n" (the SIG prefix already removed). */
static bool parse_realtime(const char *s, int *signo) {
  int base, sign, n = 0;
  if (strncasecmp(s, "RTMIN", 5) == 0) {
    base = SIGRTMIN;
    sign = 1;
  } else if (strncasecmp(s, "RTMAX", 5) == 0) {
    base = SIGRTMAX;
    sign = -1;
  } else {
    return false;
  }
  s += 5;
  if (*s != '\0') {
    if ((sign > 0 && *s != '+') || (sign < 0 && *s != '-'))
      return false;
    if (!parse_small_decimal(s + 1, SIGRTMAX - SIGRTMIN, &n))
      return false;
  }
  *signo = base + sign * n;
  return true;
}

int signal_parse(const char *s, int *signo, ocirun_error_t **err) {
  const char *name = s;
  int n;

  if (s == NULL || *s == '\0')
    return ocirun_error_set(err, 0, "invalid signal: empty string");
  if (*s >= '0' && *s <= '9') {
    if (!parse_small_decimal(s, SIGRTMAX, &n))
      return ocirun_error_set(err, 0, "invalid signal \"%s\": numbers go from 0 to %d", s,
                              SIGRTMAX);
    *signo = n;
    return 0;
  }
  if (strncasecmp(name, "SIG", 3) == 0)
    name += 3;
  for (size_t i = 0; i < sizeof(signal_table) / sizeof(signal_table[0]); i++) {
    if (strcasecmp(name, signal_table[i].name + 3) == 0) {
      *signo = signal_table[i].signo;
      return 0;
    }
  }
  if (parse_realtime(name, signo))
    return 0;
  return ocirun_error_set(err, 0, "unknown signal \"%s\"", s);
}

const char *signal_name(int signo) {
  /* Real-time names are formatted on first use; _NSIG bounds every signal number. */
  static char rt_names[_NSIG][16];

  for (size_t i = 0; i < sizeof(signal_table) / sizeof(signal_table[0]); i++) {
    if (signal_table[i].signo == signo)
      return signal_table[i].name;
  }
  if (signo < SIGRTMIN || signo > SIGRTMAX || signo >= _NSIG)
    return NULL;
  if (rt_names[signo][0] == '\0') {
    if (signo == SIGRTMIN)
      snprintf(rt_names[signo], sizeof(rt_names[signo]), "SIGRTMIN");
    else if (signo == SIGRTMAX)
      snprintf(rt_names[signo], sizeof(rt_names[signo]), "SIGRTMAX");
    else if (signo - SIGRTMIN <= SIGRTMAX - signo)
      snprintf(rt_names[signo], sizeof(rt_names[signo]), "SIGRTMIN+%d", signo - SIGRTMIN);
    else
      snprintf(rt_names[signo], sizeof(rt_names[signo]), "SIGRTMAX-%d", SIGRTMAX - signo);
  }
  return rt_names[signo];
}
