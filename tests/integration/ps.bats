#!/usr/bin/env bats
# ps: the container's pids, as json and as a table.

load helpers

setup() {
	setup_bundle sh -c 'sleep 1000 & sleep 1000'
	update_config '.linux.cgroupsPath = "/ocirun-test/" + $id' --arg id "$ID"
}

@test "ps --format json: the host pids of the container" {
	start_detached
	sleep 0.2
	pid=$(container_pid "$ID")
	runtime ps --format json "$ID"
	[ "$status" -eq 0 ]
	jq -e --argjson p "$pid" 'type == "array" and length >= 2 and index($p) != null' <<<"$output"
	want=$(sort -n "$(cgroup_dir "$pid" pids)/cgroup.procs" | tr '\n' ' ')
	[ "$(jq -r '.[]' <<<"$output" | sort -n | tr '\n' ' ')" = "$want" ]
}

@test "ps: table output is ps filtered to the container" {
	start_detached
	sleep 0.2
	runtime ps "$ID"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *PID* ]]
	n=$(wc -l <"$(cgroup_dir "$(container_pid "$ID")" pids)/cgroup.procs")
	[ "${#lines[@]}" -eq $((n + 1)) ]
	[[ "$output" == *"sleep 1000"* ]]
}

@test "ps: extra ps arguments" {
	start_detached
	runtime ps "$ID" -o pid,comm
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *PID*COMMAND* ]]
	[[ "$output" == *sleep* ]]
}

@test "ps of a stopped container: empty" {
	set_args true
	create_container
	runtime start "$ID"
	wait_for_status "$ID" stopped
	runtime ps --format json "$ID"
	[ "$status" -eq 0 ]
	[ "$output" = "[]" ] || [ "$output" = null ]
	runtime ps "$ID"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *PID* ]]
	[ "${#lines[@]}" -eq 1 ]
}

@test "ps of a missing container fails" {
	runtime ps nonexistent-id
	[ "$status" -ne 0 ]
}
