#!/usr/bin/env bats
# create / start / state / delete, the statuses in between, and run.

load helpers

@test "create leaves the container created, start runs it, delete removes it" {
	set_args sleep 100
	create_container
	runtime state "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = created ]
	pid=$(jq -r .pid <<<"$output")
	[ "$pid" -gt 0 ]
	[ -d "/proc/$pid" ]

	runtime start "$ID"
	[ "$status" -eq 0 ]
	wait_for_status "$ID" running
	# the init is the same process after start (it execs, it is not replaced)
	[ "$(container_pid "$ID")" = "$pid" ]
	grep -q '^Name:[[:space:]]*sleep' "/proc/$pid/status"

	runtime kill "$ID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$ID" stopped
	runtime delete "$ID"
	[ "$status" -eq 0 ]
	runtime state "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "a created container has not run its process yet" {
	update_config '.root.readonly = false'
	set_args sh -c 'echo ran > /ran'
	create_container
	sleep 0.2
	[ ! -e rootfs/ran ]
	runtime start "$ID"
	[ "$status" -eq 0 ]
	wait_for_status "$ID" stopped
	[ "$(cat rootfs/ran)" = ran ]
	runtime delete "$ID"
	[ "$status" -eq 0 ]
}

@test "a process that exits makes the container stopped; state still works" {
	set_args true
	create_container
	runtime start "$ID"
	[ "$status" -eq 0 ]
	wait_for_status "$ID" stopped
	runtime state "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = stopped ]
	[ "$(jq -r .pid <<<"$output")" = 0 ]
}

@test "start of a running container fails" {
	set_args sleep 100
	start_detached
	runtime start "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"not in created state"* ]] || [[ "$output" == *"cannot start"* ]]
}

@test "start of a stopped container fails" {
	set_args true
	create_container
	runtime start "$ID"
	wait_for_status "$ID" stopped
	runtime start "$ID"
	[ "$status" -ne 0 ]
}

@test "state has runc's fields" {
	set_args sleep 100
	update_config '.annotations = {"org.example.key": "value"}'
	create_container
	runtime state "$ID"
	[ "$status" -eq 0 ]
	jq -e --arg id "$ID" --arg b "$BUNDLE" '
		.id == $id and .status == "created" and (.pid | type) == "number" and
		.bundle == $b and .rootfs == ($b + "/rootfs") and (.created | type) == "string" and
		(.ociVersion | type) == "string" and .owner == "" and
		.annotations["org.example.key"] == "value"' <<<"$output"
}

@test "duplicate id is refused and leaves the first container alone" {
	set_args sleep 100
	create_container
	runtime create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"already exists"* ]]
	[ "$(container_status "$ID")" = created ]
}

@test "create with --bundle from another directory resolves the rootfs against the bundle" {
	set_args true
	cd /
	runtime create --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	runtime state "$ID"
	[ "$(jq -r .rootfs <<<"$output")" = "$BUNDLE/rootfs" ]
}

@test "the bundle defaults to the current directory" {
	set_args true
	runtime run "$ID"
	[ "$status" -eq 0 ]
}

@test "create passes the caller's stdout and stderr through to the container" {
	set_args sh -c 'echo out; echo err >&2'
	rt create "$ID" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" </dev/null
	runtime start "$ID"
	[ "$status" -eq 0 ]
	wait_for_status "$ID" stopped
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = out ]
	[ "$(cat "$BATS_TEST_TMPDIR/err")" = err ]
}

@test "--no-pivot runs the container" {
	set_args sh -c 'cat /proc/self/mountinfo | head -1 >/dev/null; echo nopivot'
	run_container --no-pivot
	[ "$status" -eq 0 ]
	[ "$output" = nopivot ]
}

@test "--no-new-keyring: the container keeps the caller's session keyring" {
	[ -r /proc/keys ] || skip "no /proc/keys"
	update_config '.linux.maskedPaths -= ["/proc/keys"]'
	run_sh 'grep -c "_ses" /proc/keys || true'
	run_container --no-new-keyring
	[ "$status" -eq 0 ]
}

@test "create and run --pidfd-socket hand a pidfd of the init to the socket" {
	skip_if_runc "runc 1.1 has no --pidfd-socket"
	local sock=$BATS_TEST_TMPDIR/pidfd.sock cmd
	set_args sleep 100
	for cmd in create run; do
		rm -f "$sock" "$BATS_TEST_TMPDIR/pidfd.out"
		"$(tool console_receiver)" -p -o "$BATS_TEST_TMPDIR/pidfd.out" "$sock" &
		recv=$!
		wait_for_file "$sock"
		if [ "$cmd" = create ]; then
			create_container --pidfd-socket "$sock"
		else
			start_detached --pidfd-socket "$sock"
		fi
		wait "$recv"
		[ "$(cat "$BATS_TEST_TMPDIR/pidfd.out")" = "pid $(container_pid "$ID")" ]
		runtime delete --force "$ID"
		[ "$status" -eq 0 ]
	done
}
