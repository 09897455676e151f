/* Unit tests of the state store: ids, state.json round trip and errors, live status,
 * listing, permissions, locking and the JSON printed for runc compatibility. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "container/features.h"
#include "container/state.h"
#include "unit.h"
#include "util/fs.h"
#include "util/timestamp.h"

static char root[256];

static const char *msg_of(const ocirun_error_t *e) {
  return e ? e->msg : "";
}

static void test_id_validation(void) {
  static const char *const valid[] = {"a", "A", "0", "abc-DEF_1.2+3", "x..", "9.", NULL};
  static const char *const invalid[] = {"",   ".",  "..",  "a/b",         "/a",  "a\nb", "-a",
                                        "_a", ".a", "a b", "caf\xc3\xa9", "a:b", NULL};
  char long_ok[CONTAINER_ID_MAX + 1], long_bad[CONTAINER_ID_MAX + 2];
  ocirun_error_t *err = NULL;

  for (size_t i = 0; valid[i]; i++) {
    CHECK(container_id_validate(valid[i], &err) == 0);
    CHECK(err == NULL);
    ocirun_error_free(&err);
  }
  for (size_t i = 0; invalid[i]; i++) {
    CHECK(container_id_validate(invalid[i], &err) < 0);
    CHECK(err != NULL);
    ocirun_error_free(&err);
  }
  memset(long_ok, 'a', CONTAINER_ID_MAX);
  long_ok[CONTAINER_ID_MAX] = '\0';
  CHECK(container_id_validate(long_ok, &err) == 0);
  memset(long_bad, 'a', CONTAINER_ID_MAX + 1);
  long_bad[CONTAINER_ID_MAX + 1] = '\0';
  CHECK(container_id_validate(long_bad, &err) < 0);
  CHECK_STR_EQ(err->msg, "container id is longer than 1024 characters");
  ocirun_error_free(&err);

  CHECK(container_id_validate("", &err) < 0);
  CHECK_STR_EQ(err->msg, "container id is empty");
  ocirun_error_free(&err);
  CHECK(container_id_validate("a/b", &err) < 0);
  CHECK_STR_EQ(err->msg, "invalid container id \"a/b\": must match [A-Za-z0-9][A-Za-z0-9_+.-]*");
  ocirun_error_free(&err);
  CHECK(container_id_validate("a\nb", &err) < 0);
  CHECK_CONTAINS(err->msg, "\"a\\nb\"");
  CHECK(strchr(err->msg, '\n') == NULL);
  ocirun_error_free(&err);
}

static void fill_state(struct container_state *st, const char *id) {
  memset(st, 0, sizeof(*st));
  st->id = strdup(id);
  st->bundle = strdup("/tmp/bundle");
  st->rootfs = strdup("/tmp/bundle/rootfs");
  st->created = strdup("2026-11-29T05:03:27.928890671Z");
  st->owner = 0;
  st->annotations.items = calloc(2, sizeof(*st->annotations.items));
  st->annotations.items[0].key = strdup("foo");
  st->annotations.items[0].value = strdup("bar");
  st->annotations.items[1].key = strdup("a");
  st->annotations.items[1].value = strdup("b");
  st->annotations.len = 2;
}

static mode_t mode_of(const char *path) {
  struct stat sb;
  if (stat(path, &sb) < 0)
    return (mode_t)-1;
  return sb.st_mode & 07777;
}

static void test_round_trip_and_permissions(void) {
  struct container_state st, back;
  ocirun_error_t *err = NULL;
  char path[512];

  fill_state(&st, "rt");
  st.init_pid = 4242;
  st.init_start_time = 123456789012ULL;
  st.created_done = true;
  st.cgroup_path = strdup("user.slice:runc:rt");
  st.cgroup_unit_dir = strdup("/system.slice/mgr.service/user.slice/runc-rt.scope");
  st.systemd_cgroup = true;
  st.no_new_keyring = true;
  st.owner = 1000;

  CHECK(state_dir_create(root, "rt", &err) == 0);
  CHECK(state_dir_create(root, "rt", &err) < 0);
  CHECK(err && strcmp(err->msg, "container with given ID already exists: rt") == 0);
  ocirun_error_free(&err);
  CHECK(state_write(root, &st, &err) == 0);
  CHECK(err == NULL);
  ocirun_error_free(&err);
  CHECK(state_read(root, "rt", &back, &err) == 0);
  ocirun_error_free(&err);
  CHECK_STR_EQ(back.id, "rt");
  CHECK_STR_EQ(back.bundle, "/tmp/bundle");
  CHECK_STR_EQ(back.rootfs, "/tmp/bundle/rootfs");
  CHECK_STR_EQ(back.created, st.created);
  CHECK_STR_EQ(back.cgroup_path, "user.slice:runc:rt");
  CHECK_STR_EQ(back.cgroup_unit_dir, "/system.slice/mgr.service/user.slice/runc-rt.scope");
  CHECK(back.owner == 1000);
  CHECK(back.init_pid == 4242);
  CHECK(back.init_start_time == 123456789012ULL);
  CHECK(back.created_done && back.systemd_cgroup && back.no_new_keyring);
  CHECK(back.annotations.len == 2);
  state_clear(&back);

  CHECK(mode_of(root) == 0700);
  snprintf(path, sizeof(path), "%s/rt", root);
  CHECK(mode_of(path) == 0700);
  snprintf(path, sizeof(path), "%s/rt/state.json", root);
  CHECK(mode_of(path) == 0600);
  int fd = state_lock(root, "rt", &err);
  CHECK(fd >= 0);
  /* The lock is the directory itself: nothing is created for it. */
  snprintf(path, sizeof(path), "%s/rt/lock", root);
  CHECK(access(path, F_OK) != 0);
  CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
  /* A second open file description conflicts even within one process. */
  CHECK(state_lock_try(root, "rt", &err) < 0);
  CHECK(err && err->status == EWOULDBLOCK);
  ocirun_error_free(&err);
  close(fd);
  fd = state_lock_try(root, "rt", &err);
  CHECK(fd >= 0);
  close(fd);

  CHECK(state_lock(root, "nothere", &err) < 0);
  CHECK(err && err->status == ENOENT);
  CHECK(err && strcmp(err->msg, "container does not exist: nothere") == 0);
  ocirun_error_free(&err);
  CHECK(state_read(root, "nothere", &back, &err) < 0);
  CHECK(err && err->status == ENOENT);
  CHECK(err && strcmp(err->msg, "container does not exist") == 0);
  ocirun_error_free(&err);
  CHECK(state_read(root, "../x", &back, &err) < 0);
  CHECK_CONTAINS(msg_of(err), "invalid container id");
  ocirun_error_free(&err);

  CHECK(state_dir_remove(root, "rt", &err) == 0);
  snprintf(path, sizeof(path), "%s/rt", root);
  CHECK(access(path, F_OK) < 0 && errno == ENOENT);
  CHECK(state_dir_remove(root, "rt", &err) == 0);
  state_clear(&st);
}

static void write_raw_state(const char *id, const char *text) {
  char path[512];
  FILE *f;
  ocirun_error_t *err = NULL;
  state_dir_create(root, id, &err);
  ocirun_error_free(&err);
  snprintf(path, sizeof(path), "%s/%s/state.json", root, id);
  f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
}

static void test_corrupted(void) {
  struct container_state st;
  ocirun_error_t *err = NULL;
  char expect[512];

  write_raw_state("bad", "{\"id\": \"bad\", ");
  CHECK(state_read(root, "bad", &st, &err) < 0);
  snprintf(expect, sizeof(expect), "%s/bad/state.json", root);
  CHECK_CONTAINS(msg_of(err), expect);
  ocirun_error_free(&err);

  write_raw_state("bad2", "{\"id\": \"bad2\", \"init_pid\": \"x\"}");
  CHECK(state_read(root, "bad2", &st, &err) < 0);
  CHECK_CONTAINS(msg_of(err), "\"init_pid\" must be an integer");
  ocirun_error_free(&err);

  write_raw_state("bad3", "[1]");
  CHECK(state_read(root, "bad3", &st, &err) < 0);
  ocirun_error_free(&err);

  /* An id that does not match the directory is refused. */
  write_raw_state("bad4", "{\"id\": \"other\"}");
  CHECK(state_read(root, "bad4", &st, &err) < 0);
  ocirun_error_free(&err);

  /* Unknown keys are tolerated. */
  write_raw_state("extra", "{\"id\": \"extra\", \"future\": {\"x\": [1]}, \"init_pid\": 7}");
  CHECK(state_read(root, "extra", &st, &err) == 0);
  CHECK(st.init_pid == 7);
  state_clear(&st);
  ocirun_error_free(&err);

  const char *names[] = {"bad", "bad2", "bad3", "bad4", "extra"};
  for (size_t i = 0; i < 5; i++)
    state_dir_remove(root, names[i], &err);
  ocirun_error_free(&err);
}

static void test_process_stat_parse(void) {
  char state = 0;
  uint64_t start = 0;
  const char *line = "123 (a) b) (c) S 1 123 123 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
                     "987654 1000 100 18446744073709551615\n";
  CHECK(process_stat_parse(line, strlen(line), &state, &start) == 0);
  CHECK(state == 'S');
  CHECK(start == 987654);
  CHECK(process_stat_parse("1 (x) S 1 2", 11, &state, &start) < 0);
  CHECK(process_stat_parse("garbage", 7, &state, &start) < 0);
  CHECK(process_start_time(getpid()) != 0);
}

static bool wait_zombie(pid_t pid) {
  for (int i = 0; i < 500; i++) {
    char path[64], buf[512];
    int fd;
    ssize_t n;
    char st;
    uint64_t t;
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      return false;
    n = read(fd, buf, sizeof(buf));
    close(fd);
    if (n > 0 && process_stat_parse(buf, (size_t)n, &st, &t) == 0 && st == 'Z')
      return true;
    usleep(10000);
  }
  return false;
}

static bool paused_yes(const struct container_state *st) {
  (void)st;
  return true;
}

static void test_status(void) {
  struct container_state st;
  ocirun_error_t *err = NULL;
  char fifo[512];
  pid_t child;
  uint64_t child_start;

  fill_state(&st, "live");
  CHECK(state_dir_create(root, "live", &err) == 0);
  ocirun_error_free(&err);

  /* creating without a pid yet */
  CHECK(state_status(root, &st) == CONTAINER_CREATING);

  /* our own process is alive */
  st.init_pid = getpid();
  st.init_start_time = process_start_time(getpid());
  CHECK(state_status(root, &st) == CONTAINER_CREATING);
  st.created_done = true;
  CHECK(state_status(root, &st) == CONTAINER_RUNNING);
  snprintf(fifo, sizeof(fifo), "%s/live/exec.fifo", root);
  CHECK(mkfifo(fifo, 0600) == 0);
  CHECK(state_status(root, &st) == CONTAINER_CREATED);
  unlink(fifo);
  state_is_paused_hook = paused_yes;
  CHECK(state_status(root, &st) == CONTAINER_PAUSED);
  state_is_paused_hook = NULL;

  /* same pid, another start time: the pid was reused */
  st.init_start_time += 1;
  CHECK(state_status(root, &st) == CONTAINER_STOPPED);
  CHECK(!process_is_same(st.init_pid, st.init_start_time));

  /* a zombie is stopped */
  child = fork();
  if (child == 0)
    _exit(0);
  CHECK(wait_zombie(child));
  child_start = process_start_time(child);
  CHECK(child_start != 0);
  st.init_pid = child;
  st.init_start_time = child_start;
  CHECK(!process_is_same(child, child_start));
  CHECK(state_status(root, &st) == CONTAINER_STOPPED);
  st.created_done = false;
  CHECK(state_status(root, &st) == CONTAINER_STOPPED);

  /* a reaped (gone) pid is stopped */
  waitpid(child, NULL, 0);
  st.created_done = true;
  CHECK(process_start_time(child) == 0);
  CHECK(state_status(root, &st) == CONTAINER_STOPPED);

  state_dir_remove(root, "live", &err);
  ocirun_error_free(&err);
  state_clear(&st);
}

static void test_list(void) {
  ocirun_error_t *err = NULL;
  char **ids = NULL, path[512];
  size_t n = 0;
  const char *names[] = {"zeta", "Alpha", "beta", "0x"};

  for (size_t i = 0; i < 4; i++) {
    CHECK(state_dir_create(root, names[i], &err) == 0);
    ocirun_error_free(&err);
  }
  snprintf(path, sizeof(path), "%s/stray-file", root);
  close(open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
  CHECK(state_list_ids(root, &ids, &n, &err) == 0);
  CHECK(n == 4);
  if (n == 4) {
    CHECK_STR_EQ(ids[0], "0x");
    CHECK_STR_EQ(ids[1], "Alpha");
    CHECK_STR_EQ(ids[2], "beta");
    CHECK_STR_EQ(ids[3], "zeta");
  }
  state_list_ids_free(ids, n);
  unlink(path);
  for (size_t i = 0; i < 4; i++)
    state_dir_remove(root, names[i], &err);

  snprintf(path, sizeof(path), "%s/does-not-exist", root);
  CHECK(state_list_ids(path, &ids, &n, &err) == 0);
  CHECK(n == 0 && ids == NULL);
  ocirun_error_free(&err);
}

static void test_oci_json(void) {
  struct container_state st;
  char *s;

  fill_state(&st, "x");
  st.init_pid = 12;
  s = state_to_oci_json(&st, CONTAINER_RUNNING);
  CHECK_STR_EQ(s, "{\n"
                  "  \"ociVersion\": \"1.3.0\",\n"
                  "  \"id\": \"x\",\n"
                  "  \"pid\": 12,\n"
                  "  \"status\": \"running\",\n"
                  "  \"bundle\": \"/tmp/bundle\",\n"
                  "  \"rootfs\": \"/tmp/bundle/rootfs\",\n"
                  "  \"created\": \"2026-11-29T05:03:27.928890671Z\",\n"
                  "  \"annotations\": {\n"
                  "    \"a\": \"b\",\n"
                  "    \"foo\": \"bar\"\n"
                  "  },\n"
                  "  \"owner\": \"\"\n"
                  "}");
  free(s);
  s = state_to_oci_json_compact(&st, CONTAINER_STOPPED, "root");
  CHECK_STR_EQ(s, "{\"ociVersion\":\"1.3.0\",\"id\":\"x\",\"pid\":0,\"status\":\"stopped\","
                  "\"bundle\":\"/tmp/bundle\",\"rootfs\":\"/tmp/bundle/rootfs\","
                  "\"created\":\"2026-11-29T05:03:27.928890671Z\","
                  "\"annotations\":{\"a\":\"b\",\"foo\":\"bar\"},\"owner\":\"root\"}");
  free(s);
  s = state_to_hook_json(&st, CONTAINER_CREATED);
  CHECK_STR_EQ(s, "{\"ociVersion\":\"1.3.0\",\"id\":\"x\",\"status\":\"created\",\"pid\":12,"
                  "\"bundle\":\"/tmp/bundle\",\"annotations\":{\"a\":\"b\",\"foo\":\"bar\"}}");
  free(s);

  /* Go's escaping: HTML characters, line separators, invalid UTF-8, controls. */
  free(st.annotations.items[0].value);
  st.annotations.items[0].value = strdup("<&>\xe2\x80\xa8\xff\x01\"\\\n\xc3\xa9");
  st.annotations.len = 1;
  st.init_pid = 0;
  s = state_to_hook_json(&st, CONTAINER_STOPPED);
  CHECK_STR_EQ(s, "{\"ociVersion\":\"1.3.0\",\"id\":\"x\",\"status\":\"stopped\","
                  "\"bundle\":\"/tmp/bundle\",\"annotations\":{\"foo\":"
                  "\"\\u003c\\u0026\\u003e\\u2028\\ufffd\\u0001\\\"\\\\\\n\xc3\xa9\"}}");
  free(s);
  st.annotations.len = 2;
  state_clear(&st);
}

static void test_created_format(void) {
  struct timespec ts = {.tv_sec = 1795929807, .tv_nsec = 950210200};
  char *s = timestamp_format(&ts);
  CHECK_STR_EQ(s, "2026-11-29T05:23:27.9502102Z");
  free(s);
  ts.tv_nsec = 0;
  s = timestamp_format(&ts);
  CHECK_STR_EQ(s, "2026-11-29T05:23:27Z");
  free(s);
  s = timestamp_now();
  CHECK(s != NULL && strlen(s) >= 20 && s[strlen(s) - 1] == 'Z');
  free(s);
  /* The date arithmetic agrees with the C library's gmtime_r, day by day, from 0001 to
   * 9999 (leap days, century and 400-year rules, days before 1970 included). */
  int bad = 0;
  for (int64_t d = -719162; d <= 2932896 && bad < 5; d++) {
    time_t t = (time_t)(d * 86400);
    struct tm tm;
    int64_t y;
    int m, dd;
    timestamp_civil_from_days(d, &y, &m, &dd);
    if (gmtime_r(&t, &tm) == NULL || y != tm.tm_year + 1900 || m != tm.tm_mon + 1 ||
        dd != tm.tm_mday) {
      printf("# day %lld: %lld-%d-%d\n", (long long)d, (long long)y, m, dd);
      bad++;
    }
  }
  CHECK(bad == 0);
  ts = (struct timespec){.tv_sec = -1, .tv_nsec = 5};
  s = timestamp_format(&ts);
  CHECK_STR_EQ(s, "1969-12-31T23:59:59.000000005Z");
  free(s);
  ts = (struct timespec){.tv_sec = 253402300800, .tv_nsec = 0}; /* 10000-01-01 */
  CHECK(timestamp_format(&ts) == NULL);
}

static void test_passwd_name(void) {
  static const char text[] = "root:x:0:0:root:/root:/bin/sh\n"
                             "# comment\n"
                             "\n"
                             "bad:x:notanumber:1::/:\n"
                             "neg:x:-5:1::/:\n"
                             ":x:7:7::/:\n"
                             "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                             "first:x:1000:1000::/home/a:\n"
                             "second:x:1000:1000::/home/b:\n"
                             "last:x:4294967294:1::/:";
  char *n;

  n = state_passwd_name(text, 0);
  CHECK_STR_EQ(n, "root");
  free(n);
  n = state_passwd_name(text, 1);
  CHECK_STR_EQ(n, "daemon");
  free(n);
  n = state_passwd_name(text, 1000);
  CHECK_STR_EQ(n, "first");
  free(n);
  n = state_passwd_name(text, 4294967294u);
  CHECK_STR_EQ(n, "last");
  free(n);
  CHECK(state_passwd_name(text, 7) == NULL);       /* empty name */
  CHECK(state_passwd_name(text, 5) == NULL);       /* "-5" is no uid */
  CHECK(state_passwd_name(text, 4242) == NULL);    /* absent */
  CHECK(state_passwd_name("root:x:0", 0) == NULL); /* truncated line */
  CHECK(state_passwd_name("", 0) == NULL);
}

static void test_features(void) {
  char *s = features_to_json();
  json_error_t jerr;
  json_t *j = s ? json_loads(s, 0, &jerr) : NULL;
  CHECK(j != NULL);
  CHECK_STR_EQ(json_string_value(json_object_get(j, "ociVersionMin")), "1.0.0");
  CHECK_STR_EQ(json_string_value(json_object_get(j, "ociVersionMax")), "1.3.0");
  CHECK(json_array_size(json_object_get(j, "hooks")) == 6);
  json_decref(j);
  free(s);
}

/* The atomic write replaces a file in place (an old file swapped out, then removed), creates
 * one where there is none, and refuses a directory, which stays where it was. */
static void test_atomic_replace(const char *dir) {
  char path[512], tmp[600], *data = NULL;
  size_t len = 0;
  struct stat st;
  ocirun_error_t *err = NULL;

  snprintf(path, sizeof(path), "%s/file.json", dir);
  snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
  CHECK(fs_write_file_atomic(path, "first", 5, 0600, &err) == 0);
  CHECK(fs_write_file_atomic(path, "second!", 7, 0600, &err) == 0);
  CHECK(fs_read_file(path, 4096, &data, &len, &err) == 0);
  CHECK(len == 7 && data && memcmp(data, "second!", 7) == 0);
  free(data);
  CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600);
  CHECK(access(tmp, F_OK) < 0 && errno == ENOENT);
  CHECK(unlink(path) == 0);

  CHECK(mkdir(path, 0700) == 0);
  CHECK(fs_write_file_atomic(path, "x", 1, 0600, &err) < 0);
  CHECK(err != NULL && err->status == EISDIR);
  ocirun_error_free(&err);
  CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
  CHECK(access(tmp, F_OK) < 0 && errno == ENOENT);
  CHECK(rmdir(path) == 0);
}

int main(void) {
  ocirun_error_t *err = NULL;
  char tmpl[] = "/tmp/ocirun-test-state-XXXXXX";

  if (mkdtemp(tmpl) == NULL)
    return 1;
  /* The store must create the root itself, with 0700. */
  snprintf(root, sizeof(root), "%s/root", tmpl);
  CHECK(state_root_ensure(root, &err) == 0);
  ocirun_error_free(&err);

  test_id_validation();
  test_round_trip_and_permissions();
  test_corrupted();
  test_process_stat_parse();
  test_status();
  test_list();
  test_oci_json();
  test_created_format();
  test_features();
  test_passwd_name();
  test_atomic_replace(tmpl);

  rmdir(root);
  rmdir(tmpl);
  return unit_done();
}
