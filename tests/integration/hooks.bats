#!/usr/bin/env bats
# hooks: the six kinds, their state JSON on stdin, args/env, failures, timeout.

load helpers

# hook_script NAME: a host script that appends "NAME <args> <env FOO> <status> <pid>" to the log
# and saves its stdin (the state JSON).
hook_script() {
	local name=$1 f=$BATS_TEST_TMPDIR/hook-$1.sh
	cat >"$f" <<SH
#!/bin/sh
state=\$(cat)
echo "\$state" >"$BATS_TEST_TMPDIR/state-$name.json"
echo "$name \$* foo=\$FOO \$(echo "\$state" | jq -r .status)" >>"$BATS_TEST_TMPDIR/hooks.log"
SH
	chmod +x "$f"
	echo "$f"
}

add_hook() {  # add_hook KIND PATH [EXTRA JSON FIELDS]
	update_config ".hooks.$1 += [{\"path\": \"$2\", \"args\": [\"$2\", \"arg1\"], \"env\": [\"FOO=bar\"]${3:+, $3}}]"
}

@test "hooks: prestart, createRuntime, poststart, poststop run on the host with the state" {
	for k in prestart createRuntime poststart poststop; do add_hook $k "$(hook_script $k)"; done
	set_args true
	run_container
	[ "$status" -eq 0 ]
	cat "$BATS_TEST_TMPDIR/hooks.log"
	run cat "$BATS_TEST_TMPDIR/hooks.log"
	lines_are "prestart arg1 foo=bar creating" "createRuntime arg1 foo=bar creating"
	# the process may already have exited; runc 1.1 reports "created" here
	[ "${lines[2]}" = "poststart arg1 foo=bar running" ] || [ "${lines[2]}" = "poststart arg1 foo=bar stopped" ] ||
		{ is_runc && [ "${lines[2]}" = "poststart arg1 foo=bar created" ]; }
	[[ "${lines[3]}" == "poststop arg1 foo=bar stopped" ]]
	jq -e --arg id "$ID" --arg b "$BUNDLE" '.id == $id and .bundle == $b and .pid > 0' "$BATS_TEST_TMPDIR/state-prestart.json"
}

@test "hooks: createContainer and startContainer run in the container's namespaces" {
	update_config '.root.readonly = false'
	# startContainer runs after pivot_root: its path is in the container
	cat >rootfs/bin/inhook <<'SH'
#!/bin/sh
echo "$1 $(hostname) $(cat | grep -c "\"id\"")" >>/hooks.log
SH
	chmod +x rootfs/bin/inhook
	# createContainer runs before pivot_root: its path is resolved in the runtime namespace
	cat >"$BATS_TEST_TMPDIR/cchook" <<SH
#!/bin/sh
echo "createContainer \$(hostname) \$(readlink /proc/self/ns/mnt)" >"$BATS_TEST_TMPDIR/cc.log"
SH
	chmod +x "$BATS_TEST_TMPDIR/cchook"
	update_config '.hostname = "inside" | .hooks.createContainer = [{"path": $cc}] | .hooks.startContainer = [{"path": "/bin/inhook", "args": ["inhook", "startContainer"]}]' --arg cc "$BATS_TEST_TMPDIR/cchook"
	set_args true
	run_container
	[ "$status" -eq 0 ]
	cat rootfs/hooks.log "$BATS_TEST_TMPDIR/cc.log"
	grep -q '^startContainer inside 1' rootfs/hooks.log
	grep -q '^createContainer ' "$BATS_TEST_TMPDIR/cc.log"
	[ "$(awk '{print $3}' "$BATS_TEST_TMPDIR/cc.log")" != "$(readlink /proc/self/ns/mnt)" ]
}

@test "hooks: a failing prestart fails create and leaves nothing" {
	update_config '.hooks.prestart = [{"path": "/bin/false"}]'
	set_args sleep 100
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *hook* ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "hooks: a failing createRuntime fails create and leaves nothing" {
	update_config '.hooks.createRuntime = [{"path": "/bin/sh", "args": ["sh", "-c", "echo hook-said-no >&2; exit 3"]}]'
	set_args sleep 100
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "hooks: a failing poststop only warns" {
	update_config '.hooks.poststop = [{"path": "/bin/false"}]'
	set_args true
	run_container
	[ "$status" -eq 0 ]
}

@test "hooks: a hook that exceeds its timeout is killed and fails the operation" {
	update_config '.hooks.prestart = [{"path": "/bin/sleep", "args": ["sleep", "30"], "timeout": 1}]'
	set_args true
	start=$(date +%s)
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[ $(($(date +%s) - start)) -lt 15 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "hooks: a failing hook of any kind but poststop fails the operation, in runc's words" {
	local kind
	set_args echo the-process-ran
	for kind in prestart createRuntime createContainer startContainer poststart; do
		update_config '.hooks = {($k): [{"path": "/bin/true"}, {"path": "/bin/false"}]}' --arg k "$kind"
		run_container
		[ "$status" -ne 0 ] || fail "$kind: $output"
		[[ "$output" == *"error running $kind hook #1: /bin/false: exited with status 1"* ]] || fail "$kind: $output"
		[[ "$kind" == poststart ]] || [[ "$output" != *the-process-ran* ]] || fail "$kind: $output"
		[ ! -e "$ROOT/$ID" ] || fail "$kind: container left behind"
	done
}

@test "hooks: a failing poststart hook on start stops the container" {
	update_config '.hooks.poststart = [{"path": "/bin/false"}]'
	set_args sleep 100
	create_container
	runtime start "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"error running poststart hook #0:"* ]]
	wait_for_status "$ID" stopped
}

@test "hooks: args[0] is passed as given; startContainer gets the process env; createContainer starts in the rootfs" {
	update_config '.root.readonly = false | .process.env = ["PATH=/bin", "ONE=two"]'
	update_config '.hooks.startContainer = [{"path": "/bin/busybox", "args": ["sh", "-c", "echo \"argv0=$0 ONE=$ONE\" >/hook.out"]}]'
	update_config '.hooks.createContainer = [{"path": "/bin/sh", "args": ["sh", "-c", "echo created-here > ./cc.out"]}]'
	set_args cat /hook.out /cc.out
	run_container
	[ "$status" -eq 0 ] || fail "$output"
	output_has "argv0=sh ONE=two" "created-here"
}

@test "hooks: a hook killed by a signal is reported with the signal and its meaning" {
	update_config '.hooks.prestart = [{"path": "/bin/sh", "args": ["sh", "-c", "kill -SYS $$"]}]'
	set_args true
	run_container
	[ "$status" -ne 0 ]
	[[ "$output" == *"error running prestart hook #0: /bin/sh: killed by SIGSYS (bad system call)"* ]] || fail "$output"
}

@test "hooks: start and delete run poststart and poststop from the config copy, keys escaped or not" {
	add_hook poststart "$(hook_script poststart)"
	add_hook poststop "$(hook_script poststop)"
	set_args true
	for escaped in no yes; do
		rm -f "$BATS_TEST_TMPDIR/hooks.log"
		id=$(new_id "$escaped")
		if [ "$escaped" = yes ]; then
			# the same keys spelled with a JSON escape: still the hooks
			sed -i 's/"poststart"/"\\u0070oststart"/; s/"poststop"/"\\u0070oststop"/' config.json
			! grep -q '"poststop"' config.json
			jq -e '(.hooks.poststart | length) == 1 and (.hooks.poststop | length) == 1' config.json
		fi
		runtime create "$id"
		[ "$status" -eq 0 ]
		runtime start "$id"
		[ "$status" -eq 0 ]
		wait_for_status "$id" stopped
		runtime delete "$id"
		[ "$status" -eq 0 ]
		cat "$BATS_TEST_TMPDIR/hooks.log" >&2
		grep -q '^poststart arg1 foo=bar' "$BATS_TEST_TMPDIR/hooks.log"
		grep -q '^poststop arg1 foo=bar stopped' "$BATS_TEST_TMPDIR/hooks.log"
	done
}

@test "hooks: poststart runs once the container's process is executed; start and run -d return after it" {
	skip_if_runc "runc returns from start before the execve; its poststart hooks may find runc init"
	# the hook records what the init runs when it is called: the user's program, not the runtime
	cat >"$BATS_TEST_TMPDIR/comm.sh" <<SH
#!/bin/sh
pid=\$(jq -r .pid)
cat /proc/\$pid/comm >>"$BATS_TEST_TMPDIR/comm.log"
SH
	chmod +x "$BATS_TEST_TMPDIR/comm.sh"
	# a startContainer hook that takes its time: the init runs the runtime's code until then
	update_config '.hooks.poststart = [{"path": $p}]
		| .hooks.startContainer = [{"path": "/bin/sleep", "args": ["sleep", "1"]}]' --arg p "$BATS_TEST_TMPDIR/comm.sh"
	set_args sleep 100
	create_container
	runtime start "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "/proc/$(container_pid "$ID")/comm")" = sleep ]
	local id2
	id2=$(new_id 2)
	runtime run -d --bundle "$BUNDLE" "$id2"
	[ "$status" -eq 0 ]
	[ "$(cat "/proc/$(container_pid "$id2")/comm")" = sleep ]
	[ "$(cat "$BATS_TEST_TMPDIR/comm.log")" = "$(printf 'sleep\nsleep')" ]
}
