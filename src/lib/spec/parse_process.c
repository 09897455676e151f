/* The process object: config.json's .process and the whole of process.json. */
#include <string.h>
#include <sys/resource.h>

#include "spec/parse.h"
#include "util/names.h"

static const struct name_number rlimit_table[] = {
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

static const char *const sched_policies[] = {"SCHED_OTHER",    "SCHED_FIFO", "SCHED_RR",
                                             "SCHED_BATCH",    "SCHED_ISO",  "SCHED_IDLE",
                                             "SCHED_DEADLINE", NULL};
static const char *const sched_flags[] = {"SCHED_FLAG_RESET_ON_FORK",  "SCHED_FLAG_RECLAIM",
                                          "SCHED_FLAG_DL_OVERRUN",     "SCHED_FLAG_KEEP_POLICY",
                                          "SCHED_FLAG_KEEP_PARAMS",    "SCHED_FLAG_UTIL_CLAMP_MIN",
                                          "SCHED_FLAG_UTIL_CLAMP_MAX", NULL};
static const char *const ioprio_classes[] = {"IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
                                             "IOPRIO_CLASS_IDLE", NULL};

static int parse_rlimit(struct pctx *c, json_t *obj, void *items, size_t i) {
  struct spec_rlimit *all = items, *out = &all[i];
  if (value_object(c, obj) < 0 || need_string(c, obj, "type", &out->type_name) < 0)
    return -1;
  long long resource;
  if (!NAMES_LOOKUP(rlimit_table, out->type_name, &resource)) {
    size_t saved = pctx_push_key(c, "type");
    pctx_fail_type(c, "an rlimit type (RLIMIT_NOFILE, RLIMIT_CORE, ...)", spec_member(obj, "type"));
    pctx_pop(c, saved);
    return -1;
  }
  out->resource = (int)resource;
  if (need_u64(c, obj, "soft", &out->soft) < 0 || need_u64(c, obj, "hard", &out->hard) < 0)
    return -1;
  /* the spec: duplicated types MUST be an error */
  for (size_t j = 0; j < i; j++)
    if (all[j].resource == out->resource)
      return pctx_fail_key(c, "type", "duplicate rlimit type \"%s\"", out->type_name);
  return 0;
}

static int parse_user(struct pctx *c, json_t *proc, struct spec_user *out) {
  json_t *user, *gids, *item;
  size_t i;
  int r = get_object(c, proc, "user", &user);
  if (r <= 0)
    return r;
  size_t saved = pctx_push_key(c, "user");
  if (get_id(c, user, "uid", &out->uid) < 0 || get_id(c, user, "gid", &out->gid) < 0)
    return -1;
  GET_OPT(get_u32, user, "umask", out, umask);
  if (get_string(c, user, "username", &out->username) < 0)
    return -1;
  if ((r = get_array(c, user, "additionalGids", &gids)) < 0)
    return -1;
  if (r > 0) {
    out->additional_gids = pctx_calloc(c, json_array_size(gids), sizeof(uint32_t));
    if (out->additional_gids == NULL && json_array_size(gids) > 0)
      return -1;
    size_t s2 = pctx_push_key(c, "additionalGids");
    json_array_foreach(gids, i, item) {
      size_t s3 = pctx_push_index(c, i);
      if (value_id(c, item, &out->additional_gids[i]) < 0)
        return -1;
      out->additional_gids_len++;
      pctx_pop(c, s3);
    }
    pctx_pop(c, s2);
  }
  pctx_pop(c, saved);
  return 1;
}

static int capabilities_members(struct pctx *c, json_t *caps, void *section) {
  struct spec_capabilities *out = section;
  out->present = true;
  /* Names are checked by the capabilities code, which knows what the kernel has. */
  if (get_strv(c, caps, "bounding", &out->bounding) < 0 ||
      get_strv(c, caps, "effective", &out->effective) < 0 ||
      get_strv(c, caps, "inheritable", &out->inheritable) < 0 ||
      get_strv(c, caps, "permitted", &out->permitted) < 0 ||
      get_strv(c, caps, "ambient", &out->ambient) < 0)
    return -1;
  return 0;
}

static int scheduler_members(struct pctx *c, json_t *obj, void *section) {
  struct spec_scheduler *out = section;
  int idx;
  out->present = true;
  if (need_enum(c, obj, "policy", sched_policies, "a scheduler policy (SCHED_OTHER, ...)", &idx) <
      0)
    return -1;
  if ((out->policy = strdup(sched_policies[idx])) == NULL)
    return pctx_fail(c, "out of memory");
  GET_OPT(get_i32, obj, "nice", out, nice);
  GET_OPT(get_i32, obj, "priority", out, priority);
  if (get_enum_strv(c, obj, "flags", sched_flags, "a scheduler flag (SCHED_FLAG_...)",
                    &out->flags) < 0)
    return -1;
  GET_OPT(get_u64, obj, "runtime", out, runtime);
  GET_OPT(get_u64, obj, "deadline", out, deadline);
  GET_OPT(get_u64, obj, "period", out, period);
  return 0;
}

static int parse_io_priority(struct pctx *c, json_t *proc, struct spec_io_priority *out) {
  json_t *obj;
  int32_t prio = 0;
  int idx, r = get_object(c, proc, "ioPriority", &obj);
  if (r <= 0)
    return r;
  out->present = true;
  size_t saved = pctx_push_key(c, "ioPriority");
  if (need_enum(c, obj, "class", ioprio_classes, NULL, &idx) < 0)
    return -1;
  if ((out->class_name = strdup(ioprio_classes[idx])) == NULL)
    return pctx_fail(c, "out of memory");
  if (get_i32(c, obj, "priority", &prio) < 0)
    return -1;
  out->priority = prio;
  pctx_pop(c, saved);
  return 1;
}

/* runtime-spec pattern ^[0-9, -]*$ */
static bool is_cpu_list(const char *s) {
  return strspn(s, "0123456789, -") == strlen(s);
}

static int parse_exec_cpu_affinity(struct pctx *c, json_t *proc,
                                   struct spec_exec_cpu_affinity *out) {
  json_t *obj;
  int r = get_object(c, proc, "execCPUAffinity", &obj);
  if (r <= 0)
    return r;
  size_t saved = pctx_push_key(c, "execCPUAffinity");
  if (get_string_checked(c, obj, "initial", is_cpu_list, "a CPU list such as \"0-3,7\"",
                         &out->initial) < 0 ||
      get_string_checked(c, obj, "final", is_cpu_list, "a CPU list such as \"0-3,7\"",
                         &out->final) < 0)
    return -1;
  pctx_pop(c, saved);
  return 1;
}

static int console_size_members(struct pctx *c, json_t *obj, void *section) {
  struct spec_process *out = section;
  if (need_u32(c, obj, "height", &out->console_height) < 0 ||
      need_u32(c, obj, "width", &out->console_width) < 0)
    return -1;
  out->has_console_size = true;
  return 0;
}

int parse_process(struct pctx *c, json_t *obj, struct spec_process *out) {
  int r;
  out->present = true;
  if (get_bool(c, obj, "terminal", &out->terminal) < 0 ||
      parse_section(c, obj, "consoleSize", console_size_members, out) < 0)
    return -1;
  /* runc: the cwd must be set and absolute; args must not be empty */
  if (need_string(c, obj, "cwd", &out->cwd) < 0)
    return -1;
  if (out->cwd[0] != '/')
    return pctx_fail_key(c, "cwd", "must be an absolute path, got \"%s\"", out->cwd);
  if (get_strv(c, obj, "env", &out->env) < 0)
    return -1;
  if ((r = get_strv(c, obj, "args", &out->args)) < 0)
    return -1;
  if (r == 0)
    return pctx_fail_key(c, "args", "required");
  if (out->args.len == 0)
    return pctx_fail_key(c, "args", "must not be empty");
  if (get_string(c, obj, "commandLine", &out->command_line) < 0)
    return -1;
  PARSE_ARRAY(obj, "rlimits", out->rlimits, out->rlimits_len, parse_rlimit);
  if (get_string(c, obj, "apparmorProfile", &out->apparmor_profile) < 0 ||
      parse_section(c, obj, "capabilities", capabilities_members, &out->capabilities) < 0 ||
      get_bool(c, obj, "noNewPrivileges", &out->no_new_privileges) < 0)
    return -1;
  GET_OPT(get_i32, obj, "oomScoreAdj", out, oom_score_adj);
  if (parse_section(c, obj, "scheduler", scheduler_members, &out->scheduler) < 0 ||
      get_string(c, obj, "selinuxLabel", &out->selinux_label) < 0 ||
      parse_io_priority(c, obj, &out->io_priority) < 0 ||
      parse_exec_cpu_affinity(c, obj, &out->exec_cpu_affinity) < 0 ||
      parse_user(c, obj, &out->user) < 0)
    return -1;
  return 0;
}
