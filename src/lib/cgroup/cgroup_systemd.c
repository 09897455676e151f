/* systemd driver: the container's cgroup is a transient scope unit started
 * over D-Bus (StartTransientUnit with the process and the resource
 * properties); everything else goes through the cgroupfs driver on the unit's
 * directory.  libsystemd is dlopen()ed when the driver is used, so commands
 * that do not use systemd never load it. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup_internal.h"
#include "cgroup/cgroup_systemd.h"
#include "util/cleanup.h"
#include "util/fs.h"

struct sd_bus_error_compat {
  const char *name;
  const char *message;
  int need_free;
};

struct sd_api {
  void *handle;
  int (*open_system)(void **bus);
  int (*new_method_call)(void *bus, void **m, const char *dest, const char *path, const char *iface,
                         const char *member);
  int (*append)(void *m, const char *types, ...);
  int (*append_array)(void *m, char type, const void *ptr, size_t size);
  int (*open_container)(void *m, char type, const char *contents);
  int (*close_container)(void *m);
  int (*call)(void *bus, void *m, uint64_t usec, struct sd_bus_error_compat *e, void **reply);
  void *(*message_unref)(void *m);
  void *(*flush_close_unref)(void *bus);
  void (*error_free)(struct sd_bus_error_compat *e);
};

struct sd_state {
  const struct cgroup_driver *fs; /* the cgroupfs driver for the unit's directory */
  bool v2;
};

static int sd_load(struct sd_api *api, ocirun_error_t **err) {
  memset(api, 0, sizeof(*api));
  api->handle = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
  if (api->handle == NULL)
    return ocirun_error_set(err, 0, "systemd cgroup driver: load libsystemd.so.0: %s", dlerror());
#define SYM(field, name)                                                                           \
  do {                                                                                             \
    *(void **)&api->field = dlsym(api->handle, name);                                              \
    if (api->field == NULL)                                                                        \
      return ocirun_error_set(err, 0, "systemd cgroup driver: libsystemd.so.0 lacks %s", name);    \
  } while (0)
  SYM(open_system, "sd_bus_open_system");
  SYM(new_method_call, "sd_bus_message_new_method_call");
  SYM(append, "sd_bus_message_append");
  SYM(append_array, "sd_bus_message_append_array");
  SYM(open_container, "sd_bus_message_open_container");
  SYM(close_container, "sd_bus_message_close_container");
  SYM(call, "sd_bus_call");
  SYM(message_unref, "sd_bus_message_unref");
  SYM(flush_close_unref, "sd_bus_flush_close_unref");
  SYM(error_free, "sd_bus_error_free");
#undef SYM
  return 0;
}

static const char *prop_signature(const struct cgroup_systemd_prop *p, char one[2]) {
  switch (p->type) {
  case 'y':
    return "ay";
  case 'Y':
    return "y";
  case 'A':
    return "as";
  case 'D':
    return "a(ss)";
  default:
    one[0] = p->type;
    one[1] = '\0';
    return one;
  }
}

static int append_prop(struct sd_api *api, void *m, const struct cgroup_systemd_prop *p) {
  char one[2];
  const char *sig = prop_signature(p, one);
  int r;
  if ((r = api->open_container(m, 'r', "sv")) < 0 || (r = api->append(m, "s", p->name)) < 0 ||
      (r = api->open_container(m, 'v', sig)) < 0)
    return r;
  switch (p->type) {
  case 't':
    r = api->append(m, "t", p->u);
    break;
  case 'x':
    r = api->append(m, "x", p->i);
    break;
  case 'i':
  case 'u':
    r = p->type == 'i' ? api->append(m, "i", (int32_t)p->i) : api->append(m, "u", (uint32_t)p->i);
    break;
  case 'n':
  case 'q':
  case 'Y':
    /* sd-bus reads the 8- and 16-bit types as promoted ints */
    r = api->append(m, sig, (int)p->i);
    break;
  case 'd':
    r = api->append(m, "d", p->d);
    break;
  case 'b':
    r = api->append(m, "b", (int)p->b);
    break;
  case 's':
  case 'o':
  case 'g':
    r = api->append(m, sig, p->s);
    break;
  case 'y':
    r = api->append_array(m, 'y', p->bytes, p->nbytes);
    break;
  case 'A':
    r = api->open_container(m, 'a', "s");
    for (size_t i = 0; r >= 0 && i < p->nstrv; i++)
      r = api->append(m, "s", p->strv[i]);
    if (r >= 0)
      r = api->close_container(m);
    break;
  case 'D':
    r = api->open_container(m, 'a', "(ss)");
    for (size_t i = 0; r >= 0 && i < p->ndev; i++)
      r = api->append(m, "(ss)", p->dev_paths[i], p->dev_perms[i]);
    if (r >= 0)
      r = api->close_container(m);
    break;
  default:
    r = -EINVAL;
  }
  if (r < 0 || (r = api->close_container(m)) < 0)
    return r;
  return api->close_container(m);
}

enum sd_method { SD_START, SD_SET, SD_STOP, SD_RESET_FAILED };

/* One systemd1.Manager call. */
static int sd_call(struct cgroup *cg, enum sd_method kind, pid_t pid,
                   const struct spec_resources *res, ocirun_error_t **err) {
  static const char *const members[] = {"StartTransientUnit", "SetUnitProperties", "StopUnit",
                                        "ResetFailedUnit"};
  struct sd_state *st = cg->sd;
  struct sd_api api;
  struct cgroup_systemd_props props = {0}, annotated = {0};
  struct sd_bus_error_compat e = {0};
  void *bus = NULL, *m = NULL, *reply = NULL;
  int r, ret = -1;

  if (sd_load(&api, err) < 0)
    goto out;
  if ((kind == SD_START || kind == SD_SET) && res &&
      cgroup_systemd_properties(res, st->v2, &props, err) < 0)
    goto out;
  /* as runc: the annotations' properties only when the unit is made, before the
   * resources' */
  if (kind == SD_START && cgroup_systemd_annotation_props(cg->annotations, &annotated, err) < 0)
    goto out;
  if ((r = api.open_system(&bus)) < 0) {
    ocirun_error_set(err, -r, "systemd cgroup driver: connect to the system bus");
    goto out;
  }
  r = api.new_method_call(bus, &m, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                          "org.freedesktop.systemd1.Manager", members[kind]);
  if (r >= 0 && (kind == SD_START || kind == SD_STOP))
    r = api.append(m, "ss", cg->unit, "replace");
  else if (r >= 0 && kind == SD_SET)
    r = api.append(m, "sb", cg->unit, 1);
  else if (r >= 0)
    r = api.append(m, "s", cg->unit);
  if (r >= 0 && (kind == SD_START || kind == SD_SET)) {
    r = api.open_container(m, 'a', "(sv)");
    if (r >= 0 && kind == SD_START) {
      char desc[256];
      snprintf(desc, sizeof(desc), "ocirun container %s", cg->id);
      struct cgroup_systemd_prop base[] = {
          {.name = "Description", .type = 's', .s = desc},
          {.name = "Slice", .type = 's', .s = cg->slice},
          {.name = "Delegate", .type = 'b', .b = true},
          {.name = "DefaultDependencies", .type = 'b', .b = false},
      };
      for (size_t i = 0; r >= 0 && i < sizeof(base) / sizeof(base[0]); i++)
        r = append_prop(&api, m, &base[i]);
      if (r >= 0)
        r = api.open_container(m, 'r', "sv");
      if (r >= 0)
        r = api.append(m, "s", "PIDs");
      if (r >= 0)
        r = api.append(m, "v", "au", 1, (uint32_t)pid);
      if (r >= 0)
        r = api.close_container(m);
    }
    for (size_t i = 0; r >= 0 && i < annotated.len; i++)
      r = append_prop(&api, m, &annotated.items[i]);
    for (size_t i = 0; r >= 0 && i < props.len; i++)
      r = append_prop(&api, m, &props.items[i]);
    if (r >= 0)
      r = api.close_container(m);
    if (r >= 0 && kind == SD_START)
      r = api.append(m, "a(sa(sv))", 0);
  }
  if (r < 0) {
    ocirun_error_set(err, -r, "systemd cgroup driver: build %s message", members[kind]);
    goto out;
  }
  r = api.call(bus, m, 0, &e, &reply);
  if (r < 0) {
    ocirun_error_set(err, -r, "systemd cgroup driver: %s %s: %s", members[kind], cg->unit,
                     e.message ? e.message : "failed");
    goto out;
  }
  ret = 0;
out:
  if (api.handle) {
    if (e.name || e.message)
      api.error_free(&e);
    if (reply)
      api.message_unref(reply);
    if (m)
      api.message_unref(m);
    if (bus)
      api.flush_close_unref(bus);
  }
  cgroup_systemd_props_clear(&props);
  cgroup_systemd_props_clear(&annotated);
  /* the library stays loaded: unloading it is unsafe with its atexit state */
  return ret;
}

static int sd_create(struct cgroup *cg, ocirun_error_t **err) {
  (void)cg;
  (void)err;
  return 0; /* the scope exists once it holds a process: see sd_apply */
}

/* The files a delegatee may write (/sys/kernel/cgroup/delegate; cgroups(7)'s three before
 * Linux 4.15), chowned with the scope's directory to the owner, as runc does.  A listed
 * file the cgroup lacks (a controller not enabled) is skipped. */
static int delegate_to_owner(struct cgroup *cg, ocirun_error_t **err) {
  _cleanup_free_ char *list = NULL;
  ocirun_error_t *lerr = NULL;
  char *save = NULL;

  if (!cg->has_owner)
    return 0;
  if (chown(cg->unified_path, cg->owner_uid, (gid_t)-1) < 0)
    return ocirun_error_set(err, errno, "delegate cgroup %s to uid %u", cg->unified_path,
                            cg->owner_uid);
  if (fs_read_file("/sys/kernel/cgroup/delegate", 1 << 16, &list, NULL, &lerr) < 0) {
    ocirun_error_free(&lerr);
    list = strdup("cgroup.procs\ncgroup.subtree_control\ncgroup.threads\n");
    if (list == NULL)
      return ocirun_error_set(err, ENOMEM, "delegate cgroup %s", cg->unified_path);
  }
  for (char *f = strtok_r(list, " \n", &save); f; f = strtok_r(NULL, " \n", &save)) {
    _cleanup_free_ char *path = cg_join(cg->unified_path, f);
    if (path == NULL)
      return ocirun_error_set(err, ENOMEM, "delegate cgroup %s", cg->unified_path);
    if (strchr(f, '/') == NULL && chown(path, cg->owner_uid, (gid_t)-1) < 0 && errno != ENOENT)
      return ocirun_error_set(err, errno, "delegate %s to uid %u", path, cg->owner_uid);
  }
  return 0;
}

static int sd_apply(struct cgroup *cg, pid_t pid, const char *sub, ocirun_error_t **err) {
  struct sd_state *st = cg->sd;
  const char *dir = st->v2 ? cg->unified_path : (cg->nhier ? cg->hier[0].path : NULL);
  if (sub || cg->existing || (dir && access(dir, F_OK) == 0))
    return st->fs->apply(cg, pid, sub, err);
  if (sd_call(cg, SD_START, pid, cg->resources, err) < 0)
    return -1;
  /* The job runs asynchronously: wait for the scope's directory, as long as runc waits
   * for the job (30 s: a loaded systemd can be slow), polling often at first. */
  for (int i = 0; i < 3200 && dir && access(dir, F_OK) != 0; i++) {
    struct timespec ts = {0, (i < 200 ? 1 : 10) * 1000000L};
    nanosleep(&ts, NULL);
  }
  /* v2: systemd enables only the controllers it knows (not hugetlb, rdma, misc) on the way
   * to the scope; as runc, every available one is enabled in each ancestor. */
  if (st->v2 && (st->fs->create(cg, err) < 0 || delegate_to_owner(cg, err) < 0))
    return -1;
  /* Controllers systemd does not manage (v1 freezer, ...) are joined by hand. */
  return st->fs->apply(cg, pid, NULL, err);
}

static int sd_set_resources(struct cgroup *cg, const struct spec_resources *res,
                            ocirun_error_t **err) {
  struct sd_state *st = cg->sd;
  struct spec_resources rounded;
  if (st->v2 && cgroup_v2_check_memory(cg->unified_path, &res->memory, err) < 0)
    return -1;
  if (sd_call(cg, SD_SET, 0, res, err) < 0)
    return -1;
  /* the files get the quota systemd put in force, not a different one of their own */
  if (res->cpu.present && res->cpu.has_quota && res->cpu.quota > 0) {
    rounded = *res;
    rounded.cpu.quota =
        cgroup_systemd_quota_in_force(res->cpu.quota, res->cpu.has_period ? res->cpu.period : 0);
    res = &rounded;
  }
  return st->fs->set_resources(cg, res, err);
}

static int sd_destroy(struct cgroup *cg, ocirun_error_t **err) {
  struct sd_state *st = cg->sd;
  ocirun_error_t *serr = NULL;
  /* A scope that already went away with its last process is fine. */
  if (sd_call(cg, SD_STOP, 0, NULL, &serr) < 0)
    ocirun_error_free(&serr);
  /* A unit that failed (RuntimeMaxSec= ran out, its processes were killed) stays
   * loaded until reset: no trace of the container may remain. */
  if (sd_call(cg, SD_RESET_FAILED, 0, NULL, &serr) < 0)
    ocirun_error_free(&serr);
  return st->fs->destroy(cg, err);
}

static int sd_freeze(struct cgroup *cg, bool frozen, ocirun_error_t **err) {
  return ((struct sd_state *)cg->sd)->fs->freeze(cg, frozen, err);
}
static bool sd_is_frozen(struct cgroup *cg) {
  return ((struct sd_state *)cg->sd)->fs->is_frozen(cg);
}
static int sd_clone_fd(struct cgroup *cg) {
  (void)cg;
  return -1; /* the scope is made with the process in it */
}
static int sd_kill_fast(struct cgroup *cg, int signo, ocirun_error_t **err) {
  return ((struct sd_state *)cg->sd)->fs->kill_fast(cg, signo, err);
}
static const char *sd_procs_dir(struct cgroup *cg) {
  return ((struct sd_state *)cg->sd)->fs->procs_dir(cg);
}
static int sd_oom(struct cgroup *cg, uint64_t *count, ocirun_error_t **err) {
  return ((struct sd_state *)cg->sd)->fs->oom_kill_count(cg, count, err);
}
static int sd_stats(struct cgroup *cg, struct cgroup_stats *s, ocirun_error_t **err) {
  return ((struct sd_state *)cg->sd)->fs->stats(cg, s, err);
}

const struct cgroup_driver cgroup_systemd_driver = {
    .name = "systemd",
    .create = sd_create,
    .clone_fd = sd_clone_fd,
    .apply = sd_apply,
    .set_resources = sd_set_resources,
    .freeze = sd_freeze,
    .is_frozen = sd_is_frozen,
    .kill_fast = sd_kill_fast,
    .procs_dir = sd_procs_dir,
    .oom_kill_count = sd_oom,
    .stats = sd_stats,
    .destroy = sd_destroy,
};

int cgroup_systemd_open(struct cgroup *cg, const char *cgroups_path, ocirun_error_t **err) {
  _cleanup_free_ char *expanded = NULL, *rel = NULL, *canon = NULL;
  struct sd_state *st;
  if (access("/run/systemd/system", F_OK) != 0)
    return ocirun_error_set(
        err, 0, "systemd cgroup driver: systemd is not running (no /run/systemd/system)");
  if (cgroup_systemd_parse_path(cgroups_path, cg->id, &cg->slice, &cg->unit, err) < 0)
    return -1;
  /* bad property annotations fail the create before anything exists */
  if (cg->annotations) {
    struct cgroup_systemd_props check = {0};
    int r = cgroup_systemd_annotation_props(cg->annotations, &check, err);
    cgroup_systemd_props_clear(&check);
    if (r < 0)
      return -1;
  }
  if (cgroup_systemd_expand_slice(cg->slice, &expanded, err) < 0)
    return -1;
  if (asprintf(&rel, "%s/%s", expanded, cg->unit) < 0) {
    rel = NULL;
    return ocirun_error_set(err, ENOMEM, "systemd cgroup path");
  }
  /* The unit's directory is at the same place in every hierarchy. */
  if (cgroup_setup_fs(cg, rel, NULL, NULL, err) < 0)
    return -1;
  st = calloc(1, sizeof(*st));
  if (st == NULL)
    return ocirun_error_set(err, ENOMEM, "systemd cgroup driver");
  st->fs = cg->drv;
  st->v2 = cg->nhier == 0;
  cg->sd = st;
  cg->drv = &cgroup_systemd_driver;
  /* Recorded as slice:prefix:name so that reopening finds the same unit. */
  if (cgroups_path && cgroups_path[0])
    canon = strdup(cgroups_path);
  else
    asprintf(&canon, "%s:runc:%s", cg->slice, cg->id);
  if (canon == NULL)
    return ocirun_error_set(err, ENOMEM, "systemd cgroup driver");
  free(cg->recorded);
  cg->recorded = steal_pointer(&canon);
  return 0;
}
