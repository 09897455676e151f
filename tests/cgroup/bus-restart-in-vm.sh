#!/bin/bash
# A foreground `run` with the systemd driver outlives a restart of the system bus, on a host
# where systemd is PID 1 (the last step of a systemd boot: the bus restarts under it):
#   /work/shared/vm/run-in-vm --systemd -- tests/cgroup/bus-restart-in-vm.sh [BUILD_DIR]
# The runtime keeps the one connection it made at create for the rest of the command; the
# bus daemon closes it when it restarts, and the clean-up after the container's exit
# connects again (two "systemd bus" lines in --trace), stops the unit and leaves nothing.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
ocirun="$build/ocirun --root /run/ocirun-bus-test --systemd-cgroup"
id=bus$$
unit=runc-$id.scope
pass=0
fail=0
check() {
  if eval "$1"; then echo "ok - $1"; pass=$((pass + 1)); else echo "not ok - $1"; fail=$((fail + 1)); fi
}
[ -d /run/systemd/system ] || { echo "systemd is not PID 1"; echo "0 passed, 1 failed"; exit 1; }
bundle=$(mktemp -d)
trap '$ocirun delete -f "$id" >/dev/null 2>&1; rm -rf "$bundle"' EXIT
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/dev" "$bundle/rootfs/sys"
cp "$(command -v busybox)" "$bundle/rootfs/bin/"
ln -s busybox "$bundle/rootfs/bin/sleep"
cd "$bundle" || exit 1
$build/ocirun spec
jq '.process.terminal = false | .process.args = ["sleep", "6"] |
  .linux.cgroupsPath = "machine.slice:runc:'"$id"'" |
  .linux.resources += {"pids": {"limit": 42}}' config.json >c.json && mv c.json config.json

OCIRUN_TRACE=1 $ocirun run "$id" </dev/null >out 2>trace &
runpid=$!
for _ in $(seq 100); do systemctl is-active --quiet "$unit" && break; sleep 0.1; done
check "systemctl is-active --quiet $unit"
systemctl restart dbus.service
check "systemctl is-active --quiet dbus.service"
# (the container sleeps on; the run ends with it, within 6 s)
timeout 30 tail --pid="$runpid" -f /dev/null
wait "$runpid"
rc=$?
cat trace
check "[ $rc -eq 0 ]"
check "[ \"\$(grep -c 'systemd bus  connected' trace)\" = 2 ]"
check "[ -z \"\$(systemctl list-units --all --no-legend $unit)\" ]"
check "[ ! -d /sys/fs/cgroup/machine.slice/$unit ]"
check "[ ! -d /run/ocirun-bus-test/$id ]"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
