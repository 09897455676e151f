/* `state` and `list` answered from the state views (state_view.h) at the binary's entry
 * point, before libc starts.
 *
 * It only ever answers what main() would answer, byte for byte, or steps aside: any
 * global option other than --root, --log, --log-format, --systemd-cgroup, --rootless and
 * --criu (all of which leave these two commands' output alone), no --root, OCIRUN_TRACE in
 * the environment, a flag or argument it does not know, a container without a view, a
 * view it cannot read, an owner name that JSON would escape, a buffer that would
 * overflow: in every such case it returns and main() does the work from state.json,
 * reporting errors its own way.  The status comes from the system as state_status()
 * derives it: the init's /proc/<pid>/stat (alive, not a zombie, the recorded start time),
 * the freezer file the view names, and the exec fifo.
 *
 * Like sealed_binary_entry.c it runs before relocation and TLS: built freestanding
 * without a stack protector, no global data, no pointer tables, no function outside this
 * file (util/raw_syscall.h is inline); memory comes from mmap. */
#define STATE_VIEW_FREESTANDING
#include "container/state_view.h"

#include <fcntl.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "util/raw_syscall.h"

#define PATH_CAP 8192
#define ID_MAX 1024           /* CONTAINER_ID_MAX */
#define ARENA_CAP (64L << 20) /* views and names of every container, /etc/passwd */
#define OUT_CAP (16L << 20)   /* what is printed */
#define VIEW_MAX (1L << 20)   /* one view */
#define PASSWD_MAX (4L << 20)

enum status { ST_CREATED, ST_RUNNING, ST_PAUSED, ST_STOPPED, ST_ASIDE };

struct span {
  const char *p;
  long n;
};

struct view {
  unsigned long long created_done, pid, start_time, owner;
  struct span probe, id, bundle, created, pretty, compact;
  unsigned long long pretty_cut[6], compact_cut[6];
};

struct buf {
  char *p;
  long n, cap;
  int full; /* something did not fit: the answer is given up */
};

/* ---- small helpers ---------------------------------------------------------------- */

static long str_len(const char *s) {
  long n = 0;
  while (s[n])
    n++;
  return n;
}

static int str_eq(const char *a, const char *b) {
  while (*a && *a == *b)
    a++, b++;
  return *a == *b;
}

static int span_eq(struct span s, const char *z) {
  long i = 0;
  for (; i < s.n; i++)
    if (z[i] == '\0' || z[i] != s.p[i])
      return 0;
  return z[i] == '\0';
}

static int bytes_cmp(const char *a, const char *b) {
  while (*a && *a == *b)
    a++, b++;
  return (int)(unsigned char)*a - (int)(unsigned char)*b;
}

static void put(struct buf *b, const char *s, long n) {
  if (b->full || n > b->cap - b->n) {
    b->full = 1;
    return;
  }
  for (long i = 0; i < n; i++)
    b->p[b->n + i] = s[i];
  b->n += n;
}

static void put_z(struct buf *b, const char *s) {
  put(b, s, str_len(s));
}

static void put_num(struct buf *b, unsigned long long v) {
  char d[24];
  int i = (int)sizeof(d);
  do
    d[--i] = (char)('0' + v % 10);
  while (v /= 10);
  put(b, d + i, (long)sizeof(d) - i);
}

static void put_spaces(struct buf *b, long n) {
  while (n-- > 0)
    put(b, " ", 1);
}

/* root "/" id suffix, NUL-terminated, into path[PATH_CAP]; 0 when too long. */
static int make_path(char *path, const char *root, const char *id, long id_len,
                     const char *suffix) {
  struct buf o = {path, 0, PATH_CAP - 1, 0};
  put_z(&o, root);
  put_z(&o, "/");
  put(&o, id, id_len);
  put_z(&o, suffix);
  if (o.full)
    return 0;
  path[o.n] = '\0';
  return 1;
}

static char *take(struct buf *arena, long n) {
  char *p;
  n = (n + 15) & ~15L;
  if (arena->full || n > arena->cap - arena->n) {
    arena->full = 1;
    return NULL;
  }
  p = arena->p + arena->n;
  arena->n += n;
  return p;
}

#define READ_FAILED -1
#define READ_TOO_LONG -2

/* The whole file into buf (at most cap bytes), or what one read(2) gives (once); its
 * length, or READ_FAILED, or READ_TOO_LONG when it does not fit. */
static long read_file_how(const char *path, char *buf, long cap, int once) {
  long fd = raw_syscall(SYS_open, (long)path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
  long n = 0, r;

  if (fd < 0)
    return READ_FAILED;
  for (;;) {
    if (n == cap) {
      n = once ? n : READ_TOO_LONG;
      break;
    }
    r = raw_syscall(SYS_read, fd, (long)(buf + n), cap - n, 0, 0);
    if (r == -4) /* EINTR */
      continue;
    if (r < 0) {
      n = READ_FAILED;
      break;
    }
    n += r;
    if (r == 0 || once)
      break;
  }
  raw_syscall(SYS_close, fd, 0, 0, 0, 0);
  return n;
}

static long read_file(const char *path, char *buf, long cap) {
  return read_file_how(path, buf, cap, 0);
}

/* ---- the view --------------------------------------------------------------------- */

static int eat(const char **p, const char *end, const char *lit) {
  const char *q = *p;
  for (; *lit; lit++, q++)
    if (q >= end || *q != *lit)
      return 0;
  *p = q;
  return 1;
}

static int number(const char **p, const char *end, unsigned long long *v) {
  const char *q = *p;
  unsigned long long x = 0;
  if (q >= end || *q < '0' || *q > '9')
    return 0;
  for (; q < end && *q >= '0' && *q <= '9'; q++) {
    if (q - *p >= 19)
      return 0;
    x = x * 10 + (unsigned long long)(*q - '0');
  }
  *v = x;
  *p = q;
  return 1;
}

/* "<len>:<bytes>\n" */
static int counted(const char **p, const char *end, struct span *s) {
  unsigned long long n;
  if (!number(p, end, &n) || !eat(p, end, ":") || n > (unsigned long long)(end - *p))
    return 0;
  s->p = *p;
  s->n = (long)n;
  *p += n;
  return eat(p, end, "\n");
}

static int text_record(const char **p, const char *end, const char *tag, struct span *s) {
  return eat(p, end, tag) && counted(p, end, s);
}

static int json_record(const char **p, const char *end, const char *tag, struct span *s,
                       unsigned long long cut[6]) {
  if (!eat(p, end, tag))
    return 0;
  for (int i = 0; i < 6; i++) {
    if (!number(p, end, &cut[i]) || !eat(p, end, " "))
      return 0;
    if (i > 0 && cut[i] < cut[i - 1])
      return 0;
  }
  return counted(p, end, s) && cut[5] <= (unsigned long long)s->n;
}

static int parse_view(const char *data, long len, struct view *v) {
  const char *p = data, *end = data + len;

  return eat(&p, end, STATE_VIEW_MAGIC) && eat(&p, end, "N ") &&
         number(&p, end, &v->created_done) && eat(&p, end, " ") && number(&p, end, &v->pid) &&
         eat(&p, end, " ") && number(&p, end, &v->start_time) && eat(&p, end, " ") &&
         number(&p, end, &v->owner) && eat(&p, end, "\n") &&
         text_record(&p, end, "F ", &v->probe) && text_record(&p, end, "I ", &v->id) &&
         text_record(&p, end, "B ", &v->bundle) && text_record(&p, end, "C ", &v->created) &&
         json_record(&p, end, "P ", &v->pretty, v->pretty_cut) &&
         json_record(&p, end, "L ", &v->compact, v->compact_cut) && p == end &&
         v->created_done == 1 && v->pid <= 0x7fffffff && v->owner <= 0xffffffffULL;
}

/* ---- the live status (state_status) ------------------------------------------------ */

/* process_is_same: alive, not a zombie, and started when the view says. */
static int init_alive(const struct view *v) {
  char path[64], stat[1024];
  struct buf o = {path, 0, sizeof(path) - 1, 0};
  const char *p = NULL, *end;
  unsigned long long start = 0;
  long n;
  int field = 3;

  if (v->pid == 0)
    return 0;
  put_z(&o, "/proc/");
  put_num(&o, v->pid);
  put_z(&o, "/stat");
  path[o.n] = '\0';
  /* One read of at most 1 KiB, as process_stat_read makes. */
  n = read_file_how(path, stat, sizeof(stat), 1);
  if (n <= 0)
    return 0;
  end = stat + n;
  for (const char *q = stat; q < end; q++)
    if (*q == ')')
      p = q;
  if (p == NULL)
    return 0;
  for (p++;; field++) {
    const char *tok;
    while (p < end && *p == ' ')
      p++;
    if (p >= end)
      return 0;
    tok = p;
    while (p < end && *p != ' ' && *p != '\n')
      p++;
    if (field == 3 && (p - tok != 1 || *tok == 'Z' || *tok == 'X'))
      return 0;
    if (field == 22) {
      const char *q = tok;
      return number(&q, p, &start) && q == p && start == v->start_time;
    }
  }
}

/* cgroup_is_frozen through the file the view names; -1: the view cannot say. */
static int frozen(const struct view *v) {
  char path[PATH_CAP], data[4096];
  long n;

  if (span_eq(v->probe, "none"))
    return 0;
  if (v->probe.n < 3 || v->probe.p[0] != 'v' || v->probe.p[2] != ':' ||
      (v->probe.p[1] != '1' && v->probe.p[1] != '2'))
    return -1;
  for (long i = 3; i < v->probe.n; i++)
    if (v->probe.p[i] == '\0')
      return -1;
  if (v->probe.n - 3 >= PATH_CAP)
    return -1;
  for (long i = 3; i < v->probe.n; i++)
    path[i - 3] = v->probe.p[i];
  path[v->probe.n - 3] = '\0';
  n = read_file(path, data, sizeof(data));
  if (n == READ_TOO_LONG)
    return -1;
  if (n == READ_FAILED) /* unreadable: not frozen, as cgroup_is_frozen says */
    return 0;
  if (v->probe.p[1] == '1') { /* freezer.state, its first line */
    struct span line = {data, 0};
    while (line.n < n && data[line.n] != '\n')
      line.n++;
    return span_eq(line, "FROZEN");
  }
  for (const char *l = data, *end = data + n; l < end;) { /* cgroup.events, "frozen N" */
    const char *q = l;
    unsigned long long x;
    if (eat(&q, end, "frozen ")) {
      if (!number(&q, end, &x))
        return -1;
      return x == 1;
    }
    while (l < end && *l != '\n')
      l++;
    l++;
  }
  return 0;
}

static enum status live_status(const char *root, const struct view *v) {
  char path[PATH_CAP];
  struct stat sb;
  int f;

  if (!init_alive(v))
    return ST_STOPPED;
  f = frozen(v);
  if (f < 0)
    return ST_ASIDE;
  if (f)
    return ST_PAUSED;
  if (!make_path(path, root, v->id.p, v->id.n, "/exec.fifo"))
    return ST_ASIDE;
  return raw_syscall(SYS_newfstatat, AT_FDCWD, (long)path, (long)&sb, AT_SYMLINK_NOFOLLOW, 0) == 0
             ? ST_CREATED
             : ST_RUNNING;
}

static const char *status_name(enum status s) {
  switch (s) {
  case ST_CREATED:
    return "created";
  case ST_RUNNING:
    return "running";
  case ST_PAUSED:
    return "paused";
  default:
    return "stopped";
  }
}

/* ---- output ------------------------------------------------------------------------- */

/* A view's JSON with the live pid, status and (for list) owner put in. */
static void put_json(struct buf *o, struct span json, const unsigned long long cut[6],
                     unsigned long long pid, const char *status, const char *owner) {
  put(o, json.p, (long)cut[0]);
  put_num(o, pid);
  put(o, json.p + cut[1], (long)(cut[2] - cut[1]));
  put_z(o, "\"");
  put_z(o, status);
  put_z(o, "\"");
  put(o, json.p + cut[3], (long)(cut[4] - cut[3]));
  if (owner) {
    put_z(o, "\"");
    put_z(o, owner);
    put_z(o, "\"");
  } else {
    put(o, json.p + cut[4], (long)(cut[5] - cut[4]));
  }
  put(o, json.p + cut[5], json.n - (long)cut[5]);
}

/* All of it to stdout; 0 when nothing could be written (main() then tries itself). */
static int write_out(const struct buf *o) {
  long done = 0;
  while (done < o->n) {
    long r = raw_syscall(SYS_write, 1, (long)(o->p + done), o->n - done, 0, 0);
    if (r == -4)
      continue;
    if (r <= 0)
      break;
    done += r;
  }
  if (done == 0 && o->n > 0)
    return 0;
  raw_syscall(SYS_exit_group, done == o->n ? 0 : 1, 0, 0, 0, 0);
  return 1;
}

/* ---- the two commands ---------------------------------------------------------------- */

/* The --log file as main()'s log_init leaves it: created, opened for writing once (it may
 * be a fifo, whose open waits for a reader).  Only once the answer is ready, so that a
 * step aside leaves the one open to main(); 0 when it cannot be opened (main() reports). */
static int open_log(const char *log) {
  long fd;
  if (log == NULL || log[0] == '\0')
    return 1;
  fd = raw_syscall(SYS_open, (long)log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600, 0, 0);
  if (fd < 0)
    return 0;
  raw_syscall(SYS_close, fd, 0, 0, 0, 0);
  return 1;
}

static int id_ok(const char *s, long n) {
  if (n < 1 || n > ID_MAX)
    return 0;
  for (long i = 0; i < n; i++) {
    char c = s[i];
    int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '_' && c != '+' && c != '.' && c != '-')))
      return 0;
  }
  return 1;
}

/* The view of root/id into the arena; 0 when there is none to use. */
static int load_view(struct buf *arena, const char *root, const char *id, long id_len,
                     struct view *v) {
  char path[PATH_CAP];
  char *data = take(arena, VIEW_MAX);
  long n;

  if (data == NULL || !make_path(path, root, id, id_len, "/" STATE_VIEW_FILE))
    return 0;
  n = read_file(path, data, VIEW_MAX);
  /* Give back what the view did not use. */
  arena->n -= (VIEW_MAX - (n < 0 ? 0 : ((n + 15) & ~15L)));
  return n > 0 && parse_view(data, n, v) && v->id.n == id_len && span_eq(v->id, id) ? 1 : 0;
}

static void answer_state(struct buf *arena, struct buf *out, const char *root, const char *id,
                         const char *log) {
  struct view v;
  enum status st;

  if (!load_view(arena, root, id, str_len(id), &v))
    return;
  st = live_status(root, &v);
  if (st == ST_ASIDE)
    return;
  put_json(out, v.pretty, v.pretty_cut, st == ST_STOPPED ? 0 : v.pid, status_name(st), NULL);
  if (!out->full && open_log(log))
    write_out(out);
}

struct row {
  const char *id;
  struct view v;
  enum status st;
  const char *owner;
};

struct linux_dirent64_head {
  unsigned long long d_ino;
  long long d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

/* The valid ids of the directories in root, sorted as strcmp sorts; -1 to step aside. */
static long list_ids(struct buf *arena, const char *root, const char ***ids) {
  long fd = raw_syscall(SYS_open, (long)root, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0, 0);
  char *dents = take(arena, 1 << 16);
  const char **list = NULL;
  long count = 0, cap = 0;

  if (fd < 0)
    return -1;
  for (;;) {
    long n = dents ? raw_syscall(SYS_getdents64, fd, (long)dents, 1 << 16, 0, 0) : -1;
    if (n < 0) {
      count = -1;
      break;
    }
    if (n == 0)
      break;
    for (long off = 0; off < n;) {
      struct linux_dirent64_head *d = (struct linux_dirent64_head *)(dents + off);
      long len = str_len(d->d_name);
      off += d->d_reclen;
      if (d->d_type == 0 /* DT_UNKNOWN: main() stats */) {
        count = -1;
        goto done;
      }
      if (d->d_type != 4 /* DT_DIR */ || !id_ok(d->d_name, len))
        continue;
      if (count == cap) { /* the array moves to the end of the arena, twice as large */
        const char **bigger =
            (const char **)take(arena, (cap ? cap * 2 : 256) * (long)sizeof(*list));
        if (bigger == NULL) {
          count = -1;
          goto done;
        }
        for (long i = 0; i < count; i++)
          bigger[i] = list[i];
        list = bigger;
        cap = cap ? cap * 2 : 256;
      }
      char *copy = take(arena, len + 1);
      if (copy == NULL) {
        count = -1;
        goto done;
      }
      for (long i = 0; i <= len; i++)
        copy[i] = d->d_name[i];
      list[count++] = copy;
    }
  }
done:
  raw_syscall(SYS_close, fd, 0, 0, 0, 0);
  /* Shell sort: no recursion, no library. */
  for (long gap = count / 2; gap > 0; gap /= 2)
    for (long i = gap; i < count; i++)
      for (long j = i; j >= gap && bytes_cmp(list[j - gap], list[j]) > 0; j -= gap) {
        const char *t = list[j];
        list[j] = list[j - gap];
        list[j - gap] = t;
      }
  *ids = list;
  return count;
}

/* state_owner_name: the first /etc/passwd entry with this uid, else "#uid".  NULL to step
 * aside: a uid field main() would read differently, a name JSON would escape. */
static const char *owner_name(struct buf *arena, const char *passwd, long plen,
                              unsigned long long uid) {
  const char *end = passwd + plen;
  for (const char *line = passwd; passwd && line < end;) {
    const char *eol = line, *c[3] = {NULL, NULL, NULL};
    int k = 0;
    while (eol < end && *eol != '\n') {
      if (*eol == ':' && k < 3)
        c[k++] = eol;
      eol++;
    }
    if (k == 3 && c[0] > line && c[2] > c[1] + 1) {
      const char *q = c[1] + 1;
      unsigned long long v;
      if (!number(&q, c[2], &v) || q != c[2])
        return NULL;
      if (v == uid) {
        long n = c[0] - line;
        char *name = take(arena, n + 1);
        if (name == NULL)
          return NULL;
        for (long i = 0; i < n; i++) {
          unsigned char ch = (unsigned char)line[i];
          if (ch < 0x20 || ch >= 0x80 || ch == '"' || ch == '\\' || ch == '<' || ch == '>' ||
              ch == '&' || ch == '\0')
            return NULL;
          name[i] = line[i];
        }
        name[n] = '\0';
        return name;
      }
    }
    line = eol + 1;
  }
  char *hash = take(arena, 24);
  struct buf o = {hash, 0, 23, 0};
  if (hash == NULL)
    return NULL;
  put_z(&o, "#");
  put_num(&o, uid);
  hash[o.n] = '\0';
  return hash;
}

/* Display width as the table counts it: UTF-8 lead bytes. */
static long width_of(const char *s, long n) {
  long w = 0;
  for (long i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xc0) != 0x80)
      w++;
  return w;
}

static void answer_list(struct buf *arena, struct buf *out, const char *root, int json, int quiet,
                        const char *log) {
  const char **ids;
  long n = list_ids(arena, root, &ids), plen = -1;
  struct row *rows;
  char *passwd = NULL;

  if (n < 0)
    return;
  rows = (struct row *)take(arena, (n + 1) * (long)sizeof(*rows));
  if (rows == NULL)
    return;
  if (!quiet) {
    passwd = take(arena, PASSWD_MAX);
    if (passwd == NULL)
      return;
    plen = read_file("/etc/passwd", passwd, PASSWD_MAX);
    if (plen == READ_TOO_LONG)
      return;
    if (plen == READ_FAILED) /* unreadable: every owner is "#uid", as in main() */
      passwd = NULL, plen = 0;
    /* main() reads the text up to a NUL byte: such a file is left to it. */
    for (long k = 0; k < plen; k++)
      if (passwd[k] == '\0')
        return;
  }
  for (long i = 0; i < n; i++) {
    struct row *r = &rows[i];
    r->id = ids[i];
    if (!load_view(arena, root, ids[i], str_len(ids[i]), &r->v))
      return;
    r->st = live_status(root, &r->v);
    if (r->st == ST_ASIDE)
      return;
    if (!quiet) {
      if (i > 0 && rows[i - 1].v.owner == r->v.owner)
        r->owner = rows[i - 1].owner;
      else
        r->owner = owner_name(arena, passwd, plen, r->v.owner);
      if (r->owner == NULL)
        return;
    }
  }
  if (quiet) {
    for (long i = 0; i < n; i++) {
      put_z(out, rows[i].id);
      put_z(out, "\n");
    }
  } else if (json) {
    for (long i = 0; i < n; i++) {
      struct row *r = &rows[i];
      put_z(out, i == 0 ? "[" : ",");
      put_json(out, r->v.compact, r->v.compact_cut, r->st == ST_STOPPED ? 0 : r->v.pid,
               status_name(r->st), r->owner);
    }
    put_z(out, n ? "]\n" : "null\n");
  } else {
    /* runc's tabwriter: each column but the last as wide as its widest cell + 3, >= 12. */
    long width[5] = {12, 12, 12, 12, 12};
    char pid[24 * 2];
    for (long i = -1; i < n; i++) {
      struct row *r = &rows[i < 0 ? 0 : i];
      struct buf pb = {pid, 0, sizeof(pid), 0};
      long w[5];
      if (i < 0) {
        w[0] = 2, w[1] = 3, w[2] = 6, w[3] = 6, w[4] = 7; /* the header */
      } else {
        put_num(&pb, r->st == ST_STOPPED ? 0 : r->v.pid);
        w[0] = str_len(r->id);
        w[1] = pb.n;
        w[2] = str_len(status_name(r->st));
        w[3] = width_of(r->v.bundle.p, r->v.bundle.n);
        w[4] = width_of(r->v.created.p, r->v.created.n);
      }
      for (int c = 0; c < 5; c++)
        if (w[c] + 3 > width[c])
          width[c] = w[c] + 3;
    }
    put_z(out, "ID");
    put_spaces(out, width[0] - 2);
    put_z(out, "PID");
    put_spaces(out, width[1] - 3);
    put_z(out, "STATUS");
    put_spaces(out, width[2] - 6);
    put_z(out, "BUNDLE");
    put_spaces(out, width[3] - 6);
    put_z(out, "CREATED");
    put_spaces(out, width[4] - 7);
    put_z(out, "OWNER\n");
    for (long i = 0; i < n; i++) {
      struct row *r = &rows[i];
      struct buf pb = {pid, 0, sizeof(pid), 0};
      const char *st = status_name(r->st);
      put_num(&pb, r->st == ST_STOPPED ? 0 : r->v.pid);
      put_z(out, r->id);
      put_spaces(out, width[0] - str_len(r->id));
      put(out, pid, pb.n);
      put_spaces(out, width[1] - pb.n);
      put_z(out, st);
      put_spaces(out, width[2] - str_len(st));
      put(out, r->v.bundle.p, r->v.bundle.n);
      put_spaces(out, width[3] - width_of(r->v.bundle.p, r->v.bundle.n));
      put(out, r->v.created.p, r->v.created.n);
      put_spaces(out, width[4] - width_of(r->v.created.p, r->v.created.n));
      put_z(out, r->owner);
      put_z(out, "\n");
    }
  }
  if (!out->full && open_log(log))
    write_out(out);
}

/* ---- the command line ---------------------------------------------------------------- */

/* argv[*i] as the global or list flag `name` (one dash or two, as getopt_long_only takes
 * them): 0 when it is not; else 1 and its value in *value (the next argument, or what
 * follows '='; *i moves past it), or NULL for a flag without one (has_value 0). */
static int flag(char **argv, long argc, long *i, const char *name, int has_value,
                const char **value) {
  const char *a = argv[*i];
  if (a[0] != '-')
    return 0;
  a += a[1] == '-' ? 2 : 1;
  while (*name && *a == *name)
    a++, name++;
  if (*name != '\0' || (*a != '\0' && *a != '='))
    return 0;
  if (!has_value) {
    *value = NULL;
    return *a == '\0' ? 1 : -1;
  }
  if (*a == '=') {
    *value = a + 1;
    return 1;
  }
  if (*i + 1 >= argc)
    return -1;
  *value = argv[++*i];
  return 1;
}

static int answerable_env(char **envp) {
  for (; *envp; envp++) {
    const char *e = *envp, *k = "OCIRUN_TRACE=";
    while (*k && *e == *k)
      e++, k++;
    if (*k == '\0')
      return 0;
  }
  return 1;
}

void state_view_early(long *initial_stack) {
  long argc = initial_stack[0];
  char **argv = (char **)(initial_stack + 1);
  const char *root = NULL, *log = NULL, *v, *format = "table";
  long i = 1;
  int quiet = 0, r;

  if (!answerable_env(argv + argc + 1))
    return;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if ((r = flag(argv, argc, &i, "root", 1, &v)) != 0)
      root = v;
    else if ((r = flag(argv, argc, &i, "log", 1, &v)) != 0)
      log = v;
    else if ((r = flag(argv, argc, &i, "log-format", 1, &v)) != 0)
      r = r > 0 && (str_eq(v, "text") || str_eq(v, "json")) ? 1 : -1;
    else if ((r = flag(argv, argc, &i, "rootless", 1, &v)) != 0)
      r = r > 0 && (str_eq(v, "true") || str_eq(v, "false") || str_eq(v, "auto")) ? 1 : -1;
    else if ((r = flag(argv, argc, &i, "criu", 1, &v)) == 0)
      r = flag(argv, argc, &i, "systemd-cgroup", 0, &v);
    if (r <= 0)
      return;
  }
  if (root == NULL || root[0] == '\0' || i >= argc)
    return;
  const char *cmd = argv[i++];
  int is_state = str_eq(cmd, "state"), is_list = str_eq(cmd, "list");
  if (!is_state && !is_list)
    return;
  if (is_state && !(i + 1 == argc && id_ok(argv[i], str_len(argv[i]))))
    return;
  for (; is_list && i < argc; i++) {
    if (flag(argv, argc, &i, "q", 0, &v) == 1 || flag(argv, argc, &i, "quiet", 0, &v) == 1)
      quiet = 1;
    else if (flag(argv, argc, &i, "f", 1, &v) == 1 || flag(argv, argc, &i, "format", 1, &v) == 1)
      format = v;
    else
      return;
  }
  if (!quiet && !str_eq(format, "table") && !str_eq(format, "json"))
    return;
  long mem = raw_syscall6(SYS_mmap, 0, ARENA_CAP + OUT_CAP, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mem < 0 && mem > -4096)
    return;
  struct buf arena = {(char *)mem, 0, ARENA_CAP, 0};
  struct buf out = {(char *)mem + ARENA_CAP, 0, OUT_CAP, 0};
  if (is_state)
    answer_state(&arena, &out, root, argv[i], log);
  else
    answer_list(&arena, &out, root, str_eq(format, "json"), quiet, log);
  raw_syscall(SYS_munmap, mem, ARENA_CAP + OUT_CAP, 0, 0, 0);
}

long state_view_print(const char *data, long len, int list, const char *status, const char *owner,
                      char *out, long cap) {
  struct view v;
  struct buf o = {out, 0, cap, 0};
  int stopped = str_eq(status, "stopped");

  if (!parse_view(data, len, &v))
    return -1;
  if (list)
    put_json(&o, v.compact, v.compact_cut, stopped ? 0 : v.pid, status, owner);
  else
    put_json(&o, v.pretty, v.pretty_cut, stopped ? 0 : v.pid, status, NULL);
  return o.full ? -1 : o.n;
}
