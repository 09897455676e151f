/* `update [flags] ID`: change the cgroup limits of a live container, as runc:
 * either a runtime-spec LinuxResources object (-r FILE, or - for stdin, read by
 * the config parser) or one flag per value.  What the object may change is the
 * library's business (container/update.c); a value left out is not changed. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup.h"
#include "cgroup/cgroup_units.h"
#include "cli/cli.h"
#include "container/container_cgroup.h"
#include "spec/parse_util.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/limits.h"

enum {
  OPT_BLKIO_WEIGHT = 256,
  OPT_CPU_PERIOD,
  OPT_CPU_QUOTA,
  OPT_CPU_BURST,
  OPT_CPU_SHARE,
  OPT_CPU_RT_PERIOD,
  OPT_CPU_RT_RUNTIME,
  OPT_CPUSET_CPUS,
  OPT_CPUSET_MEMS,
  OPT_CPU_IDLE,
  OPT_KERNEL_MEMORY,
  OPT_KERNEL_MEMORY_TCP,
  OPT_MEMORY,
  OPT_MEMORY_RESERVATION,
  OPT_MEMORY_SWAP,
  OPT_PIDS_LIMIT,
  OPT_L3_CACHE_SCHEMA,
  OPT_MEM_BW_SCHEMA,
};

static const struct option update_options[] = {
    {"resources", required_argument, NULL, 'r'},
    {"blkio-weight", required_argument, NULL, OPT_BLKIO_WEIGHT},
    {"cpu-period", required_argument, NULL, OPT_CPU_PERIOD},
    {"cpu-quota", required_argument, NULL, OPT_CPU_QUOTA},
    {"cpu-burst", required_argument, NULL, OPT_CPU_BURST},
    {"cpu-share", required_argument, NULL, OPT_CPU_SHARE},
    {"cpu-rt-period", required_argument, NULL, OPT_CPU_RT_PERIOD},
    {"cpu-rt-runtime", required_argument, NULL, OPT_CPU_RT_RUNTIME},
    {"cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS},
    {"cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS},
    {"cpu-idle", required_argument, NULL, OPT_CPU_IDLE},
    {"kernel-memory", required_argument, NULL, OPT_KERNEL_MEMORY},
    {"kernel-memory-tcp", required_argument, NULL, OPT_KERNEL_MEMORY_TCP},
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"memory-reservation", required_argument, NULL, OPT_MEMORY_RESERVATION},
    {"memory-swap", required_argument, NULL, OPT_MEMORY_SWAP},
    {"pids-limit", required_argument, NULL, OPT_PIDS_LIMIT},
    {"l3-cache-schema", required_argument, NULL, OPT_L3_CACHE_SCHEMA},
    {"mem-bw-schema", required_argument, NULL, OPT_MEM_BW_SCHEMA},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};
static const char *const update_descriptions[] = {
    "path to the file containing the resources to update or '-' to read from the standard input",
    "Specifies per cgroup weight, range is from 10 to 1000",
    "CPU CFS period to be used for hardcapping (in usecs). 0 to use system default",
    "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period",
    "CPU CFS hardcap burst limit (in usecs). Allowed accumulated cpu time additionally for burst "
    "a given period",
    "CPU shares (relative weight vs. other containers)",
    "CPU realtime period to be used for hardcapping (in usecs). 0 to use system default",
    "CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period",
    "CPU(s) to use",
    "Memory node(s) to use",
    "set cgroup SCHED_IDLE or not, 0: default behavior, 1: SCHED_IDLE",
    "(obsoleted; do not use)",
    "(obsoleted; do not use)",
    "Memory limit (in bytes)",
    "Memory reservation or soft_limit (in bytes)",
    "Total memory usage (memory + swap); set '-1' to enable unlimited swap",
    "Maximum number of pids allowed in the container",
    "The string of Intel RDT/CAT L3 cache schema",
    "The string of Intel RDT/MBA memory bandwidth schema",
    "show help"};

/* ---- flags ---- */

static int flag_u64(const char *flag, const char *val, uint64_t *out, ocirun_error_t **err) {
  char *end;
  errno = 0;
  *out = strtoull(val, &end, 10);
  if (errno || end == val || *end || val[0] == '-')
    return ocirun_error_set(err, 0,
                            "invalid value for %s: strconv.ParseUint: parsing \"%s\": "
                            "invalid syntax",
                            flag, val);
  return 0;
}

static int flag_i64(const char *flag, const char *val, int64_t *out, ocirun_error_t **err) {
  char *end;
  errno = 0;
  *out = strtoll(val, &end, 10);
  if (errno || end == val || *end)
    return ocirun_error_set(err, 0,
                            "invalid value for %s: strconv.ParseInt: parsing \"%s\": "
                            "invalid syntax",
                            flag, val);
  return 0;
}

static int flag_bytes(const char *flag, const char *val, int64_t *out, ocirun_error_t **err) {
  if (strcmp(val, "-1") == 0) {
    *out = -1;
    return 0;
  }
  if (units_parse_ram_bytes(val, out, err) < 0)
    return ocirun_error_prefix(err, "invalid value for %s", flag);
  return 0;
}

static int apply_flag(int opt, const char *val, struct spec_resources *r, ocirun_error_t **err) {
  struct spec_cpu *c = &r->cpu;
  struct spec_memory *m = &r->memory;
  uint64_t u;
  switch (opt) {
  case OPT_BLKIO_WEIGHT:
    if (flag_u64("blkio-weight", val, &u, err) < 0)
      return -1;
    if (u > 65535)
      return ocirun_error_set(err, 0, "invalid value for blkio-weight: %s", val);
    r->block_io.present = r->block_io.has_weight = u != 0;
    r->block_io.weight = (uint16_t)u;
    return 0;
  case OPT_CPU_PERIOD:
    c->present = c->has_period = true;
    return flag_u64("cpu-period", val, &c->period, err);
  case OPT_CPU_QUOTA:
    c->present = c->has_quota = true;
    return flag_i64("cpu-quota", val, &c->quota, err);
  case OPT_CPU_BURST:
    c->present = c->has_burst = true;
    return flag_u64("cpu-burst", val, &c->burst, err);
  case OPT_CPU_SHARE:
    c->present = c->has_shares = true;
    return flag_u64("cpu-share", val, &c->shares, err);
  case OPT_CPU_RT_PERIOD:
    c->present = c->has_realtime_period = true;
    return flag_u64("cpu-rt-period", val, &c->realtime_period, err);
  case OPT_CPU_RT_RUNTIME:
    c->present = c->has_realtime_runtime = true;
    return flag_i64("cpu-rt-runtime", val, &c->realtime_runtime, err);
  case OPT_CPUSET_CPUS:
    c->present = true;
    free(c->cpus);
    return (c->cpus = strdup(val)) ? 0 : ocirun_error_set(err, ENOMEM, "update");
  case OPT_CPUSET_MEMS:
    c->present = true;
    free(c->mems);
    return (c->mems = strdup(val)) ? 0 : ocirun_error_set(err, ENOMEM, "update");
  case OPT_CPU_IDLE:
    c->present = c->has_idle = true;
    return flag_i64("cpu-idle", val, &c->idle, err);
  case OPT_KERNEL_MEMORY:
    m->present = m->has_kernel = true;
    return flag_bytes("kernel-memory", val, &m->kernel, err);
  case OPT_KERNEL_MEMORY_TCP:
    m->present = m->has_kernel_tcp = true;
    return flag_bytes("kernel-memory-tcp", val, &m->kernel_tcp, err);
  case OPT_MEMORY:
    m->present = m->has_limit = true;
    return flag_bytes("memory", val, &m->limit, err);
  case OPT_MEMORY_RESERVATION:
    m->present = m->has_reservation = true;
    return flag_bytes("memory-reservation", val, &m->reservation, err);
  case OPT_MEMORY_SWAP:
    m->present = m->has_swap = true;
    return flag_bytes("memory-swap", val, &m->swap, err);
  case OPT_PIDS_LIMIT:
    r->has_pids_limit = true;
    return flag_i64("pids-limit", val, &r->pids_limit, err);
  default:
    return 0;
  }
}

int cmd_update(struct cli_global *g, int argc, char **argv) {
  const struct cli_command *cmd = cli_find_command("update");
  ocirun_error_t *err = NULL;
  struct spec_resources r = {0};
  const char *resources = NULL, *l3 = NULL, *mb = NULL, *id = NULL;
  int opt, ret = CLI_EXIT_FAILURE;
  bool flags = false;

  r.present = true;
  /* cli_getopt takes value flags after the container id too ("update ID --memory 1M"). */
  while ((opt = cli_getopt(argc, argv, "r:h", update_options)) != -1) {
    if (opt == 'h') {
      cli_print_command_help(cmd, update_options, update_descriptions);
      spec_resources_clear(&r);
      return 0;
    }
    if (opt == '?' || opt == ':')
      goto out;
    if (opt == 'r') {
      resources = optarg;
      continue;
    }
    if (opt == OPT_L3_CACHE_SCHEMA || opt == OPT_MEM_BW_SCHEMA) {
      *(opt == OPT_L3_CACHE_SCHEMA ? &l3 : &mb) = optarg;
      continue;
    }
    flags = true;
    if (apply_flag(opt, optarg, &r, &err) < 0) {
      ret = cli_fail(&err);
      goto out;
    }
  }
  if (cli_require_args(cmd, argc, argv, 1, 1) < 0)
    goto out;
  id = argv[optind];
  if (resources) {
    _cleanup_free_ char *data = NULL;
    size_t len = 0;
    (void)flags; /* as runc: with -r the value flags are ignored */
    spec_resources_clear(&r);
    if (fs_read_file(strcmp(resources, "-") == 0 ? "/dev/stdin" : resources, LIMIT_DOCUMENT_FILE,
                     &data, &len, &err) < 0 ||
        spec_resources_parse(strcmp(resources, "-") == 0 ? "stdin" : resources, data, len, &r,
                             &err) < 0) {
      ret = cli_fail(&err);
      goto out;
    }
  }
  /* Unlimited memory without a swap value: leave swap to follow (runc). */
  if (r.memory.has_limit && r.memory.limit == -1 && !r.memory.has_swap) {
    r.memory.has_swap = true;
    r.memory.swap = 0;
  }
  if (container_update(g->root, id, &r, &err) < 0 ||
      container_update_intel_rdt(g->root, id, l3, mb, &err) < 0) {
    ret = cli_fail(&err);
    goto out;
  }
  ret = 0;
out:
  spec_resources_clear(&r);
  return ret;
}
