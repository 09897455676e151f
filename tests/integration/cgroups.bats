#!/usr/bin/env bats
# cgroups: the init joins its cgroup; memory and pids limits; cgroupsPath.

load helpers

setup() {
	setup_bundle sleep 100
	update_config '.linux.cgroupsPath = "/ocirun-test/" + $id' --arg id "$ID"
}

@test "cgroups: the init is in the container's cgroup of every controller" {
	start_detached
	pid=$(container_pid "$ID")
	for c in memory pids cpu devices freezer; do
		dir=$(cgroup_dir "$pid" $c)
		[[ "$dir" == */ocirun-test/$ID ]] || fail "$c: $dir"
		grep -qx "$pid" "$dir/cgroup.procs"
	done
}

@test "cgroups: memory limit is set" {
	update_config '.linux.resources.memory = {"limit": 67108864}'
	start_detached
	dir=$(cgroup_dir "$(container_pid "$ID")" memory)
	[ "$(cat "$dir/memory.limit_in_bytes")" = 67108864 ]
}

@test "cgroups: pids limit is set and enforced" {
	update_config '.linux.resources.pids = {"limit": 5}'
	start_detached
	dir=$(cgroup_dir "$(container_pid "$ID")" pids)
	[ "$(cat "$dir/pids.max")" = 5 ]
	in_container sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 5 & done; wait'
	[ "$(wc -l <"$dir/cgroup.procs")" -le 5 ]
	[ "$(cat "$dir/pids.events" 2>/dev/null | awk '{print $2}')" -gt 0 ] ||
		[[ "$output" == *"fork"* ]] || [ "$status" -ne 0 ]
}

@test "cgroups: a relative cgroupsPath without leading slash works" {
	update_config '.linux.cgroupsPath = "ocirun-test/" + $id' --arg id "$ID"
	start_detached
	dir=$(cgroup_dir "$(container_pid "$ID")" pids)
	[[ "$dir" == */ocirun-test/$ID ]]
}

@test "cgroups: the init is in its cgroup before it runs (seen from a createRuntime hook)" {
	update_config '.hooks.createRuntime = [{"path": "/bin/sh", "args": ["sh", "-c", "pid=$(jq -r .pid); grep pids: /proc/$pid/cgroup > \"$0\"", $out]}]' --arg out "$BATS_TEST_TMPDIR/cg"
	create_container
	grep -q "/ocirun-test/$ID\$" "$BATS_TEST_TMPDIR/cg"
}

@test "cgroups: a memory limit too low fails with a clear error" {
	update_config '.linux.resources.memory = {"limit": 4096}'
	set_args true
	runtime run "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "cgroups: update takes value flags before or after the container id" {
	update_config '.linux.resources.pids = {"limit": 20}'
	start_detached
	dir=$(cgroup_dir "$(container_pid "$ID")" pids)
	runtime update --pids-limit 30 "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$dir/pids.max")" = 30 ]
	runtime update "$ID" --pids-limit 40
	[ "$status" -eq 0 ]
	[ "$(cat "$dir/pids.max")" = 40 ]
	runtime update "$ID" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"requires "*"1 argument"* ]]
}

@test "cgroups: update keeps the new limits in the stored configuration; a later update keeps the others" {
	skip_if_runc "runc keeps its configuration in state.json, in its own format"
	update_config '.linux.resources.pids = {"limit": 20} | .linux.resources.memory = {"limit": 67108864}'
	start_detached
	cfg=$ROOT/$ID/config.json
	runtime update --pids-limit 30 "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq .linux.resources.pids.limit "$cfg")" = 30 ]
	[ "$(jq .linux.resources.memory.limit "$cfg")" = 67108864 ]
	echo '{"memory": {"limit": 134217728}}' >"$BATS_TEST_TMPDIR/r.json"
	runtime update -r "$BATS_TEST_TMPDIR/r.json" "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq .linux.resources.pids.limit "$cfg")" = 30 ]
	[ "$(jq -c .linux.resources.memory "$cfg")" = '{"limit":134217728}' ]
	# the rewritten copy is still the container's configuration
	in_container true
	[ "$status" -eq 0 ]
	[ "$(cat "$(cgroup_dir "$(container_pid "$ID")" pids)/pids.max")" = 30 ]
}

@test "cgroups: update -r names the JSON path of a bad value" {
	start_detached
	echo '{"memory": {"limit": "lots"}}' >"$BATS_TEST_TMPDIR/r.json"
	runtime update -r "$BATS_TEST_TMPDIR/r.json" "$ID"
	[ "$status" -ne 0 ]
	if ! is_runc; then
		[[ "$output" == *".memory.limit"* ]]
	fi
}

@test "cgroups: update -r changes the per-device I/O limits" {
	skip_if_runc "runc 1.1.5 takes only blockIO.weight from update -r (current runc takes these)"
	dev=$(lsblk -dno MAJ:MIN | head -1 | tr -d ' \t\n')
	[ -n "$dev" ] || skip "no block device"
	start_detached
	dir=$(cgroup_dir "$(container_pid "$ID")" blkio) || skip "no blkio controller"
	cat >"$BATS_TEST_TMPDIR/r.json" <<-EOF
		{"blockIO": {"throttleReadBpsDevice": [{"major": ${dev%:*}, "minor": ${dev#*:}, "rate": 10485760}],
		 "throttleWriteIOPSDevice": [{"major": ${dev%:*}, "minor": ${dev#*:}, "rate": 900}]}}
	EOF
	runtime update -r "$BATS_TEST_TMPDIR/r.json" "$ID"
	[ "$status" -eq 0 ]
	grep -qx "$dev 10485760" "$dir/blkio.throttle.read_bps_device"
	grep -qx "$dev 900" "$dir/blkio.throttle.write_iops_device"
}

@test "cgroups: update -r takes members in any case, as runc's decoder" {
	update_config '.linux.resources.pids = {"limit": 20}'
	start_detached
	dir=$(cgroup_dir "$(container_pid "$ID")" pids)
	echo '{"Pids": {"Limit": 33}}' >"$BATS_TEST_TMPDIR/r.json"
	runtime update -r "$BATS_TEST_TMPDIR/r.json" "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$dir/pids.max")" = 33 ]
}

@test "cgroups: a frozen cgroup is refused before anything is made (no hang)" {
	if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
		frozen=/sys/fs/cgroup/ocirun-test/$ID
		mkdir -p "$frozen"
		echo 1 >"$frozen/cgroup.freeze"
	else
		frozen=/sys/fs/cgroup/freezer/ocirun-test/$ID
		mkdir -p "$frozen"
		echo FROZEN >"$frozen/freezer.state"
	fi
	runtime run -d "$ID"
	st=$status out=$output
	rmdir "$frozen"
	[ "$st" -eq 1 ]
	[[ "$out" == *"container's cgroup unexpectedly frozen"* ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "cgroups: exec --cgroup joins sub-cgroups, per controller or for all; never outside" {
	start_detached
	pid=$(container_pid "$ID")
	mem=$(cgroup_dir "$pid" memory)
	cpu=$(cgroup_dir "$pid" cpu)
	pids=$(cgroup_dir "$pid" pids)
	mkdir "$mem/m1" "$cpu/c1" "$pids/all" "$mem/all"
	runtime exec --cgroup .. "$ID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"bad sub cgroup path"* ]]
	runtime exec --cgroup no-such-dir "$ID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"adding pid "*"o such file or directory"* ]]
	runtime exec --cgroup nonsense:/ "$ID" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"unknown controller "* ]]
	runtime exec --cgroup / "$ID" cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	[[ "$output" == *":memory:/ocirun-test/$ID"$'\n'* ]] || [[ "$output" == *":memory:/ocirun-test/$ID" ]]
	runtime exec --cgroup memory:m1 --cgroup cpu:c1 "$ID" cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	[[ "$output" == *":memory:/ocirun-test/$ID/m1"* ]]
	[[ "$output" == *"cpu"*":/ocirun-test/$ID/c1"* ]]
	[[ "$output" == *":pids:/ocirun-test/$ID"$'\n'* ]] || [[ "$output" == *":pids:/ocirun-test/$ID" ]]
	runtime exec -d --cgroup memory:all --cgroup pids:all "$ID" sleep 100
	[ "$status" -eq 0 ]
	[ -n "$(cat "$pids/all/cgroup.procs")" ]
	[ -n "$(cat "$mem/all/cgroup.procs")" ]
	runtime delete --force "$ID"
	[ "$status" -eq 0 ]
}

@test "cgroups: create refuses a cgroup that already holds processes, and leaves them alone" {
	start_detached
	pid=$(container_pid "$ID")
	id2=$(new_id 2)
	runtime run -d --bundle "$BUNDLE" "$id2"
	[ "$status" -ne 0 ]
	[[ "$output" == *"container's cgroup is not empty"* ]]
	runtime create --bundle "$BUNDLE" "$id2"
	[ "$status" -ne 0 ]
	[[ "$output" == *"container's cgroup is not empty"* ]]
	[ "$(container_status "$ID")" = running ]
	kill -0 "$pid"
}

@test "cgroups: pids.limit 0 is 1; unified keys on v1 are an invalid configuration; hugepage keys in any case" {
	update_config '.linux.resources.pids = {"limit": 0}'
	start_detached
	[ "$(cat "$(cgroup_dir "$(container_pid "$ID")" pids)/pids.max")" = 1 ]
	runtime delete --force "$ID"
	update_config '.linux.resources.unified = {"memory.min": "131072"}'
	runtime run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"invalid configuration"* ]]
	[ ! -e "$ROOT/$ID" ]
	# runc's decoder takes "pagesize" for "pageSize"
	size=$(ls /sys/kernel/mm/hugepages/ 2>/dev/null | sed -n 's/^hugepages-2048kB$/2MB/p')
	[ -n "$size" ] || skip "no 2 MB huge pages"
	update_config 'del(.linux.resources.unified) | .linux.resources.hugepageLimits = [{"pagesize": "2MB", "limit": 2097152}]'
	start_detached
	pid=$(container_pid "$ID")
	if dir=$(cgroup_dir "$pid" hugetlb); then
		[ "$(cat "$dir/hugetlb.2MB.limit_in_bytes")" = 2097152 ]
	else # hybrid host: hugetlb is on the cgroup2 mount
		dir=/sys/fs/cgroup/unified$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
		[ "$(cat "$dir/hugetlb.2MB.max")" = 2097152 ]
	fi
}

@test "cgroups: the init finds its device rules and limits written before its set-up" {
	skip_if_runc "no --trace"
	# Written while the init runs, v1 device rules pass through "deny all": the init's
	# opens of the pty or /dev/null during its set-up would then fail now and then.
	update_config '.linux.resources.pids = {"limit": 50}'
	set_args true
	"$OCIRUN" --trace --root "$ROOT" run "$ID" </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/trace" ||
		fail "run failed: $(cat "$BATS_TEST_TMPDIR/trace")"
	cat "$BATS_TEST_TMPDIR/trace" >&2
	# the trace lists the steps in time order: the limits come before the init is in its
	# cgroup (from the clone, or after GO when the cgroup is made after the clone) and
	# before its first mount
	set_line=$(grep -n 'runtime  cgroup set' "$BATS_TEST_TMPDIR/trace" | cut -d: -f1)
	join_line=$(grep -n 'init     cgroup join' "$BATS_TEST_TMPDIR/trace" | tail -n1 | cut -d: -f1)
	mount_line=$(grep -n 'init     mount' "$BATS_TEST_TMPDIR/trace" | head -n1 | cut -d: -f1)
	[ -n "$set_line" ] && [ -n "$join_line" ] && [ -n "$mount_line" ]
	if grep -q 'init     cgroup join (after GO)' "$BATS_TEST_TMPDIR/trace"; then
		[ "$set_line" -lt "$join_line" ]
	else
		clone_line=$(grep -n 'runtime  clone' "$BATS_TEST_TMPDIR/trace" | cut -d: -f1)
		[ "$set_line" -lt "$clone_line" ]
	fi
	[ "$set_line" -lt "$mount_line" ]
}

@test "cgroups: a cgroup made after the clone reaches the init with GO: the runtime opens its tasks files" {
	skip_if_runc "no --trace"
	update_config '.linux.resources.pids = {"limit": 50}'
	set_args sh -c 'cat /proc/self/cgroup'
	"$OCIRUN" --trace --root "$ROOT" run "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/trace" ||
		fail "run failed: $(cat "$BATS_TEST_TMPDIR/trace")"
	cat "$BATS_TEST_TMPDIR/trace" >&2
	grep -q 'init     cgroup join (after GO)' "$BATS_TEST_TMPDIR/trace" ||
		skip "the cgroup is made before the clone here (not cgroupfs v1, or no network namespace)"
	# the runtime opened the tasks file of every v1 hierarchy once it made the directories,
	# before GO; the init only writes into them (it opens nothing of the cgroup itself)
	create_line=$(grep -n 'runtime  cgroup create' "$BATS_TEST_TMPDIR/trace" | cut -d: -f1)
	fds=$(grep -n 'runtime  cgroup join fds  [1-9][0-9]* hierarchies, sent with GO' "$BATS_TEST_TMPDIR/trace") ||
		fail "no tasks fds opened by the runtime for GO"
	fds_line=${fds%%:*}
	go_line=$(grep -n 'init     sync  wait for go' "$BATS_TEST_TMPDIR/trace" | cut -d: -f1)
	join_line=$(grep -n 'init     cgroup join (after GO)' "$BATS_TEST_TMPDIR/trace" | cut -d: -f1)
	[ "$create_line" -lt "$fds_line" ] && [ "$go_line" -lt "$join_line" ]
	# and it is in the container's cgroup of every v1 hierarchy it saw
	n=$(sed -n 's/.*cgroup join fds  \([0-9]*\) hierarchies, sent with GO.*/\1/p' "$BATS_TEST_TMPDIR/trace")
	[ "$(grep -c ":/.*$ID\$" "$BATS_TEST_TMPDIR/out")" -ge "$n" ] ||
		fail "not in its cgroup everywhere: $(cat "$BATS_TEST_TMPDIR/out")"
}

@test "cgroups: update shrinks the realtime period below the runtime in force (runtime written first)" {
	skip_if_runc "runc 1.1 writes the period first and fails (fixed in runc 1.2)"
	local cpu=/sys/fs/cgroup/cpu
	[ -f "$cpu/cpu.rt_runtime_us" ] || skip "no realtime group scheduling on this kernel"
	# a child's runtime must fit into its parent's, which is 0 for a new group: a parent of
	# this test's own (the shared ocirun-test comes and goes with other tests)
	# with a small share of the root's time, so that runs side by side fit; parents left by
	# an interrupted run are removed (rmdir refuses one that is in use)
	for d in "$cpu"/ocirun-rt-*/; do rmdir "$d" 2>/dev/null || true; done
	parent=ocirun-rt-$ID
	mkdir -p "$cpu/$parent"
	echo 1000000 >"$cpu/$parent/cpu.rt_period_us"
	if ! echo 300000 >"$cpu/$parent/cpu.rt_runtime_us"; then
		rmdir "$cpu/$parent"
		skip "other groups hold the root's realtime time ($(grep -l -v '^0$' "$cpu"/*/cpu.rt_runtime_us | tr '\n' ' '))"
	fi
	update_config '.linux.cgroupsPath = "/" + $p + "/" + $id
		| .linux.resources.cpu = {"realtimePeriod": 1000000, "realtimeRuntime": 200000}' \
		--arg p "$parent" --arg id "$ID"
	start_detached
	dir=$(cgroup_dir "$(container_pid "$ID")" cpu)
	[ "$(cat "$dir/cpu.rt_runtime_us")" = 200000 ]
	runtime update --cpu-rt-period 10000 --cpu-rt-runtime 3000 "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$dir/cpu.rt_period_us")" = 10000 ]
	[ "$(cat "$dir/cpu.rt_runtime_us")" = 3000 ]
	# and back up: the period first this time
	runtime update --cpu-rt-period 900000 --cpu-rt-runtime 250000 "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$dir/cpu.rt_period_us")" = 900000 ]
	[ "$(cat "$dir/cpu.rt_runtime_us")" = 250000 ]
	runtime delete -f "$ID"
	# the runtime made the parent in every hierarchy (the container's path goes through
	# it) and removes only the container's own directory, as runc
	local h
	for h in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		[ -d "$h$parent" ] && rmdir "$h$parent"
	done
	true
}

@test "events: --stats prints one stats event of the container" {
	update_config '.linux.resources.pids = {"limit": 20}'
	start_detached
	runtime events --stats "$ID"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jq -r .type <<<"$output")" = stats ]
	[ "$(jq -r .id <<<"$output")" = "$ID" ]
	jq -e '.data.pids.current >= 1 and .data.pids.limit == 20' <<<"$output"
}

@test "events: a stream of stats, an oom event on an OOM kill, and the end with the cgroup" {
	update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
	set_args sleep 100
	start_detached
	ev=$BATS_TEST_TMPDIR/events
	timeout 60 "$OCIRUN" --root "$ROOT" events --interval 100ms "$ID" >"$ev" 2>&1 &
	evpid=$!
	for _ in $(seq 300); do [ "$(grep -c '"type":"stats"' "$ev")" -ge 2 ] && break; sleep 0.1; done
	[ "$(grep -c '"type":"stats"' "$ev")" -ge 2 ] || fail "no stats stream: $(cat "$ev")"
	# 64 MiB in a shell variable: more than the limit
	in_container sh -c 'x=$(head -c 67108864 /dev/zero | tr "\0" a); echo ${#x}'
	for _ in $(seq 300); do grep -q '"type":"oom"' "$ev" && break; sleep 0.1; done
	grep -q "{\"type\":\"oom\",\"id\":\"$ID\"}" "$ev" || fail "no oom event: $(tail -3 "$ev")"
	runtime delete --force "$ID"
	[ "$status" -eq 0 ]
	wait "$evpid" || fail "events did not end with the cgroup (status $?)"
}

@test "cgroups: the v1 view keeps its read-only, nosuid, nodev, noexec below each hierarchy's directory too" {
	skip_if_runc "runc sets the flags on the top of each bind only"
	[ "$(stat -f -c %T /sys/fs/cgroup/memory 2>/dev/null)" = cgroupfs ] || skip "no cgroup v1 memory hierarchy"
	# a mount below the container's own memory cgroup on the host: bound into the view with it
	dir=/sys/fs/cgroup/memory/ocirun-test/$ID
	mkdir -p "$dir/sub"
	mount -t tmpfs -o size=1m ocirun-sub "$dir/sub"
	set_args sh -c 'touch /sys/fs/cgroup/memory/sub/x 2>/dev/null && echo writable || echo read-only
		grep " /sys/fs/cgroup/memory/sub " /proc/self/mountinfo'
	run_container --keep
	seen=("${lines[@]}")
	umount "$dir/sub"
	rmdir "$dir/sub"
	runtime delete "$ID"
	[ "${seen[0]}" = read-only ] || fail "${seen[*]}"
	opts=$(awk '{print $6}' <<<"${seen[1]}")
	for o in ro nosuid nodev noexec; do [[ ",$opts," == *",$o,"* ]] || fail "$o missing: ${seen[1]}"; done
}
