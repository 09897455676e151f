#!/bin/bash
# The systemd cgroup driver end to end, on a host where systemd is PID 1:
#   /work/shared/vm/run-in-vm --systemd -- tests/cgroup/systemd-in-vm.sh [BUILD_DIR]
# Runs a busybox container from `ocirun spec` with --systemd-cgroup and checks the
# transient scope (Delegate=yes, in its slice), its limits as unit properties and in
# the cgroup files (resources.unified winning over the converted values), properties
# from "org.systemd.property.*" annotations, the cgroup namespace of run and exec,
# pause/resume, stats, update through systemd, that delete removes the unit, and that a
# start job that fails fails the start.
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
trap '$ocirun delete -f "$id" >/dev/null 2>&1; $ocirun delete -f "${id}d" >/dev/null 2>&1; rm -rf "$bundle"' EXIT
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/dev" "$bundle/rootfs/sys"
cp "$(command -v busybox)" "$bundle/rootfs/bin/"
for c in sh sleep cat stat mkdir; do ln -s busybox "$bundle/rootfs/bin/$c"; done
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
# every controller of the host reaches the scope, those systemd leaves alone (hugetlb, rdma,
# misc) too
check "[ \"\$(cat $dir/cgroup.controllers)\" = \"\$(cat /sys/fs/cgroup/cgroup.controllers)\" ]"
check "[ \"\$(cat $dir/memory.max)\" = 104857600 ]"
check "[ \"\$(cat $dir/pids.max)\" = 42 ]"
check "[ \"\$(cat $dir/cpu.max)\" = '50000 100000' ]"
check "[ \"\$(prop $unit TasksMax)\" = 42 ]"
# the properties set once the unit exists are drop-ins, written in the order systemd lists
# them: nothing for a daemon-reload to pick up
check "[ \"\$(prop $unit NeedDaemonReload)\" = no ]"
# unified overrides the weight converted from the shares (100), in systemd and the file
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
check "[ \"\$(prop $unit NeedDaemonReload)\" = no ]"
$ocirun kill "$id" KILL
for _ in $(seq 100); do $ocirun state "$id" | grep -q '"stopped"' && break; sleep 0.1; done
$ocirun delete "$id"
check "! systemctl is-active --quiet $unit"
check "[ -z \"\$(systemctl list-units --all --no-legend $unit)\" ]"
check "[ ! -d $dir ]"

# Delegation: with a user namespace, a cgroup namespace and /sys/fs/cgroup mounted
# read-write, the scope and the files the kernel lets a delegatee write belong to the
# container's root (host uid 100000); the limits stay root's.  Read-only, nothing is given.
mkdir -p deleg
jq '.process.terminal = false | .process.args = ["sleep", "100"] |
  .linux.cgroupsPath = "machine.slice:runc:'"$id"'d" |
  .linux.namespaces += [{"type": "user"}] |
  .linux.uidMappings = [{"hostID": 100000, "containerID": 0, "size": 65536}] |
  .linux.gidMappings = [{"hostID": 100000, "containerID": 0, "size": 65536}] |
  .linux.resources += {"memory": {"limit": 104857600}} |
  .root.path = "'"$bundle"'/rootfs" |
  .mounts |= map(if .destination == "/sys/fs/cgroup" then .options -= ["ro"] else . end)' \
  config.json >deleg/config.json
chown 100000 "$bundle" "$bundle/rootfs"
ddir=/sys/fs/cgroup/machine.slice/runc-${id}d.scope
owner() { stat -c %u "$ddir/$1"; }
$ocirun run -d -b deleg "${id}d" </dev/null >/dev/null
check "[ \"\$(owner .)\" = 100000 ]"
for f in cgroup.procs cgroup.subtree_control cgroup.threads; do
  check "[ \"\$(owner $f)\" = 100000 ]"
done
for f in $(cat /sys/kernel/cgroup/delegate); do
  [ -e "$ddir/$f" ] && check "[ \"\$(owner $f)\" = 100000 ]"
done
check "[ \"\$(owner memory.max)\" = 0 ]"
check "[ \"\$($ocirun exec ${id}d stat -c %u /sys/fs/cgroup)\" = 0 ]"
# the container's root makes a sub-cgroup and moves itself there
check "$ocirun exec ${id}d sh -c 'mkdir /sys/fs/cgroup/sub && echo \$\$ >/sys/fs/cgroup/sub/cgroup.procs'"
$ocirun delete -f "${id}d"
check "[ ! -d $ddir ]"
jq '.mounts |= map(if .destination == "/sys/fs/cgroup" then .options += ["ro"] else . end)' \
  deleg/config.json >deleg/c.json && mv deleg/c.json deleg/config.json
$ocirun run -d -b deleg "${id}d" </dev/null >/dev/null
check "[ \"\$(owner .)\" = 0 ] && [ \"\$(owner cgroup.procs)\" = 0 ]"
$ocirun delete -f "${id}d"

# A start job that fails (the scope requires a service, ordered before it, that fails): the
# start fails with the job's result in runc's words and leaves no container, unit or cgroup.
# runc, when installed, is run the same way: its output is printed.
printf '[Service]\nType=oneshot\nExecStart=/bin/false\n' >/run/systemd/system/ocirun-fails.service
systemctl daemon-reload
mkdir -p fails
jq '.linux.cgroupsPath = "machine.slice:runc:'"$id"'f" | .root.path = "'"$bundle"'/rootfs" |
  .annotations = {"org.systemd.property.Requires": "['"'ocirun-fails.service'"']",
                  "org.systemd.property.After": "['"'ocirun-fails.service'"']"}' \
  config.json >fails/config.json
$ocirun run -d -b fails "${id}f" </dev/null >out 2>&1
rc=$?
cat out
check "[ $rc -ne 0 ]"
check "grep -qF 'error creating systemd unit \`runc-${id}f.scope\`: got \`dependency\`' out"
check "! $ocirun state ${id}f >/dev/null 2>&1"
check "[ -z \"\$(systemctl list-units --all --no-legend runc-${id}f.scope)\" ]"
check "[ ! -d /sys/fs/cgroup/machine.slice/runc-${id}f.scope ]"
if command -v runc >/dev/null; then
  runc --root /run/runc-sd-test --systemd-cgroup run -d -b fails "${id}f" </dev/null >out 2>&1
  echo "runc: rc=$? $(cat out)"
  echo "runc: unit after it: $(systemctl list-units --all --no-legend "runc-${id}f.scope")"
  runc --root /run/runc-sd-test --systemd-cgroup delete -f "${id}f" >/dev/null 2>&1
fi
rm -f /run/systemd/system/ocirun-fails.service
systemctl daemon-reload
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
