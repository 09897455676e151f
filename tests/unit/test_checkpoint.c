/* Unit tests of the checkpoint pieces that need no CRIU: the --page-server parser,
 * descriptors.json, and the external mounts and namespaces a request gets for a config. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint/criu_internal.h"
#include "unit.h"

static void test_page_server(void) {
  char *addr = NULL;
  int port = 0;
  ocirun_error_t *err = NULL;

  CHECK(checkpoint_parse_page_server("10.0.0.1:27277", &addr, &port, &err) == 0);
  CHECK_STR_EQ(addr, "10.0.0.1");
  CHECK(port == 27277);
  free(addr);
  CHECK(checkpoint_parse_page_server("[::1]:1", &addr, &port, &err) == 0);
  CHECK_STR_EQ(addr, "::1");
  free(addr);
  const char *bad[] = {"nohost", ":1", "host:", "host:x", "host:70000", "[]:1"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    CHECK(checkpoint_parse_page_server(bad[i], &addr, &port, &err) < 0);
    CHECK(addr == NULL && err != NULL);
    ocirun_error_free(&err);
  }
}

static void test_descriptors(void) {
  char *in[3] = {"/dev/null", "pipe:[1]", "pipe:[2]"}, *out[3];
  ocirun_error_t *err = NULL;
  char *json = descriptors_format(in);

  CHECK_STR_EQ(json, "[\"/dev/null\",\"pipe:[1]\",\"pipe:[2]\"]");
  CHECK(json && descriptors_parse(json, strlen(json), out, &err) == 0);
  for (int i = 0; i < 3; i++) {
    CHECK_STR_EQ(out[i], in[i]);
    free(out[i]);
  }
  free(json);
  CHECK(descriptors_parse("{}", 2, out, &err) < 0);
  CHECK(err != NULL && strstr(err->msg, "not a JSON array") != NULL);
  ocirun_error_free(&err);
  CHECK(descriptors_parse("[1]", 3, out, &err) < 0 && out[0] == NULL);
  ocirun_error_free(&err);
}

static bool masked_all_files(void *arg, const char *path) {
  (void)arg;
  return strcmp(path, "/proc/acpi") != 0;
}

static bool has_mnt(const CriuOpts *o, const char *key, const char *val) {
  for (size_t i = 0; i < o->n_ext_mnt; i++)
    if (strcmp(o->ext_mnt[i]->key, key) == 0 && strcmp(o->ext_mnt[i]->val, val) == 0)
      return true;
  return false;
}

static void test_mounts(void) {
  char *opts_bind[] = {"rbind", "ro"};
  struct spec_mount mounts[] = {
      {.destination = "/data", .source = "/srv/data", .type = "bind"},
      {.destination = "/etc/x", .source = "/host/x", .options = {opts_bind, 2}},
      {.destination = "/tmp", .source = "tmpfs", .type = "tmpfs"},
      {.destination = "/a//b/../c", .source = "/s", .type = "bind"},
  };
  char *masked[] = {"/proc/kcore", "/proc/acpi"};
  struct spec spec = {.mounts = mounts, .mounts_len = 4};
  CriuOpts o = CRIU_OPTS__INIT;

  spec.linux_.masked_paths.items = masked;
  spec.linux_.masked_paths.len = 2;
  CHECK(criu_mount_is_bind(&mounts[1]) && !criu_mount_is_bind(&mounts[2]));
  CHECK(criu_mounts_for_dump(&o, &spec, masked_all_files, NULL) == 0);
  CHECK(has_mnt(&o, "/data", "/data"));
  CHECK(has_mnt(&o, "/etc/x", "/etc/x"));
  CHECK(has_mnt(&o, "/a/c", "/a/c"));
  CHECK(has_mnt(&o, "/proc/kcore", "/dev/null"));
  CHECK(!has_mnt(&o, "/proc/acpi", "/dev/null"));
  CHECK(has_mnt(&o, "/dev/tty", "/dev/tty"));
  for (size_t i = 0; i < o.n_ext_mnt; i++)
    CHECK(strcmp(o.ext_mnt[i]->key, "/tmp") != 0);
  criu_opts_free(&o);
  CHECK(criu_mounts_for_restore(&o, &spec) == 0);
  CHECK(has_mnt(&o, "/data", "/srv/data"));
  CHECK(has_mnt(&o, "/etc/x", "/host/x"));
  CHECK(has_mnt(&o, "/dev/null", "/dev/null"));
  criu_opts_free(&o);
}

static void test_external_ns(void) {
  struct spec_namespace ns[] = {{.type = SPEC_NS_NETWORK, .path = "/proc/self/ns/net"},
                                {.type = SPEC_NS_PID, .path = NULL}};
  struct spec spec = {0};
  CriuOpts o = CRIU_OPTS__INIT;
  ocirun_error_t *err = NULL;
  int *fds = NULL;
  size_t n = 0;

  spec.linux_.namespaces = ns;
  spec.linux_.namespaces_len = 2;
  /* Too old a CRIU: nothing external. */
  CHECK(criu_external_ns_for_dump(&o, &spec, 31000, &err) == 0 && o.n_external == 0);
  CHECK(criu_external_ns_for_dump(&o, &spec, 31701, &err) == 0 && o.n_external == 1);
  CHECK(o.n_external == 1 && strncmp(o.external[0], "net[", 4) == 0 &&
        strstr(o.external[0], "]:extRootNetNS") != NULL);
  CHECK(criu_external_ns_for_restore(&o, &spec, 31701, &fds, &n, &err) == 0 && n == 1);
  CHECK(o.n_inherit_fd == 1 && o.inherit_fd[0]->fd == 4 &&
        strcmp(o.inherit_fd[0]->key, "extRootNetNS") == 0);
  ns[0].path = "/nonexistent/netns";
  CHECK(criu_external_ns_for_restore(&o, &spec, 31701, &fds, &n, &err) < 0);
  CHECK(err != NULL && strstr(err->msg, "does not exist") != NULL);
  ocirun_error_free(&err);
  for (size_t i = 0; i < n; i++)
    close(fds[i]);
  free(fds);
  criu_opts_free(&o);
}

int main(void) {
  test_page_server();
  test_descriptors();
  test_mounts();
  test_external_ns();
  return unit_done();
}
