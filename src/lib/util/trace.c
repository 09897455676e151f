#include "util/trace.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "util/json_escape.h"
#include "util/timestamp.h"

bool trace_on;

struct trace_rec {
  uint64_t ns;  /* when the phase ended (CLOCK_REALTIME) */
  uint64_t dur; /* since the previous point of the same process */
  int pid;
  int done; /* set last: a reader skips a record still being written */
  char process[12];
  char phase[32];
  char detail[96];
};

struct trace_buf {
  uint64_t t0;
  unsigned count; /* slots taken (may exceed cap: those points are dropped) */
  unsigned cap;
  struct trace_rec rec[];
};

enum { TRACE_BUF_SIZE = 128 * 1024 };

static struct trace_buf *buf;
/* Per process (a fork inherits the parent's values, so the child's first phase
 * starts where the parent's last point was). */
static uint64_t last_ns;
static char process_name[12] = "runtime";

/* CLOCK_REALTIME rather than CLOCK_MONOTONIC: the init may enter a time
 * namespace with a monotonic offset half-way through its set-up, and its points
 * are compared with the runtime's. */
static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void trace_start(void) {
  if (buf != NULL)
    return;
  void *m = mmap(NULL, TRACE_BUF_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) {
    perror("ocirun: trace buffer");
    return;
  }
  buf = m;
  buf->cap = (TRACE_BUF_SIZE - sizeof(*buf)) / sizeof(struct trace_rec);
  buf->t0 = last_ns = now_ns();
  trace_on = true;
}

void trace_set_process_slow(const char *name) {
  snprintf(process_name, sizeof(process_name), "%s", name);
}

static struct trace_rec *take(const char *phase) {
  uint64_t t = now_ns();
  unsigned i = __atomic_fetch_add(&buf->count, 1, __ATOMIC_RELAXED);
  struct trace_rec *r;

  if (i >= buf->cap)
    return NULL;
  r = &buf->rec[i];
  r->ns = t;
  r->dur = t - last_ns;
  last_ns = t;
  r->pid = (int)getpid();
  memcpy(r->process, process_name, sizeof(r->process));
  snprintf(r->phase, sizeof(r->phase), "%s", phase);
  r->detail[0] = '\0';
  return r;
}

static void commit(struct trace_rec *r) {
  __atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
}

void trace_record(const char *phase, const char *detail) {
  struct trace_rec *r = take(phase);
  if (r == NULL)
    return;
  if (detail)
    snprintf(r->detail, sizeof(r->detail), "%s", detail);
  commit(r);
}

void trace_recordf(const char *phase, const char *fmt, ...) {
  struct trace_rec *r = take(phase);
  va_list ap;
  if (r == NULL)
    return;
  va_start(ap, fmt);
  vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
  va_end(ap);
  commit(r);
}

static int by_time(const void *a, const void *b) {
  const struct trace_rec *x = *(const struct trace_rec *const *)a;
  const struct trace_rec *y = *(const struct trace_rec *const *)b;
  return x->ns < y->ns ? -1 : x->ns > y->ns;
}

static double ms(uint64_t ns) {
  return (double)ns / 1e6;
}

static void json_line(int fd, const char *command, const struct trace_rec *r, uint64_t t0) {
  char when[TIMESTAMP_SIZE], msg[160];
  struct timespec at = {.tv_sec = (time_t)(r->ns / 1000000000u),
                        .tv_nsec = (long)(r->ns % 1000000000u)};
  char *emsg, *ephase, *edetail, *ecmd, *eproc;

  timestamp_format_buf(&at, when);
  snprintf(msg, sizeof(msg), "trace %s: %s %s%s%s %.3f ms", command, r->process, r->phase,
           r->detail[0] ? " " : "", r->detail, ms(r->dur));
  emsg = json_escape_string(msg);
  ephase = json_escape_string(r->phase);
  edetail = json_escape_string(r->detail);
  ecmd = json_escape_string(command);
  eproc = json_escape_string(r->process);
  if (emsg && ephase && edetail && ecmd && eproc)
    dprintf(fd,
            "{\"level\":\"trace\",\"msg\":%s,\"time\":\"%s\",\"command\":%s,\"process\":%s,"
            "\"pid\":%d,\"phase\":%s,\"detail\":%s,\"at_ms\":%.3f,\"ms\":%.3f}\n",
            emsg, when, ecmd, eproc, r->pid, ephase, edetail, ms(r->ns - t0), ms(r->dur));
  free(emsg);
  free(ephase);
  free(edetail);
  free(ecmd);
  free(eproc);
}

void trace_report(const char *command, int log_fd) {
  struct trace_rec **v;
  unsigned n, k = 0;
  struct trace_rec total = {0};

  if (!trace_on)
    return;
  n = __atomic_load_n(&buf->count, __ATOMIC_ACQUIRE);
  if (n > buf->cap)
    n = buf->cap;
  v = calloc(n + 1, sizeof(*v));
  if (v == NULL)
    return;
  for (unsigned i = 0; i < n; i++)
    if (__atomic_load_n(&buf->rec[i].done, __ATOMIC_ACQUIRE))
      v[k++] = &buf->rec[i];
  qsort(v, k, sizeof(*v), by_time);
  total.ns = now_ns();
  total.dur = total.ns - buf->t0;
  total.pid = (int)getpid();
  snprintf(total.process, sizeof(total.process), "runtime");
  snprintf(total.phase, sizeof(total.phase), "total");
  if (log_fd != STDERR_FILENO) {
    for (unsigned i = 0; i < k; i++)
      json_line(log_fd, command, v[i], buf->t0);
    json_line(log_fd, command, &total, buf->t0);
  } else {
    /* One buffered block: the lines of a trace stay together on a shared stderr. */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f) {
      fprintf(f, "ocirun trace: %s, %.3f ms\n  %9s %9s  %-8s %s\n", command, ms(total.dur), "at ms",
              "took ms", "process", "phase");
      for (unsigned i = 0; i < k; i++)
        fprintf(f, "  %9.3f %9.3f  %-8s %s%s%s\n", ms(v[i]->ns - buf->t0), ms(v[i]->dur),
                v[i]->process, v[i]->phase, v[i]->detail[0] ? "  " : "", v[i]->detail);
      if (__atomic_load_n(&buf->count, __ATOMIC_RELAXED) > buf->cap)
        fprintf(f, "  (%u more points dropped: buffer full)\n", buf->count - buf->cap);
      if (fclose(f) == 0 && text) {
        ssize_t w = write(STDERR_FILENO, text, len);
        (void)w;
      }
      free(text);
    }
  }
  free(v);
}
