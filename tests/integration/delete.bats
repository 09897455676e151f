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
	# the runtime itself in the background (not through rt's timeout, which SIGKILL would
	# end while the runtime goes on to create the container after delete has run)
	"$OCIRUN" --root "$ROOT" create "$ID" </dev/null >/dev/null 2>&1 &
	cpid=$!
	sleep 0.005
	kill -KILL "$cpid" 2>/dev/null || true
	wait "$cpid" || true
	runtime delete -f "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "delete -f of a paused container thaws, kills and removes it" {
	set_args sleep 100
	start_detached
	runtime pause "$ID"
	[ "$status" -eq 0 ]
	pid=$(container_pid "$ID")
	runtime delete --force "$ID"
	[ "$status" -eq 0 ] || fail "$output"
	wait_pid_gone "$pid"
	runtime state "$ID"
	[ "$status" -ne 0 ]
}

@test "delete -f removes sub-cgroups made inside the container's cgroup, with their processes" {
	update_config '.linux.cgroupsPath = "/ocirun-test/" + $id' --arg id "$ID"
	set_args sleep 100
	start_detached
	pid=$(container_pid "$ID")
	mem=$(cgroup_dir "$pid" memory)
	mkdir "$mem/sub"
	runtime exec -d --cgroup memory:sub "$ID" sleep 100
	[ "$status" -eq 0 ]
	[ -n "$(cat "$mem/sub/cgroup.procs")" ]
	runtime delete --force "$ID"
	[ "$status" -eq 0 ] || fail "$output"
	[ ! -e "$mem" ] || fail "$mem is left"
}

@test "kill and delete without a pid namespace reach every process of the cgroup" {
	update_config '.linux.namespaces -= [{"type": "pid"}] | .linux.cgroupsPath = "/ocirun-test/" + $id' --arg id "$ID"
	set_args sleep 100
	start_detached
	runtime exec -d "$ID" sleep 101
	[ "$status" -eq 0 ]
	init=$(container_pid "$ID")
	procs=$(cgroup_dir "$init" pids)/cgroup.procs
	[ "$(wc -l <"$procs")" -eq 2 ]
	runtime kill "$ID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$ID" stopped
	# (cgroup files have no size: read them)
	for _ in $(seq 100); do [ -n "$(cat "$procs")" ] || break; sleep 0.05; done
	[ -z "$(cat "$procs")" ] || fail "left: $(cat "$procs")"
	runtime delete "$ID"
	[ "$status" -eq 0 ]

	# init gone, another process left: delete kills it and removes the container
	start_detached
	runtime exec -d "$ID" sleep 102
	[ "$status" -eq 0 ]
	init=$(container_pid "$ID")
	procs=$(cgroup_dir "$init" pids)/cgroup.procs
	kill -9 "$init"
	wait_for_status "$ID" stopped
	[ -n "$(cat "$procs")" ]
	runtime kill "$ID" KILL
	[ "$status" -eq 0 ] || fail "kill after init: $output"
	runtime delete "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$procs" ]
}
