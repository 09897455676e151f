# helpers.bash - shared setup for the client suites (podman.bats, containerd.bats,
# docker.bats): each starts its client privately, drives it against the runtime under test
# and tears everything down again.
#
# Environment:
#   RUNTIME    the runtime binary under test (default: build/ocirun of the repository).
#              RUNTIME=$(command -v runc) runs the same scenarios against runc.
#   IMAGE_TAR  a docker-archive made by image.sh (default: built once per file into $WORK)
#   KEEP_WORK  set to keep the work directory (client and runtime logs) after the run
#
# The suites must run in private pid, mount and network namespaces (run.sh starts each one
# with `unshare --pid --fork --mount-proc --net`): they mount tmpfs over the few host paths
# the clients write to whatever their options say (/run/netns, /var/lib/cni, /dev/shm,
# /run/containerd, /run/docker, and the runtimes' default roots /run/runc and /run/ocirun),
# so nothing of the host's podman, containerd or Docker state is seen or touched, and every
# process they leave behind dies with the pid namespace.

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
RUNTIME=${RUNTIME:-$REPO/build/ocirun}
RUNTIME=$(readlink -f "$RUNTIME")
RUNTIME_NAME=$(basename "$RUNTIME")
IMAGE_REF=localhost/ocirun-busybox:latest
CLIENT_TIMEOUT=${CLIENT_TIMEOUT:-60}

is_runc() { [ "$RUNTIME_NAME" = runc ]; }

# skip_if_runc REASON: the scenario checks behaviour where runc is known to differ.
skip_if_runc() {
	if is_runc; then skip "runc: $*"; fi
}

fail() {
	echo "FAIL: $*" >&2
	return 1
}

# The namespaces run.sh started us from; refuse to run in the host's.
require_private_namespaces() {
	local ns
	if [ -z "${CLIENTS_HOST_NETNS:-}" ] || [ -z "${CLIENTS_HOST_MNTNS:-}" ]; then
		echo "run the client suites through tests/clients/run.sh (private namespaces)" >&2
		return 1
	fi
	ns=$(readlink /proc/self/ns/net)
	[ "$ns" != "$CLIENTS_HOST_NETNS" ] || { echo "not in a private network namespace" >&2; return 1; }
	ns=$(readlink /proc/self/ns/mnt)
	[ "$ns" != "$CLIENTS_HOST_MNTNS" ] || { echo "not in a private mount namespace" >&2; return 1; }
}

# The cgroups the clients make live below these parents (podman's cgroupfs default, the ctr
# namespace, docker.bats' --cgroup-parent) in every v1 controller and the cgroup2 hierarchy.
CLIENT_CGROUP_PARENTS="libpod_parent ocirun-clients ocirun-clients-docker"

# The cgroup directories below those parents, to remove the ones the clients made and left
# behind (empty ones only: rmdir never removes a busy cgroup; nothing else is touched).
cgroup_snapshot() {
	local p
	for p in $CLIENT_CGROUP_PARENTS; do
		find /sys/fs/cgroup/*/"$p" -type d 2>/dev/null
	done | LC_ALL=C sort
}

cgroup_cleanup() {
	local before=$1 d
	cgroup_snapshot | LC_ALL=C comm -13 "$before" - | sort -r | while read -r d; do
		rmdir "$d" 2>/dev/null || true
	done
}

# setup_work: the work directory, private mounts over the shared host paths, the image.
setup_work() {
	require_private_namespaces || return 1
	[ -x "$RUNTIME" ] || { echo "runtime $RUNTIME not found (build it, or set RUNTIME)" >&2; return 1; }
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/ocirun-clients.XXXXXX")
	export WORK
	cgroup_snapshot >"$WORK/cgroups.before"
	local p
	# /run/runc and /run/ocirun: the runtimes' default state roots, which podman as root uses
	for p in /run/netns /var/lib/cni /dev/shm /run/containerd /run/docker /run/runc /run/ocirun; do
		mkdir -p "$p"
		mount -t tmpfs -o mode=0755 tmpfs "$p" || return 1
	done
	chmod 1777 /dev/shm
	ip link set lo up
	if [ -z "${IMAGE_TAR:-}" ] || [ ! -f "$IMAGE_TAR" ]; then
		IMAGE_TAR=$WORK/image.tar
		"$REPO/tests/clients/image.sh" "$IMAGE_TAR" "$IMAGE_REF" >&2 || return 1
	fi
	export IMAGE_TAR
	echo "# runtime: $RUNTIME ($("$RUNTIME" --version 2>/dev/null | head -n1))" >&3
}

# teardown_work: after the client's own teardown: unmount what is left below $WORK, remove
# the cgroups made since setup_work and the work directory.
teardown_work() {
	[ -n "${WORK:-}" ] && [ -d "$WORK" ] || return 0
	local m
	awk -v w="$WORK" '$5 == w || index($5, w "/") == 1 { print $5 }' /proc/self/mountinfo |
		sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
	cgroup_cleanup "$WORK/cgroups.before"
	cgroup_snapshot | LC_ALL=C comm -13 "$WORK/cgroups.before" - | sed 's/^/# cgroup left behind: /' >&3
	if [ -n "${KEEP_WORK:-}" ]; then
		echo "# kept $WORK" >&3
	else
		rm -rf "$WORK"
	fi
}

# containerd_config [PLUGIN...]: $WORK/containerd.toml with a private root, state, sockets and
# opt directory, the snapshotters this host cannot have and each PLUGIN disabled; callers
# append their plugins' sections.
containerd_config() {
	local disabled='"io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
		  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
		  "io.containerd.tracing.processor.v1.otlp"' p
	for p in "$@"; do disabled+=", \"$p\""; done
	mkdir -p "$WORK/root" "$WORK/state" "$WORK/opt"
	cat >"$WORK/containerd.toml" <<-TOML
		version = 2
		root = "$WORK/root"
		state = "$WORK/state"
		disabled_plugins = [$disabled]
		[grpc]
		  address = "$WORK/containerd.sock"
		[ttrpc]
		  address = "$WORK/containerd.sock.ttrpc"
		[plugins."io.containerd.internal.v1.opt"]
		  path = "$WORK/opt"
	TOML
}

# start_containerd NAMESPACE: containerd with the configuration $WORK/containerd.toml, whose
# socket is $WORK/containerd.sock, and $WORK/ctr: ctr on that socket in NAMESPACE.
start_containerd() {
	# ctr 1.6 ignores --runc-binary with --uidmap: the shim then runs "runc" from the PATH,
	# which is the runtime under test
	mkdir -p "$WORK/bin"
	ln -sf "$RUNTIME" "$WORK/bin/runc"
	PATH="$WORK/bin:$PATH" containerd --config "$WORK/containerd.toml" >"$WORK/containerd.log" 2>&1 &
	echo $! >"$WORK/containerd.pid"
	cat >"$WORK/ctr" <<-CTR
		#!/bin/sh
		exec ctr --address $WORK/containerd.sock --namespace $1 "\$@"
	CTR
	chmod +x "$WORK/ctr"
	retry 30 "$WORK/ctr" version || { tail -n 20 "$WORK/containerd.log" >&2; return 1; }
}

# stop_containerd: SIGTERM, SIGKILL when it has not ended after 10 s.
stop_containerd() {
	local pid i
	[ -f "${WORK:-}/containerd.pid" ] || return 0
	pid=$(cat "$WORK/containerd.pid")
	kill "$pid" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
}

# client CMD...: like bats' run (status, output, lines), stdin from /dev/null unless
# CLIENT_STDIN names a file, bounded by a timeout; output goes through a file.
CLIENT_CALLS=0
client() {
	local out
	CLIENT_CALLS=$((CLIENT_CALLS + 1))
	out=$BATS_TEST_TMPDIR/.client.$CLIENT_CALLS.out
	status=0
	# from the test's directory: conmon writes an "oom" file into its working directory
	(cd "$BATS_TEST_TMPDIR" && exec timeout -k 5 "$CLIENT_TIMEOUT" "$@") \
		<"${CLIENT_STDIN:-/dev/null}" >"$out" 2>&1 || status=$?
	output=$(cat "$out")
	mapfile -t lines <"$out"
	echo "# $* -> status $status" >&2
	[ -z "$output" ] || printf '%s\n' "$output" | sed 's/^/#   /' >&2
	return 0
}

# expect_ok: the last client call succeeded.
expect_ok() {
	[ "$status" -eq 0 ] || fail "status $status, expected 0: $output"
}

# expect_status N
expect_status() {
	[ "$status" -eq "$1" ] || fail "status $status, expected $1: $output"
}

# expect_output_has TEXT...: each TEXT occurs in the last client call's output.
# shellcheck source=../assert.bash
source "$(dirname "${BASH_SOURCE[0]}")/../assert.bash"
expect_output_has() {
	output_has "$@"
}

# expect_output_lacks TEXT...
expect_output_lacks() {
	local t
	for t in "$@"; do
		[[ "$output" != *"$t"* ]] || fail "output has '$t': $output"
	done
}

# quoted ARG...: the arguments as one shell command line (for `script -c`, which gives a
# command a terminal as stdin and stdout: client script -qefc "$(quoted CMD...)" /dev/null).
quoted() {
	printf '%q ' "$@"
}

# retry SECONDS CMD...: until CMD succeeds.
retry() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "timed out after ${secs}s: $*"
}

# The capability bit of a CAP_ name (as in /proc/PID/status CapEff).
cap_bit() {
	case $1 in
	CHOWN) echo 0 ;; DAC_OVERRIDE) echo 1 ;; FOWNER) echo 3 ;; KILL) echo 5 ;;
	SETGID) echo 6 ;; SETUID) echo 7 ;; NET_BIND_SERVICE) echo 10 ;; NET_ADMIN) echo 12 ;;
	NET_RAW) echo 13 ;; SYS_CHROOT) echo 18 ;; SYS_PTRACE) echo 19 ;; SYS_ADMIN) echo 21 ;;
	SYS_TIME) echo 25 ;; MKNOD) echo 27 ;; AUDIT_WRITE) echo 29 ;;
	*) return 1 ;;
	esac
}

# has_cap HEXMASK NAME: the capability is in the mask.
has_cap() {
	local mask=$1 bit
	bit=$(cap_bit "$2") || return 2
	(((16#$mask >> bit) & 1))
}

# capeff OUTPUT: the CapEff mask in a /proc/PID/status text.
capeff() {
	sed -n 's/^CapEff:[[:space:]]*//p' <<<"$1" | tr -d '\r'
}
