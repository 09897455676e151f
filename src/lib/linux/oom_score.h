/* process.oomScoreAdj. */
#ifndef OCIRUN_LINUX_OOM_SCORE_H
#define OCIRUN_LINUX_OOM_SCORE_H

#include "util/error.h"

/* Writes value (-1000..1000) to <proc>/self/oom_score_adj through a verified
 * proc fd.  Going below the process's current minimum needs CAP_SYS_RESOURCE;
 * the error then says so.  A value that is already the process's is not written again. */
int oom_score_adj_apply(int proc_fd, int value, ocirun_error_t **err);

#endif
