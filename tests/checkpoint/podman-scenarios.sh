#!/bin/bash
# podman's checkpoint and restore with a given OCI runtime, run inside the test VM (CRIU works
# on its kernel; podman comes from the clients image of tests/vm-images.bash):
#   podman-scenarios.sh RUNTIME_BINARY [LABEL]
# podman calls the runtime's `checkpoint` and `restore` with its own flags (--image-path,
# --work-path, --file-locks, --leave-running, restore --detach --bundle ...) and reads back
# the runtime's state and descriptors.json.  Prints "ok - LABEL: NAME" or "not ok - ...",
# "time LABEL ..." for a checkpoint and a restore, and ends with "N passed, M failed".
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=$1
label=${2:-$(basename "$bin")}
ROOTFS=${ROOTFS:-$repo/build/rootfs}
work=$(mktemp -d /tmp/podman-cr-$label.XXXXXX)
pass=0
fail=0
# Each runtime gets a podman storage of its own: nothing of one run is seen by the next.
pm() {
  podman --runtime "$bin" --root "$work/storage" --runroot "$work/run" --storage-driver vfs \
    --cgroup-manager cgroupfs --events-backend file "$@"
}
result() {
  if [ "$1" -eq 0 ]; then
    echo "ok - $label: $2"
    pass=$((pass + 1))
  else
    echo "not ok - $label: $2"
    fail=$((fail + 1))
    [ -s "$work/err" ] && sed 's/^/#   /' "$work/err" | tail -n 15
  fi
  : >"$work/err"
}
cleanup() {
  pm rm -af -t 0 >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
ms() { date +%s%3N; }

# count NAME: the counter's value in container NAME
count() { pm exec "$1" cat /tmp/count 2>>"$work/err"; }
# wait_count_above NAME N: until the counter of NAME is above N (10 s at most)
wait_count_above() {
  local i v
  for ((i = 0; i < 100; i++)); do
    v=$(count "$1") && [ -n "$v" ] && [ "$v" -gt "$2" ] && return 0
    sleep 0.1
  done
  echo "counter of $1 stayed at ${v:-nothing} (wanted above $2)" >>"$work/err"
  return 1
}
# status NAME: podman's view of the container's state
status() { pm inspect -f '{{.State.Status}}' "$1" 2>>"$work/err"; }

tar -C "$ROOTFS" -c . | pm import - localhost/crbox >/dev/null 2>"$work/err"
result $? "import the test image"

counter='i=0; while :; do i=$((i+1)); echo $i >/tmp/count; sleep 0.1; done'
pm run -d --name c1 --network none localhost/crbox sh -c "$counter" >/dev/null 2>>"$work/err" &&
  wait_count_above c1 3
result $? "run -d a counter"

before=$(count c1)
t0=$(ms)
pm container checkpoint c1 >/dev/null 2>>"$work/err" && [ "$(status c1)" = exited ]
result $? "container checkpoint stops it"
t1=$(ms)
pm container restore c1 >/dev/null 2>>"$work/err" && [ "$(status c1)" = running ] &&
  wait_count_above c1 "${before:-0}"
result $? "container restore: running, the counter goes on from ${before:-?}"
t2=$(ms)
echo "time $label podman_checkpoint_ms=$((t1 - t0)) podman_restore_ms=$((t2 - t1))"

before=$(count c1)
pm container checkpoint --leave-running c1 >/dev/null 2>>"$work/err" &&
  [ "$(status c1)" = running ] && wait_count_above c1 "${before:-0}"
result $? "container checkpoint --leave-running keeps it running"

pm exec c1 sh -c 'echo from-exec >/tmp/exec-mark' 2>>"$work/err" &&
  [ "$(pm exec c1 cat /tmp/exec-mark 2>>"$work/err")" = from-exec ]
result $? "exec into the restored container"

before=$(count c1)
pm container checkpoint --export "$work/c1.tar.gz" c1 >/dev/null 2>>"$work/err" &&
  [ -s "$work/c1.tar.gz" ] && pm rm c1 >/dev/null 2>>"$work/err"
result $? "container checkpoint --export, then rm"
pm container restore --import "$work/c1.tar.gz" >/dev/null 2>>"$work/err" &&
  [ "$(status c1)" = running ] && wait_count_above c1 "${before:-0}" &&
  [ "$(pm exec c1 cat /tmp/exec-mark 2>>"$work/err")" = from-exec ]
result $? "container restore --import: running, counter and files as exported"

pm container restore --import "$work/c1.tar.gz" --name c2 >/dev/null 2>>"$work/err" &&
  [ "$(status c2)" = running ] && wait_count_above c2 "${before:-0}"
result $? "a second copy restored from the export under another name"

pm rm -f -t 0 c1 c2 >/dev/null 2>>"$work/err" && ! pm container exists c1 && ! pm container exists c2
result $? "rm -f of the restored containers"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
