#!/usr/bin/env bats
# exec: joining a running container, with every flag.

load helpers

setup() {
	setup_bundle sleep 1000
	update_config '.linux.cgroupsPath = "/ocirun-test/" + $id' --arg id "$ID"
}

@test "exec: runs in the container's namespaces with the exit code of the process" {
	start_detached
	pid=$(container_pid "$ID")
	in_container sh -c 'for n in pid mnt net uts ipc; do readlink /proc/self/ns/$n; done; exit 5'
	[ "$status" -eq 5 ]
	for ns in pid mnt net uts ipc; do
		[[ "$output" == *"$(readlink "/proc/$pid/ns/$ns")"* ]] || fail "$ns not joined"
	done
}

@test "exec: the process has a container-local pid" {
	start_detached
	in_container sh -c 'echo $$'
	[ "$status" -eq 0 ]
	[ "$output" -lt 100 ]
	[ "$output" -gt 1 ]
}

@test "exec: the process is in the container's cgroup" {
	start_detached
	in_container cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	output_has "pids:/ocirun-test/$ID" "memory:/ocirun-test/$ID"
	# Every hierarchy, as the init's: the exec process moves itself into the v1 ones.
	local mine=$output init
	init=$(cat "/proc/$(container_pid "$ID")/cgroup")
	[ "$(sort <<<"$mine")" = "$(sort <<<"$init")" ] || fail "exec: $mine, init: $init"
}

@test "exec: env from the config plus -e overrides" {
	update_config '.process.env += ["FROMCFG=1", "OVER=old"]'
	start_detached
	runtime exec -e OVER=new -e EXTRA=x "$ID" env
	[ "$status" -eq 0 ]
	[[ "$output" == *FROMCFG=1* ]]
	[[ "$output" == *OVER=new* ]]
	[[ "$output" != *OVER=old* ]]
	[[ "$output" == *EXTRA=x* ]]
	# the last -e of a key wins over the config and earlier flags, once
	runtime exec -e OVER=a -e OVER=b "$ID" env
	[ "$status" -eq 0 ]
	[ "$(grep -c '^OVER=' <<<"$output")" -eq 1 ] || fail "$output"
	[[ "$output" == *OVER=b* ]]
}

@test "exec: --cwd" {
	start_detached
	runtime exec --cwd /etc "$ID" pwd
	[ "$status" -eq 0 ]
	[ "$output" = /etc ]
}

@test "exec: -u uid:gid and --additional-gids" {
	start_detached
	runtime exec -u 1000:1000 -g 5 -g 65534 "$ID" sh -c 'id -u; id -g; id -G'
	[ "$status" -eq 0 ]
	lines_are 1000 1000
	[[ " ${lines[2]} " == *" 5 "* ]]
	[[ " ${lines[2]} " == *" 65534 "* ]]
}

@test "exec: -u out of range is refused, never run as root" {
	skip_if_runc "runc 1.1 runs exec -u 4294967296 as uid 0"
	start_detached
	for u in 4294967296 -1 4294967295 1000:-1 0:0:0; do
		runtime exec -u "$u" "$ID" id -u
		[ "$status" -ne 0 ] || fail "-u $u accepted: $output"
	done
}

@test "exec: -u with a bad user fails" {
	start_detached
	runtime exec -u 1000:notanumber "$ID" id -u
	[ "$status" -ne 0 ]
}

@test "exec: capabilities from the config, plus --cap; inheritable stays empty" {
	start_detached
	in_container grep -E '^Cap(Inh|Eff):' /proc/self/status
	[ "$status" -eq 0 ]
	output_has "CapInh:	0000000000000000" "CapEff:	0000000020000420"
	runtime exec --cap CAP_CHOWN "$ID" grep -E '^Cap(Inh|Eff):' /proc/self/status
	[ "$status" -eq 0 ]
	output_has "CapInh:	0000000000000000" "CapEff:	0000000020000421"
}

@test "exec: noNewPrivileges from the config and --no-new-privs" {
	start_detached
	in_container grep NoNewPrivs /proc/self/status
	[[ "$output" == *1 ]]
	id2=$(new_id 2)
	# a cgroup of its own: a cgroup in use is refused
	update_config '.process.noNewPrivileges = false | .linux.cgroupsPath = "/ocirun-test/" + $id' --arg id "$id2"
	runtime run -d "$id2"
	[ "$status" -eq 0 ]
	runtime exec "$id2" grep NoNewPrivs /proc/self/status
	[[ "$output" == *0 ]]
	runtime exec --no-new-privs "$id2" grep NoNewPrivs /proc/self/status
	[[ "$output" == *1 ]]
	runtime delete -f "$id2"
}

@test "exec: rlimits of the config apply" {
	start_detached
	in_container sh -c 'ulimit -n'
	[ "$status" -eq 0 ]
	[ "$output" = 1024 ]
}

@test "exec: --process FILE" {
	start_detached
	jq -n '{"args": ["sh", "-c", "echo $P; pwd"], "env": ["P=fromfile", "PATH=/bin"], "cwd": "/tmp", "user": {"uid": 0, "gid": 0}}' >"$BATS_TEST_TMPDIR/process.json"
	runtime exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
	[ "$status" -eq 0 ]
	lines_are fromfile /tmp
}

@test "exec: -d --pid-file detaches and records the pid" {
	start_detached
	runtime exec -d --pid-file "$BATS_TEST_TMPDIR/epid" "$ID" sleep 100
	[ "$status" -eq 0 ]
	epid=$(cat "$BATS_TEST_TMPDIR/epid")
	grep -q '^Name:[[:space:]]*sleep' "/proc/$epid/status"
	[ "$(readlink "/proc/$epid/ns/pid")" = "$(readlink "/proc/$(container_pid "$ID")/ns/pid")" ]
}

@test "exec: --tty with --console-socket and --detach" {
	start_detached
	sock=$BATS_TEST_TMPDIR/console.sock
	"$(tool console_receiver)" -o "$BATS_TEST_TMPDIR/console.out" "$sock" &
	recv=$!
	wait_for_file "$sock"
	runtime exec -d -t --console-socket "$sock" "$ID" sh -c 'tty; echo exec-tty-ok'
	[ "$status" -eq 0 ]
	wait "$recv"
	grep -q exec-tty-ok "$BATS_TEST_TMPDIR/console.out"
	grep -q '^/dev/pts/' "$BATS_TEST_TMPDIR/console.out"
}

@test "exec: fd hygiene: only 0 1 2 (and the listing's fd)" {
	start_detached
	exec 7>"$BATS_TEST_TMPDIR/leak7"
	in_container ls /proc/self/fd
	exec 7>&-
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "0 1 2 3" ]
}

@test "exec: --preserve-fds" {
	start_detached
	echo through-fd3 >"$BATS_TEST_TMPDIR/in"
	rt exec --preserve-fds 1 "$ID" cat /proc/self/fd/3 3<"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" 2>&1 </dev/null
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = through-fd3 ]
}

@test "exec: signals to the runtime are forwarded in the foreground" {
	start_detached
	"$OCIRUN" --root "$ROOT" exec "$ID" sh -c 'trap "exit 9" USR1; echo ready >/dev/shm/ready; while true; do sleep 0.1; done' </dev/null >/dev/null 2>&1 &
	epid=$!
	for i in $(seq 100); do rt exec "$ID" test -e /dev/shm/ready </dev/null && break; sleep 0.05; done
	kill -USR1 "$epid"
	rc=0
	wait "$epid" || rc=$?
	[ "$rc" -eq 9 ]
}

@test "exec: a missing executable fails with runc's message" {
	start_detached
	in_container nonexistent
	[ "$status" -ne 0 ]
	[[ "$output" == *"executable file not found in \$PATH"* ]]
}

@test "exec: into a stopped container fails clearly" {
	set_args true
	create_container
	runtime start "$ID"
	wait_for_status "$ID" stopped
	in_container true
	[ "$status" -ne 0 ]
	[[ "$output" == *"stopped"* ]] || [[ "$output" == *"not running"* ]]
}

@test "exec: into a missing container fails clearly" {
	runtime exec nonexistent-id true
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
}

@test "exec: into a paused container fails unless --ignore-paused" {
	start_detached
	runtime pause "$ID"
	[ "$status" -eq 0 ]
	in_container true
	[ "$status" -ne 0 ]
	[[ "$output" == *paused* ]]
	# the exec'd process starts frozen; it finishes once the container is resumed
	rt exec --ignore-paused "$ID" echo ignored-pause </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 &
	sleep 0.5
	runtime resume "$ID"
	[ "$status" -eq 0 ]
	for i in $(seq 100); do grep -q ignored-pause "$BATS_TEST_TMPDIR/out" && break; sleep 0.1; done
	grep -q ignored-pause "$BATS_TEST_TMPDIR/out"
}

@test "exec: --pidfd-socket receives a pidfd of the new process" {
	skip_if_runc "runc 1.1 has no --pidfd-socket"
	start_detached
	sock=$BATS_TEST_TMPDIR/pidfd.sock
	"$(tool console_receiver)" -p -o "$BATS_TEST_TMPDIR/pidfd.out" "$sock" &
	recv=$!
	wait_for_file "$sock"
	runtime exec -d --pid-file "$BATS_TEST_TMPDIR/epid" --pidfd-socket "$sock" "$ID" sleep 100
	[ "$status" -eq 0 ]
	wait "$recv"
	[ "$(cat "$BATS_TEST_TMPDIR/pidfd.out")" = "pid $(cat "$BATS_TEST_TMPDIR/epid")" ]
}

@test "exec: 50 concurrent execs all succeed with the right output and exit code" {
	start_detached
	for i in $(seq 50); do
		( rc=0; rt exec "$ID" sh -c "echo out-$i; exit $((i % 7))" </dev/null >"$BATS_TEST_TMPDIR/c$i" 2>&1 || rc=$?
		  echo $rc >"$BATS_TEST_TMPDIR/r$i.tmp" && mv "$BATS_TEST_TMPDIR/r$i.tmp" "$BATS_TEST_TMPDIR/r$i" ) &
	done
	for i in $(seq 50); do wait_for_file "$BATS_TEST_TMPDIR/r$i" 60; done
	for i in $(seq 50); do
		[ "$(cat "$BATS_TEST_TMPDIR/c$i")" = "out-$i" ] || fail "exec $i: $(cat "$BATS_TEST_TMPDIR/c$i")"
		[ "$(cat "$BATS_TEST_TMPDIR/r$i")" = $((i % 7)) ] || fail "exec $i: exit $(cat "$BATS_TEST_TMPDIR/r$i")"
	done
}

@test "exec: its own failures exit 255, apart from the process's statuses" {
	start_detached
	in_container sh -c 'exit 42'
	[ "$status" -eq 42 ]
	in_container no-such-binary
	[ "$status" -eq 255 ]
	runtime exec --pid-file /nonexistent-dir/pid "$ID" true
	[ "$status" -eq 255 ]
	runtime exec nonexistent-id true
	[ "$status" -eq 255 ]
}

@test "exec: --debug reports the steps of the set-up, to stderr or to the --log file" {
	start_detached
	runtime --debug exec "$ID" true
	[ "$status" -eq 0 ]
	# runc's phrases: log readers (and runc's suite) look for them
	output_has "nsexec container setup" "child process in init()" "setns_init: about to exec /bin/true"
	runtime --debug --log "$BATS_TEST_TMPDIR/log.out" exec "$ID" true
	[ "$status" -eq 0 ]
	[[ "$output" != *level=debug* ]] || fail "debug lines on stderr with --log: $output"
	grep -q 'level=debug msg="setns_init: about to exec /bin/true"' "$BATS_TEST_TMPDIR/log.out" ||
		fail "no debug line in the log: $(cat "$BATS_TEST_TMPDIR/log.out")"
}
