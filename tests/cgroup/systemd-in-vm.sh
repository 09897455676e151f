#!/bin/bash
# The systemd cgroup driver end to end, on a host where systemd is PID 1:
#   /work/shared/vm/run-in-vm --systemd -- tests/cgroup/systemd-in-vm.sh [BUILD_DIR]
# Runs a busybox container from `ocirun spec` with --systemd-cgroup and checks the
# transient scope (Delegate=yes, in its slice), its limits as unit properties and in
# the cgroup files (resources.unified winning over the converted values), properties
# from "org.systemd.property.*" annotations, the cgroup namespace of run and exec,
# pause/resume, stats, update through systemd, and that delete removes the unit.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build-cg}
ocirun="$build/ocirun --root /run/ocirun-sd-test --systemd-cgroup"
id=sdtest$$
unit=runc-$id.scope
dir=/sys/fs/cgroup/machine.slice/$unit
pass=0
fail=0
check() {
  if eval "$1"; then echo "ok - $1"; pass=$((pass + 1)); else echo "not ok - $1"; fail=$((fail + 1)); fi
}
prop() { systemctl show -p "$2" --value "$1"; }

bundle=$(mktemp -d)
trap '$ocirun delete -f "$id" >/dev/null 2>&1; rm -rf "$bundle"' EXIT
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/dev" "$bundle/rootfs/sys"
cp "$(command -v busybox)" "$bundle/rootfs/bin/"
for c in sh sleep cat; do ln -s busybox "$bundle/rootfs/bin/$c"; done
cd "$bundle"
$build/ocirun spec
jq '.process.terminal = false | .process.args = ["sleep", "100"] |
  .linux.cgroupsPath = "machine.slice:runc:'"$id"'" |
  .annotations = {"org.systemd.property.CollectMode": "'"'inactive-or-failed'"'",
                  "org.systemd.property.TimeoutStopSec": "7"} |
  .linux.resources += {"memory": {"limit": 104857600}, "pids": {"limit": 42},
    "cpu": {"shares": 1024, "quota": 50000, "period": 100000},
    "unified": {"cpu.weight": "300", "memory.high": "90000000"}}' config.json >c.json
mv c.json config.json

$ocirun run -d "$id" </dev/null >/dev/null
check "systemctl is-active --quiet $unit"
check "[ -d $dir ]"
check "[ \"\$(prop $unit Slice)\" = machine.slice ]"
check "[ \"\$(prop $unit Delegate)\" = yes ]"
check "[ \"\$(cat $dir/memory.max)\" = 104857600 ]"
check "[ \"\$(cat $dir/pids.max)\" = 42 ]"
check "[ \"\$(cat $dir/cpu.max)\" = '50000 100000' ]"
check "[ \"\$(prop $unit TasksMax)\" = 42 ]"
# unified overrides the weight converted from the shares (39), in systemd and the file
check "[ \"\$(prop $unit CPUWeight)\" = 300 ]"
check "[ \"\$(cat $dir/cpu.weight)\" = 300 ]"
check "[ \"\$(prop $unit MemoryHigh)\" = 90000000 ]"
# annotations become unit properties, "...Sec" in microseconds
check "[ \"\$(prop $unit CollectMode)\" = inactive-or-failed ]"
check "[ \"\$(prop $unit TimeoutStopUSec)\" = 7s ]"
# `ocirun spec` gives a cgroup namespace on v2: the container's scope is its root
check "[ \"\$($ocirun exec $id cat /proc/self/cgroup)\" = '0::/' ]"
check "[ \"\$($ocirun exec $id cat /sys/fs/cgroup/pids.max)\" = 42 ]"
$ocirun pause "$id"
check "$ocirun state $id | grep -q '\"status\": \"paused\"'"
check "grep -q 'frozen 1' $dir/cgroup.events"
$ocirun resume "$id"
check "grep -q 'frozen 0' $dir/cgroup.events"
check "$ocirun events --stats $id | grep -q '\"pids\":{\"current\":1'"
# update goes through systemd too: the unit property and the file agree
$ocirun update --memory 50M --pids-limit 10 "$id"
check "[ \"\$(cat $dir/memory.max)\" = 52428800 ]"
check "[ \"\$(prop $unit MemoryMax)\" = 52428800 ]"
check "[ \"\$(prop $unit TasksMax)\" = 10 ]"
$ocirun kill "$id" KILL
for _ in $(seq 100); do $ocirun state "$id" | grep -q '"stopped"' && break; sleep 0.1; done
$ocirun delete "$id"
check "! systemctl is-active --quiet $unit"
check "[ -z \"\$(systemctl list-units --all --no-legend $unit)\" ]"
check "[ ! -d $dir ]"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
