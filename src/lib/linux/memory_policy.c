#include "linux/process_attrs.h"
#include "util/syscalls.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

/* The kernel's mempolicy ABI (newer than some installed headers). */
#define MPOL_DEFAULT 0
#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MPOL_INTERLEAVE 3
#define MPOL_LOCAL 4
#define MPOL_PREFERRED_MANY 5
#define MPOL_WEIGHTED_INTERLEAVE 6
#define MPOL_F_NUMA_BALANCING (1 << 13)
#define MPOL_F_RELATIVE_NODES (1 << 14)
#define MPOL_F_STATIC_NODES (1 << 15)

/* Node numbers accepted in a list; the kernel's MAX_NUMNODES is at most 1024. */
#define MAX_NODES 1024

struct named_int {
  const char *name;
  int value;
};

static const struct named_int modes[] = {
    {"MPOL_DEFAULT", MPOL_DEFAULT},
    {"MPOL_PREFERRED", MPOL_PREFERRED},
    {"MPOL_BIND", MPOL_BIND},
    {"MPOL_INTERLEAVE", MPOL_INTERLEAVE},
    {"MPOL_LOCAL", MPOL_LOCAL},
    {"MPOL_PREFERRED_MANY", MPOL_PREFERRED_MANY},
    {"MPOL_WEIGHTED_INTERLEAVE", MPOL_WEIGHTED_INTERLEAVE},
};

static const struct named_int mode_flags[] = {
    {"MPOL_F_NUMA_BALANCING", MPOL_F_NUMA_BALANCING},
    {"MPOL_F_RELATIVE_NODES", MPOL_F_RELATIVE_NODES},
    {"MPOL_F_STATIC_NODES", MPOL_F_STATIC_NODES},
};

static int lookup(const struct named_int *t, size_t n, const char *name, int *out) {
  for (size_t i = 0; name && i < n; i++) {
    if (strcmp(t[i].name, name) == 0) {
      *out = t[i].value;
      return 0;
    }
  }
  return -1;
}

int memory_policy_apply(const struct spec_memory_policy *m, ocirun_error_t **err) {
  unsigned long nodes[MAX_NODES / (sizeof(unsigned long) * CHAR_BIT)] = {0};
  bool has_nodes = m != NULL && m->nodes != NULL && m->nodes[0] != '\0';
  int mode, flag;

  if (m == NULL || !m->present)
    return 0;
  if (lookup(modes, sizeof(modes) / sizeof(modes[0]), m->mode, &mode) < 0)
    return ocirun_error_set(err, 0, ".linux.memoryPolicy.mode: unknown mode \"%s\"",
                            m->mode ? m->mode : "");
  for (size_t i = 0; i < m->flags.len; i++) {
    if (lookup(mode_flags, sizeof(mode_flags) / sizeof(mode_flags[0]), m->flags.items[i], &flag) <
        0)
      return ocirun_error_set(err, 0, ".linux.memoryPolicy.flags[%zu]: unknown flag \"%s\"", i,
                              m->flags.items[i] ? m->flags.items[i] : "");
    mode |= flag;
  }
  if (has_nodes && id_list_parse(m->nodes, nodes, MAX_NODES, "node", err) < 0)
    return ocirun_error_prefix(err, ".linux.memoryPolicy.nodes: invalid memory policy node");
  if ((mode & 0xff) == MPOL_DEFAULT || (mode & 0xff) == MPOL_LOCAL) {
    if (has_nodes) {
      size_t count = 0;
      for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
        count += (size_t)__builtin_popcountl(nodes[i]);
      return ocirun_error_set(err, 0,
                              ".linux.memoryPolicy.nodes: %s mode requires 0 nodes but got %zu",
                              m->mode, count);
    }
  } else if (!has_nodes && (mode & 0xff) != MPOL_PREFERRED) {
    return ocirun_error_set(err, 0, ".linux.memoryPolicy.nodes: %s needs at least one node",
                            m->mode);
  }
  if (sys_set_mempolicy(mode, has_nodes ? nodes : NULL,
                        has_nodes ? (unsigned long)MAX_NODES + 1 : 0UL) < 0)
    return ocirun_error_set(err, errno, "set_mempolicy(%s, nodes \"%s\")", m->mode,
                            has_nodes ? m->nodes : "");
  return 0;
}
