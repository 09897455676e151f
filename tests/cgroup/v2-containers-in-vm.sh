#!/bin/bash
# Real containers on a pure cgroup v2 host (the test VM: all controllers at the root):
#   /work/shared/vm/run-in-vm -- tests/cgroup/v2-containers-in-vm.sh [BUILD_DIR]
# The bundle is `ocirun spec`'s, which on a v2 host is runc's template with a cgroup
# namespace: the container (run and exec) must see its own cgroup as "0::/".
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
# the same template as runc's on this host (runc 1.1.5 is in the guest), apart from the
# version, the hostname and the ambient capabilities (current runc's template has none,
# as ours; 1.1.5's still had them)
runc spec --rootless && mv config.json runc-rootless.json
runc spec && mv config.json runc.json
$build/ocirun spec --rootless && mv config.json ocirun-rootless.json
$build/ocirun spec
same_template() {
  local strip='del(.ociVersion, .hostname, .process.capabilities.ambient)'
  diff <(jq "$strip" "$1") <(jq "$strip" "$2")
}
check "same_template runc.json config.json"
check "same_template runc-rootless.json ocirun-rootless.json"
check "grep -q '\"type\": \"cgroup\"' config.json"
# a foreground run from the template, its process printing its own cgroup
mkdir fg
sed -e 's/"terminal": true/"terminal": false/' -e 's|"sh"$|"cat", "/proc/self/cgroup"|' \
  -e "s|\"path\": \"rootfs\"|\"path\": \"$bundle/rootfs\"|" config.json >fg/config.json
check "[ \"\$($ocirun run --bundle fg ${id}fg </dev/null 2>&1)\" = '0::/' ]"
sed -e 's/"terminal": true/"terminal": false/' -e 's/"sh"$/"sleep", "100"/' \
  -e 's/"resources": {/"resources": {"memory": {"limit": 104857600, "swap": 209715200}, "pids": {"limit": 42}, "cpu": {"shares": 1024, "quota": 50000, "period": 100000},/' \
  config.json >c.json
mv c.json config.json

# the default cgroup is the id below the caller's own: the root in the bash PID 1 guest.
# Under systemd the caller's own is a service holding processes, whose children can get no
# controllers (cgroup v2's rule against processes in inner cgroups, for runc too): there
# the container is given a cgroup of its own beside the services.
own=$(sed -n 's/^0:://p' /proc/self/cgroup)
rel=${own%/}/$id
if [ "$own" != / ]; then
  rel=/ocirun-v2-test/$id
  jq --arg p "$rel" '.linux.cgroupsPath = $p' config.json >c.json && mv c.json config.json
fi
dir=/sys/fs/cgroup$rel
$ocirun run -d "$id" </dev/null >/dev/null 2>"$bundle/err" || cat "$bundle/err"
pid=$($ocirun state "$id" | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
# seen from the host, not from the container
check "[ -d $dir ]"
check "grep -qx '0::$rel' /proc/$pid/cgroup"
check "[ \"\$(cat $dir/memory.max)\" = 104857600 ]"
check "[ \"\$(cat $dir/memory.swap.max)\" = 104857600 ]"
check "[ \"\$(cat $dir/pids.max)\" = 42 ]"
check "[ \"\$(cat $dir/cpu.max)\" = '50000 100000' ]"
check "[ \"\$(cat $dir/cpu.weight)\" = 100 ]"
# the BPF device filter: /dev/null works, a host disk node cannot be opened
check "$ocirun exec $id sh -c 'echo x >/dev/null'"
check "! $ocirun exec $id sh -c 'mknod /tmp/m c 1 1 && head -c1 /tmp/m' >/dev/null 2>&1"
# exec lands in the container's cgroup, the root of its cgroup namespace, and sees the
# container's own limits at the root of its /sys/fs/cgroup
check "[ \"\$($ocirun exec $id cat /proc/self/cgroup)\" = '0::/' ]"
check "[ \"\$($ocirun exec $id cat /sys/fs/cgroup/pids.max)\" = 42 ]"
$ocirun pause "$id"
check "$ocirun state $id | grep -q '\"status\": \"paused\"'"
check "grep -q 'frozen 1' $dir/cgroup.events"
$ocirun resume "$id"
check "grep -q 'frozen 0' $dir/cgroup.events"
check "$ocirun events --stats $id | grep -q '\"pids\":{\"current\":1'"
$ocirun update --memory 50M "$id"
check "[ \"\$(cat $dir/memory.max)\" = 52428800 ]"
$ocirun kill --all "$id" KILL
# the init is gone when the state says so; a bounded wait, not a guess at the time
for _ in $(seq 100); do $ocirun state "$id" | grep -q '"stopped"' && break; sleep 0.1; done
$ocirun delete "$id"
check "[ ! -d $dir ]"
check "[ ! -d $root/$id ]"
[ "$own" != / ] && rmdir /sys/fs/cgroup/ocirun-v2-test
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
