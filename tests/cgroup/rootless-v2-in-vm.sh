#!/bin/bash
# Rootless containers on a pure cgroup v2 host (the test VM):
#   /work/shared/vm/run-in-vm -- tests/cgroup/rootless-v2-in-vm.sh [BUILD_DIR]
# An ordinary user runs `ocirun spec --rootless` containers:
#   - without delegation (default cgroupsPath): the cgroup is skipped quietly, the
#     container runs, delete leaves nothing;
#   - with a delegated subtree (a directory of the v2 hierarchy owned by the user, its
#     shell inside it): the container's cgroup is made there, its limits are applied and
#     its init is in it; delete removes it.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
fail=0
pass=0
check() {
  if eval "$1"; then echo "ok - $1"; pass=$((pass + 1)); else echo "not ok - $1"; fail=$((fail + 1)); fi
}

[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] || { echo "not a cgroup v2 host"; exit 2; }
id rl >/dev/null 2>&1 || useradd -m -s /bin/bash rl
uid=$(id -u rl)
work=$(mktemp -d /tmp/rootless-v2.XXXXXX)
trap 'echo $$ >/sys/fs/cgroup/cgroup.procs; rm -rf "$work"; rmdir /sys/fs/cgroup/rl/shell /sys/fs/cgroup/rl 2>/dev/null' EXIT
mkdir -p "$work/bundle/rootfs/bin" "$work/bundle/rootfs/proc" "$work/bundle/rootfs/dev" \
  "$work/bundle/rootfs/sys" "$work/bundle/rootfs/tmp" "$work/xdg"
cp "$(command -v busybox)" "$work/bundle/rootfs/bin/"
for c in sh sleep cat echo; do ln -s busybox "$work/bundle/rootfs/bin/$c"; done
chown -R rl:rl "$work"
chmod 755 "$work"
chmod 700 "$work/xdg"

as_rl() {
  su rl -c "cd $work/bundle && XDG_RUNTIME_DIR=$work/xdg $*"
}

as_rl "$build/ocirun spec --rootless"
as_rl "jq '.process.terminal = false | .process.args = [\"sh\", \"-c\", \"cat /proc/self/uid_map; cat /proc/self/cgroup; sleep 100\"]' config.json >c.json && mv c.json config.json"

# 1. no delegation: no cgroup, the container still runs
as_rl "$build/ocirun run -d nodeleg" >"$work/out1" 2>&1
rc=$?
check '[ $rc -eq 0 ]'
check 'as_rl "$build/ocirun state nodeleg" | grep -q running'
check '! ls -d /sys/fs/cgroup/nodeleg 2>/dev/null'
as_rl "$build/ocirun delete -f nodeleg"
check '[ -z "$(ls "$work/xdg/ocirun" 2>/dev/null)" ]'

# 2. a delegated subtree: the user's shell in rl/shell, containers in rl/<id>
mkdir -p /sys/fs/cgroup/rl/shell
echo "+memory +pids" >/sys/fs/cgroup/rl/cgroup.subtree_control
chown -R rl:rl /sys/fs/cgroup/rl
as_rl "jq '.linux.cgroupsPath = \"/rl/deleg\" | .linux.resources = {\"memory\": {\"limit\": 33554432}, \"pids\": {\"limit\": 50}}' config.json >c.json && mv c.json config.json"
# (moved there by root: leaving the root cgroup needs write access to it)
echo $$ >/sys/fs/cgroup/rl/shell/cgroup.procs
as_rl "$build/ocirun run -d deleg" >"$work/out2" 2>&1
cat "$work/out2"
check 'as_rl "$build/ocirun state deleg" | grep -q running'
check '[ "$(cat /sys/fs/cgroup/rl/deleg/memory.max)" = 33554432 ]'
check '[ "$(cat /sys/fs/cgroup/rl/deleg/pids.max)" = 50 ]'
pid=$(as_rl "$build/ocirun state deleg" | jq -r .pid)
check 'grep -qx "$pid" /sys/fs/cgroup/rl/deleg/cgroup.procs'
check '[ "$(stat -c %u /proc/$pid)" = "$uid" ]'
as_rl "$build/ocirun delete -f deleg"
check '[ ! -d /sys/fs/cgroup/rl/deleg ]'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
