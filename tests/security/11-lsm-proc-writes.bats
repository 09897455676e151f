#!/usr/bin/env bats
# Attack class 5, continued (CVE-2025-52881, CVE-2019-16884): the LSM labels (attr/exec,
# attr/apparmor/exec, attr/keycreate), timens_offsets and an exec process's oom_score_adj
# are written into a procfs the container cannot have shaped, never through its /proc.
# This host has no LSM: a label write is refused by the kernel, and the container's fake
# /proc must not have received it.

load helpers

setup() {
	setup_bundle
	FAKE=$BATS_TEST_TMPDIR/fakeproc
	mkdir -p "$FAKE/target/attr/apparmor" "$FAKE/target/task/target/attr/apparmor" "$FAKE/sys"
	for d in "$FAKE/target" "$FAKE/target/task/target"; do
		: >"$d/attr/exec"
		: >"$d/attr/keycreate"
		: >"$d/attr/apparmor/exec"
		: >"$d/timens_offsets"
		echo 0 >"$d/oom_score_adj"
	done
	ln -s target "$FAKE/self"
	ln -s target/task/target "$FAKE/thread-self"
	FAKE_LIST=$(cd "$FAKE" && find . | sort)
}

teardown() {
	teardown_bundle
}

# fake_untouched: no file of the fake /proc was written or created
fake_untouched() {
	local f
	while read -r f; do
		[ -f "$FAKE/$f" ] || continue
		case "$f" in
		*oom_score_adj) [ "$(cat "$FAKE/$f")" = 0 ] || fail "written through the fake /proc: $f" ;;
		*) [ ! -s "$FAKE/$f" ] || fail "written through the fake /proc: $f = $(cat "$FAKE/$f")" ;;
		esac
	done <<<"$FAKE_LIST"
	[ "$(cd "$FAKE" && find . | sort)" = "$FAKE_LIST" ] || fail "created in the fake /proc: $(cd "$FAKE" && find . | sort)"
}

fake_proc() {
	drop_mount /proc
	add_mount "{\"destination\": \"/proc\", \"type\": \"bind\", \"source\": \"$FAKE\", \"options\": [\"rbind\", \"rw\"]}"
	update_config '.linux.readonlyPaths = [] | .linux.maskedPaths = []'
}

@test "fake /proc: an AppArmor profile is not written into the container's /proc" {
	fake_proc
	update_config '.process.apparmorProfile = "ocirun-test-profile"'
	set_args true
	runtime run --bundle "$BUNDLE" "$ID"
	fake_untouched
	if [ ! -d /sys/kernel/security/apparmor ]; then
		# refused: the kernel refuses the profile (or the runtime the fake /proc)
		[ "$status" -ne 0 ] || fail "a profile was accepted without AppArmor"
		[ -n "$output" ] || fail "refused without a message"
	fi
}

@test "fake /proc: timeOffsets are not written into the container's /proc" {
	skip_if_runc "runc 1.1 has no time namespaces"
	fake_proc
	update_config '.linux.namespaces += [{"type": "time"}] | .linux.timeOffsets = {"boottime": {"secs": 86400, "nanosecs": 0}}'
	set_args true
	runtime run --bundle "$BUNDLE" "$ID"
	fake_untouched
	[ "$status" -eq 0 ] || fail "run: $output"
}

@test "fake /proc: exec's labels, keyring label and oom_score_adj are not written into the container's /proc" {
	fake_proc
	set_args sleep 100
	runtime run -d --bundle "$BUNDLE" "$ID"
	fake_untouched
	# a runtime may refuse a /proc that is not a procfs outright
	[ "$status" -eq 0 ] || { [ -n "$output" ] || fail "refused without a message"; return 0; }
	runtime exec --apparmor ocirun-test-profile "$ID" true
	fake_untouched
	[ "$status" -ne 0 ] || [ -d /sys/kernel/security/apparmor ] || fail "exec --apparmor accepted without AppArmor"
	runtime exec --process-label system_u:system_r:container_t:s0 "$ID" true
	fake_untouched
	[ "$status" -ne 0 ] || [ -d /sys/fs/selinux ] || fail "exec --process-label accepted without SELinux"
	jq '.process | .args = ["cat", "/proc/self/oom_score_adj"] | .oomScoreAdj = 77' "$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/process.json"
	runtime exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
	fake_untouched
	[ "$status" -eq 0 ] || fail "exec: $output"
}
