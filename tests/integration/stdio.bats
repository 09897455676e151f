#!/usr/bin/env bats
# --pid-file, --console-socket, --preserve-fds, LISTEN_FDS, fd hygiene.

load helpers

# console_listen OUTFILE [INPUT]: a console receiver on $sock in the background ($recv); what
# arrives on the pty master goes to OUTFILE, INPUT is written to it first.
console_listen() {
	sock=$BATS_TEST_TMPDIR/console.sock
	"$(tool console_receiver)" ${2:+-i "$2"} -o "$1" "$sock" &
	recv=$!
	wait_for_file "$sock"
}

@test "--pid-file holds the init's host pid" {
	set_args sleep 100
	create_container --pid-file "$BATS_TEST_TMPDIR/pid"
	[ -s "$BATS_TEST_TMPDIR/pid" ]
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$(container_pid "$ID")" ]
	# no trailing newline, as runc writes it; no temporary file left beside it
	[ "$(wc -l <"$BATS_TEST_TMPDIR/pid")" -eq 0 ]
	[ "$(ls -A "$BATS_TEST_TMPDIR" | grep -c '^\.*pid')" -eq 1 ]
}

@test "--pid-file is written atomically (rename over an existing file)" {
	set_args sleep 100
	echo old >"$BATS_TEST_TMPDIR/pid"
	ino=$(stat -c %i "$BATS_TEST_TMPDIR/pid")
	create_container --pid-file "$BATS_TEST_TMPDIR/pid"
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$(container_pid "$ID")" ]
	[ "$(stat -c %i "$BATS_TEST_TMPDIR/pid")" != "$ino" ]
}

@test "run -d --pid-file with a relative path" {
	set_args sleep 100
	start_detached --pid-file pidfile
	[ "$(cat "$BUNDLE/pidfile")" = "$(container_pid "$ID")" ]
}

@test "--console-socket: the pty master is received; terminal output arrives on it" {
	update_config '.process.terminal = true'
	set_args sh -c 'tty; echo console-ok'
	console_listen "$BATS_TEST_TMPDIR/console.out"
	runtime run -d --console-socket "$sock" "$ID"
	[ "$status" -eq 0 ]
	wait "$recv"
	grep -q console-ok "$BATS_TEST_TMPDIR/console.out"
	grep -q '^/dev/pts/' "$BATS_TEST_TMPDIR/console.out"
}

@test "--console-socket: input written to the master reaches the process; /dev/console exists" {
	update_config '.process.terminal = true'
	set_args sh -c 'read x; echo "got:$x"; ls -l /dev/console'
	console_listen "$BATS_TEST_TMPDIR/console.out" 'hello\n'
	create_container --console-socket "$sock"
	runtime start "$ID"
	[ "$status" -eq 0 ]
	wait "$recv"
	grep -q 'got:hello' "$BATS_TEST_TMPDIR/console.out"
	grep -q '^c.* 136, ' "$BATS_TEST_TMPDIR/console.out"
}

@test "terminal: the pty belongs to the process's user and devpts' tty group (run and exec)" {
	update_config '.process.terminal = true | .process.user = {"uid": 1000, "gid": 100}'
	set_args sh -c 'stat -c %u:%g "$(tty)"'
	console_listen "$BATS_TEST_TMPDIR/console.out"
	runtime run -d --console-socket "$sock" "$ID"
	[ "$status" -eq 0 ]
	wait "$recv"
	grep -q '^1000:5' "$BATS_TEST_TMPDIR/console.out" || fail "$(cat "$BATS_TEST_TMPDIR/console.out")"
	id2=$(new_id 2)
	update_config '.process.terminal = false'
	set_args sleep 100
	runtime run -d "$id2"
	[ "$status" -eq 0 ]
	console_listen "$BATS_TEST_TMPDIR/exec.out"
	runtime exec -t -d -u 1001:100 --console-socket "$sock" "$id2" sh -c 'stat -c %u:%g "$(tty)"'
	[ "$status" -eq 0 ]
	wait "$recv"
	grep -q '^1001:5' "$BATS_TEST_TMPDIR/exec.out" || fail "$(cat "$BATS_TEST_TMPDIR/exec.out")"
}

@test "terminal: a foreground run relays the output untranslated (no carriage returns)" {
	skip_if_runc "runc needs a terminal of its own on stdin here"
	update_config '.process.terminal = true'
	run_sh 'echo one; echo two'
	[ "$output" = "one
two" ] || fail "$(printf %q "$output")"
}

@test "consoleSize sets the terminal size" {
	update_config '.process.terminal = true | .process.consoleSize = {"height": 33, "width": 101}'
	set_args stty size
	console_listen "$BATS_TEST_TMPDIR/console.out"
	runtime run -d --console-socket "$sock" "$ID"
	[ "$status" -eq 0 ]
	wait "$recv"
	grep -q '^33 101' "$BATS_TEST_TMPDIR/console.out"
}

@test "terminal without --console-socket in create fails" {
	update_config '.process.terminal = true'
	runtime create "$ID"
	[ "$status" -ne 0 ]
}

@test "fd hygiene: the process sees only 0 1 2 (and the fd of the listing)" {
	set_args ls /proc/self/fd
	exec 7>"$BATS_TEST_TMPDIR/leak7" 9<"$BUNDLE/config.json"
	run_container
	exec 7>&- 9<&-
	[ "$status" -eq 0 ]
	[ "$(echo $output)" = "0 1 2 3" ]
}

@test "--preserve-fds passes N extra fds (3..3+N-1) to the process" {
	set_args sh -c 'ls /proc/self/fd | tr "\n" " "; echo; cat <&3; echo data >&4'
	echo from-fd3 >"$BATS_TEST_TMPDIR/in"
	rt run --preserve-fds 2 "$ID" 3<"$BATS_TEST_TMPDIR/in" 4>"$BATS_TEST_TMPDIR/fd4" 5>/dev/null \
		</dev/null >"$BATS_TEST_TMPDIR/out" 2>&1
	cat "$BATS_TEST_TMPDIR/out"
	grep -qx '0 1 2 3 4 5 ' "$BATS_TEST_TMPDIR/out"
	grep -qx from-fd3 "$BATS_TEST_TMPDIR/out"
	[ "$(cat "$BATS_TEST_TMPDIR/fd4")" = data ]
}

@test "LISTEN_FDS: the listen fds are passed through with LISTEN_PID=1" {
	set_args sh -c 'echo "fds=$LISTEN_FDS pid=$LISTEN_PID"; cat <&3'
	echo listen-data >"$BATS_TEST_TMPDIR/in"
	# LISTEN_PID names the runtime's own pid, as systemd socket activation sets it
	bash -c 'export LISTEN_FDS=1 LISTEN_PID=$$; exec "$@"' _ "$OCIRUN" --root "$ROOT" run "$ID" 3<"$BATS_TEST_TMPDIR/in" \
		</dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 || true
	cat "$BATS_TEST_TMPDIR/out"
	grep -q 'fds=1 pid=1' "$BATS_TEST_TMPDIR/out"
	grep -qx listen-data "$BATS_TEST_TMPDIR/out"
}

@test "stdio given as the host's /dev/null is the container's own /dev/null (what CRIU can dump)" {
	# runtime() gives the runtime the host's /dev/null as stdin
	set_args sh -c 'm=$(sed -n "s/^mnt_id:[[:space:]]*//p" /proc/self/fdinfo/0)
		echo "stdin $(readlink /proc/self/fd/0), its mount in the container: $(grep -c "^$m " /proc/self/mountinfo)"'
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" == *"stdin /dev/null, its mount in the container: 1"* ]] || fail "$output"
}
