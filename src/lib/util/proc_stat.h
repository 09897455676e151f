/* Identity of a process: a pid alone is not one (pids are reused), the pair (pid, start
 * time from /proc/<pid>/stat) is. */
#ifndef OCIRUN_UTIL_PROC_STAT_H
#define OCIRUN_UTIL_PROC_STAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Start time of a process (field 22 of /proc/<pid>/stat); 0 if it is gone. */
uint64_t process_start_time(pid_t pid);
/* True when pid is alive, not a zombie, and has the given start time. */
bool process_is_same(pid_t pid, uint64_t start_time);
/* Parse the text of /proc/<pid>/stat: the state letter (field 3) and the start time
 * (field 22).  Returns 0, or -1 when the text is malformed. */
int process_stat_parse(const char *buf, size_t len, char *state, uint64_t *start_time);
/* readlink of /proc/<pid>/fd/{0,1,2} into paths (malloc'd; "" for a closed fd). */
int process_stdio_paths(pid_t pid, char *paths[3]);

#endif
