#!/usr/bin/env bats
# Docker 20.10: dockerd (and the containerd it starts) with private data-root, exec-root,
# pidfile, socket and config, --iptables=false --bridge=none, the runtime under test added
# with --add-runtime ocirun=<path> and chosen with `docker run --runtime ocirun`.

load helpers
load docker_helpers

setup_file() {
	setup_work || return 1
	# a second interface, visible with --network host only
	ip link add ocitest0 type veth peer name ocitest1 2>/dev/null || ip link add ocitest0 type bridge
	start_docker
}

teardown_file() {
	stop_docker
	ip link del ocitest0 2>/dev/null || true
	teardown_work
}

teardown() {
	local ids
	ids=$("$WORK/dk" ps -aq 2>/dev/null)
	[ -z "$ids" ] || "$WORK/dk" rm -f $ids >/dev/null 2>&1 || true
}

IMG=$IMAGE_REF

@test "docker: image load from the docker-archive" {
	d images --format '{{.Repository}}:{{.Tag}}'
	expect_ok
	expect_output_has "$IMG"
}

@test "docker: the runtime is registered" {
	d info --format '{{json .Runtimes}}'
	expect_ok
	expect_output_has "$RUNTIME"
	drun -d --name rtcheck "$IMG" sleep 1000
	expect_ok
	d inspect --format '{{.HostConfig.Runtime}}' rtcheck
	[ "$output" = ocirun ] || fail "runtime $output"
	# the shim ran the runtime under test with the root dockerd gave it
	d inspect --format '{{.Id}}' rtcheck
	id=$output
	root=$(dirname "$(dirname "$(ls "$WORK"/exec/runtime-*/moby/"$id"/state.json)")")
	client "$RUNTIME" --root "$root" state "$id"
	expect_ok
	expect_output_has '"status": "running"'
}

@test "docker: run --rm and exit codes" {
	drun --rm "$IMG" true
	expect_status 0
	drun --rm "$IMG" sh -c 'exit 3'
	expect_status 3
	drun --rm "$IMG" sh -c 'exit 255'
	expect_status 255
	drun --rm "$IMG" /no/such/binary
	expect_status 127
	drun --rm "$IMG" no-such-command
	expect_status 127
	drun --rm "$IMG" /etc/passwd
	expect_status 126
	d ps -a -q
	[ -z "$output" ] || fail "containers left: $output"
}

@test "docker: run -i passes stdin" {
	printf 'line one\nline two\n' >"$BATS_TEST_TMPDIR/in"
	CLIENT_STDIN=$BATS_TEST_TMPDIR/in drun --rm -i "$IMG" sh -c 'wc -l; echo done'
	expect_ok
	expect_output_has 2 done
}

@test "docker: run -it gives a terminal" {
	printf 'tty; stty size; exit 5\n' >"$BATS_TEST_TMPDIR/in"
	CLIENT_STDIN=$BATS_TEST_TMPDIR/in client script -qefc "$(quoted "$WORK/dk" run --runtime ocirun --rm -it "$IMG" sh)" /dev/null
	expect_status 5
	expect_output_has /dev/pts/0
}

@test "docker: run -t without -i" {
	drun --rm -t "$IMG" sh -c 'tty; [ -t 1 ] && echo stdout-is-tty'
	expect_ok
	expect_output_has /dev/pts/0 stdout-is-tty
}

@test "docker: run -d, then exec with user, env, workdir and tty" {
	drun -d --name ex "$IMG" sleep 1000
	expect_ok
	d exec ex sh -c 'echo pid1=$(cat /proc/1/comm)'
	expect_ok
	expect_output_has pid1=sleep
	d exec --user 1000:1000 ex id
	expect_ok
	expect_output_has uid=1000 gid=1000
	d exec --user user ex id -un
	expect_ok
	expect_output_has user
	d exec -e FOO=bar ex sh -c 'echo foo=$FOO'
	expect_ok
	expect_output_has foo=bar
	d exec -w /tmp ex pwd
	expect_ok
	[ "$output" = /tmp ] || fail "cwd: $output"
	d exec -t ex sh -c 'tty'
	expect_ok
	expect_output_has /dev/pts/
	d exec ex sh -c 'exit 7'
	expect_status 7
	d rm -f ex
	expect_ok
}

@test "docker: logs" {
	drun -d --name lg "$IMG" sh -c 'echo out-line; echo err-line >&2; sleep 1000'
	expect_ok
	retry 10 sh -c "$WORK/dk logs lg 2>&1 | grep -q err-line"
	d logs lg
	expect_ok
	expect_output_has out-line err-line
}

@test "docker: ps and top" {
	drun -d --name pt "$IMG" sleep 1000
	expect_ok
	d ps --format '{{.Names}} {{.Status}}'
	expect_ok
	expect_output_has "pt Up"
	d top pt
	expect_ok
	expect_output_has "sleep 1000"
}

@test "docker: stats" {
	drun -d --name st --memory 64m "$IMG" sleep 1000
	expect_ok
	d stats --no-stream --format '{{.Name}} {{.MemUsage}} {{.PIDs}}' st
	expect_ok
	expect_output_has "st " "64MiB"
}

@test "docker: stop sends SIGTERM" {
	drun -d --name sp "$IMG" sh -c 'trap "echo got-term; exit 42" TERM; while :; do sleep 0.1; done'
	expect_ok
	sleep 0.5
	d stop -t 10 sp
	expect_ok
	d inspect --format '{{.State.ExitCode}}' sp
	expect_ok
	[ "$output" = 42 ] || fail "exit code $output"
	d logs sp
	expect_output_has got-term
}

@test "docker: stop escalates to SIGKILL" {
	drun -d --name sk "$IMG" sh -c 'trap "" TERM; while :; do sleep 0.1; done'
	expect_ok
	sleep 0.3
	SECONDS=0
	d stop -t 1 sk
	expect_ok
	[ "$SECONDS" -lt 10 ] || fail "stop took ${SECONDS}s"
	d inspect --format '{{.State.ExitCode}} {{.State.Status}}' sk
	expect_ok
	[ "$output" = "137 exited" ] || fail "state: $output"
}

@test "docker: restart" {
	drun -d --name rs "$IMG" sh -c 'echo started; sleep 1000'
	expect_ok
	d inspect --format '{{.State.Pid}}' rs
	pid1=$output
	d restart -t 0 rs
	expect_ok
	d inspect --format '{{.State.Pid}} {{.State.Status}}' rs
	expect_ok
	[ "${output% *}" != "$pid1" ] || fail "same pid after restart"
	expect_output_has running
	d exec rs true
	expect_ok
}

@test "docker: kill with a signal" {
	drun -d --name kl "$IMG" sh -c 'trap "echo got-usr1; exit 10" USR1; while :; do sleep 0.1; done'
	expect_ok
	sleep 0.3
	d kill -s USR1 kl
	expect_ok
	d wait kl
	expect_ok
	[ "$output" = 10 ] || fail "exit code $output"
	drun -d --name kl2 "$IMG" sleep 1000
	d kill kl2
	expect_ok
	d wait kl2
	[ "$output" = 137 ] || fail "exit code $output (docker kill sends SIGKILL by default)"
}

@test "docker: pause and unpause" {
	drun -d --name pa "$IMG" sh -c 'i=0; while :; do i=$((i+1)); echo $i >/tmp/n; sleep 0.05; done'
	expect_ok
	d pause pa
	expect_ok
	d inspect --format '{{.State.Status}}' pa
	[ "$output" = paused ] || fail "status $output"
	d exec pa true
	[ "$status" -ne 0 ] || fail "exec into a paused container succeeded"
	d unpause pa
	expect_ok
	d inspect --format '{{.State.Status}}' pa
	[ "$output" = running ] || fail "status $output"
	d exec pa cat /tmp/n
	expect_ok
}

@test "docker: --memory is visible and enforced" {
	drun --rm --memory 32m --memory-swap 32m "$IMG" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	expect_ok
	[ "$output" = 33554432 ] || fail "limit $output"
	drun --name oom --memory 32m --memory-swap 32m "$IMG" sh -c 'x=$(head -c 200000000 /dev/zero | tr "\0" a); echo survived'
	[ "$status" -ne 0 ] || fail "200MB in a 32MB container: $output"
	expect_output_lacks survived
	expect_status 137
}

@test "docker: update changes the limits of a running container" {
	drun -d --name up --memory 32m --memory-swap 64m --cpus 0.5 "$IMG" sleep 1000
	expect_ok
	d update --memory 48m --memory-swap 96m --cpus 0.25 --pids-limit 20 up
	expect_ok
	d exec up sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/pids/pids.max'
	expect_ok
	[ "${lines[0]}" = 50331648 ] && [ "${lines[1]}" = 25000 ] && [ "${lines[2]}" = 20 ] || fail "limits after update: $output"
}

@test "docker: --pids-limit is visible and enforced" {
	drun --rm --pids-limit 10 "$IMG" sh -c 'cat /sys/fs/cgroup/pids/pids.max; i=0; while [ $i -lt 20 ]; do sleep 5 & i=$((i+1)); done; echo forked-all'
	grep -qx 10 <<<"$output" || fail "pids.max: $output"
	expect_output_has "can't fork"
	expect_output_lacks forked-all
}

@test "docker: --cpus is visible and enforced" {
	drun --rm --cpus 0.5 "$IMG" sh -c 'cd /sys/fs/cgroup/cpu,cpuacct 2>/dev/null || cd /sys/fs/cgroup/cpu; cat cpu.cfs_quota_us cpu.cfs_period_us; timeout 1 sh -c "while :; do :; done"; grep nr_throttled cpu.stat'
	expect_ok
	[ "${lines[0]}" = 50000 ] && [ "${lines[1]}" = 100000 ] || fail "quota/period: $output"
	n=$(awk '/nr_throttled/ {print $2}' <<<"$output")
	[ "${n:-0}" -gt 0 ] || fail "never throttled: $output"
}

@test "docker: --user" {
	drun --rm --user 1000:1000 "$IMG" sh -c 'id -u; id -g; touch /root/x 2>&1 || echo denied'
	expect_ok
	expect_output_has 1000 denied
	drun --rm --user nobody "$IMG" id -u
	expect_ok
	[ "$output" = 65534 ] || fail "uid $output"
}

@test "docker: --cap-drop and --cap-add" {
	drun --rm "$IMG" grep CapEff /proc/self/status
	expect_ok
	m=$(capeff "$output")
	has_cap "$m" CHOWN || fail "default lacks CHOWN: $m"
	! has_cap "$m" NET_ADMIN || fail "default has NET_ADMIN: $m"
	drun --rm --cap-drop CHOWN --cap-add NET_ADMIN "$IMG" sh -c 'grep CapEff /proc/self/status; chown 1000 /tmp 2>&1 || echo chown-denied; ip link set lo mtu 1400 && echo link-set'
	expect_ok
	m=$(capeff "$output")
	! has_cap "$m" CHOWN || fail "CHOWN not dropped: $m"
	has_cap "$m" NET_ADMIN || fail "NET_ADMIN not added: $m"
	expect_output_has chown-denied link-set
	drun --rm --cap-drop all "$IMG" grep CapEff /proc/self/status
	expect_ok
	[ "$(capeff "$output")" = 0000000000000000 ] || fail "caps: $output"
}

@test "docker: --read-only (with a tmpfs /tmp)" {
	drun --rm --read-only --tmpfs /tmp "$IMG" sh -c 'touch /x 2>&1 || echo root-ro; touch /tmp/x && echo tmp-rw'
	expect_ok
	expect_output_has root-ro tmp-rw
}

@test "docker: bind mounts rw and ro" {
	mkdir -p "$BATS_TEST_TMPDIR/rw" "$BATS_TEST_TMPDIR/ro"
	echo host-data >"$BATS_TEST_TMPDIR/ro/f"
	drun --rm -v "$BATS_TEST_TMPDIR/rw:/rw" -v "$BATS_TEST_TMPDIR/ro:/ro:ro" "$IMG" sh -c 'echo written >/rw/out; cat /ro/f; echo x >/ro/g 2>&1 || echo ro-denied'
	expect_ok
	expect_output_has host-data ro-denied
	[ "$(cat "$BATS_TEST_TMPDIR/rw/out")" = written ] || fail "rw bind not written"
	[ ! -e "$BATS_TEST_TMPDIR/ro/g" ] || fail "ro bind written"
}

@test "docker: tmpfs" {
	drun --rm --tmpfs /scratch:rw,size=1m,mode=1777 "$IMG" sh -c 'grep " /scratch " /proc/mounts; stat -c %a /scratch; head -c 2000000 /dev/zero >/scratch/f || echo scratch-full'
	expect_ok
	expect_output_has "tmpfs /scratch tmpfs" "size=1024k" 1777 scratch-full
}

@test "docker: named volume" {
	d volume create vol1
	expect_ok
	drun --rm -v vol1:/data "$IMG" sh -c 'echo persisted >/data/f'
	expect_ok
	drun --rm -v vol1:/data:ro "$IMG" cat /data/f
	expect_ok
	[ "$output" = persisted ] || fail "volume content: $output"
	d volume rm vol1
	expect_ok
}

@test "docker: --network none" {
	drun --rm --network none "$IMG" sh -c 'ls /sys/class/net'
	expect_ok
	[ "$output" = lo ] || fail "interfaces: $output"
}

@test "docker: host network" {
	drun --rm --network host "$IMG" ls /sys/class/net
	expect_ok
	expect_output_has ocitest0
}

@test "docker: user-defined bridge network" {
	d network create --driver bridge --subnet 10.89.0.0/24 tnet
	expect_ok
	drun -d --network tnet --name srv "$IMG" sh -c 'echo from-server | nc -l -p 8080'
	expect_ok
	d inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' srv
	ip=$output
	[[ "$ip" == 10.89.0.* ]] || fail "address $ip"
	drun --rm --network tnet "$IMG" sh -c "ip -4 addr show eth0; for i in 1 2 3 4 5 6 7 8 9 10; do nc $ip 8080 </dev/null && exit 0; sleep 0.3; done; exit 1"
	expect_ok
	expect_output_has "inet 10.89.0." from-server
	d rm -f srv
	d network rm tnet
	expect_ok
}

@test "docker: --pid host" {
	sleep 1000 &
	bg=$!
	drun --rm --pid host "$IMG" sh -c 'echo self=$$; cat /proc/'"$bg"'/cmdline | tr "\0" " "'
	kill "$bg"
	expect_ok
	expect_output_lacks self=1
	expect_output_has "sleep 1000"
}

@test "docker: --device" {
	drun --rm --device /dev/full:/dev/myfull "$IMG" sh -c 'ls -l /dev/myfull; (echo x >/dev/myfull) 2>/dev/null || echo write-full; head -c 3 /dev/myfull | od -An -tx1'
	expect_ok
	expect_output_has "1,   7" write-full "00 00 00"
	drun --rm "$IMG" ls /dev/myfull
	[ "$status" -ne 0 ] || fail "device present without --device"
}

@test "docker: default seccomp profile" {
	drun --rm "$IMG" sh -c 'grep -E "^(Seccomp|NoNewPrivs)" /proc/self/status'
	expect_ok
	expect_output_has "Seccomp:	2"
}

@test "docker: --security-opt seccomp=unconfined" {
	drun --rm --security-opt seccomp=unconfined "$IMG" grep '^Seccomp:' /proc/self/status
	expect_ok
	expect_output_has "Seccomp:	0"
}

@test "docker: default ulimits (no rlimits in the config: the limits are inherited)" {
	hard=$(ulimit -Hn)
	drun --rm "$IMG" sh -c 'ulimit -Hn'
	expect_ok
	[ "$output" = "$hard" ] || fail "hard nofile $output, expected $hard"
}

@test "docker: --ulimit within the hard limit" {
	drun --rm --ulimit nofile=1024:2048 "$IMG" sh -c 'ulimit -Sn; ulimit -Hn'
	expect_ok
	[ "${lines[0]}" = 1024 ] && [ "${lines[1]}" = 2048 ] || fail "nofile: $output"
}

@test "docker: --ulimit above the hard limit fails with a clear error" {
	hard=$(ulimit -Hn)
	[ "$hard" != unlimited ] || skip "the hard RLIMIT_NOFILE is unlimited"
	if (((16#$(capeff "$(cat /proc/self/status)") >> 24) & 1)); then
		skip "CAP_SYS_RESOURCE is held: raising the hard limit is allowed"
	fi
	# what podman as root asks for by default in later versions (fs.nr_open's default)
	want=1048576
	[ "$hard" -lt "$want" ] || want=$((hard * 2))
	drun --rm --ulimit "nofile=$want:$want" "$IMG" true
	[ "$status" -ne 0 ] || fail "nofile $want above the hard limit $hard was accepted"
	echo "# $RUNTIME_NAME: $output" >&3
	expect_output_lacks panic
	if ! is_runc; then
		expect_output_has RLIMIT_NOFILE "$want" "$hard"
	fi
}
