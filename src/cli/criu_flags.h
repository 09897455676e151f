/* Flags shared by `checkpoint` and `restore` (runc's names and help texts). */
#ifndef OCIRUN_CLI_CRIU_FLAGS_H
#define OCIRUN_CLI_CRIU_FLAGS_H

#include "checkpoint/checkpoint.h"
#include "cli/cli.h"

enum {
  OPT_IMAGE_PATH = 400,
  OPT_WORK_PATH,
  OPT_PARENT_PATH,
  OPT_LEAVE_RUNNING,
  OPT_TCP_ESTABLISHED,
  OPT_TCP_SKIP_IN_FLIGHT,
  OPT_LINK_REMAP,
  OPT_EXT_UNIX_SK,
  OPT_SHELL_JOB,
  OPT_LAZY_PAGES,
  OPT_STATUS_FD,
  OPT_PAGE_SERVER,
  OPT_FILE_LOCKS,
  OPT_PRE_DUMP,
  OPT_MANAGE_CGROUPS_MODE,
  OPT_EMPTY_NS,
  OPT_AUTO_DEDUP,
  OPT_LSM_PROFILE,
  OPT_LSM_MOUNT_CONTEXT,
  OPT_CRIU_HELP,
};

/* clang-format off */
#define CRIU_COMMON_OPTIONS                                                     \
  {"image-path", required_argument, NULL, OPT_IMAGE_PATH},                      \
  {"work-path", required_argument, NULL, OPT_WORK_PATH},                        \
  {"tcp-established", no_argument, NULL, OPT_TCP_ESTABLISHED},                  \
  {"tcp-skip-in-flight", no_argument, NULL, OPT_TCP_SKIP_IN_FLIGHT},            \
  {"link-remap", no_argument, NULL, OPT_LINK_REMAP},                            \
  {"ext-unix-sk", no_argument, NULL, OPT_EXT_UNIX_SK},                          \
  {"shell-job", no_argument, NULL, OPT_SHELL_JOB},                              \
  {"lazy-pages", no_argument, NULL, OPT_LAZY_PAGES},                            \
  {"file-locks", no_argument, NULL, OPT_FILE_LOCKS},                            \
  {"manage-cgroups-mode", required_argument, NULL, OPT_MANAGE_CGROUPS_MODE},    \
  {"empty-ns", required_argument, NULL, OPT_EMPTY_NS},                          \
  {"auto-dedup", no_argument, NULL, OPT_AUTO_DEDUP},                            \
  {"help", no_argument, NULL, OPT_CRIU_HELP}
#define CRIU_COMMON_DESCRIPTIONS                                                \
  "path for saving criu image files",                                           \
  "path for saving work files and logs",                                        \
  "allow open tcp connections",                                                 \
  "skip in-flight tcp connections",                                             \
  "allow one to link unlinked files back when possible",                        \
  "allow external unix sockets",                                                \
  "allow shell jobs",                                                           \
  "use userfaultfd to lazily restore memory pages",                             \
  "handle file locks, for safety",                                              \
  "cgroups mode: soft|full|strict|ignore (default: soft)",                      \
  "create a namespace, but don't restore its properties",                       \
  "enable auto deduplication of memory images",                                 \
  "show help"
/* clang-format on */

/* Handle one shared option; 1 handled, 0 not a shared one, -1 bad value (printed). */
int criu_flags_handle(int opt, struct criu_options *o);
/* Defaults and absolute paths (the image directory defaults to ./checkpoint);
 * -1 with a message printed. */
int criu_flags_finish(struct cli_global *g, struct criu_options *o, char **image_abs,
                      char **work_abs);

#endif
