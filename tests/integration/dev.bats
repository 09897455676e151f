#!/usr/bin/env bats
# /dev: default devices, linux.devices, links, /dev/pts, /dev/shm.

load helpers

@test "/dev: the default devices with the right major:minor" {
	run_sh 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T" /dev/$d; done'
	output_has "/dev/null character special file 1:3" "/dev/zero character special file 1:5" \
		"/dev/full character special file 1:7" "/dev/random character special file 1:8" \
		"/dev/urandom character special file 1:9" "/dev/tty character special file 5:0"
}

@test "/dev: the default devices work" {
	run_sh 'echo x >/dev/null && head -c 4 /dev/zero | wc -c && head -c 4 /dev/urandom | wc -c'
	[ "${lines[0]}" = 4 ]
}

@test "/dev: links fd, stdin, stdout, stderr, ptmx" {
	run_sh 'for l in fd stdin stdout stderr ptmx; do echo "$l -> $(readlink /dev/$l)"; done'
	output_has "fd -> /proc/self/fd" "stdin -> /proc/self/fd/0" "stdout -> /proc/self/fd/1" \
		"stderr -> /proc/self/fd/2" "ptmx -> pts/ptmx"
}

@test "/dev/pts and /dev/shm are mounted" {
	run_sh 'grep -E " /dev/(pts|shm) " /proc/self/mountinfo'
	[[ "$output" == *" /dev/pts "*devpts* ]]
	[[ "$output" == *" /dev/shm "*tmpfs* ]]
}

@test "/dev/console does not exist without a terminal" {
	run_sh 'test -e /dev/console && echo yes || echo no'
	[ "$output" = no ]
}

@test "linux.devices: a device node is created with its mode, uid and gid" {
	update_config '.linux.devices = [{"path": "/dev/mydev", "type": "c", "major": 1, "minor": 7, "fileMode": 438, "uid": 1000, "gid": 1000}] | .linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 7, "access": "rwm"}]'
	run_sh 'stat -c "%F %t:%T %a %u:%g" /dev/mydev; head -c 3 /dev/mydev | wc -c'
	lines_are "character special file 1:7 666 1000:1000" 3
}

@test "device cgroup: a device without a rule cannot be opened" {
	# CAP_SYSLOG, so that only the device cgroup can refuse the read; linux.devices creates
	# the node but, as in runc, allows nothing by itself
	update_config '.linux.devices = [{"path": "/dev/kmsg2", "type": "c", "major": 1, "minor": 11}]
		| .process.capabilities.bounding += ["CAP_SYSLOG"] | .process.capabilities.effective += ["CAP_SYSLOG"]
		| .process.capabilities.permitted += ["CAP_SYSLOG"]'
	run_sh 'head -c1 /dev/kmsg2 >/dev/null 2>&1 && echo opened || echo denied'
	[ "$output" = denied ]
	# with a rule it opens
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"}]'
	run_container
	[ "$status" -eq 0 ]
	[ "$output" = opened ]
}

@test "device cgroup: a linux.devices node without an allow rule cannot be opened, before or after update" {
	# CAP_SYSLOG: without it /dev/kmsg is refused whatever the device cgroup says
	update_config '.linux.devices = [{"path": "/dev/kmsg2", "type": "c", "major": 1, "minor": 11}]
		| .process.capabilities.bounding += ["CAP_SYSLOG"] | .process.capabilities.effective += ["CAP_SYSLOG"]
		| .process.capabilities.permitted += ["CAP_SYSLOG"]'
	set_args sleep 100
	start_detached
	in_container sh -c 'echo x >/dev/kmsg2'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	runtime update --pids-limit 42 "$ID"
	[ "$status" -eq 0 ]
	in_container sh -c 'head -n1 /dev/kmsg2'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
	# with a rule, the same node opens
	id2=$(new_id 2)
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "rw"}]'
	set_args sh -c 'head -n1 /dev/kmsg2 >/dev/null && echo opened'
	runtime run "$id2"
	[ "$status" -eq 0 ]
	[ "$output" = opened ]
}
