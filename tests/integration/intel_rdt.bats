#!/usr/bin/env bats
# linux.intelRdt and `update --l3-cache-schema/--mem-bw-schema` against a fake resctrl: a
# tmpfs laid out like resctrl (info/L3, info/MB, info/L3_MON, last_cmd_status) that the
# runtime finds through a mountinfo naming it a resctrl mount. The runtime runs in its own
# mount namespace where that mountinfo is bound over its /proc/<pid>/mountinfo (this host has
# no resctrl). Plain files keep every write, so the tests see each one in order.

load helpers

setup() {
	skip_if_runc "runc 1.1 also requires RDT flags in /proc/cpuinfo"
	setup_bundle
	RDT=$BATS_TEST_TMPDIR/resctrl
	mkdir -p "$RDT"
	mount -t tmpfs -o mode=755 ocirun-fake-resctrl "$RDT"
	mkdir -p "$RDT/info/L3" "$RDT/info/MB" "$RDT/info/L3_MON" "$RDT/mon_groups"
	echo ok >"$RDT/info/last_cmd_status"
	: >"$RDT/tasks"
	: >"$RDT/schemata"
	REAL_OCIRUN=$OCIRUN
	OCIRUN=$BATS_TEST_TMPDIR/runtime-with-resctrl
	cat >"$OCIRUN" <<SH
#!/bin/sh
exec unshare --mount sh -c 'mi=\$(mktemp) && cat /proc/self/mountinfo >"\$mi" &&
  echo "9999 1 0:999 / $RDT rw,relatime - resctrl resctrl rw" >>"\$mi" &&
  mount --bind "\$mi" /proc/\$\$/mountinfo && rm -f "\$mi" && exec "\$0" "\$@"' "$REAL_OCIRUN" "\$@"
SH
	chmod +x "$OCIRUN"
	update_config '.linux.readonlyPaths = [] | .linux.maskedPaths = []'
}

teardown() {
	[ -z "${RDT:-}" ] || umount "$RDT"
	teardown_bundle
}

@test "intelRdt: without closID a group named after the container is made, written, joined and removed" {
	update_config '.linux.intelRdt = {"l3CacheSchema": "L3:0=f0", "memBwSchema": "MB:0=50"}'
	set_args sleep 100
	runtime run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || fail "run: $output"
	pid=$(container_pid "$ID")
	[ "$(cat "$RDT/$ID/schemata")" = "$(printf 'L3:0=f0\nMB:0=50')" ] || fail "schemata: $(cat "$RDT/$ID/schemata")"
	grep -qx "$pid" "$RDT/$ID/tasks" || fail "init $pid not in tasks: $(cat "$RDT/$ID/tasks")"
	runtime exec --pid-file "$BATS_TEST_TMPDIR/exec.pid" "$ID" true
	[ "$status" -eq 0 ] || fail "exec: $output"
	grep -qx "$(cat "$BATS_TEST_TMPDIR/exec.pid")" "$RDT/$ID/tasks" || fail "exec pid not in tasks: $(cat "$RDT/$ID/tasks")"
	runtime update --l3-cache-schema "L3:0=3" --mem-bw-schema "MB:0=20" "$ID"
	[ "$status" -eq 0 ] || fail "update: $output"
	[ "$(tail -n 2 "$RDT/$ID/schemata")" = "$(printf 'L3:0=3\nMB:0=20')" ] || fail "update schemata: $(cat "$RDT/$ID/schemata")"
	runtime delete -f "$ID"
	[ "$status" -eq 0 ] || fail "delete: $output"
	[ ! -e "$RDT/$ID" ] || fail "group left behind"
}

@test "intelRdt: schemata lines and monitoring; the monitoring group goes at delete" {
	update_config '.linux.intelRdt = {"schemata": ["L3:0=f", "MB:0=30"], "enableMonitoring": true}'
	set_args sleep 100
	runtime run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || fail "run: $output"
	pid=$(container_pid "$ID")
	[ "$(cat "$RDT/$ID/schemata")" = "$(printf 'L3:0=f\nMB:0=30')" ] || fail "schemata: $(cat "$RDT/$ID/schemata")"
	grep -qx "$pid" "$RDT/$ID/mon_groups/$ID/tasks" || fail "init not in the monitoring group"
	runtime delete -f "$ID"
	[ "$status" -eq 0 ] || fail "delete: $output"
	[ ! -e "$RDT/$ID" ] || fail "group left behind"
}

@test "intelRdt: an existing closID is joined and kept; a missing one needs a schema" {
	mkdir "$RDT/shared"
	: >"$RDT/shared/tasks"
	update_config '.linux.intelRdt = {"closID": "shared"}'
	set_args sleep 100
	runtime run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || fail "run: $output"
	grep -qx "$(container_pid "$ID")" "$RDT/shared/tasks" || fail "init not in the closID's tasks"
	runtime delete -f "$ID"
	[ -d "$RDT/shared" ] || fail "a closID group was removed"

	update_config '.linux.intelRdt = {"closID": "absent"}'
	runtime run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ] && [[ "$output" == *absent*"must exist"* ]] || fail "missing closID: $status $output"
	[ ! -e "$RDT/absent" ] && [ ! -e "$ROOT/$ID" ] || fail "left behind"

	update_config '.linux.intelRdt = {"closID": "made", "l3CacheSchema": "L3:0=1"}'
	runtime run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || fail "run: $output"
	[ "$(cat "$RDT/made/schemata")" = "L3:0=1" ] || fail "schemata: $(cat "$RDT/made/schemata")"
	runtime delete -f "$ID"
	[ -d "$RDT/made" ] || fail "a group named by closID was removed"
}

@test "intelRdt: no resctrl, a resource the kernel does not offer, bad schemata and closIDs are refused" {
	update_config '.linux.intelRdt = {"l3CacheSchema": "L3:0=f"}'
	set_args true
	# the real mountinfo: no resctrl
	OCIRUN=$REAL_OCIRUN run_refused "no resctrl"
	rmdir "$RDT/info/L3"
	run_refused "Intel RDT/CAT is not enabled"
	update_config '.linux.intelRdt = {"schemata": ["MB:0=1\nL3:0=1"]}'
	run_refused "schemata[0]" newline
	update_config '.linux.intelRdt = {"closID": ".."}'
	run_refused closID
	update_config '.linux.intelRdt = {"memBwSchema": "L3:0=1"}'
	run_refused memBwSchema
	[ ! -e "$ROOT/$ID" ] || fail "state left behind"
	[ -z "$(ls "$RDT" | grep -v -x -e info -e mon_groups -e tasks -e schemata)" ] || fail "groups made: $(ls "$RDT")"
}

@test "intelRdt: update gives a container created without intelRdt a group of its own" {
	set_args sleep 100
	runtime run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || fail "run: $output"
	runtime update --mem-bw-schema "MB:0=70" "$ID"
	[ "$status" -eq 0 ] || fail "update: $output"
	grep -qx "$(container_pid "$ID")" "$RDT/$ID/tasks" || fail "init not in the new group"
	[ "$(cat "$RDT/$ID/schemata")" = "MB:0=70" ] || fail "schemata: $(cat "$RDT/$ID/schemata")"
	rmdir "$RDT/info/L3"
	runtime update --l3-cache-schema "L3:0=1" "$ID"
	[ "$status" -ne 0 ] && [[ "$output" == *"l3 cache schema is not enabled"* ]] || fail "update without CAT: $status $output"
	runtime delete -f "$ID"
	[ ! -e "$RDT/$ID" ] || fail "group left behind"
}
