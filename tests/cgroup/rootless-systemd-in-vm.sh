#!/bin/bash
# Rootless containers with the systemd driver and the user's own manager, on a host where
# systemd is PID 1 (the test VM):
#   /work/shared/vm/run-in-vm --systemd -- tests/cgroup/rootless-systemd-in-vm.sh [BUILD_DIR]
# An ordinary user with lingering enabled (user@UID.service running, its bus in
# $XDG_RUNTIME_DIR/bus) runs an `ocirun spec --rootless` container with --systemd-cgroup:
# the scope is a unit of the user's manager (not of the system's), in the user manager's
# slice, with the container's init in its cgroup and the pids limit as a unit property;
# delete stops it. runc (when installed) is run the same way beside it.
# The user's bus comes with dbus-user-session, which the default guest image lacks:
#   RUN_IN_VM_CACHE=/var/tmp/run-in-vm-userbus RUN_IN_VM_EXTRA_PACKAGES=dbus-user-session \
#     run-in-vm --systemd -- tests/cgroup/rootless-systemd-in-vm.sh BUILD_DIR
# Without it the script says so and stops ("0 passed, 0 failed, 1 skipped").
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
fail=0
pass=0
check() {
  if eval "$1"; then echo "ok - $1"; pass=$((pass + 1)); else echo "not ok - $1"; fail=$((fail + 1)); fi
}

[ -d /run/systemd/system ] || { echo "systemd is not PID 1"; echo "0 passed, 1 failed"; exit 1; }
id rsd >/dev/null 2>&1 || useradd -m -s /bin/bash rsd
uid=$(id -u rsd)
work=$(mktemp -d /tmp/rootless-sd.XXXXXX)
cp "$build/ocirun" "$work/ocirun"
trap 'as_user "$work/ocirun --root $work/state --systemd-cgroup delete -f rsd1" >/dev/null 2>&1
  as_user "runc --root $work/runc-state --systemd-cgroup delete -f rsd2" >/dev/null 2>&1
  rm -rf "$work"' EXIT
mkdir -p "$work/bundle/rootfs/bin" "$work/bundle/rootfs/proc" "$work/bundle/rootfs/dev" \
  "$work/bundle/rootfs/sys" "$work/bundle/rootfs/tmp"
cp "$(command -v busybox)" "$work/bundle/rootfs/bin/"
for c in sh sleep cat; do ln -s busybox "$work/bundle/rootfs/bin/$c"; done
chown -R rsd:rsd "$work"
chmod 755 "$work"

loginctl enable-linger rsd
for _ in $(seq 600); do
  [ -S "/run/user/$uid/bus" ] && systemctl is-active --quiet "user@$uid.service" && break
  sleep 0.1
done
if [ ! -S "/run/user/$uid/bus" ]; then
  echo "skip: no user bus at /run/user/$uid/bus (dbus-user-session not installed)"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
as_user() {
  su rsd -c "cd $work/bundle && XDG_RUNTIME_DIR=/run/user/$uid $*"
}
user_prop() { as_user "systemctl --user show -p $2 --value $1"; }
mgr=/sys/fs/cgroup/user.slice/user-$uid.slice/user@$uid.service

as_user "$work/ocirun spec --rootless"
as_user "jq '.process.terminal = false | .process.args = [\"sleep\", \"100\"] |
  .linux.cgroupsPath = \"user.slice:runc:ID\" | .linux.resources.pids.limit = 33' config.json >c.json &&
  mv c.json config.json"

sed 's/"user.slice:runc:ID"/"user.slice:runc:rsd1"/' "$work/bundle/config.json" >"$work/c" &&
  cat "$work/c" >"$work/bundle/config.json"
as_user "$work/ocirun --root $work/state --systemd-cgroup run -d rsd1" >"$work/out" 2>&1
rc=$?
cat "$work/out"
check '[ $rc -eq 0 ]'
check 'as_user "systemctl --user is-active --quiet runc-rsd1.scope"'
check '! systemctl is-active --quiet runc-rsd1.scope'
check '[ "$(user_prop runc-rsd1.scope Slice)" = user.slice ]'
check '[ "$(user_prop runc-rsd1.scope TasksMax)" = 33 ]'
pid=$(as_user "$work/ocirun --root $work/state state rsd1" | jq -r .pid)
check "grep -qx '0::/user.slice/user-$uid.slice/user@$uid.service/user.slice/runc-rsd1.scope' /proc/$pid/cgroup"
check "[ \"\$(cat $mgr/user.slice/runc-rsd1.scope/pids.max 2>/dev/null)\" = 33 ]"
as_user "$work/ocirun --root $work/state --systemd-cgroup delete -f rsd1"
check '! as_user "systemctl --user is-active --quiet runc-rsd1.scope"'
check '[ ! -d $mgr/user.slice/runc-rsd1.scope ]'

if command -v runc >/dev/null; then
  # runc beside it, the same way: the same unit in the same manager
  sed 's/"user.slice:runc:rsd1"/"user.slice:runc:rsd2"/' "$work/bundle/config.json" >"$work/c" &&
    cat "$work/c" >"$work/bundle/config.json"
  as_user "runc --root $work/runc-state --systemd-cgroup run -d rsd2" >"$work/out" 2>&1
  echo "runc: rc=$? $(cat "$work/out")"
  echo "runc: active=$(as_user "systemctl --user is-active runc-rsd2.scope")" \
    "slice=$(user_prop runc-rsd2.scope Slice) tasksmax=$(user_prop runc-rsd2.scope TasksMax)"
  as_user "runc --root $work/runc-state --systemd-cgroup delete -f rsd2"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
