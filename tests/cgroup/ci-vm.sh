#!/bin/bash
# The cgroup v2 and systemd suites in throw-away VMs (../shared/vm/run-in-vm):
# the driver unit test against a real v2 root, real containers on v2, and the
# systemd driver with systemd as PID 1.  Ends with "N passed, M failed".
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
vm=${RUN_IN_VM:-$repo/../shared/vm/run-in-vm}
build=${BUILD_DIR:-$repo/build}
passed=0
failed=0

if [ ! -x "$vm" ]; then
  echo "run-in-vm not found at $vm: the VM suites cannot run here"
  echo "0 passed, 1 failed"
  exit 1
fi
[ -x "$build/ocirun" ] || { meson setup "$build" "$repo" >/dev/null && ninja -C "$build" >/dev/null; }
ninja -C "$build" >/dev/null

run() {
  local name=$1
  shift
  echo "== $name"
  if timeout 900 "$vm" --share "$repo" "$@" 2>&1 | tee "/tmp/ocirun-vm-$name.log"; then
    [ "${PIPESTATUS[0]}" -eq 0 ] && { passed=$((passed + 1)); echo "ok - $name"; return; }
  fi
  failed=$((failed + 1))
  echo "not ok - $name"
}

run v2-driver -- "$repo/tests/cgroup/v2-in-vm.sh" "$build"
run v2-containers -- "$repo/tests/cgroup/v2-containers-in-vm.sh" "$build"
run rootless-v2 -- "$repo/tests/cgroup/rootless-v2-in-vm.sh" "$build"
run systemd-driver --systemd -- "$repo/tests/cgroup/systemd-in-vm.sh" "$build"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
