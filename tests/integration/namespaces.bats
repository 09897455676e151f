#!/usr/bin/env bats
# namespaces: each type created, joining by path, loopback, hostname/domainname.

load helpers

ns_of() { readlink "/proc/$1/ns/$2"; }

@test "namespaces: pid, mount, uts, ipc, network, cgroup are new; the process is pid 1" {
	update_config '.linux.namespaces += [{"type": "cgroup"}]'
	set_args sh -c 'echo pid=$$; sleep 100'
	start_detached
	pid=$(container_pid "$ID")
	for ns in pid mnt uts ipc net cgroup; do
		[ "$(ns_of "$pid" $ns)" != "$(ns_of $$ $ns)" ] || fail "$ns namespace not new"
	done
	in_container sh -c 'echo $$'
	[ "$status" -eq 0 ]
}

@test "namespaces: the init is pid 1 inside" {
	run_sh 'echo $$'
	[ "$output" = 1 ]
}

@test "namespaces: time namespace with timeOffsets" {
	[ -e /proc/self/ns/time ] || skip "no time namespaces"
	skip_if_runc "runc 1.1 has no time namespace"
	update_config '.linux.namespaces += [{"type": "time"}] | .linux.timeOffsets = {"boottime": {"secs": 86400, "nanosecs": 0}}'
	set_args cat /proc/uptime
	run_container
	[ "$status" -eq 0 ]
	up=$(cut -d. -f1 /proc/uptime)
	[ "${output%%.*}" -ge $((up + 86000)) ]
}

@test "namespaces: without a network namespace the host's is shared" {
	update_config '.linux.namespaces -= [{"type": "network"}]'
	set_args sleep 100
	start_detached
	[ "$(ns_of "$(container_pid "$ID")" net)" = "$(ns_of $$ net)" ]
}

@test "namespaces: joining an existing network namespace by path" {
	ip netns add "$ID" || skip "ip netns add failed"
	update_config '(.linux.namespaces[] | select(.type == "network")) .path = $p' --arg p "/var/run/netns/$ID"
	set_args sleep 100
	runtime run -d "$ID"
	rc=$status
	if [ "$rc" -eq 0 ]; then
		got=$(ns_of "$(container_pid "$ID")" net)
		want="net:[$(stat -L -c %i /var/run/netns/"$ID")]"
		rt delete -f "$ID"
	fi
	ip netns del "$ID"
	[ "$rc" -eq 0 ]
	[ "$got" = "$want" ]
}

@test "namespaces: joining another container's pid namespace by path" {
	set_args sleep 100
	start_detached
	first=$(container_pid "$ID")
	id2=$(new_id 2)
	update_config '(.linux.namespaces[] | select(.type == "pid")) .path = $p' --arg p "/proc/$first/ns/pid"
	set_args sh -c 'echo $$; sleep 100'
	runtime run -d "$id2"
	[ "$status" -eq 0 ]
	wait_for_status "$id2" running
	[ "$(ns_of "$(container_pid "$id2")" pid)" = "$(ns_of "$first" pid)" ]
	runtime delete -f "$id2"
}

@test "network: a new network namespace has loopback up" {
	run_sh 'ip addr show lo; nc -l -p 7777 >/dev/null & sleep 0.3; echo x | nc 127.0.0.1 7777 && echo connect-ok'
	output_has "<LOOPBACK,UP" "inet 127.0.0.1" "connect-ok"
}

@test "hostname is set" {
	update_config '.hostname = "myhost"'
	set_args hostname
	run_container
	[ "$status" -eq 0 ]
	[ "$output" = myhost ]
}

@test "domainname is set" {
	skip_if_runc "runc 1.1 ignores .domainname (added in runc 1.2)"
	update_config '.hostname = "myhost" | .domainname = "example.org"'
	set_args cat /proc/sys/kernel/domainname
	run_container
	[ "$status" -eq 0 ]
	[ "$output" = example.org ]
}

@test "hostname without a uts namespace is an error" {
	update_config '.linux.namespaces -= [{"type": "uts"}] | .hostname = "x"'
	set_args true
	run_container
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "ipc namespace: the host's SysV objects are not visible" {
	set_args cat /proc/sysvipc/shm
	run_container
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
}
