/* seccomp: the filter of linux.seccomp, compiled in the parent, loaded in the child.
 *
 * The parent validates the section and compiles it with libseccomp into a classic BPF
 * program (or takes the program from the compiled-filter cache), so that the child only
 * runs one seccomp(2) call with a ready sock_fprog, right before execve.
 *
 * Where the child loads the filter (the same order as runc):
 *   - with process.noNewPrivileges: as late as possible, after the user switch, the
 *     capability drop and PR_SET_NO_NEW_PRIVS, so that the profile need not allow the
 *     runtime's own setup syscalls;
 *   - without it: the kernel only lets a task holding CAP_SYS_ADMIN install a filter, so
 *     the filter goes in before the user switch and the capability drop.  The syscalls
 *     of that switch (setgroups, setresgid, setresuid, capset, prctl) then pass through
 *     the filter: a profile that denies them makes the container fail to start, as it
 *     does with runc.
 * Everything the child does after loading (the sync messages, the exec fifo, closing
 * fds, execve) must be allowed by the profile; the usual profiles allow all of it.
 *
 * With SCMP_ACT_NOTIFY rules the load returns the listener fd; the child tells the
 * parent its number (SYNC_SECCOMP), the parent takes it with seccomp_notify_take_fd()
 * and hands it to the agent at listenerPath with seccomp_notify_send(). */
#ifndef OCIRUN_LINUX_SECCOMP_PROGRAM_H
#define OCIRUN_LINUX_SECCOMP_PROGRAM_H

#include <stdbool.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/error.h"

struct seccomp_program; /* a compiled BPF filter, ready to load */

/* Where compiled filters are kept, outside any --root (which holds containers only):
 * /var/cache/ocirun/seccomp for root of the initial user namespace,
 * $XDG_CACHE_HOME/ocirun/seccomp (default ~/.cache/ocirun/seccomp) for anyone else (root
 * of another user namespace too); "" (no cache) without a home.  malloc'd, NULL
 * only when out of memory.  Made 0700 when a filter is first stored. */
char *seccomp_cache_default_dir(void);

/* Validate linux.seccomp and compile it, or take it from the cache under cache_dir
 * (seccomp_cache_default_dir; NULL or "" = no cache).  *out = NULL when the config has
 * no seccomp section.  Errors name the JSON path (".linux.seccomp.syscalls[3].action: ...").
 * A cache that cannot be read or written is reported with log_warn and bypassed. */
int seccomp_program_prepare(const struct spec_seccomp *s, const char *cache_dir,
                            struct seccomp_program **out, ocirun_error_t **err);
void seccomp_program_free(struct seccomp_program *p);
bool seccomp_program_uses_notify(const struct seccomp_program *p);
/* Number of BPF instructions (for tests and debug output). */
unsigned seccomp_program_length(const struct seccomp_program *p);
/* The seccomp(2) filter flags the program is loaded with (SECCOMP_FILTER_FLAG_*). */
unsigned seccomp_program_flags(const struct seccomp_program *p);
/* Whether the last prepare on this program came from the cache (for tests and debug). */
bool seccomp_program_from_cache(const struct seccomp_program *p);

/* In the child: seccomp(SECCOMP_SET_MODE_FILTER, flags, prog).  With notify rules
 * *notify_fd receives the listener fd (O_CLOEXEC), else -1.  Async-signal-safe apart
 * from the error path. */
int seccomp_program_load(const struct seccomp_program *p, int *notify_fd, ocirun_error_t **err);

/* In the parent: copy the child's fd number child_fd out of the process behind pidfd
 * (pidfd_getfd; needs ptrace access to the child, which the runtime has). */
int seccomp_notify_take_fd(int pidfd, int child_fd, int *out, ocirun_error_t **err);

/* In the parent: connect to listener_path and send the runtime-spec
 * ContainerProcessState JSON ({"ociVersion", "fds": ["seccompFd"], "pid", "metadata",
 * "state"}) with notify_fd over SCM_RIGHTS.  state_json is the OCI state object;
 * metadata may be NULL. */
int seccomp_notify_send(const char *listener_path, const char *metadata, pid_t pid,
                        const char *state_json, int notify_fd, ocirun_error_t **err);

/* The "seccomp" object of `features` (a jansson json_t *): actions, operators, archs,
 * knownFlags and the supportedFlags of this kernel. */
struct json_t;
struct json_t *seccomp_features_json(void);

#endif
