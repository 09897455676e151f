#!/usr/bin/env bats
# run: foreground exit codes, signals, --detach, --keep.

load helpers

@test "run: foreground exit code is the process's" {
	set_args sh -c 'exit 42'
	run_container
	[ "$status" -eq 42 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "run: output of the process reaches the caller" {
	set_args echo hello world
	run_container
	[ "$status" -eq 0 ]
	[ "$output" = "hello world" ]
}

@test "run: a container killed by signal N exits 128+N" {
	set_args sleep 100
	rc=0
	"$OCIRUN" --root "$ROOT" run "$ID" </dev/null >/dev/null 2>&1 &
	rpid=$!
	wait_for_status "$ID" running
	runtime kill "$ID" KILL
	[ "$status" -eq 0 ]
	wait "$rpid" || rc=$?
	echo "$rc" >"$BATS_TEST_TMPDIR/rc"
	[ "$(cat "$BATS_TEST_TMPDIR/rc")" = 137 ]
}

@test "run: signals sent to the runtime are forwarded to the container" {
	set_args sh -c 'trap "echo got-usr1; exit 7" USR1; while true; do sleep 0.1; done'
	"$OCIRUN" --root "$ROOT" run "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 &
	rpid=$!
	wait_for_status "$ID" running
	sleep 0.3
	kill -USR1 "$rpid"
	rc=0
	wait "$rpid" || rc=$?
	[ "$rc" -eq 7 ]
	grep -q got-usr1 "$BATS_TEST_TMPDIR/out"
}

@test "run -d returns once the process runs; the container keeps running" {
	set_args sleep 100
	runtime run -d "$ID"
	[ "$status" -eq 0 ]
	[ "$(container_status "$ID")" = running ]
}

@test "run --keep keeps the stopped container" {
	set_args true
	run_container --keep
	[ "$status" -eq 0 ]
	[ "$(container_status "$ID")" = stopped ]
	runtime delete "$ID"
	[ "$status" -eq 0 ]
}

@test "run without --keep removes the container" {
	set_args true
	run_container
	[ "$status" -eq 0 ]
	runtime state "$ID"
	[ "$status" -ne 0 ]
}

@test "run: stdin reaches the process" {
	set_args sh -c 'read line; echo "read:$line"'
	echo piped | rt run "$ID" >"$BATS_TEST_TMPDIR/out" 2>&1
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = "read:piped" ]
}

@test "run --no-subreaper works" {
	set_args true
	run_container --no-subreaper
	[ "$status" -eq 0 ]
}

@test "run: an execve failure is reported in runc's words, once" {
	update_config '.root.readonly = false'
	printf '#!/no/such/interpreter\n' >rootfs/bad.sh
	chmod +x rootfs/bad.sh
	set_args /bad.sh
	run_container
	[ "$status" -ne 0 ]
	[ "$output" = "exec /bad.sh: no such file or directory" ] || fail "$output"
	set_args sleep 100
	start_detached
	in_container /bad.sh
	[ "$status" -eq 255 ]
	[[ "$output" == *"exec /bad.sh: no such file or directory" ]] || fail "$output"
	[ "${#lines[@]}" -eq 1 ]
}

@test "run: --debug reports the init's set-up with runc's phrases, to stderr or the --log file, never into the container's output" {
	set_args echo hello
	runtime --debug run "$ID"
	[ "$status" -eq 0 ]
	output_has "nsexec container setup" "child process in init()" \
		"init: closing the pipe to signal completion" hello
	runtime --debug --log "$BATS_TEST_TMPDIR/log.json" --log-format json run "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = hello ] || fail "more than the container's output on stdout/stderr: $output"
	for phrase in "nsexec container setup" "child process in init()" "init: closing the pipe to signal completion"; do
		grep -F '"level":"debug"' "$BATS_TEST_TMPDIR/log.json" | grep -qF "$phrase" ||
			fail "no debug line with '$phrase' in the log: $(cat "$BATS_TEST_TMPDIR/log.json")"
	done
}

# trace_run FLAG...: run $ID with --trace, the trace in $BATS_TEST_TMPDIR/trace, stdout in out.
trace_run() {
	"$OCIRUN" --trace --root "$ROOT" run "$@" "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/trace" ||
		fail "run failed: $(cat "$BATS_TEST_TMPDIR/trace")"
	cat "$BATS_TEST_TMPDIR/trace" >&2
}

@test "run: nobody can see the container between READY and START: the init execs at READY" {
	skip_if_runc "no --trace"
	set_args echo hello
	trace_run
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = hello ]
	grep -q 'init     exec  ' "$BATS_TEST_TMPDIR/trace"
	# neither RUN nor START: the init goes on by itself, the runtime waits for its execve
	if grep -E 'init     sync  wait for (run|start)|runtime  send start' "$BATS_TEST_TMPDIR/trace"; then
		fail "the init waited for RUN or START"
	fi
	grep -q 'runtime  wait for exec' "$BATS_TEST_TMPDIR/trace"
	# and --detach alike
	trace_run -d
	wait_for_status "$ID" stopped
	if grep 'init     sync  wait for run' "$BATS_TEST_TMPDIR/trace"; then
		fail "the init of run -d waited for RUN"
	fi
	grep -q 'init     exec  ' "$BATS_TEST_TMPDIR/trace"
}

@test "run: the init waits for START after READY with a pid file, a pidfd socket, startContainer hooks or a relayed terminal" {
	skip_if_runc "no --trace"
	set_args true
	trace_run --pid-file "$BATS_TEST_TMPDIR/pid"
	grep -q 'init     sync  wait for run' "$BATS_TEST_TMPDIR/trace"
	grep -q 'runtime  send start' "$BATS_TEST_TMPDIR/trace"
	[ -s "$BATS_TEST_TMPDIR/pid" ]
	sock=$BATS_TEST_TMPDIR/pidfd.sock
	"$(tool console_receiver)" -p -o "$BATS_TEST_TMPDIR/pidfd.out" "$sock" &
	recv=$!
	wait_for_file "$sock"
	trace_run --pidfd-socket "$sock"
	wait "$recv"
	grep -q 'init     sync  wait for run' "$BATS_TEST_TMPDIR/trace"
	grep -q '^pid ' "$BATS_TEST_TMPDIR/pidfd.out"
	update_config '.hooks.startContainer = [{"path": "/bin/true"}]'
	trace_run
	grep -q 'init     sync  wait for run' "$BATS_TEST_TMPDIR/trace"
	grep -q 'runtime  send start' "$BATS_TEST_TMPDIR/trace"
	update_config 'del(.hooks) | .process.terminal = true'
	trace_run
	grep -q 'init     sync  wait for run' "$BATS_TEST_TMPDIR/trace"
}

@test "run: a pid file exists when the process starts" {
	mkdir "$BATS_TEST_TMPDIR/shared"
	update_config '.mounts += [{"destination": "/shared", "type": "bind", "source": $s, "options": ["bind"]}]' \
		--arg s "$BATS_TEST_TMPDIR/shared"
	set_args cat /shared/pid
	run_container --pid-file "$BATS_TEST_TMPDIR/shared/pid"
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^[0-9]+$ ]]
}
