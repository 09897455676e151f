# helpers.bash - shared setup for the integration tests.
#
# Environment:
#   OCIRUN   the runtime binary under test (default: build/ocirun of the repository).
#            OCIRUN=$(command -v runc) runs the same tests against runc; tests for behaviour
#            where runc is known to be wrong are skipped for it with the reason.
#   ROOTFS   the busybox rootfs made by tests/rootfs/build.sh (default: build/rootfs)
#   TOOLS    directory holding the helpers of tests/tools (default: build/tests/tools; they
#            are compiled with cc into the run's temporary directory when missing)
#
# Each test gets, in $BATS_TEST_TMPDIR, a private state root ($ROOT), a bundle ($BUNDLE, the
# current directory) made from runc's default config with the args given to setup_bundle,
# and a unique container id ($ID; more ids with new_id). teardown force-deletes every
# container of $ROOT and fails the test when anything is left behind.

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
OCIRUN=${OCIRUN:-$REPO/build/ocirun}
ROOTFS=${ROOTFS:-$REPO/build/rootfs}
export ROOTFS

# The runtime's own name: runc or ocirun (or crun, ...).
RUNTIME_NAME=$(basename "$(readlink -f "$OCIRUN")")

is_runc() { [ "$RUNTIME_NAME" = runc ]; }

# skip_if_runc REASON: the test checks behaviour where runc is known to differ from ocirun.
skip_if_runc() {
	if is_runc; then skip "runc: $*"; fi
}

# The test tools (tests/tools/*.c): from the build directory, else compiled once per run.
tool() {
	local name=$1 dir
	for dir in "${TOOLS:-}" "$REPO/build/tests/tools"; do
		if [ -n "$dir" ] && [ -x "$dir/$name" ]; then
			echo "$dir/$name"
			return 0
		fi
	done
	dir=$BATS_RUN_TMPDIR/tools
	mkdir -p "$dir"
	if [ ! -x "$dir/$name" ]; then
		cc -O2 -D_GNU_SOURCE -o "$dir/$name.tmp.$$" "$REPO/tests/tools/$name.c" >&2 &&
			mv "$dir/$name.tmp.$$" "$dir/$name" || return 1
	fi
	echo "$dir/$name"
}

# new_id [SUFFIX]: a container id unique to this test (the prefix is checked for leaks).
new_id() {
	echo "${ID_PREFIX}${1:+-$1}"
}

# setup_bundle [ARG...]: fresh root, bundle (cwd) and id; the container runs ARG... (default: sh)
setup_bundle() {
	ID_PREFIX=oci${BATS_SUITE_TEST_NUMBER:-0}x${OCIRUN_TEST_RUN:-0}x$$x$RANDOM
	ID=$(new_id)
	ROOT=$BATS_TEST_TMPDIR/root
	BUNDLE=$BATS_TEST_TMPDIR/bundle
	mkdir -p "$ROOT"
	"$REPO/tests/rootfs/make-bundle.sh" "$BUNDLE" "$@" || return 1
	cd "$BUNDLE" || return 1
}

# update_config 'JQ FILTER' [jq args...]: edit $BUNDLE/config.json in place.
update_config() {
	local filter=$1
	shift
	jq "$@" "$filter" "$BUNDLE/config.json" >"$BUNDLE/config.json.new" &&
		mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

# set_args ARG...: the container's process.args.
set_args() {
	local args
	args=$(jq -cn '$ARGS.positional' --args -- "$@") || return 1
	update_config '.process.args = $a' --argjson a "$args"
}

# runtime ARG...: run "$OCIRUN --root $ROOT ARG..." like bats' run (sets status, output,
# lines), stdin from /dev/null, bounded by a timeout so that a hang fails the test. Output
# goes through a file, not a pipe: a created container keeps the stdout it was given.
RUNTIME_CALLS=0
runtime() {
	local out
	RUNTIME_CALLS=$((RUNTIME_CALLS + 1))
	out=$BATS_TEST_TMPDIR/.runtime.$RUNTIME_CALLS.out
	status=0
	timeout -k 5 "${RUNTIME_TIMEOUT:-60}" "$OCIRUN" --root "$ROOT" "$@" </dev/null >"$out" 2>&1 || status=$?
	output=$(cat "$out")
	mapfile -t lines <"$out"
	echo "# $RUNTIME_NAME $* -> status $status" >&2
	[ -z "$output" ] || printf '%s\n' "$output" | sed 's/^/#   /' >&2
	return 0
}

# rt ARG...: the runtime without bats' run (for pipelines and background jobs).
# (in its own process group, under a timeout, like runtime)
rt() {
	timeout -k 5 "${RUNTIME_TIMEOUT:-60}" "$OCIRUN" --root "$ROOT" "$@"
}

# run_container ARG...: `run` the bundle in the foreground as $ID (add flags before the id
# via ARG...; the last argument may be omitted: $ID is appended).
run_container() {
	runtime run --bundle "$BUNDLE" "$@" "$ID"
}

# create_container [FLAG...]: create $ID from the bundle and require success.
create_container() {
	runtime create --bundle "$BUNDLE" "$@" "$ID"
	[ "$status" -eq 0 ] || fail "create failed: $output"
}

# start_detached [FLAG...]: run -d $ID (the process must keep running) and wait for running.
start_detached() {
	runtime run -d --bundle "$BUNDLE" "$@" "$ID"
	[ "$status" -eq 0 ] || fail "run -d failed: $output"
	wait_for_status "$ID" running
}

fail() {
	echo "FAIL: $*" >&2
	return 1
}

# run_sh SCRIPT: run the bundle with `sh -c SCRIPT` as its process, which must succeed.
run_sh() {
	set_args sh -c "$1"
	run_container
	[ "$status" -eq 0 ] || fail "the container failed (status $status): $output"
}

# shellcheck source=../assert.bash
source "$(dirname "${BASH_SOURCE[0]}")/../assert.bash"

# lines_are LINE...: the output begins with these lines.
lines_are() {
	local i=0 want
	for want in "$@"; do
		[ "${lines[$i]:-}" = "$want" ] || fail "line $i is \"${lines[$i]:-}\", not \"$want\": $output"
		i=$((i + 1))
	done
}

# run_refused TEXT...: `run` of the bundle fails, and its message holds each TEXT (literally).
run_refused() {
	local text
	runtime run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ] || fail "run succeeded where it should be refused ($*): $output"
	for text in "$@"; do
		[[ "$output" == *"$text"* ]] || fail "run refused without saying \"$text\": $output"
	done
}

# container_status ID: prints the status field of `state ID` (empty if state fails).
container_status() {
	rt state "$1" 2>/dev/null | jq -r .status 2>/dev/null
}

# container_pid ID
container_pid() {
	rt state "$1" | jq -r .pid
}

# wait_for_status ID STATUS [SECONDS]: poll `state` until the status matches.
wait_for_status() {
	local id=$1 want=$2 secs=${3:-10} i got
	for ((i = 0; i < secs * 20; i++)); do
		got=$(container_status "$id")
		[ "$got" = "$want" ] && return 0
		sleep 0.05
	done
	fail "container $id: status '$got', expected '$want' after ${secs}s"
}

# wait_for_file PATH [SECONDS]
wait_for_file() {
	local f=$1 secs=${2:-10} i
	for ((i = 0; i < secs * 20; i++)); do
		[ -e "$f" ] && return 0
		sleep 0.05
	done
	fail "$f did not appear in ${secs}s"
}

# wait_pid_gone PID [SECONDS]: until the process has exited (a zombie counts as gone).
wait_pid_gone() {
	local pid=$1 secs=${2:-10} i st
	for ((i = 0; i < secs * 20; i++)); do
		st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$pid/status" 2>/dev/null || true)
		[ -z "$st" ] || [ "$st" = Z ] && return 0
		sleep 0.05
	done
	fail "process $pid still alive after ${secs}s"
}

# in_container CMD...: exec CMD in the running $ID, output captured like run.
in_container() {
	runtime exec "$ID" "$@"
}

# The cgroup directory of PID for a v1 CONTROLLER (memory, pids, ...).
cgroup_dir() {
	local pid=$1 ctrl=$2 path
	path=$(awk -F: -v c="$ctrl" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$pid/cgroup")
	[ -n "$path" ] || return 1
	echo "/sys/fs/cgroup/$ctrl$path"
}

setup() {
	setup_bundle
}

# Leak check: every container of this test is force-deleted; nothing may remain.
teardown_bundle() {
	local id leaks=() d
	[ -n "${ROOT:-}" ] || return 0
	cd / || true
	if [ -d "$ROOT" ]; then
		for d in "$ROOT"/*; do
			[ -d "$d" ] || continue
			id=${d##*/}
			rt delete -f "$id" >/dev/null 2>&1 </dev/null ||
				rt delete -f "$id" >/dev/null 2>&1 </dev/null || true
		done
		for d in "$ROOT"/*; do
			[ -e "$d" ] && leaks+=("state entry $d")
		done
	fi
	while read -r d; do
		[ -n "$d" ] && leaks+=("cgroup $d")
	done < <(find /sys/fs/cgroup -maxdepth 7 -type d -name "${ID_PREFIX}*" 2>/dev/null)
	while read -r d; do
		[ -n "$d" ] && leaks+=("mount $d")
	done < <(awk -v b="$BATS_TEST_TMPDIR" 'index($5, b) == 1 { print $5 }' /proc/self/mountinfo)
	# cgroups made by tests under a shared parent
	# the shared parent of cgroupsPath "/ocirun-test/<id>" (or relative "ocirun-test/<id>")
	while read -r d; do
		rmdir "$d" 2>/dev/null || true
	done < <(find /sys/fs/cgroup -maxdepth 6 -type d -name ocirun-test 2>/dev/null)
	if [ ${#leaks[@]} -gt 0 ]; then
		printf 'LEAK: %s\n' "${leaks[@]}" >&2
		# clean up so the next tests start from a clean host
		while read -r d; do rmdir "$d" 2>/dev/null; done < <(find /sys/fs/cgroup -maxdepth 7 -depth -type d -name "${ID_PREFIX}*" 2>/dev/null)
		return 1
	fi
}

teardown() {
	teardown_bundle
}
