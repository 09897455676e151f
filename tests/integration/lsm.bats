#!/usr/bin/env bats
# LSM fields on a host without AppArmor or SELinux, where ocirun does what runc does: a profile
# is written and the kernel refuses it, a process label is refused up front, a mount label goes
# into the mount options and the kernel refuses the mount. The labels themselves are checked in
# a VM (tests/lsm). Each refusal leaves nothing behind.

load helpers

setup() {
	setup_bundle
	set_args true
}

teardown() {
	teardown_bundle
}

no_lsm() {
	[ ! -d /sys/kernel/security/apparmor ] && [ ! -d /sys/fs/selinux/class ] || skip "this host has an LSM"
}

refused_cleanly() {
	[ "$status" -ne 0 ] || fail "accepted: $output"
	[[ "$output" == *"$1"* ]] || fail "message does not say '$1': $output"
	[ ! -e "$ROOT/$ID" ] || fail "state left behind"
}

@test "lsm: an AppArmor profile without AppArmor is refused by the kernel, as runc" {
	no_lsm
	update_config '.process.apparmorProfile = "docker-default"'
	run_container
	refused_cleanly "apparmor"
}

@test "lsm: an SELinux process label without SELinux is refused before anything is made, as runc" {
	no_lsm
	update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0:c1,c2"'
	run_container
	refused_cleanly "selinux label is specified in config, but selinux is disabled or not supported"
}

@test "lsm: a mount label without SELinux makes the kernel refuse the labelled mounts, as runc" {
	no_lsm
	update_config '.linux.mountLabel = "system_u:object_r:container_file_t:s0:c1,c2"'
	run_container
	refused_cleanly "/dev"
}

@test "lsm: empty labels are no labels" {
	update_config '.process.apparmorProfile = "" | .process.selinuxLabel = "" | .linux.mountLabel = ""'
	run_container
	[ "$status" -eq 0 ] || fail "run: $output"
}

@test "lsm: exec --apparmor and --process-label are applied (refused here by the kernel), empty ones ignored" {
	no_lsm
	set_args sleep 100
	runtime run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || fail "run -d: $output"
	runtime exec --apparmor some-profile "$ID" true
	[ "$status" -ne 0 ] || fail "exec --apparmor accepted without AppArmor"
	runtime exec --process-label system_u:system_r:container_t:s0 "$ID" true
	[ "$status" -ne 0 ] || fail "exec --process-label accepted without SELinux"
	runtime exec --apparmor "" --process-label "" "$ID" true
	[ "$status" -eq 0 ] || fail "empty labels: $output"
}

@test "features: apparmor, selinux, netDevices and intelRdt are reported" {
	skip_if_runc "runc 1.1 has no netDevices and reports no intelRdt"
	run "$OCIRUN" features
	[ "$status" -eq 0 ]
	jq -e '.linux.apparmor.enabled and .linux.selinux.enabled and .linux.netDevices.enabled and
		.linux.intelRdt.enabled and .linux.intelRdt.schemata and .linux.intelRdt.monitoring' <<<"$output" >/dev/null ||
		fail "features: $output"
}
