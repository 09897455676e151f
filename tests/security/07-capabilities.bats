#!/usr/bin/env bats
# Attack class 7 (CVE-2022-29162): the inheritable capability set is empty on run and exec
# unless the config asks for it; noNewPrivileges applies to exec'd processes too.

load helpers

# cap_field FIELD OUTPUT: the hex value of FIELD (CapInh, CapAmb, ...) in a status dump
cap_field() {
	awk -v f="$1:" '$1 == f { print $2 }' <<<"$2"
}

@test "capabilities: CapInh is empty in the container's init (run), even when the caller has inheritable caps" {
	set_args grep -E '^(Cap|NoNewPrivs)' /proc/self/status
	run_container
	[ "$status" -eq 0 ]
	[ "$(cap_field CapInh "$output")" = 0000000000000000 ] || fail "run: $output"
	# the runtime started with inheritable (and ambient-capable) capabilities
	status=0
	setpriv --inh-caps=+sys_admin,+sys_ptrace,+dac_override "$OCIRUN" --root "$ROOT" run --bundle "$BUNDLE" "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/out")
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[ "$(cap_field CapInh "$output")" = 0000000000000000 ] || fail "run from a caller with inheritable caps: $output"
	[ "$(cap_field CapAmb "$output")" = 0000000000000000 ] || fail "ambient set from the caller: $output"
}

@test "capabilities: CapInh is empty in exec'd processes (plain, --cap, process.json, caller with inheritable caps)" {
	set_args sleep 100
	start_detached
	runtime exec "$ID" grep -E '^(Cap|NoNewPrivs)' /proc/self/status
	[ "$status" -eq 0 ]
	[ "$(cap_field CapInh "$output")" = 0000000000000000 ] || fail "exec: $output"
	runtime exec --cap CAP_SYS_ADMIN "$ID" grep -E '^(Cap|NoNewPrivs)' /proc/self/status
	[ "$status" -eq 0 ]
	[ "$(cap_field CapInh "$output")" = 0000000000000000 ] || fail "exec --cap: $output"
	jq -n '{args: ["grep", "^Cap", "/proc/self/status"], cwd: "/", env: ["PATH=/bin"], user: {uid: 0, gid: 0},
		capabilities: {bounding: ["CAP_KILL"], effective: ["CAP_KILL"], permitted: ["CAP_KILL"]}}' >"$BATS_TEST_TMPDIR/p.json"
	runtime exec -p "$BATS_TEST_TMPDIR/p.json" "$ID"
	[ "$status" -eq 0 ]
	[ "$(cap_field CapInh "$output")" = 0000000000000000 ] || fail "exec -p: $output"
	status=0
	setpriv --inh-caps=+sys_admin,+sys_ptrace "$OCIRUN" --root "$ROOT" exec "$ID" grep '^Cap' /proc/self/status </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/out")
	[ "$status" -eq 0 ]
	[ "$(cap_field CapInh "$output")" = 0000000000000000 ] || fail "exec from a caller with inheritable caps: $output"
}

@test "capabilities: a non-root exec'd process gets no capability back through inheritable+ambient" {
	set_args sleep 100
	start_detached
	runtime exec -u 1000:1000 "$ID" grep -E '^Cap' /proc/self/status
	[ "$status" -eq 0 ]
	[ "$(cap_field CapInh "$output")" = 0000000000000000 ] || fail "$output"
	[ "$(cap_field CapEff "$output")" = 0000000000000000 ] || fail "uid 1000 has effective caps: $output"
	[ "$(cap_field CapPrm "$output")" = 0000000000000000 ] || fail "uid 1000 has permitted caps: $output"
}

@test "capabilities: an explicit inheritable set in the config is honoured" {
	update_config '.process.capabilities.inheritable = ["CAP_KILL"]'
	set_args grep '^CapInh' /proc/self/status
	run_container
	[ "$status" -eq 0 ]
	[ "$(cap_field CapInh "$output")" = 0000000000000020 ] || fail "$output"
}

@test "noNewPrivileges: the exec'd process of a noNewPrivileges container has NoNewPrivs 1" {
	update_config '.process.noNewPrivileges = true'
	set_args sleep 100
	start_detached
	runtime exec "$ID" grep NoNewPrivs /proc/self/status
	[ "$status" -eq 0 ]
	[[ "$output" == *"NoNewPrivs:"*1* ]] || fail "$output"
	runtime exec -u 1000:1000 --cwd /tmp -e X=1 "$ID" grep NoNewPrivs /proc/self/status
	[ "$status" -eq 0 ]
	[[ "$output" == *"NoNewPrivs:"*1* ]] || fail "exec -u: $output"
}

@test "noNewPrivileges: exec --no-new-privs sets it on a container without it; without it stays 0" {
	update_config '.process.noNewPrivileges = false'
	set_args sleep 100
	start_detached
	runtime exec --no-new-privs "$ID" grep NoNewPrivs /proc/self/status
	[ "$status" -eq 0 ]
	[[ "$output" == *"NoNewPrivs:"*1* ]] || fail "$output"
	runtime exec "$ID" grep NoNewPrivs /proc/self/status
	[ "$status" -eq 0 ]
	[[ "$output" == *"NoNewPrivs:"*0* ]] || fail "$output"
}
