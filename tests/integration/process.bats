#!/usr/bin/env bats
# process: user, umask, capabilities, rlimits, noNewPrivileges, oomScoreAdj, cwd, env, args.

load helpers

status_field() { sed -n "s/^$1:[[:space:]]*//p"; }

@test "process.user: uid, gid and additionalGids" {
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [5, 65534]}'
	run_sh 'id -u; id -g; id -G'
	lines_are 1000 1000
	[[ " ${lines[2]} " == *" 5 "* ]]
	[[ " ${lines[2]} " == *" 65534 "* ]]
}

@test "process.user: umask" {
	update_config '.process.user.umask = 63'
	run_sh 'umask'
	[ "$output" = 0077 ]
}

@test "process.user: the default umask is 0022" {
	run_sh 'umask'
	[ "$output" = 0022 ]
}

@test "process.user: uid out of range is refused" {
	skip_if_runc "runc 1.1 wraps large uids"
	update_config '.process.user.uid = 4294967296'
	set_args id -u
	run_container
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "capabilities: the five sets as configured" {
	# CAP_KILL = 5, CAP_NET_BIND_SERVICE = 10, CAP_AUDIT_WRITE = 29
	set_args grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' /proc/self/status
	run_container
	[ "$status" -eq 0 ]
	output_has "CapInh:	0000000000000000" "CapPrm:	0000000020000420" \
		"CapEff:	0000000020000420" "CapBnd:	0000000020000420"
	# ambient capabilities need the inheritable set, which is empty by default
	[[ "$output" == *"CapAmb:	0000000000000000"* ]]
}

@test "capabilities: inheritable only when asked; non-root keeps ambient caps" {
	update_config '.process.capabilities.inheritable = ["CAP_KILL"] | .process.capabilities.ambient = ["CAP_KILL"] | .process.user = {"uid": 1000, "gid": 1000}'
	set_args grep -E '^Cap(Inh|Eff|Amb):' /proc/self/status
	run_container
	[ "$status" -eq 0 ]
	output_has "CapInh:	0000000000000020" "CapAmb:	0000000000000020" \
		"CapEff:	0000000000000020"
}

@test "capabilities: unknown names and ambient ones outside the inheritable set are skipped, with a warning" {
	update_config '.process.capabilities.bounding += ["CAP_NOPE"] | .process.capabilities.effective += ["NOT_A_CAP"]
		| .process.capabilities.inheritable = ["CAP_KILL"] | .process.capabilities.ambient = ["CAP_CHOWN", "CAP_KILL"]'
	set_args grep -E '^Cap(Bnd|Amb):' /proc/self/status
	run_container
	[ "$status" -eq 0 ]
	output_has "CapBnd:	0000000020000420" "CapAmb:	0000000000000020"
	skip_if_runc "runc 1.1 warns only in its debug log"
	[[ "$output" == *CAP_NOPE* ]]
	[[ "$output" == *"can't raise ambient capability CAP_CHOWN: "* ]]
}

@test "rlimits: soft and hard limits are set" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 768}, {"type": "RLIMIT_NPROC", "soft": 300, "hard": 400}]'
	run_sh 'ulimit -Sn; ulimit -Hn; ulimit -Su; ulimit -Hu'
	[ "$(echo $output)" = "512 768 300 400" ]
}

@test "rlimits: soft above hard is a clear error" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 4096, "hard": 1024}]'
	set_args true
	run_container
	[ "$status" -ne 0 ]
	[[ "$output" == *"RLIMIT_NOFILE"* ]] || [[ "$output" == *"rlimit"* ]] || [[ "$output" == *"invalid argument"* ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "rlimits: a hard limit above the system maximum is a clear error" {
	max=$(cat /proc/sys/fs/nr_open)
	update_config ".process.rlimits = [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1024, \"hard\": $((max + 1))}]"
	set_args true
	run_container
	[ "$status" -ne 0 ]
	[[ "$output" == *"RLIMIT_NOFILE"* ]] || [[ "$output" == *"rlimit"* ]] || [[ "$output" == *"operation not permitted"* ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "noNewPrivileges: NoNewPrivs is 1, and 0 without it" {
	set_args grep '^NoNewPrivs:' /proc/self/status
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" == *"1" ]]
	update_config '.process.noNewPrivileges = false'
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" == *"0" ]]
}

@test "oomScoreAdj is applied" {
	update_config '.process.oomScoreAdj = 345'
	set_args cat /proc/self/oom_score_adj
	run_container
	[ "$status" -eq 0 ]
	[ "$output" = 345 ]
}

@test "cwd is used, and created when missing" {
	update_config '.process.cwd = "/new/dir"'
	set_args pwd
	run_container
	[ "$status" -eq 0 ]
	[ "$output" = /new/dir ]
}

@test "cwd is created for a non-root user too" {
	update_config '.root.readonly = false | .process.cwd = "/home/user/work" | .process.user = {"uid": 1000, "gid": 1000}'
	set_args pwd
	run_container
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = /home/user/work ]
}

@test "env is exactly the configured environment" {
	update_config '.process.env = ["PATH=/bin", "FOO=bar baz", "EMPTY="]'
	set_args env
	run_container
	[ "$status" -eq 0 ]
	output_has "FOO=bar baz" "EMPTY="
	[[ "$output" != *"TERM=xterm"* ]]
}

@test "env: a key given twice is set once, with its last value" {
	update_config '.process.env = ["PATH=/bin", "ONE=first", "TWO=2", "ONE=last", "HOME=/h"]'
	set_args env
	run_container
	[ "$status" -eq 0 ]
	[ "$(grep -c '^ONE=' <<<"$output")" -eq 1 ] || fail "$output"
	[[ "$output" == *"ONE=last"* ]]
	[ "$(wc -l <<<"$output")" -eq 4 ] || fail "$output"
}

@test "env: HOME missing or empty comes from the container's /etc/passwd; a set one stays" {
	local env
	for env in '["PATH=/bin"]' '["PATH=/bin", "HOME="]' '["PATH=/bin", "HOME=/x", "HOME="]'; do
		update_config '.process.env = $e' --argjson e "$env"
		set_args env
		run_container
		[ "$status" -eq 0 ]
		[ "$(grep -c '^HOME=' <<<"$output")" -eq 1 ] || fail "$env: $output"
		[[ "$output" == *"HOME=/root"* ]] || fail "$env: $output"
	done
	update_config '.process.env = ["PATH=/bin", "HOME=", "HOME=/mine"]'
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" == *"HOME=/mine"* ]]
}

@test "args with spaces and quotes are passed unchanged" {
	set_args echo 'a b' "c'd" 'e"f'
	run_container
	[ "$status" -eq 0 ]
	[ "$output" = "a b c'd e\"f" ]
}

@test "missing executable: runc's message and exit code" {
	set_args nonexistent
	run_container
	[ "$status" -eq 1 ]
	# runc logs it logfmt-quoted: exec: \"nonexistent\": executable file not found in $PATH
	[[ "$output" == *'exec: "nonexistent": executable file not found in $PATH'* ]] ||
		[[ "$output" == *'exec: \"nonexistent\": executable file not found in $PATH'* ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "missing executable by absolute path fails create" {
	set_args /bin/nonexistent
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"/bin/nonexistent"* ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "scheduler, ioPriority, personality and execCPUAffinity are applied" {
	skip_if_runc "runc 1.1 does not know these fields"
	update_config '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 7}
		| .process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 6}
		| .process.execCPUAffinity = {"initial": "0", "final": "0"}
		| .linux.personality = {"domain": "LINUX32"}'
	# field 19 of stat is nice, 41 the policy (3 = SCHED_BATCH)
	run_sh 'set -- $(cat /proc/self/stat); echo "nice=${19} policy=${41}"; uname -m; grep Cpus_allowed_list /proc/self/status'
	lines_are "nice=7 policy=3" i686
	[[ "${lines[2]}" == *"	0" ]]
}

@test "CPU affinity: the init and exec processes do not inherit the caller's (taskset)" {
	[ "$(nproc --all)" -ge 2 ] || skip "needs two CPUs"
	all=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)
	set_args sh -c 'grep Cpus_allowed_list /proc/self/status; sleep 100'
	taskset -c 0 "$OCIRUN" --root "$ROOT" run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" running
	pid=$(container_pid "$ID")
	[ "$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/"$pid"/status)" = "$all" ]
	out=$(taskset -c 0 "$OCIRUN" --root "$ROOT" exec "$ID" grep Cpus_allowed_list /proc/self/status)
	[[ "$out" == *"	$all" ]] || fail "exec: $out, expected $all"
}

@test "scheduler: SCHED_DEADLINE with a restricted cpuset fails in runc's words" {
	skip_if_runc "runc 1.1 does not know this field"
	[ "$(nproc --all)" -ge 2 ] || skip "needs two CPUs"
	update_config '.linux.resources.cpu.cpus = "0" | .linux.cgroupsPath = "/ocirun-test/" + $id
		| .process.scheduler = {"policy": "SCHED_DEADLINE", "runtime": 42000, "deadline": 1000000, "period": 1000000}' --arg id "$ID"
	set_args true
	run_container
	[ "$status" -ne 0 ]
	[[ "$output" == *"process scheduler can't be used together with AllowedCPUs"* ]]
}

@test "memoryPolicy: runc's mode and flag names; other input refused in runc's words" {
	skip_if_runc "runc 1.1 does not know this field"
	local policy want
	set_args true
	while IFS='|' read -r policy want; do
		update_config '.linux.memoryPolicy = $p' --argjson p "$policy"
		run_container
		[ "$status" -ne 0 ] || fail "$policy: accepted"
		[[ "$output" == *"$want"* ]] || fail "$policy: $output"
	done <<'POLICIES'
{}|invalid memory policy mode
{"mode": "INTERLEAVE", "nodes": "0"}|invalid memory policy mode
{"mode": "MPOL_PREFERRED", "nodes": "0", "flags": ["badflag"]}|invalid memory policy flag
{"mode": "MPOL_DEFAULT", "nodes": "0-7"}|mode requires 0 nodes but got 8
{"mode": "MPOL_BIND", "nodes": "0-9876543210"}|invalid memory policy node
POLICIES
	update_config '.linux.memoryPolicy = {"mode": "MPOL_INTERLEAVE", "nodes": "0"}'
	run_sh 'head -n 1 /proc/self/numa_maps | cut -d " " -f 2'
	[ "$output" = "interleave:0" ]
}

@test "a bad scheduler policy is an error naming it" {
	skip_if_runc "runc 1.1 does not know this field"
	update_config '.process.scheduler = {"policy": "SCHED_NOPE"}'
	run_container
	[ "$status" -ne 0 ]
	[[ "$output" == *scheduler* ]]
}
