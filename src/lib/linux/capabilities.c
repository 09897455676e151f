#include "linux/capabilities.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "util/log.h"
#include "util/syscalls.h"

#define CAP_BIT(c) (UINT64_C(1) << (c))

int cap_last_supported(void) {
  static int last = -1;
  int c;

  if (last >= 0)
    return last;
  /* PR_CAPBSET_READ fails with EINVAL exactly for numbers the kernel does not know. */
  c = cap_last_known();
  if (prctl(PR_CAPBSET_READ, (unsigned long)c, 0, 0, 0) >= 0) {
    while (c < 63 && prctl(PR_CAPBSET_READ, (unsigned long)c + 1, 0, 0, 0) >= 0)
      c++;
  } else {
    while (c > 0 && prctl(PR_CAPBSET_READ, (unsigned long)c, 0, 0, 0) < 0)
      c--;
  }
  last = c;
  return last;
}

/* Adds the named capability to *set.  A name that this build does not know, or a
 * capability the running kernel lacks, is skipped with a warning, as runc does: skipping
 * only ever grants less.  Returns the number, or -1 when skipped. */
static int add_name(uint64_t *set, const char *name, const char *path, const char *list,
                    size_t index) {
  int cap = cap_from_name(name);
  if (cap < 0) {
    log_warn("%s%s[%zu]: unknown capability \"%s\", ignored", path, list, index, name);
    return -1;
  }
  if (cap > cap_last_supported()) {
    log_warn("%s%s[%zu]: capability \"%s\" is not supported by the running kernel, ignored", path,
             list, index, name);
    return -1;
  }
  *set |= CAP_BIT(cap);
  return cap;
}

static int add_list(uint64_t *set, const struct spec_strv *v, const char *path, const char *list,
                    ocirun_error_t **err) {
  for (size_t i = 0; i < v->len; i++) {
    if (v->items[i] == NULL)
      return ocirun_error_set(err, 0, "%s%s[%zu]: capability name missing", path, list, i);
    add_name(set, v->items[i], path, list, i);
  }
  return 0;
}

int caps_from_spec(const struct spec_capabilities *c, const char *json_path, struct caps_sets *out,
                   ocirun_error_t **err) {
  const char *p = json_path ? json_path : ".process.capabilities";

  *out = (struct caps_sets){0};
  if (c == NULL || !c->present)
    return 0;
  if (add_list(&out->bounding, &c->bounding, p, ".bounding", err) < 0 ||
      add_list(&out->effective, &c->effective, p, ".effective", err) < 0 ||
      add_list(&out->inheritable, &c->inheritable, p, ".inheritable", err) < 0 ||
      add_list(&out->permitted, &c->permitted, p, ".permitted", err) < 0 ||
      add_list(&out->ambient, &c->ambient, p, ".ambient", err) < 0)
    return -1;
  return 0;
}

int caps_add_names(struct caps_sets *sets, char **names, size_t n, ocirun_error_t **err) {
  for (size_t i = 0; i < n; i++) {
    uint64_t bit = 0;
    int cap;
    if (names[i] == NULL)
      return ocirun_error_set(err, 0, "--cap[%zu]: capability name missing", i);
    cap = add_name(&bit, names[i], "--cap", "", i);
    if (cap < 0)
      continue;
    sets->bounding |= bit;
    sets->effective |= bit;
    sets->permitted |= bit;
    if (sets->inheritable & bit)
      sets->ambient |= bit;
  }
  return 0;
}

int caps_keep_on_setuid(ocirun_error_t **err) {
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return ocirun_error_set(err, errno, "prctl(PR_SET_KEEPCAPS, 1)");
  return 0;
}

static int cap_get(uint64_t *eff, uint64_t *perm, uint64_t *inh, ocirun_error_t **err) {
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2] = {0};

  if (sys_capget(&hdr, data) < 0)
    return ocirun_error_set(err, errno, "capget");
  *eff = data[0].effective | (uint64_t)data[1].effective << 32;
  *perm = data[0].permitted | (uint64_t)data[1].permitted << 32;
  *inh = data[0].inheritable | (uint64_t)data[1].inheritable << 32;
  return 0;
}

static int cap_set(uint64_t eff, uint64_t perm, uint64_t inh) {
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2] = {
      {.effective = (uint32_t)eff, .permitted = (uint32_t)perm, .inheritable = (uint32_t)inh},
      {.effective = (uint32_t)(eff >> 32),
       .permitted = (uint32_t)(perm >> 32),
       .inheritable = (uint32_t)(inh >> 32)},
  };
  return sys_capset(&hdr, data);
}

static const char *cap_label(int cap) {
  const char *n = cap_name(cap);
  return n ? n : "an unnamed capability";
}

static int drop_bounding(uint64_t drop, ocirun_error_t **err) {
  for (int c = 0; c < 64; c++) {
    if (!(drop & CAP_BIT(c)))
      continue;
    if (prctl(PR_CAPBSET_DROP, (unsigned long)c, 0, 0, 0) < 0) {
      int saved = errno;
      /* Not being allowed to drop what is already gone is fine. */
      if (saved == EPERM && prctl(PR_CAPBSET_READ, (unsigned long)c, 0, 0, 0) == 0)
        continue;
      return ocirun_error_set(err, saved, "drop %s (%d) from the bounding set", cap_label(c), c);
    }
  }
  return 0;
}

static int first_bit(uint64_t v) {
  return v ? __builtin_ctzll(v) : -1;
}

int caps_plan(const struct caps_sets *want, uint64_t held_effective, uint64_t held_permitted,
              int last_cap, struct caps_plan *plan, ocirun_error_t **err) {
  uint64_t extra = want->effective & ~want->permitted;
  uint64_t known = last_cap >= 63 ? UINT64_MAX : CAP_BIT(last_cap + 1) - 1;

  if (extra)
    return ocirun_error_set(err, 0,
                            "capabilities: %s is in the effective set but not in the permitted set",
                            cap_label(first_bit(extra)));
  /* After a uid switch the effective set is empty; CAP_SETPCAP must be
   * effective for PR_CAPBSET_DROP, so raise what is still permitted first. */
  plan->raise_effective_first = held_effective != held_permitted;
  plan->drop_bounding = known & ~want->bounding;
  return 0;
}

int caps_apply(const struct caps_sets *s, ocirun_error_t **err) {
  uint64_t eff = 0, perm = 0, inh = 0, extra;
  struct caps_plan plan;

  if (cap_get(&eff, &perm, &inh, err) < 0 ||
      caps_plan(s, eff, perm, cap_last_supported(), &plan, err) < 0)
    return -1;
  if (plan.raise_effective_first && cap_set(perm, perm, inh) < 0)
    return ocirun_error_set(err, errno, "capset: raise the effective set before dropping");
  if (drop_bounding(plan.drop_bounding, err) < 0)
    return -1;
  if (cap_set(s->effective, s->permitted, s->inheritable) < 0) {
    int saved = errno;
    extra = s->permitted & ~perm;
    if (extra)
      return ocirun_error_set(err, saved,
                              "capset: %s is requested but not held by the runtime (permitted "
                              "%#llx)",
                              cap_label(first_bit(extra)), (unsigned long long)perm);
    return ocirun_error_set(err, saved,
                            "capset (effective %#llx, permitted %#llx, inheritable %#llx)",
                            (unsigned long long)s->effective, (unsigned long long)s->permitted,
                            (unsigned long long)s->inheritable);
  }
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
    return ocirun_error_set(err, errno, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
  for (int c = 0; c < 64; c++) {
    if (!(s->ambient & CAP_BIT(c)))
      continue;
    /* The kernel refuses an ambient capability that is not both permitted and
     * inheritable; as runc, that is a warning and the process runs without it (runc's
     * default template asks for ambient caps without inheritable ones). */
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long)c, 0, 0) < 0)
      log_warn("can't raise ambient capability %s: %s", cap_label(c), strerror(errno));
  }
  if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
    return ocirun_error_set(err, errno, "prctl(PR_SET_KEEPCAPS, 0)");
  return 0;
}
