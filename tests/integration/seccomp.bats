#!/usr/bin/env bats
# linux.seccomp: every action seen from inside a busybox container, argument rules, flags,
# the podman default profile, the notify agent, exec under the same filter, and malformed
# sections refused with the JSON path.

load helpers

# seccomp 'SECTION JSON': set .linux.seccomp
seccomp() {
	update_config '.linux.seccomp = $s' --argjson s "$1"
}

# rule_on_mkdir ACTION [EXTRA JSON FIELDS]: default ALLOW, ACTION for mkdir/mkdirat.
rule_on_mkdir() {
	seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"$1\"${2:+,$2}}]}"
}

@test "seccomp: a filter is installed (Seccomp: 2 in /proc/self/status)" {
	seccomp '{"defaultAction":"SCMP_ACT_ALLOW"}'
	set_args grep -E '^Seccomp(_filters)?:' /proc/self/status
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:"*2* ]]
}

@test "seccomp: SCMP_ACT_ERRNO without errnoRet answers EPERM" {
	rule_on_mkdir SCMP_ACT_ERRNO
	run_sh 'mkdir /dev/shm/d; echo rc=$?'
	output_has "Operation not permitted" "rc=1"
}

@test "seccomp: SCMP_ACT_ERRNO with errnoRet answers that errno" {
	rule_on_mkdir SCMP_ACT_ERRNO '"errnoRet":28'
	run_sh 'mkdir /dev/shm/d; echo rc=$?'
	[[ "$output" == *"No space left on device"* ]]
}

@test "seccomp: SCMP_ACT_KILL, KILL_THREAD, KILL_PROCESS and TRAP end the process with SIGSYS" {
	local action
	for action in SCMP_ACT_KILL SCMP_ACT_KILL_THREAD SCMP_ACT_KILL_PROCESS SCMP_ACT_TRAP; do
		rule_on_mkdir "$action"
		set_args mkdir /dev/shm/d
		run_container
		echo "# $action -> $status" >&2
		# 128 + SIGSYS (31)
		[ "$status" -eq 159 ]
		runtime delete -f "$ID"
	done
}

@test "seccomp: SCMP_ACT_LOG and SCMP_ACT_ALLOW let the syscall run" {
	local action
	for action in SCMP_ACT_LOG SCMP_ACT_ALLOW; do
		seccomp "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"$action\"}]}"
		# a default ERRNO filter would stop busybox itself: allow the rest explicitly
		update_config '.linux.seccomp.defaultAction = "SCMP_ACT_ALLOW" | .linux.seccomp.syscalls += [{"names":["rmdir"],"action":"SCMP_ACT_ERRNO"}]'
		set_args sh -c 'mkdir /dev/shm/d && echo made; rmdir /dev/shm/d || echo rmdir-denied'
		run_container
		[ "$status" -eq 0 ]
		[[ "$output" == *made* ]]
		[[ "$output" == *rmdir-denied* ]]
	done
}

@test "seccomp: SCMP_ACT_TRACE without a tracer fails the syscall with ENOSYS" {
	rule_on_mkdir SCMP_ACT_TRACE '"errnoRet":38'
	run_sh 'mkdir /dev/shm/d; echo rc=$?'
	[[ "$output" == *"Function not implemented"* ]] || [[ "$output" == *"rc=1"* ]]
	[[ "$output" == *"rc=1"* ]]
}

@test "seccomp: argument rules (EQ, GT, MASKED_EQ; conditions on one argument are OR-ed)" {
	# kill(pid, sig): arg 1 is the signal.  (Every operator is checked by the unit test.)
	seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
		{"names":["kill"],"action":"SCMP_ACT_ERRNO","errnoRet":1,"args":[{"index":1,"value":10,"op":"SCMP_CMP_EQ"},{"index":1,"value":12,"op":"SCMP_CMP_EQ"}]},
		{"names":["kill"],"action":"SCMP_ACT_ERRNO","errnoRet":13,"args":[{"index":1,"value":15,"op":"SCMP_CMP_GT"}]},
		{"names":["kill"],"action":"SCMP_ACT_ERRNO","errnoRet":22,"args":[{"index":1,"value":255,"valueTwo":3,"op":"SCMP_CMP_MASKED_EQ"}]}]}'
	set_args sh -c 'sleep 100 & p=$!
		kill -USR1 $p 2>&1 | grep -q "not permitted" && echo usr1-eperm
		kill -USR2 $p 2>&1 | grep -q "not permitted" && echo usr2-eperm
		kill -0 $p && echo zero-ok
		kill -CHLD $p 2>&1 | grep -q "denied" && echo chld-eacces
		kill -QUIT $p 2>&1 | grep -q "Invalid" && echo quit-einval
		kill -KILL $p && echo kill-ok'
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" == *usr1-eperm* ]]
	[[ "$output" == *usr2-eperm* ]]
	[[ "$output" == *zero-ok* ]]
	[[ "$output" == *chld-eacces* ]]
	[[ "$output" == *quit-einval* ]]
	[[ "$output" == *kill-ok* ]]
}

@test "seccomp: filter flags LOG, SPEC_ALLOW and TSYNC are accepted" {
	skip_if_runc "Debian's runc 1.1.5 says \"seccomp flags are not yet supported by runc\""
	seccomp '{"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_LOG","SECCOMP_FILTER_FLAG_SPEC_ALLOW","SECCOMP_FILTER_FLAG_TSYNC"],"syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}'
	run_sh 'mkdir /dev/shm/d; echo rc=$?'
	[[ "$output" == *"rc=1"* ]]
}

@test "seccomp: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is accepted" {
	skip_if_runc "runc 1.1 does not know the flag"
	seccomp '{"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],"syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}'
	run_sh 'mkdir /dev/shm/d; echo rc=$?'
	[[ "$output" == *"rc=1"* ]]
}

# The podman default profile, converted for amd64 and podman's default capabilities.
podman_profile() {
	[ -r /usr/share/containers/seccomp.json ] || skip "no /usr/share/containers/seccomp.json (containers-common)"
	[ "$(uname -m)" = x86_64 ] || skip "profile converted for amd64"
	jq -c --arg arch amd64 -f "$REPO/tests/seccomp/containers-to-oci.jq" /usr/share/containers/seccomp.json
}

@test "seccomp: the podman default profile runs busybox and blocks what it should" {
	local profile
	profile=$(podman_profile)
	seccomp "$profile"
	# With CAP_SYS_ADMIN the kernel would allow sethostname and swapoff: the EPERM
	# below is the profile's (it was converted for podman's default capabilities).
	update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"] | .process.capabilities.effective += ["CAP_SYS_ADMIN"] | .process.capabilities.permitted += ["CAP_SYS_ADMIN"]'
	set_args sh -c 'mkdir /dev/shm/d && ls -d /dev/shm/d && grep -q "^Seccomp:.*2" /proc/self/status && echo filtered
		hostname other 2>&1; echo hostname-rc=$?
		linux32 -R true 2>&1; echo personality-rc=$?'
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" == *"/dev/shm/d"* ]]
	[[ "$output" == *filtered* ]]
	# sethostname is listed with errnoRet EPERM
	output_has "Operation not permitted" "hostname-rc=1"
	# personality() only with the listed values; others get the default, ENOSYS
	[[ "$output" == *"Function not implemented"* ]]
}

@test "seccomp: defaultAction SCMP_ACT_ERRNO answers defaultErrnoRet, EPERM without it" {
	local profile
	profile=$(podman_profile)
	seccomp "$profile"
	update_config '.linux.seccomp.defaultErrnoRet = 18'
	set_args linux32 -R true
	run_container
	[[ "$output" == *"Invalid cross-device link"* ]]
	runtime delete -f "$ID"
	update_config 'del(.linux.seccomp.defaultErrnoRet)'
	run_container
	[[ "$output" == *"Operation not permitted"* ]]
}

@test "seccomp: exec runs under the same filter" {
	rule_on_mkdir SCMP_ACT_ERRNO '"errnoRet":28'
	set_args sleep 100
	start_detached
	in_container sh -c 'mkdir /dev/shm/d; echo rc=$?'
	[ "$status" -eq 0 ]
	[[ "$output" == *"No space left on device"* ]]
	runtime kill "$ID" KILL
	wait_for_status "$ID" stopped
}

@test "seccomp: the compiled-filter cache is kept outside the root, neither listed nor in the way of an id" {
	rule_on_mkdir SCMP_ACT_ERRNO
	set_args true
	run_container
	[ "$status" -eq 0 ]
	[ -z "$(ls -A "$ROOT")" ] || fail "the root holds more than containers: $(ls -A "$ROOT")"
	if ! is_runc; then
		[ "$(stat -c %a /var/cache/ocirun/seccomp)" = 700 ]
		compgen -G "/var/cache/ocirun/seccomp/*.bpf" >/dev/null
	fi
	runtime list -q
	[ "$status" -eq 0 ]
	[ -z "$output" ] || fail "list after a seccomp container: $output"
	runtime list
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ] || fail "list: $output"
	# every name the cache could take that an id can have is free for a container
	for id in seccomp-cache seccomp_cache; do
		runtime create --bundle "$BUNDLE" "$id"
		[ "$status" -eq 0 ] || fail "create $id: $output"
		runtime delete -f "$id"
		[ "$status" -eq 0 ]
	done
}

# start_agent [AGENT FLAGS...]: the notify agent on $AGENT_SOCK, states to $AGENT_STATES.
start_agent() {
	local agent
	agent=$(tool seccomp_agent) || fail "cannot build seccomp_agent"
	AGENT_SOCK=$BATS_TEST_TMPDIR/agent.sock
	AGENT_STATES=$BATS_TEST_TMPDIR/agent.states
	"$agent" "$@" -o "$AGENT_STATES" "$AGENT_SOCK" 3>&- &
	AGENT_PID=$!
	wait_for_file "$AGENT_SOCK"
	seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$AGENT_SOCK\",\"listenerMetadata\":\"test-metadata\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
}

stop_agent() {
	[ -n "${AGENT_PID:-}" ] && kill "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
	AGENT_PID=
}

teardown() {
	stop_agent || true
	teardown_bundle
}

@test "seccomp notify: the agent gets the state and the fd, and answers mkdir with an errno" {
	start_agent -e 28
	run_sh 'mkdir /dev/shm/d; echo rc=$?'
	[[ "$output" == *"No space left on device"* ]]
	[ "$(wc -l <"$AGENT_STATES")" -eq 1 ]
	run jq -r '[.ociVersion != null, (.fds | join(",")), .metadata, .state.id, (.pid > 0), .state.pid > 0, .state.bundle] | map(tostring) | join(" ")' "$AGENT_STATES"
	echo "# $output" >&2
	[ "$output" = "true seccompFd test-metadata $ID true true $BUNDLE" ]
}

@test "seccomp notify: the agent can fake success" {
	start_agent -s
	run_sh 'mkdir /dev/shm/d && echo made; ls -d /dev/shm/d || echo absent'
	[[ "$output" == *made* ]]
	[[ "$output" == *absent* ]]
}

@test "seccomp notify: exec hands its listener to the agent too" {
	start_agent -e 28
	set_args sleep 100
	start_detached
	in_container sh -c 'mkdir /dev/shm/d; echo rc=$?'
	[ "$status" -eq 0 ]
	[[ "$output" == *"No space left on device"* ]]
	[ "$(wc -l <"$AGENT_STATES")" -eq 2 ]
	run jq -r .state.id "$AGENT_STATES"
	[ "${lines[0]}" = "$ID" ] && [ "${lines[1]}" = "$ID" ]
	runtime kill "$ID" KILL
	wait_for_status "$ID" stopped
}

@test "seccomp notify: no agent listening fails the start in runc's words, and leaves nothing" {
	seccomp "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"$BATS_TEST_TMPDIR/nobody.sock\",\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"
	set_args true
	run_container
	[ "$status" -ne 0 ]
	[[ "$output" == *"failed to connect with seccomp agent"* ]]
	runtime state "$ID"
	[ "$status" -ne 0 ]
}

# expect_refused JQ-EDIT PATH-AND-MESSAGE RUNC-MESSAGE
expect_refused() {
	seccomp '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","args":[{"index":1,"value":2,"op":"SCMP_CMP_EQ"}]}]}'
	update_config "$1"
	set_args true
	runtime create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	if is_runc; then
		[[ "$output" == *"$3"* ]]
	else
		[[ "$output" == *"$2"* ]]
	fi
	# nothing left behind (teardown checks state, cgroups and mounts)
	runtime state "$ID"
	[ "$status" -ne 0 ]
}

@test "seccomp: an unknown action is refused with its JSON path" {
	expect_refused '.linux.seccomp.syscalls[0].action = "SCMP_ACT_FOO"' \
		'.linux.seccomp.syscalls[0].action' 'SCMP_ACT_FOO'
}

@test "seccomp: an unknown operator is refused with its JSON path" {
	expect_refused '.linux.seccomp.syscalls[0].args[0].op = "SCMP_CMP_BETWEEN"' \
		'.linux.seccomp.syscalls[0].args[0].op' 'SCMP_CMP_BETWEEN'
}

@test "seccomp: an unknown architecture is refused with its JSON path" {
	expect_refused '.linux.seccomp.architectures[0] = "SCMP_ARCH_VAX"' \
		'.linux.seccomp.architectures[0]' 'SCMP_ARCH_VAX'
}

@test "seccomp: an argument index above 5 is refused with its JSON path" {
	skip_if_runc "runc 1.1 accepts the rule and fails only in the container init"
	expect_refused '.linux.seccomp.syscalls[0].args[0].index = 6' \
		'.linux.seccomp.syscalls[0].args[0].index' 'index'
}

@test "seccomp: a profile that denies close_range still starts the container and exec" {
	seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["close_range"],"action":"SCMP_ACT_ERRNO"}]}'
	set_args sh -c 'echo started; sleep 100'
	exec 5</
	start_detached
	exec 5<&-
	in_container sh -c 'ls /proc/self/fd | wc -l'
	[ "$status" -eq 0 ]
	[ "$output" -le 5 ]
}
