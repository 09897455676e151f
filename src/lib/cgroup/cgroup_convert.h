/* Value conversions between the runtime spec (cgroup v1 units) and cgroup v2
 * files, with runc's formulas so that the same config gives the same limits. */
#ifndef OCIRUN_CGROUP_CONVERT_H
#define OCIRUN_CGROUP_CONVERT_H

#include <stdint.h>

#include "util/error.h"

/* cpu.shares [2, 262144] -> cpu.weight [1, 10000]; 0 stays 0 (unset). */
uint64_t cgroup_convert_shares_to_weight(uint64_t shares);
/* blkio.weight [10, 1000] -> io.weight [1, 10000]; 0 stays 0 (unset). */
uint64_t cgroup_convert_blkio_to_io_weight(uint64_t weight);
/* memory.swap.max from (swap = memory+swap limit, limit) as runc: -1 = max,
 * 0 = unset; an impossible combination is an error. */
int cgroup_convert_swap_v2(int64_t swap, int64_t limit, int64_t *out, ocirun_error_t **err);
/* v2 number formatting: 0 -> "" (leave alone), negative -> "max", else decimal.
 * buf must hold 24 bytes; returns buf. */
const char *cgroup_convert_num(int64_t v, char buf[24]);
/* cpu.max content from quota/period (either may be 0 = unset); buf 48 bytes.
 * Returns NULL when neither is set. */
const char *cgroup_convert_cpu_max(int64_t quota, uint64_t period, char buf[48]);

#endif
