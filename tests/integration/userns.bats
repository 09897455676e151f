#!/usr/bin/env bats
# userns: containers in a user namespace (maps written by the runtime, exec, joining one by
# path, time namespace with it, bind sources only the host can reach, locked mount flags)
# and id-mapped mounts with and without a user namespace.

load helpers

add_mount() { update_config '.mounts += [$m]' --argjson m "$1"; }

# refused_with TEXT: run fails, the error holds TEXT, no state is left
refused_with() {
	run_container
	[ "$status" -ne 0 ]
	[[ "$output" == *"$1"* ]] || fail "error does not name $1"
	[ -z "$(ls "$ROOT")" ]
}

# with_userns [HOSTID]: a new user namespace mapping 0..65535 to HOSTID.. (default 100000),
# the rootfs owned by the mapped root.
with_userns() {
	local h=${1:-100000}
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": $h, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": $h, "size": 65536}]' --argjson h "$h"
	chown -R -h "$h:$h" "$BUNDLE/rootfs"
	# the container's root resolves the rootfs path itself, as in runc
	local d=$BUNDLE
	while [ "$d" != / ]; do
		chmod a+x "$d"
		d=$(dirname "$d")
	done
}

@test "userns: the maps are the config's and the container's root is root inside" {
	with_userns
	run_sh 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map'
	[ "${lines[0]}" = 0 ] && [ "${lines[1]}" = 0 ]
	[[ "${lines[2]}" =~ ^\ *0\ +100000\ +65536$ ]]
	[[ "${lines[3]}" =~ ^\ *0\ +100000\ +65536$ ]]
}

@test "userns: the container's root is the mapped host uid (a file it makes on a bind mount)" {
	with_userns
	mkdir -p "$BATS_TEST_TMPDIR/shared"
	chmod 777 "$BATS_TEST_TMPDIR/shared"
	add_mount "{\"destination\": \"/shared\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/shared\", \"options\": [\"bind\"]}"
	update_config '.root.readonly = false'
	run_sh 'touch /shared/made && mkdir /made-dir && stat -c %u:%g /made-dir'
	[ "$output" = 0:0 ]
	[ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/shared/made")" = 100000:100000 ]
	[ "$(stat -c %u:%g "$BUNDLE/rootfs/made-dir")" = 100000:100000 ]
}

@test "userns: exec enters the container's user namespace" {
	with_userns 200000
	set_args sleep 100
	start_detached
	in_container cat /proc/self/uid_map
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^\ *0\ +200000\ +65536$ ]]
	pid=$(container_pid "$ID")
	[ "$(readlink /proc/$pid/ns/user)" != "$(readlink /proc/self/ns/user)" ]
}

@test "userns: bind sources the container's root cannot reach are mounted by the runtime" {
	with_userns
	mkdir -p "$BATS_TEST_TMPDIR/private/dir"
	echo secret-ok >"$BATS_TEST_TMPDIR/private/dir/f"
	chmod 700 "$BATS_TEST_TMPDIR/private"
	add_mount "{\"destination\": \"/mnt/p\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/private/dir\", \"options\": [\"bind\"]}"
	set_args cat /mnt/p/f
	run_container
	[ "$status" -eq 0 ]
	[ "$output" = secret-ok ]
}

@test "userns: a bind of a nosuid,nodev host mount stays so, even when asked for suid,dev" {
	with_userns
	mkdir -p "$BATS_TEST_TMPDIR/locked"
	mount -t tmpfs -o nosuid,nodev,noexec tmpfs "$BATS_TEST_TMPDIR/locked"
	add_mount "{\"destination\": \"/locked\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/locked\", \"options\": [\"bind\", \"suid\", \"dev\", \"exec\"]}"
	set_args sh -c 'grep " /locked " /proc/self/mounts'
	run_container
	umount "$BATS_TEST_TMPDIR/locked"
	[ "$status" -eq 0 ]
	[[ "$output" == *nosuid* && "$output" == *nodev* && "$output" == *noexec* ]]
}

@test "userns: a bind with flag options keeps the host's locked ones (ro, nosuid, noatime) and drops the rest" {
	skip_if_runc "runc 1.1 retries with ro only: the locked noatime and nosuid make it fail"
	with_userns
	mkdir -p "$BATS_TEST_TMPDIR/locked"
	mount -t tmpfs tmpfs "$BATS_TEST_TMPDIR/locked"
	mount --bind -o remount,ro,nosuid,noatime,nosymfollow "$BATS_TEST_TMPDIR/locked"
	add_mount "{\"destination\": \"/locked\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/locked\", \"options\": [\"bind\", \"nodev\"]}"
	set_args awk '$2 == "/locked" { print $4 }' /proc/self/mounts
	run_container
	umount "$BATS_TEST_TMPDIR/locked"
	[ "$status" -eq 0 ]
	flags=",$output,"
	[[ $flags == *,ro,* && $flags == *,nosuid,* && $flags == *,nodev,* && $flags == *,noatime,* ]]
	# not lockable: cleared, as the options do not name it
	[[ $flags != *,nosymfollow,* ]]
}

# atime_bind HOSTFLAGS OPTIONS: run with a bind of a tmpfs remounted with HOSTFLAGS and
# bound with OPTIONS (comma-separated), printing the bind's flags inside.
atime_bind() {
	mkdir -p "$BATS_TEST_TMPDIR/atime"
	mount -t tmpfs tmpfs "$BATS_TEST_TMPDIR/atime"
	mount --bind -o "remount,$1" "$BATS_TEST_TMPDIR/atime"
	update_config '.mounts = [.mounts[] | select(.destination != "/atime")]
		+ [{destination: "/atime", type: "bind", source: $s, options: ($o | split(","))}]' \
		--arg s "$BATS_TEST_TMPDIR/atime" --arg o "$2"
	set_args awk '$2 == "/atime" { print $4 }' /proc/self/mounts
	run_container
	umount "$BATS_TEST_TMPDIR/atime"
}

@test "userns: a bind that names another access-time mode than the locked host mount's fails" {
	with_userns
	atime_bind relatime bind,strictatime
	[ "$status" -ne 0 ] || fail "strictatime over a locked relatime was accepted: $output"
	output_has "Operation not permitted"
	atime_bind noatime bind,nodiratime
	[ "$status" -ne 0 ] || fail "nodiratime over a locked noatime was accepted: $output"
	atime_bind strictatime bind,noatime
	[ "$status" -ne 0 ] || fail "noatime over a locked strictatime was accepted: $output"
	# the same mode named again, or a mode only cleared, keeps the host's
	atime_bind noatime bind,noatime,nodev
	[ "$status" -eq 0 ] && [[ ",$output," == *,noatime,* ]] || fail "noatime again: $output"
	atime_bind noatime,nodiratime bind,norelatime
	[ "$status" -eq 0 ] && [[ ",$output," == *,noatime,nodiratime,* ]] || fail "norelatime: $output"
}

@test "userns: joining another container's user namespace; new namespaces belong to it" {
	skip_if_runc "runc 1.1 wants the mappings again with a user namespace path"
	with_userns 300000
	set_args sleep 100
	start_detached
	pid=$(container_pid "$ID")
	second=$(new_id 2)
	update_config '(.linux.namespaces[] | select(.type == "user")) .path = $p
		| del(.linux.uidMappings) | del(.linux.gidMappings) | .hostname = "joined"' \
		--arg p "/proc/$pid/ns/user"
	set_args sh -c 'hostname; cat /proc/self/uid_map; readlink /proc/self/ns/user'
	runtime run --bundle "$BUNDLE" "$second"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = joined ]
	[[ "${lines[1]}" =~ ^\ *0\ +300000\ +65536$ ]]
	[ "${lines[2]}" = "$(readlink /proc/$pid/ns/user)" ]
}

@test "userns: the init's network, ipc, uts and mount namespaces belong to its user namespace" {
	with_userns
	set_args sleep 100
	start_detached
	pid=$(container_pid "$ID")
	user=$(stat -L -c %i "/proc/$pid/ns/user")
	[ "$user" != "$(stat -L -c %i /proc/self/ns/user)" ]
	for ns in net ipc uts mnt; do
		# NS_GET_USERNS: the owning user namespace of a namespace
		owner=$(python3 -c 'import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
print(os.fstat(fcntl.ioctl(fd, 0xb701)).st_ino)' "/proc/$pid/ns/$ns")
		[ "$owner" = "$user" ] || fail "$ns namespace owned by user namespace $owner, not $user"
		[ "$(readlink "/proc/$pid/ns/$ns")" != "$(readlink "/proc/self/ns/$ns")" ]
	done
}

@test "userns: time namespace with offsets in a user namespace" {
	[ -e /proc/self/ns/time ] || skip "no time namespaces"
	skip_if_runc "runc 1.1 has no time namespace"
	with_userns
	update_config '.linux.namespaces += [{"type": "time"}] | .linux.timeOffsets = {"monotonic": {"secs": 7881, "nanosecs": 5}}'
	set_args cat /proc/self/timens_offsets
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" == *"monotonic"*7881*5* ]]
}

@test "userns: rlimits are set before the container runs" {
	with_userns
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 123, "hard": 456}]'
	run_sh 'ulimit -n; ulimit -H -n'
	[ "${lines[0]}" = 123 ] && [ "${lines[1]}" = 456 ]
}

@test "userns: mappings without a user namespace are refused, nothing is left" {
	skip_if_runc "runc 1.1 ignores the mappings"
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 10}]'
	refused_with .linux.uidMappings
}

@test "userns: a mapping of size 0 is refused with the field named" {
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 0}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 10}]'
	run_container
	[ "$status" -ne 0 ]
	is_runc || [[ "$output" == *"uidMappings"* ]]
	[ -z "$(ls "$ROOT")" ]
}

# idmapped_src: a source directory with a file owned by host 0:0 and one by 1:1.
idmapped_src() {
	mkdir -p "$BATS_TEST_TMPDIR/src/sub"
	touch "$BATS_TEST_TMPDIR/src/root-file" "$BATS_TEST_TMPDIR/src/sub/one-file"
	chown 1:1 "$BATS_TEST_TMPDIR/src/sub/one-file"
}

@test "idmap: without a user namespace, host 0 is shown as the mapped id and unmapped writes fail" {
	skip_if_runc "runc 1.1 has no id-mapped mounts"
	idmapped_src
	add_mount "{\"destination\": \"/m\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"rbind\"],
		\"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],
		\"gidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]}"
	run_sh 'stat -c %u:%g /m/root-file /m/sub/one-file; touch /m/new 2>&1 || echo refused'
	lines_are 100000:100000 100001:100001
	[[ "$output" == *"Value too large"*refused* ]]
	[ ! -e "$BATS_TEST_TMPDIR/src/new" ]
}

@test "idmap: in a user namespace, the implied mapping (idmap) and ridmap of submounts" {
	skip_if_runc "runc 1.1 has no id-mapped mounts"
	with_userns
	idmapped_src
	mkdir -p "$BATS_TEST_TMPDIR/src/nested" "$BATS_TEST_TMPDIR/nested-src"
	touch "$BATS_TEST_TMPDIR/nested-src/f"
	mount --bind "$BATS_TEST_TMPDIR/nested-src" "$BATS_TEST_TMPDIR/src/nested"
	add_mount "{\"destination\": \"/top\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"rbind\", \"idmap\"]}"
	add_mount "{\"destination\": \"/all\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"rbind\", \"ridmap\"]}"
	set_args sh -c 'stat -c %u /top/root-file /top/nested/f /all/nested/f; touch /top/made && stat -c %u /top/made'
	run_container
	umount "$BATS_TEST_TMPDIR/src/nested"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = "$(cat /proc/sys/kernel/overflowuid)" ] # not id-mapped: unmapped host 0
	[ "${lines[2]}" = 0 ]
	[ "${lines[3]}" = 0 ]
	# id-mapped: what the container's root made is host 0 on disk, nothing else changed
	[ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/src/made")" = 0:0 ]
	[ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/src/sub/one-file")" = 1:1 ]
}

@test "idmap: the implied mapping without a user namespace is refused" {
	skip_if_runc "runc 1.1 ignores the idmap option"
	add_mount "{\"destination\": \"/m\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR\", \"options\": [\"bind\", \"idmap\"]}"
	refused_with "user namespace"
}

@test "idmap: only bind mounts can be id-mapped" {
	skip_if_runc "runc 1.1 has no id-mapped mounts"
	add_mount '{"destination": "/t", "type": "tmpfs", "source": "tmpfs", "options": ["idmap"]}'
	run_container
	[ "$status" -ne 0 ]
	[[ "$output" == *".mounts["*"bind mounts only"* ]]
}

@test "userns: without a network namespace sysfs is the host's /sys, bound read-only" {
	with_userns
	update_config '.linux.namespaces -= [{"type": "network"}]'
	run_sh 'grep " /sys " /proc/self/mounts; ls /sys/kernel >/dev/null && echo listed; touch /sys/x 2>/dev/null || echo ro'
	[[ "$output" == *" /sys sysfs ro,"* ]]
	[[ "$output" == *listed*ro* ]]
}

@test "userns: a foreground process may reopen its stdio (pipes owned by the container's root)" {
	with_userns
	run_sh 'echo out >/dev/stdout && echo err >/proc/self/fd/2 && cat /dev/stdin && echo done'
	[[ "$output" == *out* && "$output" == *err* && "$output" == *done* ]]
}

@test "userns: a foreground exec may reopen its stdio too" {
	with_userns
	set_args sleep 100
	start_detached
	in_container sh -c 'echo out >/dev/stdout && echo err >/dev/stderr && echo done'
	[ "$status" -eq 0 ]
	[[ "$output" == *out* && "$output" == *err* && "$output" == *done* ]]
}

@test "userns: oomScoreAdj of the init and of an exec" {
	with_userns
	update_config '.process.oomScoreAdj = 500'
	set_args sleep 100
	start_detached
	pid=$(container_pid "$ID")
	[ "$(cat /proc/$pid/oom_score_adj)" = 500 ]
	in_container cat /proc/self/oom_score_adj
	[ "$status" -eq 0 ]
	[ "$output" = 500 ]
}

@test "userns: /dev/ptmx in linux.devices is the link to the container's pts/ptmx" {
	with_userns
	update_config '.linux.devices += [{"path": "/dev/ptmx", "type": "c", "major": 5, "minor": 2}]'
	run_sh 'readlink /dev/ptmx; ls -lLn /dev/ptmx'
	[ "${lines[0]}" = pts/ptmx ]
	[[ "${lines[1]}" == crw-rw-rw-*5,*2* ]]
}
