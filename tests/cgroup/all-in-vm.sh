#!/bin/bash
# Everything of one guest boot (ci-vm.sh boots twice):
#   all-in-vm.sh cgroupfs|systemd BUILD_DIR
# cgroupfs (bash PID 1, pure cgroup v2): the driver's unit test on the real hierarchy, real
# containers, rootless, runc's suite; systemd (systemd PID 1): the systemd driver, real
# containers with the cgroupfs driver beside systemd, a rootless runtime's scope in the user's
# own manager (by hand and under rootless podman), containerd's CRI with SystemdCgroup (a
# Kubernetes node's pod and container scopes, runc 1.1.5 beside), runc's suite in its systemd
# mode (this boot has the clients image of tests/vm-images.bash).
# SUITE_FILES overrides the suite's files.  A step still running after STEP_TIMEOUT seconds
# (900) fails, with the guest's processes printed.  Each step's "N passed, M failed" (or its exit
# status as one check) adds up to the last line, "N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=$1 build=$2
passed=0
failed=0
# bounded SECONDS CMD...: CMD in a session of its own, its output streamed; after SECONDS
# the processes of the guest (with the kernel stack of every ocirun: named "ocirun", or after
# its fd, "3".."5", between the early re-exec and main's renaming) are printed, to show where
# it hangs, and the session is killed: status 124.
bounded() {
  local limit=$1 pid t=0 p
  shift
  setsid "$@" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$t" -ge "$limit" ]; then
      echo "== still running after ${limit}s: $*"
      ps -eo pid,ppid,stat,wchan:32,etime,args | grep -v ' \[.*\]$'
      for p in /proc/[0-9]*; do
        case $(cat "$p/comm" 2>/dev/null) in ocirun | 3 | 4 | 5)
          echo "-- ${p#/proc/} $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)"
          cat "$p/stack" 2>/dev/null ;;
        esac
      done
      kill -KILL -- -"$pid" 2>/dev/null
      wait "$pid"
      return 124
    fi
    sleep 1
    t=$((t + 1))
  done
  wait "$pid"
}
step() {
  local log line
  log=$(mktemp)
  echo "== $*"
  bounded "${STEP_TIMEOUT:-900}" "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  rm -f "$log"
  if [ -n "$line" ]; then
    passed=$((passed + $(echo "$line" | awk '{print $1}')))
    failed=$((failed + $(echo "$line" | awk '{print $3}')))
    [ "$rc" -ne 0 ] && [ "$(echo "$line" | awk '{print $3}')" = 0 ] && failed=$((failed + 1))
  elif [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
}
case $mode in
cgroupfs)
  step bash "$here/v2-in-vm.sh" "$build"
  step bash "$here/v2-containers-in-vm.sh" "$build"
  step bash "$here/rootless-v2-in-vm.sh" "$build"
  # shellcheck disable=SC2086
  step bash "$here/suite-in-vm.sh" "$build" cgroupfs ${SUITE_FILES:-cgroups update delete}
  ;;
systemd)
  step bash "$here/systemd-in-vm.sh" "$build"
  step bash "$here/v2-containers-in-vm.sh" "$build"
  step bash "$here/rootless-systemd-in-vm.sh" "$build"
  step bash "$here/rootless-podman-systemd-in-vm.sh" "$build"
  step bash "$here/cri-systemd-in-vm.sh" "$build"
  # shellcheck disable=SC2086
  step bash "$here/suite-in-vm.sh" "$build" systemd ${SUITE_FILES:-cgroups update}
  ;;
*)
  echo "all-in-vm.sh: cgroupfs or systemd, not $mode"
  failed=1
  ;;
esac
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
