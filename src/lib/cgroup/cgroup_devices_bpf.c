/* cgroup v2 device control: a BPF_PROG_TYPE_CGROUP_DEVICE program generated
 * from the rules (the last matching rule decides), attached with
 * BPF_F_ALLOW_MULTI; the programs attached before are detached afterwards so
 * that there is no window without a filter.  Plain bpf(2), no libbpf. */
#include "cgroup/cgroup_devices_bpf.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup/cgroup_internal.h"
#include "util/cleanup.h"
#include "util/syscalls.h"

#define INSN(c, d, s, o, i)                                                                        \
  ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

static bool is_wildcard(const struct spec_device_cgroup_rule *r) {
  const char *a = r->access ? r->access : "rwm";
  return r->type == 'a' && strchr(a, 'r') && strchr(a, 'w') && strchr(a, 'm');
}

static uint32_t access_bits(const char *a) {
  uint32_t v = 0;
  if (a == NULL)
    a = "rwm";
  if (strchr(a, 'r'))
    v |= BPF_DEVCG_ACC_READ;
  if (strchr(a, 'w'))
    v |= BPF_DEVCG_ACC_WRITE;
  if (strchr(a, 'm'))
    v |= BPF_DEVCG_ACC_MKNOD;
  return v;
}

int cgroup_devices_bpf_build(const struct spec_device_cgroup_rule *rules, size_t n,
                             struct bpf_insn **out, size_t *count) {
  size_t start = 0, k = 0;
  bool allow_default = true;
  struct bpf_insn *p;

  for (size_t i = 0; i < n; i++)
    if (is_wildcard(&rules[i])) {
      start = i + 1;
      allow_default = rules[i].allow;
    }
  /* 6 loads + at most 8 per rule + 2 for the default */
  p = calloc(6 + 8 * (n - start) + 2, sizeof(*p));
  if (p == NULL)
    return -1;
  /* r2 = type, r3 = access, r4 = major, r5 = minor (struct bpf_cgroup_dev_ctx) */
  p[k++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, 0, 0);
  p[k++] = INSN(BPF_ALU | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff);
  p[k++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_3, BPF_REG_1, 0, 0);
  p[k++] = INSN(BPF_ALU | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16);
  p[k++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_4, BPF_REG_1, 4, 0);
  p[k++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_5, BPF_REG_1, 8, 0);
  /* Last rule first: the first block that matches returns. */
  for (size_t i = n; i-- > start;) {
    const struct spec_device_cgroup_rule *r = &rules[i];
    size_t begin = k, jumps[4], nj = 0;
    uint32_t acc = access_bits(r->access);
    if (r->type == 'b' || r->type == 'c')
      jumps[nj++] = k, p[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, 0,
                                     r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
    if (acc != (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD)) {
      /* every requested access bit must be in the rule */
      p[k++] = INSN(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0);
      p[k++] = INSN(BPF_ALU | BPF_AND | BPF_K, BPF_REG_1, 0, 0, (int32_t)acc);
      jumps[nj++] = k, p[k++] = INSN(BPF_JMP | BPF_JNE | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0);
    }
    if (r->type != 'a' && r->has_major && r->major >= 0)
      jumps[nj++] = k, p[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, 0, (int32_t)r->major);
    if (r->type != 'a' && r->has_minor && r->minor >= 0)
      jumps[nj++] = k, p[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, 0, (int32_t)r->minor);
    p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, r->allow ? 1 : 0);
    p[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    /* a failed test skips to the next block */
    for (size_t j = 0; j < nj; j++)
      p[jumps[j]].off = (int16_t)(k - jumps[j] - 1);
    (void)begin;
  }
  p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, allow_default ? 1 : 0);
  p[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  *out = p;
  *count = k;
  return 0;
}

int cgroup_devices_bpf_load(const struct bpf_insn *insns, size_t count, ocirun_error_t **err) {
  union bpf_attr attr;
  int fd;
  memset(&attr, 0, sizeof(attr));
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = (uint64_t)(uintptr_t)insns;
  attr.insn_cnt = (uint32_t)count;
  attr.license = (uint64_t)(uintptr_t) "Apache";
  fd = sys_bpf(BPF_PROG_LOAD, &attr);
  if (fd < 0)
    return ocirun_error_set(err, errno, "load device cgroup BPF program");
  return fd;
}

/* Ids of the device programs attached to the cgroup now. */
static int query_attached(int cgfd, uint32_t *ids, uint32_t *count) {
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.query.target_fd = (uint32_t)cgfd;
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
  attr.query.prog_cnt = *count;
  if (sys_bpf(BPF_PROG_QUERY, &attr) < 0)
    return -1;
  *count = attr.query.prog_cnt;
  return 0;
}

int cgroup_devices_bpf_attached_count(const char *dir) {
  _cleanup_close_ int cgfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  uint32_t ids[64], n = 64;
  if (cgfd < 0 || query_attached(cgfd, ids, &n) < 0)
    return -1;
  return (int)n;
}

int cgroup_devices_bpf_apply(const char *dir, const struct spec_device_cgroup_rule *rules, size_t n,
                             ocirun_error_t **err) {
  _cleanup_free_ struct bpf_insn *insns = NULL;
  _cleanup_close_ int cgfd = -1, progfd = -1;
  uint32_t old[64], nold = 64;
  size_t count;
  union bpf_attr attr;

  if (cgroup_devices_bpf_build(rules, n, &insns, &count) < 0)
    return ocirun_error_set(err, ENOMEM, "device cgroup BPF program");
  cgfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cgfd < 0)
    return ocirun_error_set(err, errno, "open %s", dir);
  if (query_attached(cgfd, old, &nold) < 0)
    return ocirun_error_set(err, errno, "query device programs of %s", dir);
  progfd = cgroup_devices_bpf_load(insns, count, err);
  if (progfd < 0)
    return -1;
  memset(&attr, 0, sizeof(attr));
  attr.target_fd = (uint32_t)cgfd;
  attr.attach_bpf_fd = (uint32_t)progfd;
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0)
    return ocirun_error_set(err, errno, "attach device cgroup BPF program to %s", dir);
  for (uint32_t i = 0; i < nold; i++) {
    _cleanup_close_ int ofd = -1;
    memset(&attr, 0, sizeof(attr));
    attr.prog_id = old[i];
    ofd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
    if (ofd < 0) {
      if (errno == ENOENT)
        continue;
      return ocirun_error_set(err, errno, "get device program %u of %s", old[i], dir);
    }
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)cgfd;
    attr.attach_bpf_fd = (uint32_t)ofd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    if (sys_bpf(BPF_PROG_DETACH, &attr) < 0 && errno != ENOENT)
      return ocirun_error_set(err, errno, "detach old device program %u from %s", old[i], dir);
  }
  return 0;
}
