# helpers.bash - shared setup of the reliability suite: the integration helpers, a sentinel
# container that must stay untouched while every test of the file runs beside it, and the
# leftover checks.

# shellcheck source=../integration/helpers.bash
source "$BATS_TEST_DIRNAME/../integration/helpers.bash"

# The sentinel: a long-running container in its own state root, started once per file
# (setup_file) and checked after every test: same init pid, still answering an exec.
sentinel_start() {
	SENTINEL_ROOT=$BATS_FILE_TMPDIR/sentinel-root
	SENTINEL_ID=sentinel$$x$RANDOM
	mkdir -p "$SENTINEL_ROOT"
	"$REPO/tests/rootfs/make-bundle.sh" "$BATS_FILE_TMPDIR/sentinel" sleep 100000 >/dev/null || return 1
	timeout 30 "$OCIRUN" --root "$SENTINEL_ROOT" run -d --bundle "$BATS_FILE_TMPDIR/sentinel" "$SENTINEL_ID" </dev/null >/dev/null 2>&1 || return 1
	SENTINEL_PID=$(timeout 10 "$OCIRUN" --root "$SENTINEL_ROOT" state "$SENTINEL_ID" | jq -r .pid)
	[ "$SENTINEL_PID" -gt 0 ] || return 1
	export SENTINEL_ROOT SENTINEL_ID SENTINEL_PID
}

sentinel_check() {
	local pid out
	[ -n "${SENTINEL_ID:-}" ] || return 0
	pid=$(timeout 10 "$OCIRUN" --root "$SENTINEL_ROOT" state "$SENTINEL_ID" 2>&1 | jq -r .pid 2>/dev/null)
	[ "$pid" = "$SENTINEL_PID" ] || fail "sentinel container: init pid '$pid', was $SENTINEL_PID"
	out=$(timeout 10 "$OCIRUN" --root "$SENTINEL_ROOT" exec "$SENTINEL_ID" echo alive </dev/null 2>&1)
	[ "$out" = alive ] || fail "sentinel container does not answer an exec: $out"
}

sentinel_stop() {
	[ -n "${SENTINEL_ID:-}" ] || return 0
	timeout 30 "$OCIRUN" --root "$SENTINEL_ROOT" delete -f "$SENTINEL_ID" </dev/null >/dev/null 2>&1
}

setup_file() {
	sentinel_start
}

teardown_file() {
	sentinel_stop
}

teardown() {
	local r=0
	teardown_bundle || r=1
	sentinel_check || r=1
	return $r
}

# leftovers ID [MARK]: prints one line per thing left of container ID after delete --force:
# state entry, cgroup directory, mount under the bundle, process (by cgroup, or by MARK in
# its command line), fd open on the state directory, and exits 0 when there is none.
leftovers() {
	local id=$1 mark=${2:-} d p cg cmd found=0
	if [ -e "$ROOT/$id" ]; then echo "state entry $ROOT/$id"; found=1; fi
	if rt state "$id" >/dev/null 2>&1 </dev/null; then echo "state answers for $id"; found=1; fi
	for d in /sys/fs/cgroup/*/"$id" /sys/fs/cgroup/*/*/"$id" /sys/fs/cgroup/*/*/*/"$id"; do
		[ -d "$d" ] && { echo "cgroup $d"; found=1; }
	done
	while read -r d; do
		[ -n "$d" ] && { echo "mount $d"; found=1; }
	done < <(awk -v b="$BUNDLE" 'index($5, b) == 1 { print $5 }' /proc/self/mountinfo)
	for p in /proc/[0-9]*; do
		cg=$(cat "$p/cgroup" 2>/dev/null) || continue
		cmd=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)
		if [[ "$cg" == *"/$id"$'\n'* || "$cg" == *"/$id" ]] || { [ -n "$mark" ] && [[ "$cmd" == *"$mark"* ]]; }; then
			# zombies have an empty command line and hold nothing
			[ -n "$cmd" ] || continue
			echo "process ${p#/proc/}: $cmd"
			found=1
			continue
		fi
		# an fd still open on the container's state
		for f in "$p"/fd/*; do
			case $(readlink "$f" 2>/dev/null) in
			"$ROOT/$id" | "$ROOT/$id/"*) echo "fd $f -> $(readlink "$f") ($cmd)"; found=1 ;;
			esac
		done
	done
	return $found
}
