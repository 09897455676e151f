#!/usr/bin/env bats
# The Kubernetes node path: containerd 1.6's CRI plugin driven as kubelet drives it (gRPC on
# its socket, through cri/cri_client.py), its default runtime io.containerd.runc.v2 with
# BinaryName the runtime under test.  containerd is private (its own root, state, sockets
# and config), its images are made here (a static pause binary and the busybox rootfs) and
# imported into the k8s.io namespace.  Its CNI network is a bridge in the suite's private
# network namespace; most pods use the node's network (as it is there, the suite's own).  Pods live in cgroups below a
# kubepods-like parent of this run: <parent>/<qos>/pod<uid>/<container id>.

load helpers

NS=k8s.io
IMG=$IMAGE_REF
PAUSE_REF=localhost/ocirun-pause:latest

setup_file() {
	setup_work || return 1
	export CRI_STUBS=$WORK/stubs CRI_SOCKET=$WORK/containerd.sock
	# unique to the run: the cgroup hierarchies are the host's, shared with any other run
	KUBEPODS=ocirun-kubepods-$(cut -c1-8 /proc/sys/kernel/random/uuid)
	export KUBEPODS
	mkdir -p "$WORK/cni" "$WORK/logs"
	# the client's stubs in $CRI_STUBS, the pause image
	"$BATS_TEST_DIRNAME/cri/assets.sh" "$WORK" || return 1

	# a bridge without masquerading or gateway: it lives in the suite's network namespace
	cat >"$WORK/cni/10-ocirun-cri.conflist" <<-'CNI'
		{"cniVersion": "0.4.0", "name": "ocirun-cri", "plugins": [
		 {"type": "bridge", "bridge": "cri0", "isGateway": false, "ipMasq": false,
		  "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.89.0.0/24"}]]}}]}
	CNI
	containerd_config
	cat >>"$WORK/containerd.toml" <<-TOML
		[plugins."io.containerd.grpc.v1.cri"]
		  sandbox_image = "$PAUSE_REF"
		  restrict_oom_score_adj = true
		  stream_server_address = "127.0.0.1"
		  stream_server_port = "0"
		  disable_apparmor = true
		  [plugins."io.containerd.grpc.v1.cri".containerd]
		    snapshotter = "overlayfs"
		    default_runtime_name = "test"
		    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.test]
		      runtime_type = "io.containerd.runc.v2"
		      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.test.options]
		        BinaryName = "$RUNTIME"
		  [plugins."io.containerd.grpc.v1.cri".cni]
		    bin_dir = "/usr/lib/cni"
		    conf_dir = "$WORK/cni"
	TOML
	start_containerd "$NS" || return 1
	local t
	for t in "$IMAGE_TAR" "$WORK/pause.tar"; do
		"$WORK/ctr" image import "$t" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log" >&2; return 1; }
	done
	retry 30 network_ready || { cri status >&2; tail -n 20 "$WORK/containerd.log" >&2; return 1; }
}

teardown_file() {
	if [ -n "${WORK:-}" ] && [ -S "$WORK/containerd.sock" ]; then
		remove_all_pods
	fi
	stop_containerd
	CLIENT_CGROUP_PARENTS+=" ${KUBEPODS:-}"
	teardown_work
}

teardown() {
	remove_all_pods
}

# cri ARG...: the CRI client, without client's bookkeeping (for helpers).
cri() {
	timeout -k 5 "$CLIENT_TIMEOUT" /usr/bin/python3 "$BATS_TEST_DIRNAME/cri/cri_client.py" "$@"
}

# k ARG...: the CRI client under client (status, output).
k() {
	client /usr/bin/python3 "$BATS_TEST_DIRNAME/cri/cri_client.py" "$@"
}

network_ready() {
	cri status | jq -e '.status.conditions[] | select(.type == "NetworkReady") | .status' >/dev/null
}

# Every pod (stopped, then removed with its containers).
remove_all_pods() {
	local id
	for id in $(cri pods 2>/dev/null | jq -r '.items[]?.id'); do
		cri stopp "$id" >/dev/null 2>&1
		cri rmp "$id" >/dev/null 2>&1 || true
	done
}

# pod_config NAME [JQ]: writes $BATS_TEST_TMPDIR/NAME.pod.json, a pod on the node's network
# (no hostname: kubelet sets none for such pods, their UTS namespace is the node's)
# in the best-effort class of the kubepods-like parent, edited by the jq filter JQ.
pod_config() {
	local name=$1 uid
	uid=$(cat /proc/sys/kernel/random/uuid)
	jq -n --arg name "$name" --arg uid "$uid" --arg logs "$WORK/logs/$name-$uid" \
		--arg parent "/$KUBEPODS/besteffort/pod$uid" '{
		metadata: {name: $name, uid: $uid, namespace: "ocirun-test", attempt: 0},
		log_directory: $logs,
		linux: {cgroup_parent: $parent,
			security_context: {namespace_options: {network: "NODE", pid: "CONTAINER", ipc: "POD"}}}
	}' | jq "${2:-.}" >"$BATS_TEST_TMPDIR/$name.pod.json"
	mkdir -p "$WORK/logs/$name-$uid"
}

# runp NAME [JQ]: a pod from pod_config; its id in POD, its config in POD_JSON.
runp() {
	pod_config "$@"
	POD_JSON=$BATS_TEST_TMPDIR/$1.pod.json
	k runp "$POD_JSON"
	expect_ok || return 1
	POD=$output
}

# ctr_config NAME JQ CMD...: writes $BATS_TEST_TMPDIR/NAME.ctr.json, a busybox container
# running CMD, edited by JQ, with what kubelet adds to every container: the namespace options
# of the pod POD_JSON (containerd takes the container's) and, unless privileged, kubelet's
# default masked and read-only paths (containerd 1.6 has none of its own).
ctr_config() {
	local name=$1 filter=$2
	shift 2
	# (the command as JSON strings: jq would take an argument like -c as its own option)
	printf '%s\n' "$@" | jq -R . | jq -s --arg name "$name" --arg img "$IMG" '{
		metadata: {name: $name, attempt: 0}, image: {image: $img},
		command: ., log_path: ($name + ".log"), linux: {}
	}' | jq "$filter" | jq --slurpfile pod "$POD_JSON" '
		.linux.security_context.namespace_options //= $pod[0].linux.security_context.namespace_options |
		if .linux.security_context.privileged then . else
			.linux.security_context.masked_paths //= ["/proc/acpi", "/proc/kcore", "/proc/keys",
				"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
				"/proc/scsi", "/sys/firmware"] |
			.linux.security_context.readonly_paths //= ["/proc/asound", "/proc/bus", "/proc/fs",
				"/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
		end' >"$BATS_TEST_TMPDIR/$name.ctr.json"
}

# create NAME JQ CMD...: a container in POD; its id in CID.
create() {
	ctr_config "$@"
	k create "$POD" "$BATS_TEST_TMPDIR/$1.ctr.json" "$POD_JSON"
	expect_ok || return 1
	CID=$output
}

# run_ctr NAME JQ CMD...: create and start; its id in CID.
run_ctr() {
	create "$@" || return 1
	k start "$CID"
	expect_ok
}

# inspect_field ID JQ: a field of the container's status.
inspect_field() {
	cri inspect "$1" | jq -r "$2"
}

# ctr_cgroup ID CONTROLLER: the container's cgroup directory in a v1 controller.
ctr_cgroup() {
	local path
	path=$(inspect_field "$1" '.info.runtimeSpec.linux.cgroupsPath')
	echo "/sys/fs/cgroup/$2$path"
}

@test "cri: the runtime is ready, the images are there" {
	k version
	expect_ok
	expect_output_has containerd v1
	k status
	expect_ok
	expect_output_has RuntimeReady NetworkReady
	k images
	expect_ok
	expect_output_has "$IMG" "$PAUSE_REF"
}

@test "cri: pod sandbox lifecycle (run, status, stop, remove)" {
	runp life
	k inspectp "$POD"
	expect_ok
	[ "$(jq -r .status.state <<<"$output")" = SANDBOX_READY ] || fail "state: $output"
	pid=$(jq -r .info.pid <<<"$output")
	[ "$(cat "/proc/$pid/comm")" = pause ] || fail "sandbox pid $pid is not the pause process"
	# the sandbox was made by the runtime under test, in the pod's cgroup
	client "$RUNTIME" --root "/run/containerd/runc/$NS" state "$POD"
	expect_ok
	expect_output_has '"status": "running"'
	grep -q "/$KUBEPODS/besteffort/pod" "/proc/$pid/cgroup" || fail "cgroup: $(cat "/proc/$pid/cgroup")"
	k stopp "$POD"
	expect_ok
	k inspectp "$POD"
	expect_ok
	[ "$(jq -r .status.state <<<"$output")" = SANDBOX_NOTREADY ] || fail "state: $output"
	[ ! -d "/proc/$pid" ] || grep -q '^State:.*Z' "/proc/$pid/status" || fail "pause $pid survived"
	k stopp "$POD"
	expect_ok
	k rmp "$POD"
	expect_ok
	k pods
	expect_output_lacks "$POD"
	client "$RUNTIME" --root "/run/containerd/runc/$NS" state "$POD"
	[ "$status" -ne 0 ] || fail "runtime still knows the sandbox"
}

# log_of NAME: the CRI log file of the container NAME of the last pod.
log_of() {
	echo "$(jq -r .log_directory "$POD_JSON")/$1.log"
}

# the CRI log format: "<RFC 3339 time> <stream> <P|F> <text>"; log_text FILE: the texts
log_text() {
	cut -d' ' -f4- "$1"
}

@test "cri: a container in the pod (create, start, status, stop, remove), kubepods-like cgroups" {
	runp ctr
	run_ctr c1 . sh -c 'echo started; exec sleep 1000'
	k inspect "$CID"
	expect_ok
	[ "$(jq -r .status.state <<<"$output")" = CONTAINER_RUNNING ] || fail "state: $output"
	pid=$(jq -r .info.pid <<<"$output")
	path=$(jq -r .info.runtimeSpec.linux.cgroupsPath <<<"$output")
	uid=$(jq -r .metadata.uid "$POD_JSON")
	[ "$path" = "/$KUBEPODS/besteffort/pod$uid/$CID" ] || fail "cgroups path: $path"
	for c in memory cpu pids; do
		grep -qx "$pid" "/sys/fs/cgroup/$c$path/cgroup.procs" || fail "$pid not in the $c cgroup $path"
	done
	client "$RUNTIME" --root "/run/containerd/runc/$NS" state "$CID"
	expect_ok
	expect_output_has '"status": "running"'
	retry 30 grep -q started "$(log_of c1)"
	k ps "$POD"
	expect_ok
	expect_output_has "$CID"
	k stop -t 1 "$CID"
	expect_ok
	[ "$(inspect_field "$CID" .status.state)" = CONTAINER_EXITED ] || fail "not exited"
	k rm "$CID"
	expect_ok
	[ ! -d "/sys/fs/cgroup/memory$path" ] || fail "cgroup $path left"
	k ps "$POD"
	expect_output_lacks "$CID"
}

@test "cri: ExecSync (output, exit code, timeout)" {
	runp exs
	run_ctr c1 . sleep 1000
	k exec-sync "$CID" sh -c 'echo to-stdout; echo to-stderr >&2; exit 3'
	expect_status 3
	expect_output_has to-stdout to-stderr
	k exec-sync "$CID" cat /proc/1/comm
	expect_ok
	[ "$output" = sleep ] || fail "pid 1: $output"
	# a command past its timeout: the call fails and the process is gone
	k exec-sync --timeout 1 "$CID" sh -c 'exec sleep 37'
	[ "$status" -ne 0 ] || fail "ExecSync ended without its timeout"
	expect_output_has timeout
	k exec-sync "$CID" sh -c 'ps -o args | grep -c "^sleep 37" || true'
	expect_ok
	[ "$output" = 0 ] || fail "the timed out exec is still running"
}

@test "cri: env, working dir, command and args" {
	runp env
	run_ctr c1 '.envs = [{key: "FOO", value: "foo value"}, {key: "BAR", value: "b=1"}] | .working_dir = "/srv/work" | .args = ["echo \"FOO=$FOO BAR=$BAR cwd=$(pwd) args=$0,$1\"", "a0", "a1"]' sh -c
	k wait "$CID" CONTAINER_EXITED 30
	expect_ok
	log_text "$(log_of c1)" >"$BATS_TEST_TMPDIR/log"
	grep -qx 'FOO=foo value BAR=b=1 cwd=/srv/work args=a0,a1' "$BATS_TEST_TMPDIR/log" || fail "log: $(cat "$(log_of c1)")"
	[ "$(inspect_field "$CID" .status.exit_code)" = 0 ] || fail "exit code"
	# the image's environment is kept and the same applies to an exec
	run_ctr c2 '.envs = [{key: "FOO", value: "x"}] | .working_dir = "/tmp"' sleep 1000
	k exec-sync "$CID" sh -c 'echo "$FOO $PATH $(pwd)"'
	expect_ok
	expect_output_has "x /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /tmp"
}

@test "cri: resource limits and UpdateContainerResources in the cgroup" {
	runp res
	run_ctr c1 '.linux.resources = {cpu_period: 100000, cpu_quota: 50000, cpu_shares: 512,
		memory_limit_in_bytes: 67108864, oom_score_adj: 500}' sleep 1000
	cg=$(ctr_cgroup "$CID" memory)
	[ "$(cat "$cg/memory.limit_in_bytes")" = 67108864 ] || fail "memory limit $(cat "$cg/memory.limit_in_bytes")"
	cg=$(ctr_cgroup "$CID" cpu)
	[ "$(cat "$cg/cpu.cfs_quota_us")" = 50000 ] || fail "quota $(cat "$cg/cpu.cfs_quota_us")"
	[ "$(cat "$cg/cpu.shares")" = 512 ] || fail "shares $(cat "$cg/cpu.shares")"
	k exec-sync "$CID" cat /proc/1/oom_score_adj
	expect_ok
	[ "$output" = 500 ] || fail "oom_score_adj: $output"
	printf '%s' '{"cpu_period": 100000, "cpu_quota": 20000, "cpu_shares": 256,
		"memory_limit_in_bytes": 134217728}' >"$BATS_TEST_TMPDIR/res.json"
	k update "$CID" "$BATS_TEST_TMPDIR/res.json"
	expect_ok
	[ "$(cat "$cg/cpu.cfs_quota_us")" = 20000 ] || fail "updated quota $(cat "$cg/cpu.cfs_quota_us")"
	[ "$(cat "$cg/cpu.shares")" = 256 ] || fail "updated shares $(cat "$cg/cpu.shares")"
	cg=$(ctr_cgroup "$CID" memory)
	[ "$(cat "$cg/memory.limit_in_bytes")" = 134217728 ] || fail "updated memory $(cat "$cg/memory.limit_in_bytes")"
	k inspect "$CID"
	expect_ok
	[ "$(jq -r .status.resources.linux.memory_limit_in_bytes <<<"$output")" = 134217728 ] ||
		fail "status resources: $(jq .status.resources <<<"$output")"
}

@test "cri: ContainerStats" {
	runp stats
	run_ctr c1 . sh -c 'x=$(head -c 4000000 /dev/zero | tr "\0" a); sleep 1000'
	k stats "$CID"
	expect_ok
	[ "$(jq -r .stats.attributes.id <<<"$output")" = "$CID" ] || fail "id: $output"
	[ "$(jq -r .stats.memory.working_set_bytes.value <<<"$output")" -gt 0 ] || fail "memory: $output"
	[ "$(jq -r .stats.cpu.usage_core_nano_seconds.value <<<"$output")" -gt 0 ] || fail "cpu: $output"
}

@test "cri: read-only root filesystem" {
	runp ro
	run_ctr c1 '.linux.security_context.readonly_rootfs = true' sleep 1000
	k exec-sync "$CID" sh -c 'touch /x 2>&1; touch /tmp/x 2>&1; echo done'
	expect_ok
	expect_output_has "Read-only file system" done
	k exec-sync "$CID" sh -c 'grep " / " /proc/mounts'
	expect_ok
	expect_output_has " ro,"
}

@test "cri: the default masked and read-only paths, devices and mounts" {
	runp mask
	run_ctr c1 . sleep 1000
	# (the write goes to a sysctl of the pod's own IPC namespace, should /proc/sys be writable)
	k exec-sync "$CID" sh -c 'echo keys=$(wc -c </proc/keys) acpi=$(ls /proc/acpi | wc -l); (echo 4096 >/proc/sys/kernel/msgmnb) 2>&1; ls /dev; grep -E " /dev/(shm|mqueue|pts) " /proc/mounts'
	expect_ok
	expect_output_has "keys=0 acpi=0" "Read-only file system" null zero full random urandom tty pts shm mqueue \
		" /dev/shm " " /dev/mqueue " " /dev/pts "
}

@test "cri: runAsUser, runAsGroup, supplemental groups" {
	runp user
	run_ctr c1 '.linux.security_context = {run_as_user: {value: 1000}, run_as_group: {value: 1000},
		supplemental_groups: [5]}' sh -c 'id; sleep 1000'
	retry 30 grep -q uid= "$(log_of c1)"
	log_text "$(log_of c1)" | grep -q 'uid=1000(user) gid=1000(user) groups=.*5(tty)' || fail "id: $(cat "$(log_of c1)")"
	k exec-sync "$CID" id
	expect_ok
	expect_output_has uid=1000 gid=1000 5
	k exec-sync "$CID" sh -c 'touch /root/x 2>&1; grep CapEff /proc/self/status'
	expect_ok
	expect_output_has "Permission denied"
	[ "$(capeff "$output")" = 0000000000000000 ] || fail "a non-root user has capabilities: $output"
}

@test "cri: drop ALL capabilities, add one" {
	runp caps
	run_ctr c1 '.linux.security_context.capabilities = {drop_capabilities: ["ALL"],
		add_capabilities: ["NET_BIND_SERVICE"]}' sleep 1000
	k exec-sync "$CID" grep -E '^Cap(Eff|Prm|Bnd)' /proc/self/status
	expect_ok
	for f in CapEff CapPrm CapBnd; do
		grep -q "^$f:[[:space:]]*0000000000000400$" <<<"$output" || fail "$f: $output"
	done
	k exec-sync "$CID" sh -c 'chown 1 /tmp 2>&1 || echo chown-denied'
	expect_ok
	expect_output_has chown-denied
}

@test "cri: seccomp RuntimeDefault and Localhost profiles" {
	runp secc
	run_ctr c1 '.linux.security_context.seccomp = {profile_type: "RuntimeDefault"}' sleep 1000
	k exec-sync "$CID" sh -c 'grep ^Seccomp: /proc/self/status; unshare -U true 2>&1 || echo userns-denied'
	expect_ok
	expect_output_has "Seccomp:	2" userns-denied
	run_ctr c2 '.linux.security_context.seccomp = {profile_type: "Unconfined"}' sleep 1000
	k exec-sync "$CID" sh -c 'grep ^Seccomp: /proc/self/status; unshare -U true && echo userns-made'
	expect_ok
	expect_output_has "Seccomp:	0" userns-made
	cat >"$WORK/no-mkdir.json" <<-'JSON'
		{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
		 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
	JSON
	run_ctr c3 ".linux.security_context.seccomp = {profile_type: \"Localhost\", localhost_ref: \"$WORK/no-mkdir.json\"}" sleep 1000
	k exec-sync "$CID" sh -c 'grep ^Seccomp: /proc/self/status; mkdir /tmp/d 2>&1; touch /tmp/f && echo touched'
	expect_ok
	expect_output_has "Seccomp:	2" "Permission denied" touched
}

@test "cri: hostPath mounts read-only, read-write, host-to-container and bidirectional propagation" {
	d=$BATS_TEST_TMPDIR
	mkdir -p "$d/rw" "$d/ro" "$d/prop"
	echo host-data >"$d/ro/f"
	# propagation needs a shared source mount (the suite's mount namespace is private)
	mount --bind "$d/prop" "$d/prop"
	mount --make-shared "$d/prop"
	runp hp '.linux.security_context.privileged = true'
	run_ctr c1 ".mounts = [{container_path: \"/rw\", host_path: \"$d/rw\"},
		{container_path: \"/ro\", host_path: \"$d/ro\", readonly: true},
		{container_path: \"/prop\", host_path: \"$d/prop\", propagation: \"PROPAGATION_HOST_TO_CONTAINER\"}]" sleep 1000
	k exec-sync "$CID" sh -c 'echo written >/rw/out; cat /ro/f; (echo x >/ro/g) 2>&1 || echo ro-denied'
	expect_ok
	expect_output_has host-data ro-denied
	[ "$(cat "$d/rw/out")" = written ] || fail "rw mount not written"
	[ ! -e "$d/ro/g" ] || fail "ro mount written"
	mkdir "$d/prop/sub"
	mount -t tmpfs -o size=1m host-tmpfs "$d/prop/sub"
	echo from-host >"$d/prop/sub/f"
	k exec-sync "$CID" cat /prop/sub/f
	expect_ok
	[ "$output" = from-host ] || fail "host mount not propagated: $output"
	umount "$d/prop/sub"
	# bidirectional (privileged only): a mount made in the container shows on the host
	run_ctr c2 ".linux.security_context.privileged = true | .mounts = [{container_path: \"/prop\",
		host_path: \"$d/prop\", propagation: \"PROPAGATION_BIDIRECTIONAL\"}]" sleep 1000
	k exec-sync "$CID" sh -c 'mount -t tmpfs -o size=1m ctr-tmpfs /prop/sub && echo from-ctr >/prop/sub/g'
	expect_ok
	[ "$(cat "$d/prop/sub/g" 2>&1)" = from-ctr ] || fail "container mount not propagated to the host"
	umount "$d/prop/sub"
	k rmp "$POD" # the pod first: then nothing holds the propagated mounts
	umount "$d/prop"
}

@test "cri: namespaced sysctls of the pod" {
	runp sysctl '.linux.sysctls = {"kernel.shmmax": "123456789", "kernel.msgmax": "12345"}'
	run_ctr c1 . sleep 1000
	k exec-sync "$CID" cat /proc/sys/kernel/shmmax /proc/sys/kernel/msgmax
	expect_ok
	[ "$output" = $'123456789\n12345' ] || fail "sysctls: $output"
	[ "$(cat /proc/sys/kernel/msgmax)" != 12345 ] || fail "the host's msgmax changed"
}

@test "cri: a pid namespace shared by the pod" {
	runp spid '.linux.security_context.namespace_options.pid = "POD"'
	run_ctr c1 . sleep 1001
	a=$CID
	run_ctr c2 . sleep 1002
	k exec-sync "$CID" ps -o pid,args
	expect_ok
	expect_output_has "sleep 1001" "sleep 1002" /pause
	[ "$(awk '$2 == "/pause" {print $1}' <<<"$output")" = 1 ] || fail "pause is not pid 1: $output"
	# a process orphaned in the pod goes to the pause process (pid 1), which reaps it: its
	# /proc entry goes (a zombie's stays)
	k exec-sync "$a" sh -c 'sh -c "sleep 0.3 & echo \$! >/tmp/orphan"; p=$(cat /tmp/orphan); i=0
		while [ -e /proc/$p ]; do
			i=$((i + 1)); [ $i -lt 300 ] || { ps -o pid,ppid,stat,comm; exit 1; }; sleep 0.1
		done; echo reaped'
	expect_ok
	expect_output_has reaped
}

@test "cri: a privileged container" {
	runp priv '.linux.security_context.privileged = true'
	run_ctr c1 '.linux.security_context.privileged = true' sleep 1000
	k exec-sync "$CID" sh -c 'grep -E "^(CapEff|Seccomp):" /proc/self/status; ls /dev/loop-control; mount -t tmpfs t /tmp && echo mounted'
	expect_ok
	has_cap "$(capeff "$output")" SYS_ADMIN || fail "no SYS_ADMIN: $output"
	expect_output_has "Seccomp:	0" /dev/loop-control mounted
}

@test "cri: the exit code and reason of a failed container" {
	runp fail
	run_ctr c1 . sh -c 'echo failing >&2; exit 7'
	k wait "$CID" CONTAINER_EXITED 30
	expect_ok
	k inspect "$CID"
	[ "$(jq -r .status.exit_code <<<"$output")" = 7 ] || fail "exit code: $output"
	[ "$(jq -r .status.reason <<<"$output")" = Error ] || fail "reason: $output"
	grep -q ' stderr F failing$' "$(log_of c1)" || fail "log: $(cat "$(log_of c1)")"
	run_ctr c2 . true
	k wait "$CID" CONTAINER_EXITED 30
	[ "$(inspect_field "$CID" .status.reason)" = Completed ] || fail "reason of exit 0"
	# a command that does not exist: StartContainer fails with the runtime's error
	create c3 . /no/such/binary
	k start "$CID"
	[ "$status" -ne 0 ] || fail "started a missing binary"
	expect_output_has "/no/such/binary" "no such file or directory"
}

@test "cri: a container restarted in its pod (the next attempt, as kubelet restarts it)" {
	runp restart
	run_ctr c1 '.log_path = "c1/0.log"' sh -c 'echo attempt-0; exit 1'
	first=$CID
	k wait "$first" CONTAINER_EXITED 30
	expect_ok
	run_ctr c1 '.metadata.attempt = 1 | .log_path = "c1/1.log"' sh -c 'echo attempt-1; exec sleep 1000'
	[ "$CID" != "$first" ] || fail "the same container id for the next attempt"
	[ "$(inspect_field "$CID" .status.state)" = CONTAINER_RUNNING ] || fail "attempt 1 not running"
	[ "$(inspect_field "$first" .status.exit_code)" = 1 ] || fail "attempt 0's exit code"
	dir=$(jq -r .log_directory "$POD_JSON")
	retry 30 grep -q attempt-1 "$dir/c1/1.log"
	grep -q attempt-0 "$dir/c1/0.log" || fail "attempt 0's log"
	k rm "$first"
	expect_ok
	[ "$(inspect_field "$CID" .status.state)" = CONTAINER_RUNNING ] || fail "attempt 1 hurt by removing attempt 0"
}

@test "cri: a pod with its own network and UTS namespaces (hostname, the CNI bridge, a net sysctl)" {
	runp ownnet '.hostname = "ownnet-host" | .linux.security_context.namespace_options.network = "POD"
		| .linux.sysctls = {"net.ipv4.ip_unprivileged_port_start": "80"}'
	k inspectp "$POD"
	expect_ok
	ip=$(jq -r .status.network.ip <<<"$output")
	[[ "$ip" == 10.89.0.* ]] || fail "pod ip: $output"
	run_ctr c1 . sleep 1000
	k exec-sync "$CID" sh -c 'hostname; ls /sys/class/net | tr "\n" " "; echo; cat /proc/sys/net/ipv4/ip_unprivileged_port_start; ip -4 -o addr show eth0'
	expect_ok
	[ "${lines[0]}" = ownnet-host ] || fail "hostname: $output"
	[ "${lines[1]}" = "eth0 lo " ] || fail "interfaces: $output"
	[ "${lines[2]}" = 80 ] || fail "net sysctl: $output"
	expect_output_has "inet $ip/24"
	[ "$(hostname)" != ownnet-host ] || fail "the node's hostname changed"
}

@test "cri: StopContainer with a grace period (SIGTERM, then SIGKILL)" {
	runp stop
	run_ctr c1 . sh -c 'trap "echo got-term; exit 0" TERM; echo ready; while :; do sleep 0.1; done'
	retry 30 grep -q ready "$(log_of c1)"
	k stop -t 10 "$CID"
	expect_ok
	[ "$(inspect_field "$CID" .status.exit_code)" = 0 ] || fail "graceful exit code"
	grep -q got-term "$(log_of c1)" || fail "SIGTERM not delivered"
	run_ctr c2 . sh -c 'trap "echo ignoring-term" TERM; echo ready; while :; do sleep 0.1; done'
	retry 30 grep -q ready "$(log_of c2)"
	k stop -t 2 "$CID"
	expect_ok
	k inspect "$CID"
	[ "$(jq -r .status.exit_code <<<"$output")" = 137 ] || fail "exit code after the grace period: $output"
	grep -q ignoring-term "$(log_of c2)" || fail "SIGTERM not delivered first"
}

@test "cri: a container killed by the OOM killer is reported OOMKilled" {
	d=$BATS_TEST_TMPDIR/trigger
	mkdir -p "$d"
	runp oom
	# it waits for the go file, so the OOM comes after StartContainer returned (when the
	# shim watches the cgroup's OOM events)
	run_ctr c1 ".linux.resources = {memory_limit_in_bytes: 33554432, memory_swap_limit_in_bytes: 33554432}
		| .mounts = [{container_path: \"/trigger\", host_path: \"$d\"}]" \
		sh -c 'while [ ! -e /trigger/go ]; do sleep 0.1; done; x=a; while :; do x=$x$x; done'
	touch "$d/go"
	k wait "$CID" CONTAINER_EXITED 60
	expect_ok
	k inspect "$CID"
	[ "$(jq -r .status.reason <<<"$output")" = OOMKilled ] || fail "reason: $output"
	[ "$(jq -r .status.exit_code <<<"$output")" = 137 ] || fail "exit code: $output"
}

@test "cri: the container log file and ReopenContainerLog" {
	runp logs
	run_ctr c1 . sh -c 'i=0; while :; do echo out-$i; echo err-$i >&2; i=$((i + 1)); sleep 0.1; done'
	log=$(log_of c1)
	retry 30 grep -q ' stdout F out-1$' "$log"
	retry 30 grep -q ' stderr F err-1$' "$log"
	mv "$log" "$log.1"
	k reopenlog "$CID"
	expect_ok
	retry 30 grep -q ' stdout F out-' "$log"
	n=$(sed -n 's/.* stdout F out-//p' "$log" | head -n1)
	last=$(sed -n 's/.* stdout F out-//p' "$log.1" | tail -n1)
	[ "$n" -gt "$last" ] || fail "the reopened log starts at $n, the old one ended at $last"
}

@test "cri: streaming exec and attach with a tty" {
	runp stream
	run_ctr c1 '.stdin = true | .stdin_once = true | .tty = true' sh
	printf 'tty; stty size; echo exec-$((6 * 7)); exit 4\n' >"$BATS_TEST_TMPDIR/in"
	CLIENT_STDIN=$BATS_TEST_TMPDIR/in k exec -t "$CID" sh
	expect_status 4
	expect_output_has /dev/pts/ "30 100" exec-42
	k exec "$CID" sh -c 'echo no-tty; [ -t 1 ] || echo stdout-not-a-tty; exit 3'
	expect_status 3
	expect_output_has no-tty stdout-not-a-tty
	printf 'tty; echo attached-$((6 * 7)); exit 5\n' >"$BATS_TEST_TMPDIR/in"
	CLIENT_STDIN=$BATS_TEST_TMPDIR/in k attach -t "$CID"
	expect_ok
	expect_output_has attached-42
	k wait "$CID" CONTAINER_EXITED 30
	expect_ok
	[ "$(inspect_field "$CID" .status.exit_code)" = 5 ] || fail "exit code after attach"
}

@test "cri: a dead init is detected (container and sandbox)" {
	runp dead
	run_ctr c1 . sleep 1000
	pid=$(inspect_field "$CID" .info.pid)
	kill -9 "$pid"
	k wait "$CID" CONTAINER_EXITED 30
	expect_ok
	[ "$(inspect_field "$CID" .status.exit_code)" = 137 ] || fail "exit code"
	pid=$(cri inspectp "$POD" | jq -r .info.pid)
	kill -9 "$pid"
	retry 30 sh -c "$(quoted /usr/bin/python3 "$BATS_TEST_DIRNAME/cri/cri_client.py" inspectp "$POD") | jq -e '.status.state == \"SANDBOX_NOTREADY\"'"
}

@test "cri: pods started and stopped in parallel" {
	n=4
	for i in $(seq $n); do
		pod_config par$i
		POD_JSON=$BATS_TEST_TMPDIR/par$i.pod.json ctr_config c$i . sleep 1000
	done
	for i in $(seq $n); do
		(
			p=$(cri runp "$BATS_TEST_TMPDIR/par$i.pod.json") &&
				c=$(cri create "$p" "$BATS_TEST_TMPDIR/c$i.ctr.json" "$BATS_TEST_TMPDIR/par$i.pod.json") &&
				cri start "$c" && echo "$p $c" >"$BATS_TEST_TMPDIR/par$i.ids"
		) >"$BATS_TEST_TMPDIR/par$i.out" 2>&1 &
	done
	wait
	for i in $(seq $n); do
		[ -s "$BATS_TEST_TMPDIR/par$i.ids" ] || fail "pod $i: $(cat "$BATS_TEST_TMPDIR/par$i.out")"
	done
	k ps
	[ "$(jq '[.containers[] | select(.state == "CONTAINER_RUNNING")] | length' <<<"$output")" = $n ] ||
		fail "running: $output"
	for i in $(seq $n); do
		read -r p _ <"$BATS_TEST_TMPDIR/par$i.ids"
		(cri stopp "$p" && cri rmp "$p") >"$BATS_TEST_TMPDIR/par$i.out" 2>&1 &
	done
	wait
	k pods
	expect_ok
	[ "$(jq '.items | length' <<<"$output")" = 0 ] || fail "pods left: $output"
}

@test "cri: nothing left behind (processes, mounts, cgroups, runtime state)" {
	runp last
	run_ctr c1 . sleep 1000
	k rmp "$POD"
	expect_ok
	k pods
	[ "$(jq '.items | length' <<<"$output")" = 0 ] || fail "pods left: $output"
	client "$RUNTIME" --root "/run/containerd/runc/$NS" list -q
	expect_ok
	[ -z "$output" ] || fail "runtime state left: $output"
	pgrep -f containerd-shim >/dev/null && fail "shims left: $(pgrep -af containerd-shim)"
	left=$(ps -eo pid=,args= | grep -vE 'containerd --config|bats|bash|ps -eo|grep|unshare|sed|sort|cat|timeout' || true)
	[ -z "$left" ] || fail "processes left: $left"
	grep -E "io.containerd.runtime.v2.task|$WORK/root/io.containerd|/run/netns/" /proc/self/mountinfo &&
		fail "mounts left"
	[ -z "$(ls /run/netns)" ] || fail "network namespaces left: $(ls /run/netns)"
	# the runtime removes the cgroups it made (<parent>/<qos>/pod<uid>/<id>); the pod level
	# belongs to kubelet
	left=$(find /sys/fs/cgroup/*/"$KUBEPODS" -mindepth 3 -type d 2>/dev/null)
	[ -z "$left" ] || fail "cgroups left: $left"
}
