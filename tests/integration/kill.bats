#!/usr/bin/env bats
# kill: signal names with and without SIG, numbers, the default, --all, stopped containers.

load helpers

setup() {
	setup_bundle sh -c 'trap "echo HUP >>/tmp/sig" HUP; trap "echo USR1 >>/tmp/sig" USR1; trap "echo USR2 >>/tmp/sig" USR2; echo ready >/tmp/ready; while true; do sleep 0.1; done'
	update_config '.root.readonly = false'
}

sig_seen() {
	local i
	for ((i = 0; i < 100; i++)); do
		grep -qx "$1" rootfs/tmp/sig 2>/dev/null && return 0
		sleep 0.05
	done
	fail "signal $1 not seen by the container"
}

start_trap_container() {
	start_detached
	wait_for_file rootfs/tmp/ready
}

@test "kill with a name without SIG" {
	start_trap_container
	runtime kill "$ID" HUP
	[ "$status" -eq 0 ]
	sig_seen HUP
}

@test "kill with a SIG-prefixed name" {
	start_trap_container
	runtime kill "$ID" SIGUSR1
	[ "$status" -eq 0 ]
	sig_seen USR1
}

@test "kill with a number" {
	start_trap_container
	runtime kill "$ID" 12
	[ "$status" -eq 0 ]
	sig_seen USR2
}

@test "kill defaults to SIGTERM" {
	set_args sleep 100
	start_detached
	pid=$(container_pid "$ID")
	runtime kill "$ID"
	[ "$status" -eq 0 ]
	# sleep as pid 1 of its namespace has no TERM handler: unaffected; KILL then stops it
	runtime kill "$ID" KILL
	wait_for_status "$ID" stopped
}

@test "kill of a created container delivers the signal" {
	set_args sleep 100
	create_container
	runtime kill "$ID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$ID" stopped
}

@test "kill TERM (the default) ends a created container, although its init is a pid 1" {
	set_args sleep 100
	create_container
	runtime kill "$ID"
	[ "$status" -eq 0 ]
	wait_for_status "$ID" stopped
}

@test "kill with an unknown signal name fails" {
	set_args sleep 100
	start_detached
	runtime kill "$ID" SIGNOPE
	[ "$status" -ne 0 ]
	[[ "$output" == *"signal"* ]]
	[ "$(container_status "$ID")" = running ]
}

@test "kill of a stopped container fails" {
	set_args true
	create_container
	runtime start "$ID"
	wait_for_status "$ID" stopped
	runtime kill "$ID" KILL
	[ "$status" -ne 0 ]
	[[ "$output" == *"not running"* ]]
}

@test "kill of an unknown container fails" {
	runtime kill nonexistent-id KILL
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
}

@test "kill --all signals every process of the container" {
	set_args sh -c 'sleep 100 & sleep 100 & wait'
	update_config '.linux.cgroupsPath = "/ocirun-test/" + $id' --arg id "$ID"
	start_detached
	sleep 0.3
	pid=$(container_pid "$ID")
	procs=$(cat "$(cgroup_dir "$pid" pids)/cgroup.procs" | wc -l)
	[ "$procs" -ge 3 ]
	runtime kill --all "$ID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$ID" stopped
}
