#!/bin/bash
# Real containers on a pure cgroup v2 host (the test VM: all controllers at the root):
#   /work/shared/vm/run-in-vm -- tests/cgroup/v2-containers-in-vm.sh [BUILD_DIR]
# The container's init is placed with clone3(CLONE_INTO_CGROUP); limits, the BPF
# device filter, pause/resume, exec (into the container's cgroup), kill --all and
# delete are checked from the cgroup files and from inside the container.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
root=/run/ocirun-v2-test
ocirun="$build/ocirun --root $root"
id=v2test$$
fail=0
pass=0
check() {
  if eval "$1"; then echo "ok - $1"; pass=$((pass + 1)); else echo "not ok - $1"; fail=$((fail + 1)); fi
}

[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] || { echo "not a cgroup v2 host"; exit 2; }
bundle=$(mktemp -d)
trap '$ocirun delete -f "$id" >/dev/null 2>&1; rm -rf "$bundle"' EXIT
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/dev" "$bundle/rootfs/sys" \
  "$bundle/rootfs/tmp"
cp "$(command -v busybox)" "$bundle/rootfs/bin/"
for c in sh sleep cat echo head ls mknod; do ln -s busybox "$bundle/rootfs/bin/$c"; done
cd "$bundle"
# runc's default template (no jq in the guest: sed edits it)
$build/ocirun spec
sed -e 's/"terminal": true/"terminal": false/' -e 's/"sh"$/"sleep", "100"/' \
  -e 's/"resources": {/"resources": {"memory": {"limit": 104857600, "swap": 209715200}, "pids": {"limit": 42}, "cpu": {"shares": 1024, "quota": 50000, "period": 100000},/' \
  config.json >c.json
mv c.json config.json

dir=/sys/fs/cgroup/$id
$ocirun run -d "$id" </dev/null >/dev/null 2>"$bundle/err"
check "[ -d $dir ]"
pid=$($ocirun state "$id" | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
check "grep -qx '0::/$id' /proc/$pid/cgroup"
check "[ \"\$(cat $dir/memory.max)\" = 104857600 ]"
check "[ \"\$(cat $dir/memory.swap.max)\" = 104857600 ]"
check "[ \"\$(cat $dir/pids.max)\" = 42 ]"
check "[ \"\$(cat $dir/cpu.max)\" = '50000 100000' ]"
check "[ \"\$(cat $dir/cpu.weight)\" = 39 ]"
# the BPF device filter: /dev/null works, a host disk node cannot be opened
check "$ocirun exec $id sh -c 'echo x >/dev/null'"
check "! $ocirun exec $id sh -c 'mknod /tmp/m c 1 1 && head -c1 /tmp/m' >/dev/null 2>&1"
# exec lands in the container's cgroup (no cgroup namespace in this config)
check "$ocirun exec $id cat /proc/self/cgroup | grep -qx '0::/$id'"
$ocirun pause "$id"
check "$ocirun state $id | grep -q '\"status\": \"paused\"'"
check "grep -q 'frozen 1' $dir/cgroup.events"
$ocirun resume "$id"
check "grep -q 'frozen 0' $dir/cgroup.events"
check "$ocirun events --stats $id | grep -q '\"pids\":{\"current\":1'"
$ocirun update --memory 50M "$id"
check "[ \"\$(cat $dir/memory.max)\" = 52428800 ]"
$ocirun kill --all "$id" KILL
sleep 0.3
$ocirun delete "$id"
check "[ ! -d $dir ]"
check "[ ! -d $root/$id ]"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
