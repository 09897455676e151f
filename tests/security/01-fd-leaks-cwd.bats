#!/usr/bin/env bats
# Attack class 1 (CVE-2016-9962, CVE-2024-21626): file descriptors of the runtime reaching the
# container process, and a working directory of /proc/self/fd/N landing outside the root.

load helpers

# The fds of the container's shell, as `ls -l` lines "... N -> target" (listed by a child, so
# the listing's own directory fd is not among them).
FD_LIST='ls -l /proc/$$/fd'

# Script run with cwd set to /proc/self/fd/N: prints ESCAPED when the working directory is
# outside the container root (".." walks up to the host's root, where the test's own bundle
# is visible) or unreachable from it.
escape_check() {
	cat <<SH
cwd=\$(readlink /proc/self/cwd)
echo "cwd=\$cwd"
case "\$cwd" in *unreachable*|"") echo ESCAPED-unreachable ;; esac
cd ../../../../../../../../../.. 2>/dev/null
[ -e ".$BUNDLE/config.json" ] && echo ESCAPED-host-root
[ -e "./$BUNDLE/config.json" ] && echo ESCAPED-host-root
exit 0
SH
}

# only_stdio OUTPUT [PRESERVED]: the fd list holds 0 1 2 (and PRESERVED more) only
only_stdio() {
	local want="0 1 2" got n
	for ((n = 3; n < 3 + ${2:-0}; n++)); do want="$want $n"; done
	got=$(awk '{ for (i = 2; i <= NF; i++) if ($i == "->") print $(i - 1) }' <<<"$1" | sort -n | xargs)
	[ "$got" = "$want" ] || fail "fds in the container: '$got', expected '$want': $1"
}

@test "fd leak: run passes only stdio, whatever the runtime was given" {
	set_args sh -c "$FD_LIST"
	# fds open in the caller (host directories, a host file) must not be inherited
	exec 5</ 6<"$BATS_TEST_TMPDIR" 7>"$BATS_TEST_TMPDIR/hostfile" 9</sys/fs/cgroup
	run_container
	exec 5<&- 6<&- 7>&- 9<&-
	[ "$status" -eq 0 ]
	only_stdio "$output"
}

@test "fd leak: run -d and create/start pass only stdio" {
	writable_rootfs
	set_args sh -c "exec >/fds; $FD_LIST; sleep 100"
	exec 5</ 6<"$BATS_TEST_TMPDIR"
	runtime run -d --bundle "$BUNDLE" "$ID"
	exec 5<&- 6<&-
	[ "$status" -eq 0 ]
	wait_for_file rootfs/fds
	sleep 0.2
	only_stdio "$(cat rootfs/fds)"

	id2=$(new_id 2)
	rm -f rootfs/fds
	runtime create --bundle "$BUNDLE" "$id2"
	[ "$status" -eq 0 ]
	runtime start "$id2"
	[ "$status" -eq 0 ]
	wait_for_file rootfs/fds
	sleep 0.2
	only_stdio "$(cat rootfs/fds)"
}

@test "fd leak: --preserve-fds passes exactly the preserved fds" {
	set_args sh -c "$FD_LIST"
	status=0
	(exec 3</ 4</ 5<"$BATS_TEST_TMPDIR" && rt run --preserve-fds 1 --bundle "$BUNDLE" "$ID" </dev/null) >"$BATS_TEST_TMPDIR/out" 2>&1 || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/out")
	echo "$output" >&2
	[ "$status" -eq 0 ]
	only_stdio "$output" 1
}

@test "fd leak: exec passes only stdio" {
	set_args sleep 100
	start_detached
	exec 5</ 6<"$BATS_TEST_TMPDIR" 9</sys/fs/cgroup
	runtime exec "$ID" sh -c "$FD_LIST"
	exec 5<&- 6<&- 9<&-
	[ "$status" -eq 0 ]
	only_stdio "$output"
}

@test "fd leak: exec -d passes only stdio" {
	writable_rootfs
	set_args sleep 100
	start_detached
	exec 5</ 6<"$BATS_TEST_TMPDIR"
	runtime exec -d "$ID" sh -c "exec >/fds; $FD_LIST"
	exec 5<&- 6<&-
	[ "$status" -eq 0 ]
	wait_for_file rootfs/fds
	sleep 0.2
	only_stdio "$(cat rootfs/fds)"
}

@test "fd leak: exec --preserve-fds passes exactly the preserved fds" {
	set_args sleep 100
	start_detached
	status=0
	(exec 3</ 4</ 5</ && rt exec --preserve-fds 2 "$ID" sh -c "$FD_LIST" </dev/null) >"$BATS_TEST_TMPDIR/out" 2>&1 || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/out")
	echo "$output" >&2
	[ "$status" -eq 0 ]
	only_stdio "$output" 2
}

@test "cwd escape: process.cwd /proc/self/fd/N is refused or stays inside the root" {
	local n escaped=()
	for n in 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		update_config '.process.cwd = $c' --arg c "/proc/self/fd/$n"
		set_args sh -c "$(escape_check)"
		# host directories open in the caller (what a leaky caller hands the runtime)
		exec 5</ 6<"$BATS_TEST_TMPDIR" 7</sys/fs/cgroup 8</ 9</
		runtime run --bundle "$BUNDLE" "$ID-$n"
		exec 5<&- 6<&- 7<&- 8<&- 9<&-
		if [[ "$output" == *ESCAPED* ]]; then
			escaped+=("fd $n: $output")
		fi
		# refused runs must say why (not crash)
		[ "$status" -eq 0 ] || [ -n "$output" ]
		rt delete -f "$ID-$n" >/dev/null 2>&1 || true
	done
	[ ${#escaped[@]} -eq 0 ] || fail "cwd outside the container: ${escaped[*]}"
}

@test "cwd escape: exec --cwd /proc/self/fd/N is refused or stays inside the root" {
	local n escaped=()
	set_args sleep 100
	start_detached
	for n in 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		exec 5</ 6<"$BATS_TEST_TMPDIR" 7</sys/fs/cgroup 8</ 9</
		runtime exec --cwd "/proc/self/fd/$n" "$ID" sh -c "$(escape_check)"
		exec 5<&- 6<&- 7<&- 8<&- 9<&-
		if [[ "$output" == *ESCAPED* ]]; then
			escaped+=("fd $n: $output")
		fi
		[ "$status" -eq 0 ] || [ -n "$output" ]
	done
	# and through process.json
	for n in 3 4 5 6 7 8 9 10; do
		jq -n --arg c "/proc/self/fd/$n" --arg s "$(escape_check)" \
			'{cwd: $c, args: ["sh", "-c", $s], env: ["PATH=/bin:/usr/bin"], user: {uid: 0, gid: 0}}' >"$BATS_TEST_TMPDIR/p.json"
		runtime exec -p "$BATS_TEST_TMPDIR/p.json" "$ID"
		if [[ "$output" == *ESCAPED* ]]; then
			escaped+=("process.json fd $n: $output")
		fi
	done
	[ ${#escaped[@]} -eq 0 ] || fail "cwd outside the container: ${escaped[*]}"
}

@test "cwd escape: a preserved fd on a host directory as cwd is refused (run and exec)" {
	# --preserve-fds hands fd 3 to the container on purpose; the working directory must still
	# be checked to be inside the container's root
	update_config '.process.cwd = "/proc/self/fd/3"'
	set_args sh -c "$(escape_check)"
	status=0
	(exec 3</ && rt run --preserve-fds 1 --bundle "$BUNDLE" "$ID" </dev/null) >"$BATS_TEST_TMPDIR/out" 2>&1 || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/out")
	echo "run: status $status: $output" >&2
	[[ "$output" != *ESCAPED* ]] || fail "run: cwd outside the container: $output"
	rt delete -f "$ID" </dev/null >/dev/null 2>&1 || true

	update_config '.process.cwd = "/"'
	set_args sleep 100
	start_detached
	status=0
	(exec 3</ && rt exec --preserve-fds 1 --cwd /proc/self/fd/3 "$ID" sh -c "$(escape_check)" </dev/null) >"$BATS_TEST_TMPDIR/out" 2>&1 || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/out")
	echo "exec: status $status: $output" >&2
	[[ "$output" != *ESCAPED* ]] || fail "exec: cwd outside the container: $output"
}

@test "fd leak: a created init already holds none of the caller's fds (a pipe reader sees EOF)" {
	set_args true
	# fd 5 is the write end of a pipe: its reader must see EOF once create has returned,
	# long before start
	exec 5> >(cat >"$BATS_TEST_TMPDIR/pipe.out"; echo EOF >"$BATS_TEST_TMPDIR/pipe.eof") 6<"$BATS_TEST_TMPDIR"
	local pipe dir
	pipe=$(readlink /proc/$$/fd/5)
	dir=$(readlink /proc/$$/fd/6)
	runtime create --bundle "$BUNDLE" "$ID"
	exec 5>&- 6<&-
	[ "$status" -eq 0 ] || fail "create: $output"
	wait_for_file "$BATS_TEST_TMPDIR/pipe.eof"
	[ "$(container_status "$ID")" = created ]
	local pid fd target bad=""
	pid=$(container_pid "$ID")
	for fd in /proc/"$pid"/fd/*; do
		target=$(readlink "$fd") || continue
		if [ "$target" = "$pipe" ] || [ "$target" = "$dir" ]; then
			bad="$bad ${fd##*/}->$target"
		fi
	done
	[ -z "$bad" ] || fail "the created init holds:$bad"
}
