#!/bin/bash
# The systemd cgroup driver end to end, on a host where systemd is PID 1:
#   /work/shared/vm/run-in-vm --systemd -- tests/cgroup/systemd-in-vm.sh [BUILD_DIR]
# Runs a busybox container with --systemd-cgroup and checks the transient
# scope, its limits, pause/resume, stats, and that delete removes it.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build-cg}
ocirun="$build/ocirun --root /run/ocirun-sd-test --systemd-cgroup"
id=sdtest$$
unit=runc-$id.scope
dir=/sys/fs/cgroup/system.slice/$unit
fail=0
check() { if eval "$1"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }

bundle=$(mktemp -d)
trap 'rm -rf "$bundle"' EXIT
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/dev" "$bundle/rootfs/sys"
cp "$(command -v busybox)" "$bundle/rootfs/bin/"
for c in sh sleep cat; do ln -s busybox "$bundle/rootfs/bin/$c"; done
cd "$bundle"
# runc's default spec, with the process and resources edited by sed (no jq
# in the guest)
runc spec
sed -e 's/"terminal": true/"terminal": false/' -e 's/"sh"$/"sleep", "100"/' \
  -e 's/"resources": {/"resources": {"memory": {"limit": 104857600}, "pids": {"limit": 42}, "cpu": {"shares": 1024, "quota": 50000, "period": 100000},/' \
  config.json >c.json
mv c.json config.json

$ocirun run -d "$id" </dev/null >/dev/null
check "systemctl is-active --quiet $unit"
check "[ -d $dir ]"
check "[ \"\$(cat $dir/memory.max)\" = 104857600 ]"
check "[ \"\$(cat $dir/pids.max)\" = 42 ]"
check "[ \"\$(cat $dir/cpu.max)\" = '50000 100000' ]"
check "[ \"\$(systemctl show -p TasksMax --value $unit)\" = 42 ]"
$ocirun pause "$id"
check "$ocirun state $id | grep -q '\"status\": \"paused\"'"
check "grep -q 'frozen 1' $dir/cgroup.events"
$ocirun resume "$id"
check "grep -q 'frozen 0' $dir/cgroup.events"
check "$ocirun events --stats $id | grep -q '\"pids\":{\"current\":1'"
$ocirun update --memory 50M "$id"
check "[ \"\$(cat $dir/memory.max)\" = 52428800 ]"
$ocirun kill "$id" KILL
sleep 0.5
$ocirun delete "$id"
check "! systemctl is-active --quiet $unit"
check "[ ! -d $dir ]"
exit $fail
