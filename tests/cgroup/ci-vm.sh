#!/bin/bash
# The cgroup v2 and systemd suites in two throw-away VMs (../shared/vm/run-in-vm), see
# all-in-vm.sh: pure cgroup v2 with the cgroupfs driver (the driver unit test against the
# real hierarchy, real containers, rootless, runc's suite held against runc 1.1.5's results
# in the same guest), then systemd as PID 1 with the systemd driver (its scope, delegation,
# runc's suite in its systemd mode).  Ends with "N passed, M failed".
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
. "$repo/tests/vm-setup.bash"
. "$repo/tests/vm-images.bash"
vm_setup "the VM suites"
conf=${CONFORMANCE:-$shared/conformance}
passed=0
failed=0
# runc's suite goes into the share with the build (the guest sees only the share)
rm -rf "$build/vm-conformance"
[ -d "$conf" ] && cp -a "$conf" "$build/vm-conformance"

run() {
  local name=$1 line
  shift
  echo "== $name"
  RUN_IN_VM_TIMEOUT=1500 RUN_IN_VM_ENV="SUITE_FILES" timeout 1600 "$vm" --share "$repo" "$@" 2>&1 |
    tee "/tmp/ocirun-vm-$name.log"
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "/tmp/ocirun-vm-$name.log" | tail -n 1)
  if [ -z "$line" ]; then
    failed=$((failed + 1))
    echo "not ok - $name: no result"
    return
  fi
  passed=$((passed + $(echo "$line" | awk '{print $1}')))
  failed=$((failed + $(echo "$line" | awk '{print $3}')))
}

run cgroupfs -- "$repo/tests/cgroup/all-in-vm.sh" cgroupfs "$build"
# the CRI scenario's client stubs, pause and busybox images, made here (the guest has no
# compiler and no grpc_tools); without them the scenario fails and says so
rm -rf "$build/vm-cri"
if ! { bash "$repo/tests/clients/cri/assets.sh" "$build/vm-cri" &&
  bash "$repo/tests/clients/image.sh" "$build/vm-cri/image.tar"; } >/tmp/ocirun-vm-cri-assets.log 2>&1; then
  tail -n 5 /tmp/ocirun-vm-cri-assets.log
fi
# the systemd boot drives clients (containerd's CRI, a user's own manager): the clients image
use_clients_image
run systemd --systemd -- "$repo/tests/cgroup/all-in-vm.sh" systemd "$build"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
