#!/usr/bin/env bats
# failure paths of create/run that are not covered elsewhere, and fields parsed but not applied.

load helpers

@test "errors: a missing config.json fails" {
	rm config.json
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *config.json* ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "errors: invalid JSON fails" {
	echo '{"ociVersion": ' >config.json
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "errors: args as a string fails" {
	update_config '.process.args = "sh"'
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "errors: rootfs is a file" {
	rm -rf rootfs && touch rootfs
	set_args true
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "errors: an unknown namespace type" {
	update_config '.linux.namespaces += [{"type": "bogus"}]'
	set_args true
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}

@test "errors: a field parsed but not applied fails with 'not supported: <path>'" {
	skip_if_runc "runc ignores fields it does not apply"
	# Intel RDT is parsed; on a host without resctrl it cannot be applied
	[ -d /sys/fs/resctrl/info ] && skip "host has resctrl"
	update_config '.linux.intelRdt = {"closID": "x", "l3CacheSchema": "L3:0=f"}'
	set_args true
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"not supported: "* ]] || [[ "$output" == *"intelRdt"* ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "errors: unknown top-level keys are ignored" {
	update_config '.someFutureKey = {"a": 1} | .process.futureField = true'
	set_args true
	run_container
	[ "$status" -eq 0 ]
}

@test "errors: the error is in the log file as JSON with --log-format json" {
	set_args nonexistent
	runtime --log "$BATS_TEST_TMPDIR/log.json" --log-format json run "$ID"
	[ "$status" -ne 0 ]
	tail -1 "$BATS_TEST_TMPDIR/log.json" | jq -e '.level == "error" and (.msg | contains("nonexistent")) and (.time | type) == "string"'
}

@test "errors: --log with text format writes the error" {
	set_args nonexistent
	runtime --log "$BATS_TEST_TMPDIR/log.txt" run "$ID"
	[ "$status" -ne 0 ]
	grep -q 'level=error' "$BATS_TEST_TMPDIR/log.txt"
	grep -q nonexistent "$BATS_TEST_TMPDIR/log.txt"
}
