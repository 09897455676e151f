/* systemd driver: the container's cgroup is a transient scope unit started
 * over D-Bus (StartTransientUnit with the process and the resource
 * properties, through our own client in dbus/); everything else goes through the cgroupfs
 * driver on the unit's directory.  Commands that do not start, change or stop a unit never
 * connect to the bus, but for an exec that may not move its process itself (join_existing);
 * a user manager is asked where its units live once, at create, and the unit's directory is
 * recorded in the state for the commands after it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup/cgroup_internal.h"
#include "cgroup/cgroup_systemd.h"
#include "dbus/dbus.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/limits.h"
#include "util/log.h"
#include "util/userns.h"

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct sd_state {
  const struct cgroup_driver *fs; /* the cgroupfs driver for the unit's directory */
  bool v2;
  bool user; /* the user's own manager (a rootless runtime), not the system's */
};

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

/* One (sv) of a property array. */
static void put_prop(struct dbus_writer *w, const struct cgroup_systemd_prop *p) {
  char one[2];
  struct dbus_array a;
  dbus_struct_begin(w);
  dbus_put_string(w, p->name);
  dbus_variant_begin(w, prop_signature(p, one));
  switch (p->type) {
  case 't':
    dbus_put_u64(w, p->u);
    break;
  case 'x':
    dbus_put_i64(w, p->i);
    break;
  case 'i':
    dbus_put_i32(w, (int32_t)p->i);
    break;
  case 'u':
    dbus_put_u32(w, (uint32_t)p->i);
    break;
  case 'n':
    dbus_put_i16(w, (int16_t)p->i);
    break;
  case 'q':
    dbus_put_u16(w, (uint16_t)p->i);
    break;
  case 'Y':
    dbus_put_byte(w, (uint8_t)p->i);
    break;
  case 'd':
    dbus_put_double(w, p->d);
    break;
  case 'b':
    dbus_put_bool(w, p->b);
    break;
  case 's':
  case 'o':
    dbus_put_string(w, p->s);
    break;
  case 'g':
    dbus_put_signature(w, p->s);
    break;
  case 'y':
    a = dbus_array_begin(w, 1);
    dbus_put_raw(w, p->bytes, p->nbytes);
    dbus_array_end(w, a);
    break;
  case 'A':
    a = dbus_array_begin(w, 4);
    for (size_t i = 0; i < p->nstrv; i++)
      dbus_put_string(w, p->strv[i]);
    dbus_array_end(w, a);
    break;
  case 'D':
    a = dbus_array_begin(w, 8);
    for (size_t i = 0; i < p->ndev; i++) {
      dbus_struct_begin(w);
      dbus_put_string(w, p->dev_paths[i]);
      dbus_put_string(w, p->dev_perms[i]);
    }
    dbus_array_end(w, a);
    break;
  default:
    if (w->err == 0)
      w->err = EINVAL;
  }
}

int cgroup_systemd_marshal(enum cgroup_systemd_method kind, const char *unit,
                           const struct cgroup_systemd_prop *base, size_t nbase, pid_t pid,
                           const struct cgroup_systemd_props *annotated,
                           const struct cgroup_systemd_props *props, struct dbus_writer *w) {
  struct dbus_array a;
  dbus_put_string(w, unit);
  if (kind == SD_START || kind == SD_STOP)
    dbus_put_string(w, "replace");
  else if (kind == SD_SET)
    dbus_put_bool(w, true);
  if (kind == SD_START || kind == SD_SET) {
    a = dbus_array_begin(w, 8);
    for (size_t i = 0; i < nbase; i++)
      put_prop(w, &base[i]);
    if (kind == SD_START) {
      struct dbus_array pids;
      dbus_struct_begin(w);
      dbus_put_string(w, "PIDs");
      dbus_variant_begin(w, "au");
      pids = dbus_array_begin(w, 4);
      dbus_put_u32(w, (uint32_t)pid);
      dbus_array_end(w, pids);
    }
    for (size_t i = 0; annotated && i < annotated->len; i++)
      put_prop(w, &annotated->items[i]);
    for (size_t i = 0; props && i < props->len; i++)
      put_prop(w, &props->items[i]);
    dbus_array_end(w, a);
    /* no auxiliary units */
    if (kind == SD_START)
      dbus_array_end(w, dbus_array_begin(w, 8));
  }
  return w->err ? -1 : 0;
}

const char *const cgroup_systemd_signatures[] = {
    [SD_START] = "ssa(sv)a(sa(sv))",
    [SD_SET] = "sba(sv)",
    [SD_STOP] = "ss",
    [SD_RESET_FAILED] = "s",
};

/* As runc: a rootless runtime talks to the user's own manager, whose bus comes with
 * dbus-user-session (runc's hint too). */
static int open_bus(const struct sd_state *st, struct dbus_conn *bus, ocirun_error_t **err) {
  if (dbus_open(bus, st->user, err) == 0)
    return 0;
  if (st->user)
    return ocirun_error_prefix(err, "systemd cgroup driver: connect to the user manager's bus "
                                    "(rootless; it comes with dbus-user-session)");
  return ocirun_error_prefix(err, "systemd cgroup driver: connect to the system bus");
}

#define JOB_REMOVED_RULE                                                                           \
  "type='signal',sender='org.freedesktop.systemd1',path='/org/freedesktop/systemd1',"              \
  "interface='org.freedesktop.systemd1.Manager',member='JobRemoved'"

/* The start job of unit (the object path in the StartTransientUnit reply started) ends:
 * JobRemoved (id, job, unit, result) with result "done" when the unit runs.  A manager that
 * does not say within LIMIT_SYSTEMD_JOB_MS is warned about and trusted, as runc does; any
 * other result fails the start with runc's words. */
static int wait_job(const char *unit, struct dbus_conn *bus, const struct dbus_reply *started,
                    ocirun_error_t **err) {
  struct dbus_reader rd;
  const char *job = NULL;
  _cleanup_free_ char *want = NULL;
  struct dbus_reply sig = {0};
  int ret = -1;

  dbus_reader_init(&rd, &started->msg);
  if (started->msg.signature == NULL || strcmp(started->msg.signature, "o") != 0 ||
      dbus_read_string(&rd, 'o', &job) < 0)
    return ocirun_error_set(
        err, EBADMSG, "systemd cgroup driver: StartTransientUnit %s: no job in the reply", unit);
  want = strdup(job);
  if (want == NULL)
    return ocirun_error_set(err, ENOMEM, "systemd cgroup driver: StartTransientUnit %s", unit);
  for (int64_t left = LIMIT_SYSTEMD_JOB_MS, start = now_ms(); left > 0;
       left = LIMIT_SYSTEMD_JOB_MS - (now_ms() - start)) {
    ocirun_error_t *werr = NULL;
    const char *path, *name, *result;
    uint32_t id;
    if (dbus_wait_signal(bus, (int)left, &sig, &werr) < 0) {
      if (werr->status != ETIMEDOUT) {
        ocirun_error_move(err, &werr);
        ocirun_error_prefix(err, "systemd cgroup driver: start %s", unit);
        goto out;
      }
      ocirun_error_free(&werr);
      break;
    }
    dbus_reader_init(&rd, &sig.msg);
    if (sig.msg.interface == NULL ||
        strcmp(sig.msg.interface, "org.freedesktop.systemd1.Manager") != 0 ||
        sig.msg.signature == NULL || strcmp(sig.msg.signature, "uoss") != 0 ||
        dbus_read_u32(&rd, &id) < 0 || dbus_read_string(&rd, 'o', &path) < 0 ||
        dbus_read_string(&rd, 's', &name) < 0 || dbus_read_string(&rd, 's', &result) < 0 ||
        strcmp(path, want) != 0)
      continue;
    if (strcmp(result, "done") != 0) {
      ocirun_error_set(err, 0, "error creating systemd unit `%s`: got `%s`", unit, result);
      goto out;
    }
    ret = 0;
    goto out;
  }
  log_warn("systemd cgroup driver: no end of the start job of %s within %d s: going on", unit,
           LIMIT_SYSTEMD_JOB_MS / 1000);
  ret = 0;
out:
  dbus_reply_clear(&sig);
  return ret;
}

/* One systemd1.Manager call, on bus (connected first when it is not yet: the caller closes
 * it, so that calls in a row share one connection). */
static int sd_call(struct cgroup *cg, enum cgroup_systemd_method kind, pid_t pid,
                   const struct spec_resources *res, struct dbus_conn *bus, ocirun_error_t **err) {
  static const char *const members[] = {"StartTransientUnit", "SetUnitProperties", "StopUnit",
                                        "ResetFailedUnit"};
  struct sd_state *st = cg->sd;
  struct cgroup_systemd_props props = {0}, annotated = {0};
  struct dbus_writer body = {0};
  struct dbus_reply reply = {0};
  char desc[256];
  int ret = -1;

  if ((kind == SD_START || kind == SD_SET) && res &&
      cgroup_systemd_properties(res, st->v2, &props, err) < 0)
    goto out;
  /* the unit exists: each property becomes a drop-in, written in the order sent */
  if (kind == SD_SET)
    cgroup_systemd_props_dropin_order(&props);
  /* as runc: the annotations' properties only when the unit is made, before the
   * resources' */
  if (kind == SD_START && cgroup_systemd_annotation_props(cg->annotations, &annotated, err) < 0)
    goto out;
  snprintf(desc, sizeof(desc), "ocirun container %s", cg->id);
  struct cgroup_systemd_prop base[] = {
      {.name = "Description", .type = 's', .s = desc},
      {.name = "Slice", .type = 's', .s = cg->slice},
      {.name = "Delegate", .type = 'b', .b = true},
      {.name = "DefaultDependencies", .type = 'b', .b = false},
  };
  if (cgroup_systemd_marshal(kind, cg->unit, base, kind == SD_START ? 4 : 0, pid, &annotated,
                             &props, &body) < 0) {
    ocirun_error_set(err, body.err, "systemd cgroup driver: build %s message", members[kind]);
    goto out;
  }
  if (bus->fd < 0 && open_bus(st, bus, err) < 0)
    goto out;
  /* as runc: the unit is there once its start job is done, which the manager says in a
   * JobRemoved signal to the client that queued the job */
  if (kind == SD_START) {
    bus->keep_member = "JobRemoved";
    if (dbus_add_match(bus, JOB_REMOVED_RULE, err) < 0) {
      ocirun_error_prefix(err, "systemd cgroup driver: subscribe to the end of jobs");
      goto out;
    }
  }
  if (dbus_call(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                "org.freedesktop.systemd1.Manager", members[kind], cgroup_systemd_signatures[kind],
                &body, kind == SD_START ? &reply : NULL, err) < 0) {
    ocirun_error_prefix(err, "systemd cgroup driver: %s %s", members[kind], cg->unit);
    goto out;
  }
  if (kind == SD_START && wait_job(cg->unit, bus, &reply, err) < 0)
    goto out;
  ret = 0;
out:
  dbus_reply_clear(&reply);
  dbus_writer_clear(&body);
  cgroup_systemd_props_clear(&props);
  cgroup_systemd_props_clear(&annotated);
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

/* AttachProcessesToUnit (systemd 238): the manager moves pid into the unit's cgroup (or
 * its sub-cgroup sub). */
static int attach_by_manager(struct cgroup *cg, pid_t pid, const char *sub, ocirun_error_t **err) {
  struct sd_state *st = cg->sd;
  struct dbus_conn bus = {.fd = -1};
  struct dbus_writer body = {0};
  _cleanup_free_ char *subcgroup = NULL;
  int ret = -1;

  if (asprintf(&subcgroup, "%s%s", sub ? "/" : "", sub ? sub : "") < 0) {
    subcgroup = NULL;
    return ocirun_error_set(err, ENOMEM, "systemd cgroup driver: AttachProcessesToUnit");
  }
  dbus_put_string(&body, cg->unit);
  dbus_put_string(&body, subcgroup);
  struct dbus_array a = dbus_array_begin(&body, 4);
  dbus_put_u32(&body, (uint32_t)pid);
  dbus_array_end(&body, a);
  if (body.err) {
    ocirun_error_set(err, body.err, "systemd cgroup driver: build AttachProcessesToUnit message");
    goto out;
  }
  if (open_bus(st, &bus, err) < 0)
    goto out;
  if (dbus_call(&bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                "org.freedesktop.systemd1.Manager", "AttachProcessesToUnit", "ssau", &body, NULL,
                err) < 0) {
    ocirun_error_prefix(err, "systemd cgroup driver: AttachProcessesToUnit %s pid %d", cg->unit,
                        (int)pid);
    goto out;
  }
  ret = 0;
out:
  dbus_close(&bus);
  dbus_writer_clear(&body);
  return ret;
}

/* Into a unit that exists (exec): by hand.  A rootless runtime that runs outside its user
 * manager's subtree (in a login session's scope) may not move a process from there: the
 * common ancestor (user-UID.slice for user@UID.service) is root's.  Its manager can, asking the
 * system's (as for the PIDs of a new scope), so it is asked then. */
static int join_existing(struct cgroup *cg, pid_t pid, const char *sub, ocirun_error_t **err) {
  struct sd_state *st = cg->sd;
  ocirun_error_t *ferr = NULL;

  if (st->fs->apply(cg, pid, sub, &ferr) == 0)
    return 0;
  if (!st->user || !st->v2 || ferr->status != EACCES) {
    ocirun_error_move(err, &ferr);
    return -1;
  }
  if (attach_by_manager(cg, pid, sub, err) < 0) {
    ocirun_error_prefix(err, "%s; then", ferr->msg);
    ocirun_error_free(&ferr);
    return -1;
  }
  ocirun_error_free(&ferr);
  return 0;
}

static int sd_apply(struct cgroup *cg, pid_t pid, const char *sub, ocirun_error_t **err) {
  struct sd_state *st = cg->sd;
  const char *dir = st->v2 ? cg->unified_path : (cg->nhier ? cg->hier[0].path : NULL);
  if (sub || cg->existing || (dir && access(dir, F_OK) == 0))
    return join_existing(cg, pid, sub, err);
  struct dbus_conn bus = {.fd = -1};
  int r = sd_call(cg, SD_START, pid, cg->resources, &bus, err);
  dbus_close(&bus);
  if (r < 0)
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
  struct dbus_conn bus = {.fd = -1};
  int r = sd_call(cg, SD_SET, 0, res, &bus, err);
  dbus_close(&bus);
  if (r < 0)
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
  struct dbus_conn bus = {.fd = -1};
  if (sd_call(cg, SD_STOP, 0, NULL, &bus, &serr) < 0)
    ocirun_error_free(&serr);
  /* A unit that failed (RuntimeMaxSec= ran out, its processes were killed) stays
   * loaded until reset: no trace of the container may remain. */
  if (sd_call(cg, SD_RESET_FAILED, 0, NULL, &bus, &serr) < 0)
    ocirun_error_free(&serr);
  dbus_close(&bus);
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

int cgroup_systemd_string_property(const struct dbus_message *m, char **out, ocirun_error_t **err) {
  struct dbus_reader rd;
  const char *sig, *value;

  dbus_reader_init(&rd, m);
  if (m->signature == NULL || strcmp(m->signature, "v") != 0)
    return ocirun_error_set(err, EBADMSG, "the reply holds \"%s\", not a variant",
                            m->signature ? m->signature : "");
  if (dbus_read_signature(&rd, &sig) < 0)
    return ocirun_error_set(err, EBADMSG, "bad variant in the reply");
  if (strcmp(sig, "s") != 0)
    return ocirun_error_set(err, EBADMSG, "the variant holds \"%s\", not a string", sig);
  if (dbus_read_string(&rd, 's', &value) < 0)
    return ocirun_error_set(err, EBADMSG, "bad string in the reply");
  *out = strdup(value);
  if (*out == NULL)
    return ocirun_error_set(err, ENOMEM, "the property's value");
  return 0;
}

char *cgroup_systemd_unit_dir(const char *manager_cg, const char *expanded_slice,
                              const char *unit) {
  _cleanup_free_ char *joined = NULL;
  /* rooted first, as runc's join below the cgroup mount: a relative ControlGroup is taken
   * from the root too */
  if (asprintf(&joined, "/%s/%s/%s", manager_cg, expanded_slice, unit) < 0)
    return NULL;
  return cgroup_clean_path(joined);
}

/* As runc: the user manager says where its units live, its ControlGroup property
 * (typically /user.slice/user-UID.slice/user@UID.service, but not for a manager started
 * another way: nested in a container, as a system service).  Asked once, at create. */
static int user_manager_cgroup(const struct sd_state *st, char **out, ocirun_error_t **err) {
  struct dbus_conn bus = {.fd = -1};
  struct dbus_writer body = {0};
  struct dbus_reply reply = {0};
  int ret = -1;

  dbus_put_string(&body, "org.freedesktop.systemd1.Manager");
  dbus_put_string(&body, "ControlGroup");
  if (body.err) {
    ocirun_error_set(err, body.err, "systemd cgroup driver: build the Properties.Get message");
    goto out;
  }
  if (open_bus(st, &bus, err) < 0)
    goto out;
  if (dbus_call(&bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                "org.freedesktop.DBus.Properties", "Get", "ss", &body, &reply, err) < 0 ||
      cgroup_systemd_string_property(&reply.msg, out, err) < 0) {
    ocirun_error_prefix(err,
                        "systemd cgroup driver: get property ControlGroup of "
                        "org.freedesktop.systemd1.Manager from the user manager on the bus %s",
                        bus.address);
    goto out;
  }
  ret = 0;
out:
  dbus_reply_clear(&reply);
  dbus_writer_clear(&body);
  dbus_close(&bus);
  return ret;
}

int cgroup_systemd_open(struct cgroup *cg, const char *cgroups_path, const char *unit_dir,
                        ocirun_error_t **err) {
  _cleanup_free_ char *expanded = NULL, *rel = NULL, *canon = NULL, *manager_cg = NULL;
  struct sd_state *st;
  if (access("/run/systemd/system", F_OK) != 0)
    return ocirun_error_set(
        err, 0, "systemd cgroup driver: systemd is not running (no /run/systemd/system)");
  /* As runc: a rootless runtime (an ordinary user, or root of a user namespace other than
   * the initial one, as under rootless podman) uses its user manager. */
  bool user = geteuid() != 0 || userns_running_in_nested();
  if (cgroup_systemd_parse_path(cgroups_path, cg->id, user, &cg->slice, &cg->unit, err) < 0)
    return -1;
  /* bad property annotations fail the create before anything exists */
  if (cg->annotations) {
    struct cgroup_systemd_props check = {0};
    int r = cgroup_systemd_annotation_props(cg->annotations, &check, err);
    cgroup_systemd_props_clear(&check);
    if (r < 0)
      return -1;
  }
  st = calloc(1, sizeof(*st));
  if (st == NULL)
    return ocirun_error_set(err, ENOMEM, "systemd cgroup driver");
  st->user = user;
  cg->sd = st;
  if (cgroup_systemd_expand_slice(cg->slice, &expanded, err) < 0)
    return -1;
  if (user && unit_dir) {
    /* reopened: where the manager placed the unit at create, as recorded */
    rel = strdup(unit_dir);
  } else if (user) {
    /* create, or a state that records no directory (written by an older ocirun) */
    if (user_manager_cgroup(st, &manager_cg, err) < 0)
      return -1;
    rel = cgroup_systemd_unit_dir(manager_cg, expanded, cg->unit);
  } else if (asprintf(&rel, "%s/%s", expanded, cg->unit) < 0) {
    rel = NULL;
  }
  if (rel == NULL)
    return ocirun_error_set(err, ENOMEM, "systemd cgroup path");
  /* The unit's directory is at the same place in every hierarchy. */
  if (cgroup_setup_fs(cg, rel, NULL, NULL, err) < 0)
    return -1;
  st->fs = cg->drv;
  st->v2 = cg->nhier == 0;
  cg->drv = &cgroup_systemd_driver;
  if (user) {
    free(cg->unit_dir);
    cg->unit_dir = steal_pointer(&rel);
  }
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
