#!/usr/bin/env bats
# mounts: bind rw/ro, tmpfs options, rro, tmpcopyup, proc, sysfs ro, mqueue, cgroup view,
# root.readonly, rootfsPropagation, bad mounts.

load helpers

add_mount() { update_config '.mounts += [$m]' --argjson m "$1"; }

# mountinfo_of DEST: the container's mountinfo line for DEST (run in the container)
@test "mounts: bind rw and ro" {
	mkdir -p "$BATS_TEST_TMPDIR/src"
	echo host >"$BATS_TEST_TMPDIR/src/file"
	add_mount "{\"destination\": \"/rw\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"rbind\", \"rw\"]}"
	add_mount "{\"destination\": \"/ro\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"bind\", \"ro\"]}"
	run_sh 'cat /ro/file; echo written >/rw/new && echo rw-ok; echo x >/ro/x 2>/dev/null || echo ro-ok'
	[[ "$output" == *host*rw-ok*ro-ok* ]]
	[ "$(cat "$BATS_TEST_TMPDIR/src/new")" = written ]
}

@test "mounts: bind mount of a file" {
	echo filedata >"$BATS_TEST_TMPDIR/f"
	add_mount "{\"destination\": \"/etc/f\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/f\", \"options\": [\"bind\"]}"
	set_args cat /etc/f
	run_container
	[ "$status" -eq 0 ]
	[ "$output" = filedata ]
}

@test "mounts: tmpfs with size, mode and noexec/nosuid/nodev" {
	add_mount '{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m", "mode=0710", "noexec", "nosuid", "nodev"]}'
	run_sh 'stat -c %a /scratch; grep " /scratch " /proc/self/mountinfo'
	[ "${lines[0]}" = 710 ]
	[[ "${lines[1]}" == *nosuid*nodev*noexec* ]]
	[[ "${lines[1]}" == *size=1024k* ]]
}

@test "mounts: the atime family (noatime, strictatime)" {
	add_mount '{"destination": "/a", "type": "tmpfs", "source": "tmpfs", "options": ["noatime"]}'
	set_args grep " /a " /proc/self/mountinfo
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" == *noatime* ]]
}

@test "mounts: rro makes a recursive bind read-only at every level" {
	skip_if_runc "runc 1.1 has no rro option"
	mkdir -p "$BATS_TEST_TMPDIR/src/sub"
	mount -t tmpfs tmpfs "$BATS_TEST_TMPDIR/src/sub"
	add_mount "{\"destination\": \"/r\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"rbind\", \"rro\"]}"
	set_args sh -c 'touch /r/sub/x 2>/dev/null && echo writable || echo readonly'
	run_container
	umount "$BATS_TEST_TMPDIR/src/sub"
	[ "$status" -eq 0 ]
	[ "$output" = readonly ]
}

@test "mounts: tmpcopyup copies the rootfs content into the tmpfs" {
	update_config '.root.readonly = false'
	mkdir -p rootfs/data
	echo orig >rootfs/data/file
	add_mount '{"destination": "/data", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup"]}'
	run_sh 'cat /data/file; grep " /data " /proc/self/mountinfo | grep -c tmpfs'
	lines_are orig 1
}

@test "mounts: proc is the container's, sysfs is read-only" {
	run_sh 'ls /proc | grep -c "^[0-9]"; grep " /sys " /proc/self/mountinfo; { touch /sys/x; } 2>/dev/null || echo sys-ro'
	[ "${lines[0]}" -le 4 ]
	[[ "${lines[1]}" == *" ro,"* ]]
	[[ "$output" == *sys-ro* ]]
}

@test "mounts: mqueue is mounted at /dev/mqueue" {
	run_sh 'grep " /dev/mqueue " /proc/self/mountinfo'
	[[ "$output" == *mqueue* ]]
}

@test "mounts: cgroup (v1 view) shows the container's own cgroups read-only" {
	update_config '.linux.namespaces += [{"type": "cgroup"}]'
	run_sh 'ls /sys/fs/cgroup; cat /sys/fs/cgroup/pids/cgroup.procs | head -1; touch /sys/fs/cgroup/pids/x 2>/dev/null || echo cg-ro'
	[[ "$output" == *memory* ]]
	[[ "$output" == *pids* ]]
	[[ "$output" == *cg-ro* ]]
}

@test "mounts: destinations are created, also nested ones" {
	add_mount '{"destination": "/a/b/c", "type": "tmpfs", "source": "tmpfs"}'
	run_sh 'grep -c " /a/b/c " /proc/self/mountinfo'
	[ "$output" = 1 ]
}

@test "mounts: a symlink destination does not escape the rootfs" {
	update_config '.root.readonly = false'
	mkdir -p "$BATS_TEST_TMPDIR/outside"
	ln -s "$BATS_TEST_TMPDIR/outside" rootfs/escape
	add_mount '{"destination": "/escape/x", "type": "tmpfs", "source": "tmpfs"}'
	set_args true
	run_container
	[ ! -e "$BATS_TEST_TMPDIR/outside/x" ]
}

@test "mounts: a bind of a missing source fails create and leaves nothing" {
	add_mount "{\"destination\": \"/m\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/missing\", \"options\": [\"bind\"]}"
	set_args true
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"$BATS_TEST_TMPDIR/missing"* ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "mounts: an unknown filesystem type fails create" {
	add_mount '{"destination": "/m", "type": "nosuchfs", "source": "none"}'
	set_args true
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "root.readonly: the root is read-only, tmpfs mounts stay writable" {
	run_sh 'touch /x 2>/dev/null && echo root-rw || echo root-ro; touch /dev/shm/y && echo shm-rw'
	[[ "$output" == *root-ro*shm-rw* ]]
}

@test "root.readonly false: the root is writable" {
	update_config '.root.readonly = false'
	set_args touch /created
	run_container
	[ "$status" -eq 0 ]
	[ -e rootfs/created ]
}

@test "rootfsPropagation: private applied, shared accepted, an unknown value refused" {
	set_args sh -c 'awk "\$5 == \"/\"" /proc/self/mountinfo'
	update_config '.linux.rootfsPropagation = "private"'
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" != *shared:* ]] && [[ "$output" != *master:* ]]
	update_config '.linux.rootfsPropagation = "shared"'
	run_container
	[ "$status" -eq 0 ]
	update_config '.linux.rootfsPropagation = "bogus"'
	run_container
	[ "$status" -ne 0 ]
}

@test "bad rootfs path fails create with a message naming it" {
	update_config '.root.path = "/nonexistent/rootfs"'
	set_args true
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"/nonexistent/rootfs"* ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "maskedPaths: a path listed twice is masked once" {
	update_config '.linux.maskedPaths += ["/home", "/home/", "/etc/passwd", "/etc//passwd"]'
	run_sh 'grep -c " /home " /proc/self/mounts; grep -c " /etc/passwd " /proc/self/mounts'
	[ "$(echo $output)" = "1 1" ] || fail "$output"
}

@test "mounts: proc or sysfs onto a symlink (dangling or not) is refused in runc's words" {
	update_config '.root.readonly = false'
	rm -rf rootfs/proc
	ln -s /nowhere rootfs/proc
	set_args true
	run_container
	[ "$status" -ne 0 ]
	[[ "$output" == *"must be mounted on ordinary directory"* ]]
	rm rootfs/proc && mkdir rootfs/proc
	rm -rf rootfs/sys
	ln -s /etc rootfs/sys
	run_container
	rm rootfs/sys && mkdir rootfs/sys
	[ "$status" -ne 0 ]
	[[ "$output" == *"must be mounted on ordinary directory"* ]]
}

@test "rootfsPropagation: unbindable works (the set-up runs private), the new / is unbindable" {
	update_config '.linux.rootfsPropagation = "unbindable"'
	set_args sh -c 'awk "\$5 == \"/\"" /proc/self/mountinfo'
	run_container
	[ "$status" -eq 0 ] || fail "$output"
	[[ "$output" == *unbindable* ]]
}

@test "no mount namespace: the container runs chrooted, its mounts in the host's namespace, hooks run" {
	update_config '.linux.namespaces -= [{"type": "mount"}] | .linux.maskedPaths = [] | .linux.readonlyPaths = []
		| .hooks.createRuntime = [{"path": "/bin/sh", "args": ["sh", "-c", "touch \"$0\"", $mark]}]' \
		--arg mark "$BATS_TEST_TMPDIR/hook-ran"
	echo in-rootfs >rootfs/only-here
	set_args cat /only-here
	run_container
	local st=$status out=$output
	umount -R --lazy "$BUNDLE/rootfs" || true
	[ "$st" -eq 0 ] || fail "$out"
	[ "$out" = in-rootfs ]
	[ -e "$BATS_TEST_TMPDIR/hook-ran" ]
}

@test "mounts: a tmpfs without mode= keeps the mode of a directory that was there; a new one is 1777" {
	update_config '.root.readonly = false'
	mkdir -p rootfs/was-there
	chmod 0710 rootfs/was-there
	update_config '.mounts += [{"destination": "/was-there", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid"]},
		{"destination": "/made/here", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid"]},
		{"destination": "/explicit", "type": "tmpfs", "source": "tmpfs", "options": ["mode=1500"]}]'
	set_args stat -c %a /was-there /made/here /explicit
	run_container
	[ "$status" -eq 0 ] || fail "$output"
	[ "$(echo $output)" = "710 1777 1500" ] || fail "$output"
	[ "$(stat -c %a rootfs/was-there)" = 710 ]
}

@test "--no-pivot: the host's whole /proc is out of reach, so no bare procfs can be mounted" {
	update_config '.process.capabilities.bounding += ["CAP_SETFCAP", "CAP_SYS_ADMIN"] | .process.capabilities.permitted += ["CAP_SETFCAP"]'
	set_args unshare -mrpf sh -c 'mount -t proc none /proc && echo MOUNTED'
	run_container --no-pivot
	[ "$status" -ne 0 ] || fail "$output"
	[[ "$output" != *MOUNTED* ]]
	[[ "$output" == *"ermission denied"* ]] || fail "$output"
}

@test "mounts: a destination named by the rootfs's host path lands inside, and a source inside the rootfs sees the mounts made before it" {
	local src=$BATS_TEST_TMPDIR/src root=$BUNDLE/rootfs
	mkdir -p "$src/outer/in" "$src/inner" "$root/stack" "$root/copy"
	echo inner-file >"$src/inner/file"
	add_mount "{\"destination\": \"/stack\", \"type\": \"bind\", \"source\": \"$src/outer\", \"options\": [\"rbind\"]}"
	add_mount "{\"destination\": \"/stack/in\", \"type\": \"bind\", \"source\": \"$src/inner\", \"options\": [\"rbind\"]}"
	# The rootfs by its host path, as source and destination: the copy holds both mounts.
	add_mount "{\"destination\": \"$root/copy\", \"type\": \"bind\", \"source\": \"$root/stack\", \"options\": [\"rbind\"]}"
	set_args sh -c 'cat /copy/in/file; test -e "/'"${root#/}"'" && echo "host path made inside"; true'
	run_container
	[ "$status" -eq 0 ]
	[ "$output" = inner-file ]
	# nothing of the host path was created in the rootfs
	[ ! -e "$root/${root#/}" ]
}

# flags_case HOST-FLAGS BIND-OPTIONS WANT... : a bind of a tmpfs whose own mount has
# HOST-FLAGS (mount --bind -o remount,...) onto /mnt; each WANT is a per-mount flag the
# container must see there, or !FLAG one it must not.  Misses go to $misses.
flags_case() {
	local src=$BATS_TEST_TMPDIR/flagsrc host=$1 opts=$2 w got
	shift 2
	mkdir -p "$src"
	mountpoint -q "$src" || mount -t tmpfs tmpfs "$src"
	mount --bind -o remount,strictatime,diratime "$src"
	mount --bind -o "remount,$host" "$src"
	update_config '.mounts = [.mounts[] | select(.destination != "/mnt")] + [{"destination": "/mnt", "type": "bind", "source": $s, "options": ($o | split(","))}]' --arg s "$src" --arg o "$opts"
	set_args awk '$2 == "/mnt" { print $4 }' /proc/self/mounts
	run_container
	got=",$output,"
	for w in "$@"; do
		case $w in
		!*) [[ $got != *,${w#!},* ]] || misses+="[$host + $opts: $w in $got] " ;;
		*) [[ $got == *,$w,* ]] || misses+="[$host + $opts: $w not in $got] " ;;
		esac
	done
}

@test "mounts: a bind's options replace the source's flags; a bind without flag options keeps them" {
	misses=
	flags_case ro,noexec,nodiratime bind ro noexec nodiratime
	# any flag named: what is not named is cleared (as MS_BIND|MS_REMOUNT)
	flags_case ro,noexec nosuid,rbind rw nosuid '!noexec'
	# a clearing option alone counts too (runc since 1.2; 1.1 kept the source's flags)
	is_runc || flags_case ro,nosuid,nodev bind,dev rw '!nosuid' '!nodev'
	flags_case nosuid,nodev,noexec bind,ro ro '!nosuid' '!noexec'
	# the access-time mode stays unless one is named
	flags_case noatime bind,nodev noatime
	flags_case noatime bind,atime noatime
	flags_case noatime bind,relatime relatime '!noatime'
	flags_case noatime bind,nodiratime nodiratime relatime
	flags_case nodiratime bind,strictatime '!nodiratime' '!relatime' '!noatime'
	umount "$BATS_TEST_TMPDIR/flagsrc"
	[ -z "$misses" ] || fail "$misses"
}
