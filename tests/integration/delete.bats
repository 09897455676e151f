#!/usr/bin/env bats
# delete: stopped, running (-f), created (-f), half-created, unknown ids.

load helpers

@test "delete of a running container without -f fails and leaves it running" {
	set_args sleep 100
	start_detached
	runtime delete "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"running"* ]]
	[ "$(container_status "$ID")" = running ]
}

@test "delete -f of a running container kills and removes it" {
	set_args sleep 100
	start_detached
	pid=$(container_pid "$ID")
	runtime delete -f "$ID"
	[ "$status" -eq 0 ]
	wait_pid_gone "$pid"
	runtime state "$ID"
	[ "$status" -ne 0 ]
}

@test "delete -f of a created container kills and removes it" {
	set_args sleep 100
	create_container
	pid=$(container_pid "$ID")
	runtime delete -f "$ID"
	[ "$status" -eq 0 ]
	wait_pid_gone "$pid"
	[ ! -e "$ROOT/$ID" ]
}

@test "delete of a created container without -f removes it (as runc does)" {
	set_args sleep 100
	create_container
	pid=$(container_pid "$ID")
	runtime delete "$ID"
	[ "$status" -eq 0 ]
	wait_pid_gone "$pid"
	[ ! -e "$ROOT/$ID" ]
}

@test "delete of a stopped container removes its cgroup" {
	set_args sleep 100
	update_config '.linux.cgroupsPath = "/ocirun-test/" + $id' --arg id "$ID"
	start_detached
	pid=$(container_pid "$ID")
	dir=$(cgroup_dir "$pid" pids)
	[ -d "$dir" ]
	runtime kill "$ID" KILL
	wait_for_status "$ID" stopped
	runtime delete "$ID"
	[ "$status" -eq 0 ]
	[ ! -d "$dir" ]
}

@test "delete of an unknown container fails; delete -f of it succeeds" {
	runtime delete nonexistent-id
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
	runtime delete -f nonexistent-id
	[ "$status" -eq 0 ]
}

@test "delete -f cleans up a half-created container (creating state, process killed)" {
	skip_if_runc "runc 1.1 records no state before the init runs"
	set_args sleep 100
	rt create "$ID" </dev/null >/dev/null 2>&1 &
	cpid=$!
	sleep 0.005
	kill -KILL "$cpid" 2>/dev/null || true
	wait "$cpid" || true
	runtime delete -f "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT/$ID" ]
}
