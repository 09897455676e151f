#!/bin/bash
# ci-vm.sh - the LSM and network-device checks that need a real kernel feature, in throw-away
# VMs (../shared/vm/run-in-vm): AppArmor (the guest's LSM) and runc's netdev.bats with dummy
# devices in one boot, SELinux (permissive, Debian's policy) and runc's selinux.bats in a
# second. RUNTIME=runc checks runc the same way; ONLY=apparmor|selinux runs one boot. Ends with "N passed, M failed".
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
. "$repo/tests/vm-setup.bash"
vm_setup "the VM checks"
conf=${CONFORMANCE:-$shared/conformance}
passed=0
failed=0
[ -f "$build/rootfs/.stamp" ] || "$repo/tests/rootfs/build.sh" "$build/rootfs" >/dev/null
cc -static -O2 -o "$build/key_label" "$repo/tests/tools/key_label.c" || exit 1
# runc's suite goes into the share with the build (the guest sees only the share)
if [ -d "$conf" ]; then
	rm -rf "$build/vm-conformance"
	cp -a "$conf" "$build/vm-conformance"
	cp "$build/key_label" "$build/vm-conformance/bin/"
fi
rt=${RUNTIME:+$(command -v "$RUNTIME")}

run() {
	local name=$1 out
	shift
	echo "== $name"
	out=/tmp/ocirun-lsm-vm-$name.log
	timeout 900 "$@" 2>&1 | tee "$out"
	local line
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		return
	fi
	passed=$((passed + $(echo "$line" | awk '{print $1}')))
	failed=$((failed + $(echo "$line" | awk '{print $3}')))
}

# ONLY=apparmor or ONLY=selinux runs one of the two boots
want() { [ -z "${ONLY:-}" ] || [ "$ONLY" = "$1" ]; }
want apparmor && run apparmor "$vm" --share "$repo" -- "$repo/tests/lsm/apparmor-in-vm.sh" "$build" $rt
want selinux && run selinux env RUN_IN_VM_APPEND="security=selinux selinux=1 enforcing=0" "$vm" --share "$repo" -- "$repo/tests/lsm/selinux-in-vm.sh" "$build" $rt
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
