#!/usr/bin/env bats
# Bad input: each case exits 1 with a message naming the problem and leaves nothing behind
# (the teardown's leak check: no state entry, cgroup or mount; here also no process).
# Large but valid input (a 10 MB config, 10,000 env entries) succeeds.

load helpers

setup() {
	setup_bundle
	set_args sleep 1000
}

# refused PATTERN ARG...: `runtime ARG...` exits 1 (exec: 255, its own failures, as runc), its
# message matches the grep -Ei PATTERN, and nothing of $ID is left
refused() {
	local pat=$1 left want=1
	shift
	[ "$1" = exec ] && want=255
	runtime "$@"
	[ "$status" -eq "$want" ] || fail "$*: status $status, expected $want: $output"
	grep -qEi -- "$pat" <<<"$output" || fail "$*: message does not name the problem (/$pat/): $output"
	left=$(leftovers "$ID") || fail "$*: left behind: $left"
}

create_refused() {
	refused "$1" create --bundle "$BUNDLE" "$ID"
}

@test "bad input: config.json missing" {
	rm config.json
	create_refused 'config\.json.*(no such file|not found|missing)|(no such file|not found|missing).*config\.json'
}

@test "bad input: config.json empty" {
	: >config.json
	create_refused 'config\.json'
}

@test "bad input: config.json invalid JSON" {
	echo '{"ociVersion": "1.0.2", "process": {' >config.json
	create_refused 'config\.json.*(json|pars|invalid|unexpected|end)'
	printf '{"ociVersion": "1.0.2"} trailing' >config.json
	create_refused 'config\.json'
	printf '\xff\xfe{}' >config.json
	create_refused 'config\.json'
}

@test "bad input: process.args a string" {
	update_config '.process.args = "sleep 1000"'
	create_refused 'args'
}

@test "bad input: rlimits as strings" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": "1024", "soft": "1024"}]'
	create_refused 'rlimits'
	update_config '.process.rlimits = "RLIMIT_NOFILE=1024"'
	create_refused 'rlimits'
}

@test "bad input: numbers that overflow" {
	update_config '.linux.resources.memory.limit = 1e30'
	create_refused 'memory|limit'
	update_config 'del(.linux.resources.memory) | .process.rlimits[0].hard = 184467440737095516160'
	create_refused 'rlimits|hard'
	update_config '.process.rlimits[0].hard = 1024 | .linux.resources.pids.limit = 99999999999999999999999'
	create_refused 'pids|limit'
	update_config 'del(.linux.resources.pids) | .process.oomScoreAdj = 4294967296'
	create_refused 'oomScoreAdj'
}

@test "bad input: unknown namespace type" {
	update_config '.linux.namespaces += [{"type": "bogus"}]'
	create_refused 'namespace.*bogus|bogus.*namespace|namespaces'
}

@test "bad input: rootfs missing" {
	rm -rf rootfs
	create_refused 'rootfs|root\.path|no such file'
}

@test "bad input: rootfs a file" {
	rm -rf rootfs
	echo file >rootfs
	create_refused 'rootfs|root\.path|not a directory'
}

@test "bad input: executable missing in the rootfs" {
	set_args /no/such/program
	create_refused 'no/such/program'
	set_args nosuchprogram
	create_refused 'nosuchprogram'
	# run: also refused with a message, nothing left
	refused 'nosuchprogram' run --bundle "$BUNDLE" "$ID"
}

@test "bad input: duplicate id (the first container is untouched)" {
	create_container
	pid=$(container_pid "$ID")
	runtime create --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$ID"* ]] && grep -qEi 'exist|already|in use' <<<"$output" || fail "message: $output"
	runtime run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[ "$(container_pid "$ID")" = "$pid" ] || fail "the first container changed"
	[ "$(container_status "$ID")" = created ]
}

@test "bad input: delete, state, kill, start, exec, pause of an unknown id" {
	local cmd
	for cmd in delete state kill start pause resume ps; do
		refused "not exist|not found" "$cmd" "$ID"
	done
	refused "not exist|not found" exec "$ID" true
}

@test "bad input: unknown signal name" {
	create_container
	for sig in SIGBOGUS BOGUS 0x9 -9 65 999999999999 ''; do
		runtime kill "$ID" "$sig"
		[ "$status" -eq 1 ] || fail "kill '$sig': status $status"
		# "-9" reads as a flag (flags may follow the id, as in runc)
		grep -qEi 'signal|flag provided but not defined: -9' <<<"$output" || fail "kill '$sig': $output"
	done
	[ "$(container_status "$ID")" = created ]
}

@test "large input: a 10 MB config succeeds" {
	# 10 MB of annotations (100 x 100 KB values)
	big=$(head -c 75000 /dev/urandom | base64 -w0)
	update_config '.annotations = ([range(100)] | map({key: "a\(.)", value: $v}) | from_entries)' --arg v "$big"
	size=$(stat -c %s config.json)
	[ "$size" -gt 10000000 ] || fail "config is only $size bytes"
	set_args true
	run_container
	[ "$status" -eq 0 ] || fail "$output"
}

@test "large input: 10,000 env entries reach the process" {
	update_config '.process.env += [range(10000) | "VAR\(.)=value\(.)"]'
	set_args sh -c 'env | grep -c "^VAR"; echo "$VAR9999"'
	run_container
	[ "$status" -eq 0 ] || fail "$output"
	[ "${lines[0]}" = 10000 ]
	[ "${lines[1]}" = value9999 ]
}
