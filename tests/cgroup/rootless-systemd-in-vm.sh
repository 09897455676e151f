#!/bin/bash
# Rootless containers with the systemd driver and the user's own manager, on a host where
# systemd is PID 1 (the test VM, clients image of tests/vm-images.bash for the user bus):
#   . tests/vm-images.bash; use_clients_image
#   /work/shared/vm/run-in-vm --systemd -- tests/cgroup/rootless-systemd-in-vm.sh [BUILD_DIR]
# An ordinary user with lingering enabled (user@UID.service running, its bus in
# $XDG_RUNTIME_DIR/bus) runs `ocirun spec --rootless` containers with --systemd-cgroup:
# the scope is a unit of the user's manager (not of the system's), in the user manager's
# slice (user.slice when the config names none), delegated, with the container's init in
# its cgroup and the pids limit as a unit property; exec joins the scope, update changes
# the unit's property and the file, pause/resume freeze the scope, kill and delete stop
# it, delete -f of a running one too; without a user bus the start fails cleanly.  A second
# user manager of the same user, started as a system service with a runtime directory and
# bus of its own, has a ControlGroup of its own (/system.slice/UNIT.service): the scope is
# made below it, where the container's init runs, and the commands after create find it
# there (state, pause and resume even without a bus to ask; a state that lacks the
# directory, as an older ocirun wrote it, by asking the manager).  runc
# (when installed) goes through the same checks beside it: its results are printed,
# ocirun's are counted.
# Without a user bus (dbus-user-session missing) the script says so and stops
# ("0 passed, 0 failed, 1 skipped").
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
. "$here/tests/cgroup/side-by-side.bash"

[ -d /run/systemd/system ] || { echo "systemd is not PID 1"; echo "0 passed, 1 failed"; exit 1; }
id rsd >/dev/null 2>&1 || useradd -m -s /bin/bash rsd
uid=$(id -u rsd)
work=$(mktemp -d /tmp/rootless-sd.XXXXXX)
cp "$build/ocirun" "$work/ocirun"
alt_unit=ocirun-alt-manager.service
cleanup() {
  for id in o1 o2 r1 r2; do
    as_user "$work/ocirun --root $work/ocirun-state --systemd-cgroup delete -f $id" >/dev/null 2>&1
    as_user "runc --root $work/runc-state --systemd-cgroup delete -f $id" >/dev/null 2>&1
  done
  for id in o3 r3; do
    as_alt "$work/ocirun --root $work/ocirun-state --systemd-cgroup delete -f $id" >/dev/null 2>&1
    as_alt "runc --root $work/runc-state --systemd-cgroup delete -f $id" >/dev/null 2>&1
  done
  systemctl stop "$alt_unit" >/dev/null 2>&1
  systemctl reset-failed "$alt_unit" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/bundle/rootfs/bin" "$work/bundle/rootfs/proc" "$work/bundle/rootfs/dev" \
  "$work/bundle/rootfs/sys" "$work/bundle/rootfs/tmp"
cp "$(command -v busybox)" "$work/bundle/rootfs/bin/"
for c in sh sleep cat; do ln -s busybox "$work/bundle/rootfs/bin/$c"; done
mkdir -p "$work/nobus"
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
# the second user manager's runtime directory and bus (see alt_checks)
alt=$work/alt-run
as_alt() {
  su rsd -c "cd $work/bundle && XDG_RUNTIME_DIR=$alt DBUS_SESSION_BUS_ADDRESS=unix:path=$alt/bus $*"
}
user_prop() { as_user "systemctl --user show -p $2 --value $1"; }
mgr=/sys/fs/cgroup/user.slice/user-$uid.slice/user@$uid.service

as_user "$work/ocirun spec --rootless"
as_user "jq '.process.terminal = false | .process.args = [\"sleep\", \"100\"] |
  .linux.resources.pids.limit = 33' config.json >base.json"
# config.json with cgroupsPath $1 (none when empty)
config() {
  if [ -n "$1" ]; then
    as_user "jq '.linux.cgroupsPath = \"$1\"' base.json >config.json"
  else
    as_user "cp base.json config.json"
  fi
}

# the checks, for runtime $1 (ocirun or runc) with containers $2 and $3
checks() {
  local rt=$1 a=$2 b=$3 state pid scope out rc
  label=$rt
  if [ "$rt" = ocirun ]; then rt="$work/ocirun --root $work/ocirun-state --systemd-cgroup"; else
    rt="runc --root $work/runc-state --systemd-cgroup"
  fi
  scope=$mgr/user.slice/runc-$a.scope
  echo "== $label: cgroupsPath user.slice:runc:$a"
  config "user.slice:runc:$a"
  # (into a file: the container's stdio stays open as long as it runs)
  as_user "$rt run -d $a" >"$work/out" 2>&1
  rc=$?
  cat "$work/out"
  check '[ $rc -eq 0 ]'
  check 'as_user "systemctl --user is-active --quiet runc-$a.scope"'
  check '! systemctl is-active --quiet runc-$a.scope'
  check '[ "$(user_prop runc-$a.scope Slice)" = user.slice ]'
  check '[ "$(user_prop runc-$a.scope Delegate)" = yes ]'
  check '[ "$(user_prop runc-$a.scope TasksMax)" = 33 ]'
  pid=$(as_user "$rt state $a" | jq -r .pid)
  check "grep -qx '0::/user.slice/user-$uid.slice/user@$uid.service/user.slice/runc-$a.scope' /proc/$pid/cgroup"
  check '[ "$(cat $scope/pids.max 2>/dev/null)" = 33 ]'
  # exec: the process joins the scope, although the runtime runs outside user@UID.service
  # (in su's session scope), from where it may not move a process there itself ("0::/" in
  # the container's cgroup namespace, the whole path without one)
  out=$(as_user "$rt exec $a cat /proc/self/cgroup" 2>&1)
  echo "exec: $out"
  check '[ "$out" = "0::/" ] || [ "$out" = "0::/user.slice/user-$uid.slice/user@$uid.service/user.slice/runc-$a.scope" ]'
  # update: the unit's property and the scope's file
  out=$(as_user "$rt update --pids-limit 44 $a" 2>&1)
  rc=$?
  echo "update: rc=$rc $out"
  check '[ $rc -eq 0 ]'
  check '[ "$(user_prop runc-$a.scope TasksMax)" = 44 ]'
  check '[ "$(cat $scope/pids.max 2>/dev/null)" = 44 ]'
  # pause and resume freeze and thaw the scope
  out=$(as_user "$rt pause $a" 2>&1)
  rc=$?
  echo "pause: rc=$rc $out"
  check '[ $rc -eq 0 ]'
  check '[ "$(as_user "$rt state $a" | jq -r .status)" = paused ]'
  check 'grep -qx "frozen 1" $scope/cgroup.events'
  out=$(as_user "$rt resume $a" 2>&1)
  rc=$?
  echo "resume: rc=$rc $out"
  [ -f "$scope/cgroup.freeze" ] && echo 0 >"$scope/cgroup.freeze"
  check '[ $rc -eq 0 ]'
  check '[ "$(as_user "$rt state $a" | jq -r .status)" = running ]'
  check 'grep -qx "frozen 0" $scope/cgroup.events'
  # kill: the init dies, the scope goes with its last process; delete removes the rest
  out=$(as_user "$rt kill $a KILL" 2>&1)
  rc=$?
  echo "kill: rc=$rc $out"
  check '[ $rc -eq 0 ]'
  for _ in $(seq 100); do
    [ "$(as_user "$rt state $a" | jq -r .status)" = stopped ] && break
    sleep 0.1
  done
  check '[ "$(as_user "$rt state $a" | jq -r .status)" = stopped ]'
  out=$(as_user "$rt delete $a" 2>&1)
  rc=$?
  echo "delete: rc=$rc $out"
  check '[ $rc -eq 0 ]'
  check '! as_user "systemctl --user is-active --quiet runc-$a.scope"'
  check '[ ! -d $scope ]'

  # no cgroupsPath: the user manager's user.slice, unit runc-ID.scope; delete -f of a
  # running container stops its scope
  echo "== $label: no cgroupsPath"
  config ""
  scope=$mgr/user.slice/runc-$b.scope
  as_user "$rt run -d $b" >"$work/out" 2>&1
  rc=$?
  cat "$work/out"
  check '[ $rc -eq 0 ]'
  check 'as_user "systemctl --user is-active --quiet runc-$b.scope"'
  check '[ "$(user_prop runc-$b.scope Slice)" = user.slice ]'
  check '[ -d $scope ]'
  out=$(as_user "$rt delete -f $b" 2>&1)
  rc=$?
  echo "delete -f: rc=$rc $out"
  check '[ $rc -eq 0 ]'
  check '! as_user "systemctl --user is-active --quiet runc-$b.scope"'
  check '[ ! -d $scope ]'
  check '! as_user "$rt state $b" >/dev/null 2>&1'

  # no user bus where the environment points: the start fails, saying where it looked, and
  # leaves neither a container nor a unit behind
  echo "== $label: no user bus"
  as_user "env -u DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR=$work/nobus $rt run -d $b" \
    >"$work/out" 2>&1 </dev/null
  rc=$?
  cat "$work/out"
  check '[ $rc -ne 0 ]'
  check 'grep -q "$work/nobus/bus" "$work/out"'
  check 'grep -q dbus-user-session "$work/out"'
  check '! as_user "$rt state $b" >/dev/null 2>&1'
  check '! as_user "systemctl --user is-active --quiet runc-$b.scope"'
  check '[ ! -d $scope ]'
}

# A user manager whose ControlGroup is not user@UID.service's: the container's scope is made
# below the manager's own cgroup, as the manager says; the commands after create (state,
# pause, resume with no bus to ask; exec, kill, delete) find it there.  For runtime $1 with
# container $2.
alt_checks() {
  local rt=$1 a=$2 pid scope out rc nobus
  label=$rt
  if [ "$rt" = ocirun ]; then rt="$work/ocirun --root $work/ocirun-state --systemd-cgroup"; else
    rt="runc --root $work/runc-state --systemd-cgroup"
  fi
  nobus="env -u DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR=$work/nobus"
  scope=/sys/fs/cgroup$alt_cg/user.slice/runc-$a.scope
  echo "== $label: a user manager in $alt_cg"
  config "user.slice:runc:$a"
  as_alt "$rt run -d $a" >"$work/out" 2>&1
  rc=$?
  cat "$work/out"
  check '[ $rc -eq 0 ]'
  check 'as_alt "systemctl --user is-active --quiet runc-$a.scope"'
  check '! as_user "systemctl --user is-active --quiet runc-$a.scope"'
  check '[ -d $scope ]'
  check '[ ! -e $mgr/user.slice/runc-$a.scope ]'
  pid=$(as_alt "$rt state $a" | jq -r .pid)
  echo "init $pid: $(cat /proc/$pid/cgroup 2>&1)"
  check "grep -qx '0::$alt_cg/user.slice/runc-$a.scope' /proc/$pid/cgroup"
  check '[ "$(cat $scope/pids.max 2>/dev/null)" = 33 ]'
  # the commands after create know where the scope is without asking the manager
  check '[ "$(as_alt "$nobus $rt state $a" | jq -r .status)" = running ]'
  out=$(as_alt "$nobus $rt pause $a" 2>&1)
  rc=$?
  echo "pause (no bus): rc=$rc $out"
  check '[ $rc -eq 0 ]'
  check 'grep -qx "frozen 1" $scope/cgroup.events'
  check '[ "$(as_alt "$nobus $rt state $a" | jq -r .status)" = paused ]'
  out=$(as_alt "$nobus $rt resume $a" 2>&1)
  rc=$?
  echo "resume (no bus): rc=$rc $out"
  [ -f "$scope/cgroup.freeze" ] && echo 0 >"$scope/cgroup.freeze"
  check '[ $rc -eq 0 ]'
  check 'grep -qx "frozen 0" $scope/cgroup.events'
  if [ "$label" = ocirun ]; then
    # the directory is in the state; a state without it (an older ocirun's) makes the
    # command ask the manager, as create does
    local sj=$work/ocirun-state/$a/state.json
    check '[ "$(jq -r .cgroup_unit_dir $sj)" = "$alt_cg/user.slice/runc-$a.scope" ]'
    jq -c 'del(.cgroup_unit_dir)' "$sj" >"$work/state.json" && cat "$work/state.json" >"$sj"
    out=$(as_alt "$rt pause $a" 2>&1)
    rc=$?
    echo "pause (no directory in the state): rc=$rc $out"
    check '[ $rc -eq 0 ]'
    check 'grep -qx "frozen 1" $scope/cgroup.events'
    out=$(as_alt "$rt resume $a" 2>&1)
    rc=$?
    echo "resume (no directory in the state): rc=$rc $out"
    [ -f "$scope/cgroup.freeze" ] && echo 0 >"$scope/cgroup.freeze"
    check '[ $rc -eq 0 ]'
    check 'grep -qx "frozen 0" $scope/cgroup.events'
  fi
  out=$(as_alt "$rt exec $a cat /proc/self/cgroup" 2>&1)
  echo "exec: $out"
  check '[ "$out" = "0::/" ] || [ "$out" = "0::$alt_cg/user.slice/runc-$a.scope" ]'
  out=$(as_alt "$rt kill $a KILL" 2>&1)
  rc=$?
  echo "kill: rc=$rc $out"
  check '[ $rc -eq 0 ]'
  for _ in $(seq 100); do
    [ "$(as_alt "$rt state $a" | jq -r .status)" = stopped ] && break
    sleep 0.1
  done
  out=$(as_alt "$rt delete $a" 2>&1)
  rc=$?
  echo "delete: rc=$rc $out"
  check '[ $rc -eq 0 ]'
  check '! as_alt "systemctl --user is-active --quiet runc-$a.scope"'
  check '[ ! -d $scope ]'
}

# the second manager: systemd --user as rsd in a system service of its own, delegated, with
# its own runtime directory (its bus, dbus.socket of dbus-user-session, comes up there)
alt_manager() {
  mkdir -m 700 "$alt" && chown rsd:rsd "$alt" || return 1
  systemd-run --quiet --unit="$alt_unit" --uid=rsd -p Type=notify -p Delegate=yes \
    -E XDG_RUNTIME_DIR="$alt" -E HOME="$(getent passwd rsd | cut -d: -f6)" \
    /lib/systemd/systemd --user || return 1
  for _ in $(seq 300); do
    [ -S "$alt/bus" ] && break
    sleep 0.1
  done
  [ -S "$alt/bus" ] || return 1
  alt_cg=$(systemctl show -p ControlGroup --value "$alt_unit")
  echo "second user manager: $alt_unit, cgroup $alt_cg; it says: $(as_alt "busctl --user \
    get-property org.freedesktop.systemd1 /org/freedesktop/systemd1 \
    org.freedesktop.systemd1.Manager ControlGroup" 2>&1)"
  [ -n "$alt_cg" ] && [ "$alt_cg" != "${mgr#/sys/fs/cgroup}" ]
}

checks ocirun o1 o2
if command -v runc >/dev/null; then
  checks runc r1 r2
fi
label=ocirun
alt_manager
rc=$?
check '[ $rc -eq 0 ]'
if [ $rc -eq 0 ]; then
  alt_checks ocirun o3
  command -v runc >/dev/null && alt_checks runc r3
fi
command -v runc >/dev/null && runc_summary
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
