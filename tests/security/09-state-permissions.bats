#!/usr/bin/env bats
# Attack class 9: the state root is 0700 and its files 0600 whatever the caller's umask, and
# an unprivileged user cannot kill, delete, pause or exec into root's containers - not even
# when the state is readable to it.

load helpers

setup() {
	setup_bundle
	set_args sleep 100
	# a root the runtime creates itself
	rmdir "$ROOT"
	# the runtime, runnable by an unprivileged user
	PUB=$(mktemp -d /tmp/ocirun-sec-bin.XXXXXX)
	chmod 755 "$PUB"
	cp "$(readlink -f "$OCIRUN")" "$PUB/$RUNTIME_NAME"
	chmod 755 "$PUB/$RUNTIME_NAME"
}

teardown() {
	local r=0
	teardown_bundle || r=$?
	rm -rf "$PUB"
	return $r
}

# as_nobody ARG...: the runtime as uid/gid 65534 without groups, like runtime (status, output)
as_nobody() {
	status=0
	timeout -k 5 30 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$PUB/$RUNTIME_NAME" --root "$ROOT" "$@" </dev/null >"$BATS_TEST_TMPDIR/nobody.out" 2>&1 || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/nobody.out")
	echo "# (uid 65534) $RUNTIME_NAME $* -> status $status: $output" >&2
}

# mode PATH: octal permission bits
mode() { stat -c %a "$1"; }

@test "state root 0700 and state files 0600, even with umask 000" {
	(umask 000 && rt run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1)
	wait_for_status "$ID" running
	[ "$(mode "$ROOT")" = 700 ] || fail "root: $(mode "$ROOT")"
	[ "$(mode "$ROOT/$ID")" = 700 ] || fail "container dir: $(mode "$ROOT/$ID")"
	while read -r f; do
		m=$(mode "$f")
		[ "$m" = 600 ] || [ "$m" = 400 ] || fail "$f: mode $m"
	done < <(find "$ROOT/$ID" -mindepth 1 -type f)
	while read -r f; do
		[ "$(mode "$f")" = 700 ] || fail "$f: mode $(mode "$f")"
	done < <(find "$ROOT/$ID" -mindepth 1 -type d)
	# a created container (exec fifo present) and the files written by exec
	id2=$(new_id 2)
	(umask 000 && rt create --bundle "$BUNDLE" "$id2" </dev/null >/dev/null 2>&1)
	(umask 000 && rt exec "$ID" true </dev/null >/dev/null 2>&1)
	while read -r f; do
		m=$(mode "$f")
		[ "$m" = 600 ] || [ "$m" = 400 ] || [ "$m" = 700 ] || fail "$f: mode $m"
	done < <(find "$ROOT" -mindepth 1 \( -type f -o -type d \))
	# the exec fifo: whoever opens it for reading starts the container
	while read -r f; do
		m=$(mode "$f")
		[ $((8#$m & 8#044)) -eq 0 ] || fail "$f: mode $m (readable by group/other)"
	done < <(find "$ROOT" -mindepth 1 -type p)
}

@test "unprivileged user cannot kill, delete, pause, resume or exec into root's containers" {
	start_detached
	pid=$(container_pid "$ID")
	as_nobody kill "$ID" KILL
	[ "$status" -ne 0 ]
	as_nobody kill --all "$ID" KILL
	[ "$status" -ne 0 ]
	as_nobody delete -f "$ID"
	[ "$status" -ne 0 ]
	as_nobody pause "$ID"
	[ "$status" -ne 0 ]
	as_nobody exec "$ID" touch /dev/shm/pwned
	[ "$status" -ne 0 ]
	sleep 0.2
	[ "$(container_status "$ID")" = running ] || fail "status: $(container_status "$ID")"
	[ "$(container_pid "$ID")" = "$pid" ] || fail "the init changed"
	runtime exec "$ID" test -e /dev/shm/pwned
	[ "$status" -ne 0 ] || fail "the unprivileged exec ran"
	[ -d "$ROOT/$ID" ]
}

@test "unprivileged user cannot act on root's containers even with a readable state root" {
	# a root the unprivileged user can reach (the test's own directory is 0700)
	ROOT=$PUB/root
	start_detached
	pid=$(container_pid "$ID")
	id2=$(new_id 2)
	create_container_id2() { rt create --bundle "$BUNDLE" "$id2" </dev/null >/dev/null 2>&1; }
	create_container_id2
	# a misconfigured root: directories traversable and writable, state files readable (the
	# exec fifo keeps its mode: whoever may open it for reading may start the container)
	find "$ROOT" -type d -exec chmod a+rwx {} +
	find "$ROOT" -type f -exec chmod a+r {} +
	as_nobody kill "$ID" KILL
	as_nobody kill --all "$ID" KILL
	as_nobody pause "$ID"
	sleep 0.2
	[ "$(container_status "$ID")" = running ] || fail "status after kill/pause by uid 65534: $(container_status "$ID")"
	[ "$(container_pid "$ID")" = "$pid" ] || fail "the init changed"
	as_nobody exec "$ID" touch /dev/shm/pwned
	runtime exec "$ID" test -e /dev/shm/pwned
	[ "$status" -ne 0 ] || fail "the unprivileged exec ran in the container"
	as_nobody start "$id2"
	[ "$(container_status "$id2")" = created ] || fail "uid 65534 started root's container: $(container_status "$id2")"
	as_nobody delete -f "$ID"
	[ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" || fail "uid 65534's delete -f killed the container"
	# the cgroup of the container is still there
	cg=$(cgroup_dir "$pid" memory || cgroup_dir "$pid" pids)
	[ -d "$cg" ] || fail "cgroup removed"
	chmod -R go-rwx "$ROOT"
}
