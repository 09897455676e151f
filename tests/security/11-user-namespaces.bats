#!/usr/bin/env bats
# Attack class 11: a container in a user namespace. Its root has every capability inside
# (CAP_SYS_ADMIN included) and must still be an unprivileged host uid: no host file it
# could not touch as that uid, no remount of what the host mounted, no id-mapped mount
# that changes ownership on the host, no way to the runtime's binary or fds.

load helpers

setup() {
	setup_bundle
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .process.capabilities = {bounding: $c, effective: $c, permitted: $c}' \
		--argjson c '["CAP_SYS_ADMIN","CAP_DAC_OVERRIDE","CAP_CHOWN","CAP_FOWNER","CAP_SYS_PTRACE","CAP_MKNOD","CAP_SETUID","CAP_SETGID"]'
	chown -R -h 100000:100000 "$BUNDLE/rootfs"
	local d=$BUNDLE
	while [ "$d" != / ]; do
		chmod a+x "$d"
		d=$(dirname "$d")
	done
	writable_rootfs
}

@test "userns: the container's root cannot read or change a host root file on a bind mount" {
	mkdir -p "$BATS_TEST_TMPDIR/host"
	echo host-secret >"$BATS_TEST_TMPDIR/host/secret"
	chmod 600 "$BATS_TEST_TMPDIR/host/secret"
	chmod 755 "$BATS_TEST_TMPDIR/host"
	add_mount "{\"destination\": \"/host\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/host\", \"options\": [\"bind\"]}"
	set_args sh -c 'cat /host/secret; echo x >>/host/secret; chown 0:0 /host/secret; chmod 666 /host/secret; touch /host/new; echo tried'
	run_container
	[[ "$output" == *tried* ]]
	[[ "$output" != *host-secret* ]]
	[ "$(cat "$BATS_TEST_TMPDIR/host/secret")" = host-secret ]
	[ "$(stat -c %a:%u "$BATS_TEST_TMPDIR/host/secret")" = 600:0 ]
	[ ! -e "$BATS_TEST_TMPDIR/host/new" ]
}

@test "userns: CAP_SYS_ADMIN inside changes nothing of the host's /proc, /sys or locked flags" {
	mkdir -p "$BATS_TEST_TMPDIR/nosuid"
	mount -t tmpfs -o nosuid,nodev,ro tmpfs "$BATS_TEST_TMPDIR/nosuid"
	before=$(findmnt -n -o OPTIONS /proc; findmnt -n -o OPTIONS /sys; cat /proc/sys/kernel/core_pattern)
	add_mount "{\"destination\": \"/hostproc\", \"type\": \"bind\", \"source\": \"/proc\", \"options\": [\"rbind\"]}"
	add_mount "{\"destination\": \"/hostsys\", \"type\": \"bind\", \"source\": \"/sys\", \"options\": [\"rbind\"]}"
	add_mount "{\"destination\": \"/locked\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/nosuid\", \"options\": [\"bind\"]}"
	set_args sh -c '
		mount -o remount,ro /hostproc; mount -o remount,ro /hostsys
		mount -o remount,bind,rw,suid,dev /locked && echo REMOUNT-locked
		mount -o remount,bind,rw /locked && echo REMOUNT-locked-rw
		echo /tmp/pwned >/hostproc/sys/kernel/core_pattern && echo WROTE-sysctl
		echo change >/hostsys/kernel/uevent_helper && echo WROTE-sys
		mount -t proc proc /tmp && echo MOUNTED-proc
		echo done'
	run_container
	umount "$BATS_TEST_TMPDIR/nosuid"
	[[ "$output" == *done* ]]
	[[ "$output" != *REMOUNT* && "$output" != *WROTE* ]]
	# the container's pid namespace is its own: a proc of it is fine; the host's is untouched
	[ "$(findmnt -n -o OPTIONS /proc; findmnt -n -o OPTIONS /sys; cat /proc/sys/kernel/core_pattern)" = "$before" ]
}

@test "userns: an id-mapped mount never changes ownership on the host" {
	mkdir -p "$BATS_TEST_TMPDIR/data"
	touch "$BATS_TEST_TMPDIR/data/f"
	chown 5:5 "$BATS_TEST_TMPDIR/data/f"
	add_mount "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/data\", \"options\": [\"bind\", \"idmap\"]}"
	set_args sh -c 'chown 7:7 /data/f; touch /data/made; stat -c %u:%g /data/f /data/made'
	run_container
	skip_if_runc "runc 1.1 has no id-mapped mounts"
	[ "$status" -eq 0 ]
	# what the container did went through the mapping: host ids 7 and 0, not 100007 / 100000
	[ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/data/f")" = 7:7 ]
	[ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/data/made")" = 0:0 ]
	[ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/data")" = 0:0 ]
	[ "${lines[0]}" = 7:7 ] && [ "${lines[1]}" = 0:0 ]
}

@test "userns: the waiting init's /proc/1/exe and fds are out of reach of the container's root" {
	set_args sleep 100
	create_container
	runtime exec "$ID" sh -c '
		readlink /proc/1/exe >/dev/null 2>&1 && echo READ-exe
		cat /proc/1/exe >/dev/null 2>&1 && echo OPEN-exe
		ls /proc/1/fd/ >/dev/null 2>&1 && echo LIST-fds
		cat /proc/1/environ >/dev/null 2>&1 && echo READ-environ
		echo done'
	[ "$status" -eq 0 ]
	[[ "$output" == *done* ]]
	[[ "$output" != *READ-exe* && "$output" != *OPEN-exe* ]]
	[[ "$output" != *LIST-fds* && "$output" != *READ-environ* ]]
}

@test "userns: no mount source fd of the runtime reaches the container's process" {
	mkdir -p "$BATS_TEST_TMPDIR/s1" "$BATS_TEST_TMPDIR/s2"
	add_mount "{\"destination\": \"/s1\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/s1\", \"options\": [\"bind\"]}"
	add_mount "{\"destination\": \"/s2\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/s2\", \"options\": [\"bind\", \"idmap\"]}"
	set_args sh -c 'ls /proc/self/fd | wc -l'
	run_container
	skip_if_runc "runc 1.1 has no id-mapped mounts"
	[ "$status" -eq 0 ]
	# stdin, stdout, stderr and the fd of ls's own directory listing
	[ "$output" -le 4 ]
}
