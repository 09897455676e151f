#!/bin/bash
# Rootless podman with --cgroup-manager systemd and ocirun as its runtime, on a host where
# systemd is PID 1 (the test VM, clients image of tests/vm-images.bash: podman, uidmap,
# the user bus):
#   . tests/vm-images.bash; use_clients_image
#   /work/shared/vm/run-in-vm --systemd -- tests/cgroup/rootless-podman-systemd-in-vm.sh [BUILD_DIR]
# An ordinary user with lingering enabled imports a busybox image (no network) and runs
# containers through podman: the container's scope is a unit of the user's manager, in its
# user.slice, with podman's pids limit in force; exec, pause/unpause, stop and rm work.
# runc (when installed) goes through the same checks beside it: its results are printed,
# ocirun's are counted.  Without podman or a user bus the script says so and stops
# ("0 passed, 0 failed, 1 skipped").
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
. "$here/tests/cgroup/side-by-side.bash"
skip() {
  echo "skip: $*"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
}

[ -d /run/systemd/system ] || { echo "systemd is not PID 1"; echo "0 passed, 1 failed"; exit 1; }
command -v podman >/dev/null || skip "no podman"
id rsp >/dev/null 2>&1 || useradd -m -s /bin/bash rsp
grep -q '^rsp:' /etc/subuid || usermod --add-subuids 200000-265535 rsp
grep -q '^rsp:' /etc/subgid || usermod --add-subgids 200000-265535 rsp
uid=$(id -u rsp)
work=$(mktemp -d /tmp/rootless-podman.XXXXXX)
cp "$build/ocirun" "$work/ocirun"
trap 'as_user "podman rm -f -a" >/dev/null 2>&1; rm -rf "$work"' EXIT
mkdir -p "$work/rootfs/bin" "$work/rootfs/proc" "$work/rootfs/dev" "$work/rootfs/sys" \
  "$work/rootfs/tmp" "$work/rootfs/etc"
cp "$(command -v busybox)" "$work/rootfs/bin/"
for c in sh sleep cat; do ln -s busybox "$work/rootfs/bin/$c"; done
tar -C "$work/rootfs" -cf "$work/rootfs.tar" .
chown -R rsp:rsp "$work"
chmod 755 "$work"

loginctl enable-linger rsp
for _ in $(seq 600); do
  [ -S "/run/user/$uid/bus" ] && systemctl is-active --quiet "user@$uid.service" && break
  sleep 0.1
done
[ -S "/run/user/$uid/bus" ] || skip "no user bus at /run/user/$uid/bus (dbus-user-session not installed)"
as_user() {
  su rsp -c "cd $work && XDG_RUNTIME_DIR=/run/user/$uid DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$uid/bus $*"
}
user_prop() { as_user "systemctl --user show -p $2 --value $1"; }
mgr=/sys/fs/cgroup/user.slice/user-$uid.slice/user@$uid.service

out=$(as_user "podman import $work/rootfs.tar localhost/bb" 2>&1)
rc=$?
echo "import: rc=$rc $out"
[ $rc -eq 0 ] || { echo "not ok - podman import"; echo "0 passed, 1 failed"; exit 1; }

# the checks, for runtime $1 (ocirun or runc)
checks() {
  local name=$1 pm id scope out rc
  label=$name
  pm="podman --runtime $(if [ "$name" = ocirun ]; then echo "$work/ocirun"; else command -v runc; fi) --cgroup-manager systemd"
  echo "== $label"
  out=$(as_user "$pm run --rm --network none --cgroupns host localhost/bb cat /proc/self/cgroup" 2>&1)
  rc=$?
  echo "run --rm: rc=$rc $out"
  check '[ $rc -eq 0 ]'
  check 'echo "$out" | grep -qxE "0::/user.slice/user-$uid.slice/user@$uid.service/user.slice/libpod-[0-9a-f]{64}.scope(/container)?"'
  out=$(as_user "$pm run -d --network none --pids-limit 55 localhost/bb sleep 100" 2>&1)
  rc=$?
  echo "run -d: rc=$rc $out"
  check '[ $rc -eq 0 ]'
  id=$(echo "$out" | tail -n 1)
  scope=libpod-$id.scope
  check 'as_user "systemctl --user is-active --quiet $scope"'
  check '[ "$(user_prop $scope Slice)" = user.slice ]'
  check '[ "$(cat $mgr/user.slice/$scope/pids.max 2>/dev/null)" = 55 ]'
  out=$(as_user "$pm exec $id cat /sys/fs/cgroup/pids.max" 2>&1)
  echo "exec: $out"
  check '[ "$out" = 55 ]'
  out=$(as_user "$pm pause $id" 2>&1)
  rc=$?
  echo "pause: rc=$rc $out"
  check '[ $rc -eq 0 ]'
  check '[ "$(as_user "$pm inspect -f {{.State.Status}} $id")" = paused ]'
  out=$(as_user "$pm unpause $id" 2>&1)
  rc=$?
  echo "unpause: rc=$rc $out"
  check '[ $rc -eq 0 ]'
  check '[ "$(as_user "$pm inspect -f {{.State.Status}} $id")" = running ]'
  out=$(as_user "$pm stop -t 1 $id" 2>&1)
  rc=$?
  echo "stop: rc=$rc $out"
  check '[ $rc -eq 0 ]'
  out=$(as_user "$pm rm $id" 2>&1)
  rc=$?
  echo "rm: rc=$rc $out"
  check '[ $rc -eq 0 ]'
  check '! as_user "systemctl --user is-active --quiet $scope"'
  check '[ ! -d $mgr/user.slice/$scope ]'
}

checks ocirun
if command -v runc >/dev/null; then
  checks runc
  runc_summary
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
