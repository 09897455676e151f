#!/usr/bin/env bats
# --trace and OCIRUN_TRACE=1: the time of each phase, printed after the command.

load helpers

# trace_phases FILE: the "process phase" pairs of a text trace, one per line.
trace_phases() {
	awk 'NR > 2 && $1 ~ /^[0-9.]+$/ { print $3, $4 }' "$1"
}

@test "trace: run prints every phase of the runtime and the init after the command" {
	skip_if_runc "no --trace"
	set_args echo hello
	"$OCIRUN" --trace --root "$ROOT" run "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	cat "$BATS_TEST_TMPDIR/err" >&2
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = hello ]
	head -n1 "$BATS_TEST_TMPDIR/err" | grep -Eq '^ocirun trace: run, [0-9]+\.[0-9]{3} ms$'
	trace_phases "$BATS_TEST_TMPDIR/err" >"$BATS_TEST_TMPDIR/phases"
	for p in "runtime parse" "runtime cgroup" "runtime clone" "init clone" "init namespaces" \
		"init mount" "init pivot_root" "init masked" "init exec" "runtime sync" "init sync" \
		"runtime container" "runtime state"; do
		grep -qx "$p" "$BATS_TEST_TMPDIR/phases" || fail "phase '$p' missing"
	done
	# one line per spec mount
	[ "$(grep -c 'init     mount  ' "$BATS_TEST_TMPDIR/err")" -eq "$(jq '.mounts | length' config.json)" ]
}

@test "trace: the phases add up to no more than the total, each starting where the last ended" {
	skip_if_runc "no --trace"
	set_args true
	"$OCIRUN" --trace --root "$ROOT" run "$ID" </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/err"
	cat "$BATS_TEST_TMPDIR/err" >&2
	# per process, at(n) - at(n-1) == took(n) (within rounding)
	awk 'NR > 2 && $1 ~ /^[0-9.]+$/ {
		p = $3; if (p in last) { d = $1 - last[p] - $2; if (d > 0.002 || d < -0.002) bad++ }
		last[p] = $1; if ($1 > max) max = $1 }
		NR == 1 { total = $(NF - 1) }
		END { exit (bad > 0 || max > total) }' "$BATS_TEST_TMPDIR/err"
}

@test "trace: OCIRUN_TRACE=1 turns it on for create, start, exec and delete" {
	skip_if_runc "no --trace"
	set_args sleep 100
	OCIRUN_TRACE=1 runtime create "$ID"
	[ "$status" -eq 0 ]
	output_has "ocirun trace: create, " "cgroup create" "wait for ready"
	OCIRUN_TRACE=1 runtime start "$ID"
	[ "$status" -eq 0 ]
	output_has "ocirun trace: start, " "short slice  on" "wait for init (exec fifo)"
	OCIRUN_TRACE=1 runtime exec "$ID" true
	[ "$status" -eq 0 ]
	output_has "ocirun trace: exec, " "exec     setns" "wait for execve"
	OCIRUN_TRACE=1 runtime delete -f "$ID"
	[ "$status" -eq 0 ]
	output_has "ocirun trace: delete, " "cgroup destroy" "state dir remove"
}

@test "trace: start asks for a short slice only as a fair task, and its hooks run with the caller's" {
	skip_if_runc "no --trace"
	command -v chrt >/dev/null || skip "no chrt"
	set_args sleep 100
	# the poststart hook reports the slice its process was given
	hook=$BATS_TEST_TMPDIR/hook
	printf '#!/bin/sh\nsed -n "s/^se.slice *: *//p" /proc/self/sched >%s\n' "$BATS_TEST_TMPDIR/slice" >"$hook"
	chmod +x "$hook"
	jq --arg h "$hook" '.hooks.poststart = [{"path": $h}]' config.json >config.json.new && mv config.json.new config.json
	runtime create "$ID"
	[ "$status" -eq 0 ]
	OCIRUN_TRACE=1 runtime start "$ID"
	[ "$status" -eq 0 ]
	output_has "short slice  on"
	# not the 0.1 ms asked for during the wait (where the kernel shows slices at all)
	if [ -s "$BATS_TEST_TMPDIR/slice" ]; then
		[ "$(cat "$BATS_TEST_TMPDIR/slice")" != 100000 ] || fail "the hook inherited the short slice"
	fi
	runtime delete -f "$ID"
	runtime create "$ID"
	[ "$status" -eq 0 ]
	OCIRUN_TRACE=1 chrt --idle 0 "$OCIRUN" --root "$ROOT" start "$ID" 2>"$BATS_TEST_TMPDIR/err"
	grep -q "short slice  not a fair task" "$BATS_TEST_TMPDIR/err" || { cat "$BATS_TEST_TMPDIR/err" >&2; fail "an idle start changed its slice"; }
}

@test "trace: off by default, and OCIRUN_TRACE other than 1 leaves it off" {
	skip_if_runc "no --trace"
	set_args true
	OCIRUN_TRACE=0 "$OCIRUN" --root "$ROOT" run "$ID" </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/err"
	[ ! -s "$BATS_TEST_TMPDIR/err" ]
	runtime state nothere
	[[ "$output" != *"trace"* ]]
}

@test "trace: with --log the phases are JSON lines in the log file, stderr stays quiet" {
	skip_if_runc "no --trace"
	set_args true
	log=$BATS_TEST_TMPDIR/log.json
	"$OCIRUN" --trace --log "$log" --log-format json --root "$ROOT" run "$ID" </dev/null \
		>/dev/null 2>"$BATS_TEST_TMPDIR/err"
	cat "$log" >&2
	[ ! -s "$BATS_TEST_TMPDIR/err" ]
	# every line is an object with runc's keys and the phase's
	jq -es 'length > 10 and all(.level == "trace" and (.msg | type) == "string" and
		(.time | test("^[0-9-]+T[0-9:.]+Z$")) and .command == "run" and
		(.process | IN("runtime", "init")) and (.ms | type) == "number" and
		(.at_ms | type) == "number" and (.pid | type) == "number")' "$log"
	jq -es 'map(select(.process == "init" and .phase == "pivot_root")) | length == 1' "$log"
	jq -es 'last | .phase == "total"' "$log"
}

@test "trace: a failing command still prints its phases, and the error" {
	skip_if_runc "no --trace"
	update_config '.process.args = ["/does/not/exist"]'
	runtime --trace run "$ID"
	[ "$status" -ne 0 ]
	output_has "ocirun trace: run, " "/does/not/exist"
}
