#!/usr/bin/env bats
# podman 4.3 with --runtime <runtime under test>: conmon, cgroupfs manager, file events,
# overlay storage (vfs when overlay cannot be mounted), CNI bridge network, all state private.

load helpers

# $WORK/pm: podman with the private configuration (a script, so that timeout, script and
# retry can run it). write_pm DRIVER
write_pm() {
	cat >"$WORK/pm" <<-PM
		#!/bin/sh
		export CONTAINERS_CONF=$WORK/containers.conf CONTAINERS_REGISTRIES_CONF=$WORK/registries.conf
		exec podman --root $WORK/root --runroot $WORK/runroot --tmpdir $WORK/tmp \\
		  --runtime $RUNTIME --cgroup-manager cgroupfs --events-backend file \\
		  --storage-driver $1 "\$@"
	PM
	chmod +x "$WORK/pm"
}

pm() {
	"$WORK/pm" "$@"
}

# p ARG...: podman under client (status, output).
p() {
	client "$WORK/pm" "$@"
}

setup_file() {
	setup_work || return 1
	# The work directory propagates mount events as / does on a host booted by systemd
	# (shared): podman runs the conmon of a --uidmap container in a mount namespace of its
	# own, and the `container cleanup` that conmon starts unmounts the shm there. In the
	# suite's private namespace that umount would not reach ours, the shm would stay
	# mounted here and `rm` would fail on it whenever conmon's cleanup ran before stop's.
	mount --bind "$WORK" "$WORK" && mount --make-shared "$WORK" || return 1
	mkdir -p "$WORK/cni" "$WORK/tmp"
	cp /etc/cni/net.d/87-podman-bridge.conflist "$WORK/cni/" 2>/dev/null ||
		cat >"$WORK/cni/87-podman-bridge.conflist" <<-'CNI'
			{"cniVersion": "0.4.0", "name": "podman", "plugins": [
			 {"type": "bridge", "bridge": "cni-podman0", "isGateway": true, "ipMasq": true,
			  "hairpinMode": true, "ipam": {"type": "host-local", "routes": [{"dst": "0.0.0.0/0"}],
			  "ranges": [[{"subnet": "10.88.0.0/16", "gateway": "10.88.0.1"}]]}},
			 {"type": "portmap", "capabilities": {"portMappings": true}},
			 {"type": "firewall"}, {"type": "tuning"}]}
		CNI
	cat >"$WORK/containers.conf" <<-CONF
		[engine]
		tmp_dir = "$WORK/tmp"
		static_dir = "$WORK/root/libpod"
		volume_path = "$WORK/root/volumes"
		events_logfile_path = "$WORK/events.log"
		[network]
		network_backend = "cni"
		network_config_dir = "$WORK/cni"
	CONF
	: >"$WORK/registries.conf"
	write_pm overlay
	if ! pm load -i "$IMAGE_TAR" >"$WORK/load.log" 2>&1; then
		pm system reset -f >/dev/null 2>&1 || true
		write_pm vfs
		echo "# overlay storage failed ($(tail -n1 "$WORK/load.log")): using vfs" >&3
		pm load -i "$IMAGE_TAR" >"$WORK/load.log" 2>&1 || { cat "$WORK/load.log" >&2; return 1; }
	fi
}

teardown_file() {
	if [ -n "${WORK:-}" ] && [ -d "$WORK/root" ]; then
		pm rm -a -f -t 0 >/dev/null 2>&1 || true
		pm volume rm -a -f >/dev/null 2>&1 || true
		pm network prune -f >/dev/null 2>&1 || true
		pm rmi -a -f >/dev/null 2>&1 || true
		pm system reset -f >/dev/null 2>&1 || true
	fi
	teardown_work
}

teardown() {
	# containers a failed scenario left behind
	pm rm -a -f -t 0 >/dev/null 2>&1 || true
}

IMG=$IMAGE_REF

@test "podman: image load from the docker-archive" {
	p images --format '{{.Repository}}:{{.Tag}}'
	expect_ok
	expect_output_has "$IMG"
}

@test "podman: the runtime under test is the OCI runtime" {
	p info --format '{{.Host.OCIRuntime.Path}} {{.Host.CgroupManager}} {{.Store.GraphDriverName}}'
	expect_ok
	[ "${output%% *}" = "$RUNTIME" ] || fail "runtime: $output"
	p run -d --name rtcheck "$IMG" sleep 1000
	expect_ok
	p inspect --format '{{.Id}}' rtcheck
	id=$output
	# podman as root gives the runtime no --root: its default (a private tmpfs here)
	client "$RUNTIME" --root "/run/$RUNTIME_NAME" state "$id"
	expect_ok
	expect_output_has '"status": "running"'
}

@test "podman: run --rm and exit codes" {
	p run --rm "$IMG" true
	expect_status 0
	p run --rm "$IMG" sh -c 'exit 3'
	expect_status 3
	p run --rm "$IMG" sh -c 'exit 255'
	expect_status 255
	p run --rm "$IMG" /no/such/binary
	expect_status 127
	p run --rm "$IMG" no-such-command
	expect_status 127
	p run --rm "$IMG" /etc/passwd
	expect_status 126
	p ps -a -q
	[ -z "$output" ] || fail "containers left: $output"
}

@test "podman: run -i passes stdin" {
	printf 'line one\nline two\n' >"$BATS_TEST_TMPDIR/in"
	CLIENT_STDIN=$BATS_TEST_TMPDIR/in p run --rm -i "$IMG" sh -c 'wc -l; echo done'
	expect_ok
	expect_output_has 2 done
}

@test "podman: run -it gives a terminal" {
	printf 'tty; stty size; exit 5\n' >"$BATS_TEST_TMPDIR/in"
	CLIENT_STDIN=$BATS_TEST_TMPDIR/in client script -qefc "$(quoted "$WORK/pm" run --rm -it "$IMG" sh)" /dev/null
	expect_status 5
	expect_output_has /dev/pts/0
}

@test "podman: run -t without -i" {
	p run --rm -t "$IMG" sh -c 'tty; [ -t 1 ] && echo stdout-is-tty'
	expect_ok
	expect_output_has /dev/pts/0 stdout-is-tty
}

@test "podman: run -d, then exec with user, env, workdir and tty" {
	p run -d --name ex "$IMG" sleep 1000
	expect_ok
	p exec ex sh -c 'echo pid1=$(cat /proc/1/comm)'
	expect_ok
	expect_output_has pid1=sleep
	p exec --user 1000:1000 ex id
	expect_ok
	expect_output_has uid=1000 gid=1000
	p exec --user user ex id -un
	expect_ok
	expect_output_has user
	p exec -e FOO=bar ex sh -c 'echo foo=$FOO'
	expect_ok
	expect_output_has foo=bar
	p exec -w /tmp ex pwd
	expect_ok
	[ "$output" = /tmp ] || fail "cwd: $output"
	p exec -t ex sh -c 'tty'
	expect_ok
	expect_output_has /dev/pts/
	p exec ex sh -c 'exit 7'
	expect_status 7
	p rm -f -t 0 ex
	expect_ok
}

@test "podman: logs" {
	p run -d --name lg "$IMG" sh -c 'echo out-line; echo err-line >&2; sleep 1000'
	expect_ok
	retry 10 sh -c "$WORK/pm logs lg 2>&1 | grep -q err-line"
	p logs lg
	expect_ok
	expect_output_has out-line err-line
}

@test "podman: ps and top" {
	p run -d --name pt "$IMG" sleep 1000
	expect_ok
	p ps --format '{{.Names}} {{.Status}}'
	expect_ok
	expect_output_has "pt Up"
	p top pt
	expect_ok
	expect_output_has "sleep 1000"
}

@test "podman: stats" {
	p run -d --name st --memory 64m "$IMG" sleep 1000
	expect_ok
	p stats --no-stream --format '{{.Name}} {{.MemUsage}} {{.PIDs}}' st
	expect_ok
	expect_output_has "st " "67.11MB"
}

@test "podman: stop sends SIGTERM" {
	p run -d --name sp "$IMG" sh -c 'trap "echo got-term; exit 42" TERM; while :; do sleep 0.1; done'
	expect_ok
	sleep 0.5
	p stop -t 10 sp
	expect_ok
	p inspect --format '{{.State.ExitCode}}' sp
	expect_ok
	[ "$output" = 42 ] || fail "exit code $output"
	p logs sp
	expect_output_has got-term
}

@test "podman: stop escalates to SIGKILL" {
	p run -d --name sk "$IMG" sh -c 'trap "" TERM; while :; do sleep 0.1; done'
	expect_ok
	sleep 0.3
	SECONDS=0
	p stop -t 1 sk
	expect_ok
	[ "$SECONDS" -lt 10 ] || fail "stop took ${SECONDS}s"
	p inspect --format '{{.State.ExitCode}} {{.State.Status}}' sk
	expect_ok
	[ "$output" = "137 exited" ] || fail "state: $output"
}

@test "podman: restart" {
	p run -d --name rs "$IMG" sh -c 'echo started; sleep 1000'
	expect_ok
	p inspect --format '{{.State.Pid}}' rs
	pid1=$output
	p restart -t 0 rs
	expect_ok
	p inspect --format '{{.State.Pid}} {{.State.Status}}' rs
	expect_ok
	[ "${output% *}" != "$pid1" ] || fail "same pid after restart"
	expect_output_has running
	p exec rs true
	expect_ok
}

@test "podman: kill with a signal" {
	p run -d --name kl "$IMG" sh -c 'trap "echo got-usr1; exit 10" USR1; while :; do sleep 0.1; done'
	expect_ok
	sleep 0.3
	p kill -s USR1 kl
	expect_ok
	p wait kl
	expect_ok
	[ "$output" = 10 ] || fail "exit code $output"
	p run -d --name kl2 "$IMG" sleep 1000
	p kill kl2
	expect_ok
	p wait kl2
	[ "$output" = 137 ] || fail "exit code $output"
}

@test "podman: pause and unpause" {
	p run -d --name pa "$IMG" sh -c 'i=0; while :; do i=$((i+1)); echo $i >/tmp/n; sleep 0.05; done'
	expect_ok
	p pause pa
	expect_ok
	p inspect --format '{{.State.Status}}' pa
	[ "$output" = paused ] || fail "status $output"
	p exec pa true
	[ "$status" -ne 0 ] || fail "exec into a paused container succeeded"
	p unpause pa
	expect_ok
	p inspect --format '{{.State.Status}}' pa
	[ "$output" = running ] || fail "status $output"
	p exec pa cat /tmp/n
	expect_ok
}

@test "podman: --memory is visible and enforced" {
	p run --rm --memory 32m --memory-swap 32m "$IMG" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	expect_ok
	[ "$output" = 33554432 ] || fail "limit $output"
	p run --name oom --memory 32m --memory-swap 32m "$IMG" sh -c 'x=$(head -c 200000000 /dev/zero | tr "\0" a); echo survived'
	[ "$status" -ne 0 ] || fail "200MB in a 32MB container: $output"
	expect_output_lacks survived
	expect_status 137
}

@test "podman: --pids-limit is visible and enforced" {
	p run --rm --pids-limit 10 "$IMG" sh -c 'cat /sys/fs/cgroup/pids/pids.max; i=0; while [ $i -lt 20 ]; do sleep 5 & i=$((i+1)); done; echo forked-all'
	grep -qx 10 <<<"$output" || fail "pids.max: $output"
	expect_output_has "can't fork"
	expect_output_lacks forked-all
}

@test "podman: --cpus is visible and enforced" {
	p run --rm --cpus 0.5 "$IMG" sh -c 'cd /sys/fs/cgroup/cpu,cpuacct 2>/dev/null || cd /sys/fs/cgroup/cpu; cat cpu.cfs_quota_us cpu.cfs_period_us; timeout 1 sh -c "while :; do :; done"; grep nr_throttled cpu.stat'
	expect_ok
	[ "${lines[0]}" = 50000 ] && [ "${lines[1]}" = 100000 ] || fail "quota/period: $output"
	n=$(awk '/nr_throttled/ {print $2}' <<<"$output")
	[ "${n:-0}" -gt 0 ] || fail "never throttled: $output"
}

@test "podman: --user" {
	p run --rm --user 1000:1000 "$IMG" sh -c 'id -u; id -g; touch /root/x 2>&1 || echo denied'
	expect_ok
	expect_output_has 1000 denied
	p run --rm --user nobody "$IMG" id -u
	expect_ok
	[ "$output" = 65534 ] || fail "uid $output"
}

@test "podman: --cap-drop and --cap-add" {
	p run --rm "$IMG" grep CapEff /proc/self/status
	expect_ok
	m=$(capeff "$output")
	has_cap "$m" CHOWN || fail "default lacks CHOWN: $m"
	! has_cap "$m" NET_ADMIN || fail "default has NET_ADMIN: $m"
	p run --rm --cap-drop CHOWN --cap-add NET_ADMIN "$IMG" sh -c 'grep CapEff /proc/self/status; chown 1000 /tmp 2>&1 || echo chown-denied; ip link set lo mtu 1400 && echo link-set'
	expect_ok
	m=$(capeff "$output")
	! has_cap "$m" CHOWN || fail "CHOWN not dropped: $m"
	has_cap "$m" NET_ADMIN || fail "NET_ADMIN not added: $m"
	expect_output_has chown-denied link-set
	p run --rm --cap-drop all "$IMG" grep CapEff /proc/self/status
	expect_ok
	[ "$(capeff "$output")" = 0000000000000000 ] || fail "caps: $output"
}

@test "podman: --read-only" {
	p run --rm --read-only "$IMG" sh -c 'touch /x 2>&1 || echo root-ro; touch /tmp/x && echo tmp-rw'
	expect_ok
	expect_output_has root-ro tmp-rw
}

@test "podman: bind mounts rw and ro" {
	mkdir -p "$BATS_TEST_TMPDIR/rw" "$BATS_TEST_TMPDIR/ro"
	echo host-data >"$BATS_TEST_TMPDIR/ro/f"
	p run --rm -v "$BATS_TEST_TMPDIR/rw:/rw" -v "$BATS_TEST_TMPDIR/ro:/ro:ro" "$IMG" sh -c 'echo written >/rw/out; cat /ro/f; echo x >/ro/g 2>&1 || echo ro-denied'
	expect_ok
	expect_output_has host-data ro-denied
	[ "$(cat "$BATS_TEST_TMPDIR/rw/out")" = written ] || fail "rw bind not written"
	[ ! -e "$BATS_TEST_TMPDIR/ro/g" ] || fail "ro bind written"
}

@test "podman: tmpfs" {
	p run --rm --tmpfs /scratch:rw,size=1m,mode=1777 "$IMG" sh -c 'grep " /scratch " /proc/mounts; stat -c %a /scratch; head -c 2000000 /dev/zero >/scratch/f || echo scratch-full'
	expect_ok
	expect_output_has "tmpfs /scratch tmpfs" "size=1024k" 1777 scratch-full
}

@test "podman: named volume" {
	p volume create vol1
	expect_ok
	p run --rm -v vol1:/data "$IMG" sh -c 'echo persisted >/data/f'
	expect_ok
	p run --rm -v vol1:/data:ro "$IMG" cat /data/f
	expect_ok
	[ "$output" = persisted ] || fail "volume content: $output"
	p volume rm vol1
	expect_ok
}

@test "podman: --network none" {
	p run --rm --network none "$IMG" sh -c 'ls /sys/class/net'
	expect_ok
	[ "$output" = lo ] || fail "interfaces: $output"
}

@test "podman: default bridge network" {
	p run -d --name srv "$IMG" sh -c 'echo from-server | nc -l -p 8080'
	expect_ok
	p inspect --format '{{.NetworkSettings.IPAddress}}' srv
	ip=$output
	[[ "$ip" == 10.88.* ]] || fail "address $ip"
	p run --rm "$IMG" sh -c "ip -4 addr show eth0; for i in 1 2 3 4 5 6 7 8 9 10; do nc $ip 8080 </dev/null && exit 0; sleep 0.3; done; exit 1"
	expect_ok
	expect_output_has "inet 10.88." from-server
}

@test "podman: --pid host" {
	sleep 1000 &
	bg=$!
	p run --rm --pid host "$IMG" sh -c 'echo self=$$; cat /proc/'"$bg"'/cmdline | tr "\0" " "'
	kill "$bg"
	expect_ok
	expect_output_lacks self=1
	expect_output_has "sleep 1000"
}

@test "podman: --device" {
	p run --rm --device /dev/full:/dev/myfull "$IMG" sh -c 'ls -l /dev/myfull; (echo x >/dev/myfull) 2>/dev/null || echo write-full; head -c 3 /dev/myfull | od -An -tx1'
	expect_ok
	expect_output_has "1,   7" write-full "00 00 00"
	p run --rm "$IMG" ls /dev/myfull
	[ "$status" -ne 0 ] || fail "device present without --device"
}

@test "podman: default seccomp profile" {
	p run --rm "$IMG" sh -c 'grep -E "^(Seccomp|NoNewPrivs)" /proc/self/status'
	expect_ok
	expect_output_has "Seccomp:	2"
}

@test "podman: --security-opt seccomp=unconfined" {
	p run --rm --security-opt seccomp=unconfined "$IMG" grep '^Seccomp:' /proc/self/status
	expect_ok
	expect_output_has "Seccomp:	0"
}

@test "podman: default ulimits (podman 4.3 as root puts no rlimits in the config: the limits are inherited)" {
	hard=$(ulimit -Hn)
	p run --rm "$IMG" sh -c 'ulimit -Hn'
	expect_ok
	[ "$output" = "$hard" ] || fail "hard nofile $output, expected $hard"
}

@test "podman: --ulimit within the hard limits" {
	# podman adds RLIMIT_NPROC 1048576 when any --ulimit is given and nproc is not: give it
	nproc=$(ulimit -Hu)
	p run --rm --ulimit nofile=1024:2048 --ulimit "nproc=$nproc:$nproc" "$IMG" sh -c 'ulimit -Sn; ulimit -Hn; ulimit -Hu'
	expect_ok
	[ "${lines[0]}" = 1024 ] && [ "${lines[1]}" = 2048 ] && [ "${lines[2]}" = "$nproc" ] || fail "limits: $output"
}

@test "podman: --ulimit nofile alone: the RLIMIT_NPROC podman adds is above the hard limit" {
	nproc=$(ulimit -Hu)
	[ "$nproc" != unlimited ] && [ "$nproc" -lt 1048576 ] || skip "the hard RLIMIT_NPROC is $nproc"
	if (((16#$(capeff "$(cat /proc/self/status)") >> 24) & 1)); then
		skip "CAP_SYS_RESOURCE is held: raising the hard limit is allowed"
	fi
	p run --rm --ulimit nofile=1024:2048 "$IMG" true
	[ "$status" -ne 0 ] || fail "RLIMIT_NPROC 1048576 above the hard limit $nproc was accepted"
	echo "# $RUNTIME_NAME: $output" >&3
	expect_output_lacks panic
	if ! is_runc; then
		expect_output_has RLIMIT_NPROC 1048576 "$nproc"
	fi
}

@test "podman: --ulimit above the hard limit fails with a clear error" {
	hard=$(ulimit -Hn)
	[ "$hard" != unlimited ] || skip "the hard RLIMIT_NOFILE is unlimited"
	if (((16#$(capeff "$(cat /proc/self/status)") >> 24) & 1)); then
		skip "CAP_SYS_RESOURCE is held: raising the hard limit is allowed"
	fi
	# what podman as root asks for by default in later versions (fs.nr_open's default)
	want=1048576
	[ "$hard" -lt "$want" ] || want=$((hard * 2))
	p run --rm --ulimit "nofile=$want:$want" "$IMG" true
	[ "$status" -ne 0 ] || fail "nofile $want above the hard limit $hard was accepted"
	echo "# $RUNTIME_NAME: $output" >&3
	expect_output_lacks panic
	if ! is_runc; then
		expect_output_has RLIMIT_NOFILE "$want" "$hard"
	fi
}

@test "podman: --uidmap/--gidmap: the container's root is the mapped host uid" {
	p run --rm --uidmap 0:100000:65536 --gidmap 0:100000:65536 "$IMG" \
		sh -c 'cat /proc/self/uid_map; id -u'
	expect_ok
	expect_output_has 100000 65536
	p run -d --name um --uidmap 0:200000:65536 --gidmap 0:200000:65536 "$IMG" sleep 1000
	expect_ok
	p exec um cat /proc/self/uid_map
	expect_ok
	expect_output_has 200000
	p inspect --format '{{.State.Pid}}' um
	expect_ok
	[ "$(stat -c %u "/proc/$output")" = 200000 ] || fail "the init is not host uid 200000"
	p stop -t 1 um
	expect_ok
	p rm um
	expect_ok
}

@test "podman: --userns=auto takes a range of the 'containers' user" {
	grep -q '^containers:' /etc/subuid && grep -q '^containers:' /etc/subgid ||
		skip "no 'containers' range in /etc/subuid and /etc/subgid"
	p run --rm --userns=auto "$IMG" cat /proc/self/uid_map
	expect_ok
	read -r inside outside count <<<"$output"
	[ "$inside" = 0 ] && [ "$outside" -gt 0 ] && [ "$count" -gt 0 ] || fail "map: $output"
}
