#!/usr/bin/env bats
# Attack class 2 (CVE-2019-5736): overwriting the runtime binary on the host through
# /proc/<pid>/exe of a runtime process the container can see. Every test runs a private copy
# of the runtime (a successful attack corrupts the copy, never the build), and checks its
# checksum afterwards.

load helpers

setup() {
	setup_bundle
	BIN_DIR=$BATS_TEST_TMPDIR/bin
	mkdir -p "$BIN_DIR"
	cp "$(readlink -f "$OCIRUN")" "$BIN_DIR/$RUNTIME_NAME"
	OCIRUN=$BIN_DIR/$RUNTIME_NAME
	BIN_SUM=$(sha256sum <"$OCIRUN")
	writable_rootfs
}

binary_intact() {
	[ "$(sha256sum <"$OCIRUN")" = "$BIN_SUM" ] || fail "the runtime binary on the host was modified"
}

# The attacker: holds /proc/$1/exe open for reading as fd 5 (if it can), tries to open it for
# writing directly, then waits for /go and reopens its fd through /proc/self/fd/5 for writing
# (the runtime process it came from has exited by then: no ETXTBSY). Results in /r.
ATTACK='t=$1
{ echo "opened $(readlink /proc/self/fd/5)" >>/r
  while [ ! -e /go ]; do sleep 0.05; done
  if echo pwned >>/proc/self/fd/5; then echo WROTE-reopen >>/r; fi
} 5</proc/$t/exe 2>>/r || echo no-open >>/r
if echo pwned >>/proc/$t/exe; then echo WROTE-direct >>/r; fi 2>>/r
echo done >>/r
sleep 100'

@test "host binary: exec into a created container cannot open /proc/1/exe (the waiting init) for writing" {
	set_args sleep 100
	create_container
	runtime exec -d "$ID" sh -c "$ATTACK" attacker 1
	[ "$status" -eq 0 ]
	wait_for_line rootfs/r '^(opened|no-open)'
	# the init leaves the runtime's code: it execs the user process
	runtime start "$ID"
	[ "$status" -eq 0 ]
	wait_for_status "$ID" running
	touch rootfs/go
	wait_for_line rootfs/r '^done'
	cat rootfs/r >&2
	binary_intact
	! grep -q WROTE rootfs/r || fail "wrote the runtime binary: $(cat rootfs/r)"
	# /proc/1/exe of the waiting init must not be the runtime binary, readable and writable
	if grep -q '^opened' rootfs/r; then
		! grep -q "opened .*$RUNTIME_NAME" rootfs/r || fail "the container opened the runtime binary: $(cat rootfs/r)"
	fi
}

@test "host binary: exec into a created container cannot read the init's fds, cwd or root" {
	set_args sleep 100
	create_container
	runtime exec "$ID" sh -c 'for f in /proc/1/fd/*; do cat "$f" </dev/null >/dev/null 2>&1 && echo "READ $f -> $(readlink "$f")"; done; ls /proc/1/root/ >/dev/null 2>&1 && echo "READ root"; ls /proc/1/cwd/ >/dev/null 2>&1 && echo "READ cwd"; true'
	[ "$status" -eq 0 ]
	[[ "$output" != *READ* ]] || fail "the container reached the waiting init: $output"
}

@test "host binary: executing /proc/self/exe (exec) does not hand the container the runtime binary" {
	set_args sleep 100
	start_detached
	# the runtime process in the container blocks opening its log, a fifo, so that the
	# attacker finds it alive
	runtime exec "$ID" mkfifo /dev/shm/f
	[ "$status" -eq 0 ]
	runtime exec -d "$ID" /proc/self/exe --log /dev/shm/f --root /dev/shm/r list
	# a refusal is a pass; a process running the binary in the container is attacked
	if [ "$status" -eq 0 ]; then
		runtime exec -d "$ID" sh -c '
			for i in $(seq 100); do
				for p in /proc/[0-9]*; do
					case $(readlink $p/exe 2>/dev/null) in ""|*busybox*) ;; *) echo ${p#/proc/}; exit 0 ;; esac
				done
				sleep 0.05
			done >/target' 
		wait_for_file rootfs/target
		sleep 0.5
		pid=$(cat rootfs/target)
		if [ -n "$pid" ]; then
			runtime exec -d "$ID" sh -c "$ATTACK" attacker "$pid"
			wait_for_line rootfs/r '^(opened|no-open)'
			# let the runtime process finish: it opens the fifo, writes, exits
			runtime exec -d "$ID" sh -c 'cat /dev/shm/f >/dev/null'
			wait_pid_gone_in_container "$pid"
			touch rootfs/go
			wait_for_line rootfs/r '^done'
			cat rootfs/r >&2
			! grep -q WROTE rootfs/r || fail "wrote the runtime binary: $(cat rootfs/r)"
		fi
	fi
	binary_intact
}

# wait_pid_gone_in_container PID: until the container's PID has exited
wait_pid_gone_in_container() {
	local i
	for ((i = 0; i < 100; i++)); do
		rt exec "$ID" test -e "/proc/$1/exe" 2>/dev/null </dev/null || return 0
		rt exec "$ID" sh -c "grep -q '^State:.*Z' /proc/$1/status" 2>/dev/null </dev/null && return 0
		sleep 0.1
	done
	fail "process $1 of the container still runs"
}

@test "host binary: executing /proc/self/exe (process.args) does not hand the container the runtime binary" {
	# the init is a fork of the runtime: /proc/self/exe as the container's program
	set_args /proc/self/exe --log /dev/shm/f --root /dev/shm/r list
	create_container
	runtime exec "$ID" mkfifo /dev/shm/f
	runtime exec -d "$ID" sh -c "$ATTACK" attacker 1
	wait_for_line rootfs/r '^(opened|no-open)'
	runtime start "$ID"
	sleep 0.5
	cat rootfs/r >&2
	! grep -q WROTE rootfs/r || fail "wrote the runtime binary: $(cat rootfs/r)"
	# a refusal to execute /proc/self/exe stops the container: nothing left to attack
	if [ "$(container_status "$ID")" = running ]; then
		# the init now runs whatever /proc/self/exe was; a second attacker opens it
		runtime exec -d "$ID" sh -c 'exec 2>>/r2; { echo "opened $(readlink /proc/self/fd/6)"; echo pwned >>/proc/1/exe && echo WROTE-direct; } 6</proc/1/exe >>/r2; echo done >>/r2'
		wait_for_line rootfs/r2 '^done'
		cat rootfs/r2 >&2
		! grep -q WROTE rootfs/r2 || fail "wrote the runtime binary: $(cat rootfs/r2)"
	fi
	binary_intact
}

@test "host binary: runtime processes of concurrent execs are not reachable through /proc/<pid>/exe" {
	set_args sh -c '
		end=$(($(date +%s) + 20))
		while [ ! -e /stop ] && [ $(date +%s) -lt $end ]; do
			for p in /proc/[0-9]*; do
				[ "${p#/proc/}" = 1 ] && continue
				l=$(readlink $p/exe 2>/dev/null) || continue
				case $l in ""|*busybox*) ;; *) echo "SEEN $p $l" >>/r ;; esac
				{ echo pwned >>/proc/self/fd/7 && echo "WROTE $p" >>/r; } 7<$p/exe 2>/dev/null
			done
		done
		echo done >>/r; sleep 100'
	start_detached
	for i in $(seq 40); do
		rt exec "$ID" true </dev/null >/dev/null 2>&1 || true
	done
	touch rootfs/stop
	wait_for_line rootfs/r '^done' 25
	binary_intact
	! grep -q -E 'SEEN|WROTE' rootfs/r || fail "$(cat rootfs/r)"
}

# exe_writable PID: whether the file behind /proc/PID/exe can be opened for writing
# (EROFS or sealed: no; ETXTBSY is no proof: it ends with the process)
exe_is_sealed() {
	python3 - "$1" <<'PY'
import fcntl, os, sys
fd = os.open("/proc/%s/exe" % sys.argv[1], os.O_RDONLY)
if os.fstatvfs(fd).f_flag & os.ST_RDONLY:
    sys.exit(0)
try:
    seals = fcntl.fcntl(fd, fcntl.F_GET_SEALS)
except OSError:
    seals = 0
sys.exit(0 if seals & fcntl.F_SEAL_WRITE else 1)
PY
}

@test "host binary: a created container's init runs from a binary that cannot be written" {
	set_args sleep 100
	create_container
	pid=$(container_pid "$ID")
	exe_is_sealed "$pid" || fail "/proc/$pid/exe of the waiting init is writable: $(ls -l /proc/$pid/exe)"
	# and the name the process had is kept
	[ "$(cat /proc/$pid/comm)" = "$RUNTIME_NAME" ] || fail "comm is $(cat /proc/$pid/comm)"
}

@test "host binary: an ordinary user's runtime runs from a sealed copy" {
	id rootless >/dev/null 2>&1 || skip "no user rootless (tests/setup-users.sh)"
	chmod 755 "$BIN_DIR"
	dir=$(mktemp -d /tmp/ocirun-sealed.XXXXXX)
	mkdir "$dir/bundle"
	mkfifo "$dir/bundle/config.json"
	chown -R rootless: "$dir"
	setpriv --reuid rootless --regid rootless --init-groups \
		"$OCIRUN" --root "$dir/root" run --bundle "$dir/bundle" sealed-c 2>/dev/null &
	pid=$!
	# the open for writing returns once the runtime opens the config for reading: by then it
	# runs from whatever it re-executed
	exec 8>"$dir/bundle/config.json"
	exe_is_sealed "$pid" && sealed=1 || sealed=0
	ls -l "/proc/$pid/exe" >&2
	exec 8>&-
	wait "$pid" || true
	rm -rf "$dir"
	[ "$sealed" = 1 ] || fail "an ordinary user's runtime runs from a writable binary"
}

# The static binary (the default build) has ocirun_entry as its ELF entry point
# (linux/sealed_binary_entry.c) and re-executes before libc's start: nothing of libc (its
# first brk, arch_prctl for TLS) happens in the first image. Dynamic builds (and so sanitizer
# builds) make the re-exec from main().
@test "host binary: the default build re-executes from the read-only bind before libc starts, and only for container commands" {
	command -v strace >/dev/null || skip "no strace"
	entry=$(readelf -h "$OCIRUN" | awk '/Entry point/{print $NF}')
	nm "$OCIRUN" 2>/dev/null | grep -q "^0*${entry#0x} T ocirun_entry$" || skip "built without the early entry point"
	set_args true
	strace -f -o "$BATS_TEST_TMPDIR/run.trace" -e trace=execve,execveat,brk,arch_prctl,open_tree \
		"$OCIRUN" --root "$ROOT" run --bundle "$BUNDLE" "$ID"
	first=$(grep -v -e '^[0-9]* *+++' -e 'resumed>' "$BATS_TEST_TMPDIR/run.trace" | sed -n 1,3p)
	echo "$first" >&2
	[[ "$(sed -n 1p <<<"$first")" == *"execve("* ]] || fail "no execve first"
	[[ "$(sed -n 2p <<<"$first")" == *"open_tree("*"/proc/self/exe"* ]] || fail "the first image did more than the re-exec"
	[[ "$(sed -n 3p <<<"$first")" == *"execveat("* ]] || fail "no execveat after open_tree"
	strace -f -o "$BATS_TEST_TMPDIR/state.trace" -e trace=execveat,open_tree \
		"$OCIRUN" --root "$ROOT" list >/dev/null
	! grep -q -e execveat -e open_tree "$BATS_TEST_TMPDIR/state.trace" || fail "list re-executed: $(cat "$BATS_TEST_TMPDIR/state.trace")"
}
