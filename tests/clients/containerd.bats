#!/usr/bin/env bats
# containerd 1.6 (private config, root, state and sockets; the CRI plugin off) with
# `ctr run --runc-binary <runtime under test>`: the runc v2 shim drives the runtime.

load helpers

NS=ocirun-clients

setup_file() {
	setup_work || return 1
	containerd_config io.containerd.grpc.v1.cri
	start_containerd "$NS" || return 1
	# a second interface, visible with --net-host only
	ip link add ocitest0 type veth peer name ocitest1 2>/dev/null || ip link add ocitest0 type bridge
	"$WORK/ctr" image import "$IMAGE_TAR" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log" >&2; return 1; }
}

teardown_file() {
	if [ -n "${WORK:-}" ] && [ -x "$WORK/ctr" ]; then
		cleanup_containers
		"$WORK/ctr" image rm "$IMAGE_REF" >/dev/null 2>&1 || true
		"$WORK/ctr" snapshot ls 2>/dev/null | awk 'NR > 1 {print $1}' | while read -r s; do
			"$WORK/ctr" snapshot rm "$s" >/dev/null 2>&1 || true
		done
		"$WORK/ctr" namespace rm "$NS" >/dev/null 2>&1 || true
	fi
	stop_containerd
	ip link del ocitest0 2>/dev/null || true
	teardown_work
}

# Every task (force-killed) and container of the namespace.
cleanup_containers() {
	local id
	for id in $("$WORK/ctr" task ls -q 2>/dev/null); do
		"$WORK/ctr" task kill -a -s SIGKILL "$id" >/dev/null 2>&1
		"$WORK/ctr" task delete -f "$id" >/dev/null 2>&1 || true
	done
	for id in $("$WORK/ctr" container ls -q 2>/dev/null); do
		"$WORK/ctr" task delete -f "$id" >/dev/null 2>&1
		"$WORK/ctr" container delete "$id" >/dev/null 2>&1 || true
	done
}

teardown() {
	cleanup_containers
}

IMG=$IMAGE_REF

# c ARG...: ctr under client.
c() {
	client "$WORK/ctr" "$@"
}

# crun_ ARG...: ctr run with the runtime under test.
crun_() {
	client "$WORK/ctr" run --runc-binary "$RUNTIME" "$@"
}

# task_status ID: RUNNING, PAUSED, STOPPED, ...
task_status() {
	"$WORK/ctr" task ls 2>/dev/null | awk -v id="$1" '$1 == id {print $3}'
}

wait_task_status() {
	local i
	for i in $(seq 100); do
		[ "$(task_status "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	fail "task $1: status $(task_status "$1"), expected $2"
}

# task_delete_status ID CODE: `task delete` of a stopped task reports its exit code (as a
# warning for a non-zero code: ctr 1.6 itself exits 0).
task_delete_status() {
	c task delete "$1"
	expect_ok
	if [ "$2" -eq 0 ]; then
		expect_output_lacks "exit code"
	else
		expect_output_has "exit code $2"
	fi
}

# run_detached ID CMD...: run -d and wait for RUNNING.
run_detached() {
	local id=$1
	shift
	crun_ -d "$IMG" "$id" "$@"
	expect_ok
	wait_task_status "$id" RUNNING
}

@test "containerd: image import from the docker-archive" {
	c image ls -q
	expect_ok
	expect_output_has "$IMG"
	c snapshot ls
	expect_ok
	expect_output_has Committed
}

@test "containerd: run --rm and exit codes" {
	crun_ --rm "$IMG" rm0 sh -c 'echo hello-from-ctr'
	expect_ok
	expect_output_has hello-from-ctr
	crun_ --rm "$IMG" rm3 sh -c 'exit 3'
	expect_status 3
	crun_ --rm "$IMG" rm255 sh -c 'exit 255'
	expect_status 255
	c container ls -q
	[ -z "$output" ] || fail "containers left: $output"
}

@test "containerd: run with a tty" {
	printf 'tty; exit 4\n' >"$BATS_TEST_TMPDIR/in"
	CLIENT_STDIN=$BATS_TEST_TMPDIR/in client script -qefc "$(quoted "$WORK/ctr" run --runc-binary "$RUNTIME" --rm -t "$IMG" tty1 sh)" /dev/null
	expect_status 4
	expect_output_has /dev/pts/0
}

@test "containerd: run --rootfs" {
	mkdir -p "$WORK/rootfs-copy"
	cp -a "$REPO/build/rootfs/." "$WORK/rootfs-copy/"
	crun_ --rm --rootfs "$WORK/rootfs-copy" rfs /bin/sh -c 'echo from-rootfs >/marker; echo "PATH=$PATH"; head -n1 /etc/passwd'
	expect_ok
	expect_output_has root:x:0:0
	[ "$(cat "$WORK/rootfs-copy/marker")" = from-rootfs ] || fail "rootfs not written"
}

@test "containerd: run -d, then task exec with user and tty" {
	run_detached ex sleep 1000
	# the shim ran the runtime under test (its state under the shim's runtime root)
	client "$RUNTIME" --root "/run/containerd/runc/$NS" state ex
	expect_ok
	expect_output_has '"status": "running"'
	c task exec --exec-id e1 ex sh -c 'echo pid1=$(cat /proc/1/comm)'
	expect_ok
	expect_output_has pid1=sleep
	c task exec --exec-id e2 --user 1000 ex id
	expect_ok
	expect_output_has uid=1000
	c task exec --exec-id e3 --cwd /tmp ex pwd
	expect_ok
	[ "$output" = /tmp ] || fail "cwd: $output"
	c task exec --exec-id e4 ex sh -c 'exit 6'
	expect_status 6
	printf 'tty; exit 0\n' >"$BATS_TEST_TMPDIR/in"
	CLIENT_STDIN=$BATS_TEST_TMPDIR/in client script -qefc "$(quoted "$WORK/ctr" task exec -t --exec-id e5 ex sh)" /dev/null
	expect_ok
	expect_output_has /dev/pts/
}

@test "containerd: kill with a signal" {
	run_detached kl sh -c 'trap "exit 10" USR1; while :; do sleep 0.1; done'
	sleep 0.3
	c task kill -s SIGUSR1 kl
	expect_ok
	wait_task_status kl STOPPED
	task_delete_status kl 10
	# the default signal is SIGTERM (the init, pid 1 of its namespace, needs a handler)
	run_detached kl2 sh -c 'trap "exit 15" TERM; while :; do sleep 0.1; done'
	sleep 0.3
	c task kill kl2
	expect_ok
	wait_task_status kl2 STOPPED
	task_delete_status kl2 15
	run_detached kl3 sleep 1000
	c task kill -s SIGKILL kl3
	expect_ok
	wait_task_status kl3 STOPPED
	task_delete_status kl3 137
}

@test "containerd: task ps" {
	run_detached ps1 sh -c 'sleep 1000 & sleep 1001'
	sleep 0.3
	c task ps ps1
	expect_ok
	# the shell and its two sleeps, or the background sleep and the shell exec'ed into sleep
	[ "${#lines[@]}" -ge 3 ] || fail "expected 2 processes or more: $output"
}

@test "containerd: task metrics" {
	crun_ -d --memory-limit 67108864 "$IMG" mt sleep 1000
	expect_ok
	wait_task_status mt RUNNING
	c task metrics mt
	expect_ok
	expect_output_has memory.usage_in_bytes pids.current
	expect_output_has 67108864
}

@test "containerd: pause and resume" {
	run_detached pa sh -c 'while :; do date >/tmp/d; sleep 0.05; done'
	c task pause pa
	expect_ok
	wait_task_status pa PAUSED
	c task resume pa
	expect_ok
	wait_task_status pa RUNNING
	c task exec --exec-id e1 pa cat /tmp/d
	expect_ok
}

@test "containerd: kill --all" {
	run_detached ka sh -c 'trap "" TERM; sleep 1000'
	"$WORK/ctr" task exec --exec-id bg ka sleep 1001 >/dev/null 2>&1 &
	sleep 0.5
	c task ps ka
	pids=$(awk 'NR > 1 {print $1}' <<<"$output")
	c task kill -a -s SIGKILL ka
	expect_ok
	wait_task_status ka STOPPED
	wait
	for pid in $pids; do
		[ ! -d "/proc/$pid" ] || grep -q '^State:.*Z' "/proc/$pid/status" || fail "process $pid survived kill --all"
	done
	task_delete_status ka 137
}

@test "containerd: delete (task, force, container)" {
	run_detached dl sleep 1000
	c task delete dl
	[ "$status" -ne 0 ] || fail "deleted a running task"
	c task delete -f dl
	expect_ok
	c container delete dl
	expect_ok
	c container ls -q
	expect_output_lacks dl
	[ ! -d "$WORK/state/io.containerd.runtime.v2.task/$NS/dl" ] || fail "bundle left"
}

@test "containerd: --read-only" {
	crun_ --rm --read-only "$IMG" ro sh -c 'touch /x 2>&1 || echo root-ro'
	expect_ok
	expect_output_has root-ro
}

@test "containerd: capabilities (default, --cap-add, --cap-drop)" {
	crun_ --rm "$IMG" cap0 grep CapEff /proc/self/status
	expect_ok
	m=$(capeff "$output")
	has_cap "$m" CHOWN || fail "default lacks CHOWN: $m"
	! has_cap "$m" NET_ADMIN || fail "default has NET_ADMIN: $m"
	crun_ --rm --cap-add CAP_NET_ADMIN --cap-drop CAP_CHOWN "$IMG" cap1 sh -c 'grep CapEff /proc/self/status; chown 1 /tmp || echo chown-denied; ip link set lo mtu 1400 && echo link-set'
	expect_ok
	m=$(capeff "$output")
	has_cap "$m" NET_ADMIN || fail "NET_ADMIN not added: $m"
	! has_cap "$m" CHOWN || fail "CHOWN not dropped: $m"
	expect_output_has chown-denied link-set
}

@test "containerd: --privileged" {
	crun_ --rm --privileged "$IMG" priv sh -c 'grep -E "^(CapEff|Seccomp):" /proc/self/status; ls /dev/full /dev/loop-control 2>&1; mount -t tmpfs t /tmp && echo mounted'
	expect_ok
	has_cap "$(capeff "$output")" SYS_ADMIN || fail "no SYS_ADMIN: $output"
	expect_output_has "Seccomp:	0" /dev/loop-control mounted
}

@test "containerd: bind mounts rw and ro" {
	mkdir -p "$BATS_TEST_TMPDIR/rw" "$BATS_TEST_TMPDIR/ro"
	echo host-data >"$BATS_TEST_TMPDIR/ro/f"
	crun_ --rm --mount "type=bind,src=$BATS_TEST_TMPDIR/rw,dst=/rw,options=rbind:rw" \
		--mount "type=bind,src=$BATS_TEST_TMPDIR/ro,dst=/ro,options=rbind:ro" "$IMG" bm \
		sh -c 'echo written >/rw/out; cat /ro/f; (echo x >/ro/g) 2>/dev/null || echo ro-denied'
	expect_ok
	expect_output_has host-data ro-denied
	[ "$(cat "$BATS_TEST_TMPDIR/rw/out")" = written ] || fail "rw bind not written"
	[ ! -e "$BATS_TEST_TMPDIR/ro/g" ] || fail "ro bind written"
}

@test "containerd: private and host network" {
	crun_ --rm "$IMG" netp ls /sys/class/net
	expect_ok
	[ "$output" = lo ] || fail "private network interfaces: $output"
	crun_ --rm --net-host "$IMG" neth ls /sys/class/net
	expect_ok
	expect_output_has ocitest0
}

@test "containerd: run --uidmap/--gidmap: a user namespace and a remapped snapshot" {
	# the container's root resolves the path of its rootfs itself, as with runc
	chmod 755 "$WORK"
	crun_ --rm --uidmap 0:100000:65536 --gidmap 0:100000:65536 "$IMG" um \
		sh -c 'cat /proc/self/uid_map; touch /made; stat -c %u /made'
	expect_ok
	expect_output_has 100000 65536
	[ "${lines[-1]}" = 0 ] || fail "the container's root does not own what it made: $output"
	c container ls -q
	[ -z "$output" ] || fail "containers left: $output"
}
