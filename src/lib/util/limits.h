/* The runtime's size and count limits, in one place.  runc has no limit on most of these;
 * ours only guard against reading a device or a runaway file, and bound the fixed arrays of
 * the command line. */
#ifndef OCIRUN_UTIL_LIMITS_H
#define OCIRUN_UTIL_LIMITS_H

/* Largest config.json (the bundle's, and the copy in the state directory). */
#define LIMIT_CONFIG_FILE (64u << 20)
/* Largest process.json (exec --process), state.json, `update -r` file. */
#define LIMIT_DOCUMENT_FILE (16u << 20)
/* Largest kernel file read whole: /proc/self/mountinfo, cgroup files, /etc/passwd. */
#define LIMIT_PROC_FILE (16u << 20)
/* Largest /proc/<pid>/cgroup. */
#define LIMIT_PROC_CGROUP_FILE (1u << 20)

/* exec flags given more than once: --env, --cap, --additional-gids, --cgroup. */
#define LIMIT_EXEC_ENV 256
#define LIMIT_EXEC_CAPS 64
#define LIMIT_EXEC_GIDS 64
#define LIMIT_EXEC_CGROUPS 32

/* File descriptors one sync message carries (the `tasks` fd of each cgroup v1 hierarchy,
 * sent with GO): far more than the kernel's v1 controllers and named hierarchies. */
#define LIMIT_SYNC_FDS 64

/* delete: rounds of waiting for a killed container's cgroup to empty, and the pause
 * between them (2 s in all, as the kernel may take a while to reap a large tree). */
#define LIMIT_CGROUP_EMPTY_ROUNDS 1000
#define LIMIT_CGROUP_EMPTY_PAUSE_MS 2

/* A hook's timeout is capped (seconds, about three years) so that the deadline in
 * milliseconds cannot overflow. */
#define LIMIT_HOOK_TIMEOUT_S 100000000

/* D-Bus (the systemd cgroup driver): the longest message read (the spec allows 128 MiB;
 * systemd's replies to us are a few hundred bytes), the nesting depth of a signature (the
 * spec's 32 arrays + 32 structs), and the time one connection or one call may take (sd-bus's
 * default method call timeout, 25 s). */
#define LIMIT_DBUS_MESSAGE (1u << 20)
#define LIMIT_DBUS_DEPTH 64
#define LIMIT_DBUS_TIMEOUT_MS 25000
/* The awaited signals (JobRemoved) a connection keeps while a call waits for its reply, and
 * how long a systemd start job may take before the runtime goes on (runc's 30 s). */
#define LIMIT_DBUS_KEPT_SIGNALS 64
#define LIMIT_SYSTEMD_JOB_MS 30000
/* The longest SASL line the bus may send (the D-Bus reference implementation's is 16 KiB). */
#define LIMIT_DBUS_AUTH_LINE 16384

#endif
