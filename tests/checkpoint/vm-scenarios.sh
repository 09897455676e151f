#!/bin/bash
# Checkpoint/restore with real containers, run inside the test VM (CRIU works on its kernel):
#   run-in-vm --share /work -- tests/checkpoint/vm-scenarios.sh RUNTIME_BINARY [LABEL]
# Each scenario prints "ok - LABEL: NAME" or "not ok - LABEL: NAME"; the times of a checkpoint
# and of a restore of the small counter container are printed as "time LABEL ...".
# Ends with "N passed, M failed".  The same script runs against runc for comparison.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=$1
label=${2:-$(basename "$bin")}
root=/run/cr-$label
rt() { "$bin" --root "$root" "$@"; }
work=$(mktemp -d /tmp/cr-$label.XXXXXX)
pass=0
fail=0
ids=()
result() {
  if [ "$1" -eq 0 ]; then
    : >"$work/err"
    echo "ok - $label: $2"
    pass=$((pass + 1))
  else
    echo "not ok - $label: $2"
    fail=$((fail + 1))
    drain
    [ -s "$work/err" ] && sed 's/^/#   /' "$work/err" | tail -n 15
  fi
}
cleanup() {
  kill $(jobs -p) 2>/dev/null
  for id in "${ids[@]}"; do rt delete -f "$id" >/dev/null 2>&1; done
  ip netns del crtest 2>/dev/null
  [ -n "${tty_pid:-}" ] && kill "$tty_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

recvtty=${RECVTTY:-$repo/../shared/conformance/bin/recvtty}
# CR_QUICK=1: the core scenarios only (CI's budget under software emulation).
quick=${CR_QUICK:-0}
# CR_ONLY="N ...": only those scenarios.
only=${CR_ONLY:-}
want() {
  if [ -n "$only" ]; then
    [[ " $only " == *" $1 "* ]]
  else
    [ "$quick" != 1 ] || [[ " 1 5 6 8 9 11 " == *" $1 "* ]]
  fi
}
ROOTFS=${ROOTFS:-$repo/build/rootfs}
export ROOTFS
counter='i=0; while :; do i=$((i+1)); echo $i >/tmp/count; sleep 0.1; done'

# bundle NAME ARG...: a bundle in $work/NAME running ARG...
bundle() {
  local b=$work/$1
  shift
  "$repo/tests/rootfs/make-bundle.sh" "$b" "$@" >/dev/null
  edit "$b" '.root.readonly = false'
  echo "$b"
}
edit() { jq "$2" "$1/config.json" >"$1/c.json" && mv "$1/c.json" "$1/config.json"; }
count_of() {
  local c
  c=$(cat "$1/rootfs/tmp/count" 2>/dev/null)
  echo "${c:-0}"
}
# Waits until the counter of bundle $1 exceeds $2 (at most ~10 s).
counts_past() {
  local i
  for i in $(seq 100); do
    [ "$(count_of "$1")" -gt "$2" ] && return 0
    sleep 0.1
  done
  return 1
}
status_of() { rt state "$1" 2>/dev/null | jq -r .status; }
# waited PID: wait for a background job, at most ~60 s.
waited() {
  local i
  for i in $(seq 600); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$1" 2>/dev/null && { kill "$1"; return 1; }
  wait "$1"
}
ms() { echo $(($(date +%s%N) / 1000000)); }

# Pipes for the container's stdio (CRIU cannot dump fds of files outside the container,
# but pipes are handed over by descriptors.json / --inherit-fd).
exec {p}<> <(:)
exec {in_r}</proc/self/fd/$p {in_w}>/proc/self/fd/$p
exec {p}>&-
exec {p}<> <(:)
exec {out_r}</proc/self/fd/$p {out_w}>/proc/self/fd/$p
exec {p}>&-
# The runtime's messages share the pipe with the container's output (the counter prints
# nothing): on a failure they are read back from it.
stdio() { "$@" <&$in_r >&$out_w 2>&$out_w; }
drain() { timeout 0.3 cat <&$out_r >>"$work/err" 2>/dev/null; }

# 1. a counter keeps counting after checkpoint + restore; exec, pause, kill afterwards
if want 1; then
b=$(bundle counter sh -c "$counter")
id=cr-counter-$label
ids+=("$id")
cd "$b"
stdio rt run -d "$id"
counts_past "$b" 3
r=$?
result $r "run a counter"
t0=$(ms)
stdio rt checkpoint --image-path "$work/img1" "$id"
r=$?
t1=$(ms)
[ $r -eq 0 ] && ! rt state "$id" >/dev/null 2>&1
result $? "checkpoint removes the container"
[ -s "$work/img1/descriptors.json" ] && jq -e 'length == 3' "$work/img1/descriptors.json" >/dev/null
result $? "descriptors.json written ($(cat "$work/img1/descriptors.json" 2>/dev/null))"
c1=$(count_of "$b")
sleep 0.5
[ "$(count_of "$b")" = "$c1" ]
result $? "counter stopped while checkpointed"
t2=$(ms)
stdio rt restore -d --image-path "$work/img1" "$id"
r=$?
t3=$(ms)
[ $r -eq 0 ] && [ "$(status_of "$id")" = running ]
result $? "restore -d: running"
counts_past "$b" "$c1"
result $? "counter goes on from $c1 after restore (now $(count_of "$b"))"
echo "time $label checkpoint_ms=$((t1 - t0)) restore_ms=$((t3 - t2))"
[ "$(rt exec "$id" echo hi 2>"$work/err")" = hi ]
result $? "exec after restore"
rt pause "$id" 2>"$work/err" && [ "$(status_of "$id")" = paused ] && rt resume "$id" 2>>"$work/err" &&
  [ "$(status_of "$id")" = running ]
result $? "pause and resume after restore"
# checkpoint a second time: the restored stdio was recorded
stdio rt checkpoint --image-path "$work/img1b" "$id" && stdio rt restore -d --image-path "$work/img1b" "$id" &&
  c2=$(count_of "$b") && counts_past "$b" "$c2"
result $? "second checkpoint and restore"
rt kill "$id" KILL 2>"$work/err"
for _ in $(seq 50); do [ "$(status_of "$id")" = stopped ] && break; sleep 0.1; done
[ "$(status_of "$id")" = stopped ] && rt delete "$id" 2>>"$work/err"
result $? "kill and delete after restore"

fi

# 2. --leave-running
if want 2; then
stdio rt run -d "$id" && counts_past "$b" 1
c1=$(count_of "$b")
stdio rt checkpoint --leave-running --image-path "$work/img2" "$id" && [ "$(status_of "$id")" = running ] &&
  c1=$(count_of "$b") && counts_past "$b" "$c1"
result $? "checkpoint --leave-running keeps it running"

fi

# 3. --pre-dump, then a dump with --parent-path, then restore
if want 3; then
mkdir -p "$work/img3"
stdio rt checkpoint --pre-dump --image-path "$work/img3/parent" "$id" && [ "$(status_of "$id")" = running ]
result $? "checkpoint --pre-dump leaves it running"
stdio rt checkpoint --parent-path ../parent --image-path "$work/img3/final" "$id" &&
  [ -e "$work/img3/final/parent" ] && ! rt state "$id" >/dev/null 2>&1
result $? "checkpoint --parent-path after a pre-dump"
c1=$(count_of "$b")
stdio rt restore -d --image-path "$work/img3/final" "$id" && counts_past "$b" "$c1"
result $? "restore of the incremental image"
rt delete -f "$id" >/dev/null 2>&1

fi

# 4. bad --parent-path
if want 4; then
stdio rt run -d "$id"
! rt checkpoint --parent-path /abs --image-path "$work/img4" "$id" 2>"$work/err4" &&
  grep -q -- --parent-path "$work/err4" && [ "$(status_of "$id")" = running ]
result $? "absolute --parent-path refused"
rt delete -f "$id" >/dev/null 2>&1

fi

# 5. a terminal: run and restore with --console-socket
if want 5; then
if [ -x "$recvtty" ]; then
  b=$(bundle tty sh -c "$counter")
  edit "$b" '.process.terminal = true'
  cd "$b"
  id=cr-tty-$label
  ids+=("$id")
  sock=$work/tty.sock
  "$recvtty" --no-stdin --mode null "$sock" &
  tty_pid=$!
  for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
  rt run -d --console-socket "$sock" "$id" 2>"$work/err" && counts_past "$b" 1 &&
    rt checkpoint --image-path "$work/img5" "$id" 2>"$work/err" &&
    c1=$(count_of "$b") &&
    rt restore -d --console-socket "$sock" --image-path "$work/img5" "$id" 2>"$work/err" &&
    [ "$(status_of "$id")" = running ] && counts_past "$b" "$c1"
  result $? "terminal container: restore -d --console-socket"
  [ "$(rt exec "$id" echo hi 2>"$work/err")" = hi ]
  result $? "exec into the restored terminal container"
  rt delete -f "$id" >/dev/null 2>&1
fi

fi

# 6. bind mounts and a tmpfs
if want 6; then
b=$(bundle mounts sh -c "echo kept >/scratch/f; $counter")
mkdir -p "$work/data"
echo host >"$work/data/file"
edit "$b" '.mounts += [{"destination": "/data", "type": "bind", "source": "'"$work/data"'", "options": ["rbind", "rw"]},
  {"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "size=1m"]}]'
cd "$b"
id=cr-mounts-$label
ids+=("$id")
stdio rt run -d "$id" && counts_past "$b" 1 && stdio rt checkpoint --image-path "$work/img6" "$id" &&
  stdio rt restore -d --image-path "$work/img6" "$id" &&
  [ "$(rt exec "$id" cat /data/file /scratch/f 2>"$work/err" | tr '\n' ' ')" = "host kept " ]
result $? "bind mount and tmpfs content after restore"
rt delete -f "$id" >/dev/null 2>&1

fi

# 7. an external network namespace
if want 7; then
ip netns add crtest
b=$(bundle netns sh -c "$counter")
edit "$b" '(.linux.namespaces[] | select(.type == "network")) .path = "/var/run/netns/crtest"'
cd "$b"
id=cr-netns-$label
ids+=("$id")
ino=$(stat -L -c %i /var/run/netns/crtest)
stdio rt run -d "$id" && counts_past "$b" 1 && stdio rt checkpoint --image-path "$work/img7" "$id" &&
  stdio rt restore -d --image-path "$work/img7" "$id" &&
  pid=$(rt state "$id" | jq .pid) && [ "$(stat -L -c %i /proc/$pid/ns/net)" = "$ino" ]
result $? "restore into the external network namespace"
rt delete -f "$id" >/dev/null 2>&1

fi

# 8. --manage-cgroups-mode ignore, restored into a different cgroup
if want 8; then
b=$(bundle cgroup sh -c "$counter")
edit "$b" '.linux.cgroupsPath = "/cr-old-'"$label"'"'
cd "$b"
id=cr-cg-$label
ids+=("$id")
stdio rt run -d "$id" && counts_past "$b" 1 &&
  stdio rt checkpoint --manage-cgroups-mode ignore --image-path "$work/img8" "$id" &&
  [ ! -d "/sys/fs/cgroup/cr-old-$label" ]
r=$?
edit "$b" '.linux.cgroupsPath = "/cr-new-'"$label"'"'
[ $r -eq 0 ] && stdio rt restore -d --manage-cgroups-mode ignore --pid-file "$work/pid8" --image-path "$work/img8" "$id" &&
  grep -q "cr-new-$label\$" "/proc/$(cat "$work/pid8")/cgroup" && [ ! -d "/sys/fs/cgroup/cr-old-$label" ]
result $? "restore into a different cgroup (--manage-cgroups-mode ignore)"
rt delete -f "$id" >/dev/null 2>&1

fi

# 9. a failed restore leaves nothing behind
if want 9; then
mkdir -p "$work/empty"
cd "$work/counter"
id=cr-fail-$label
! stdio rt restore -d --image-path "$work/empty" "$id" && ! rt state "$id" >/dev/null 2>&1 &&
  [ ! -e "/sys/fs/cgroup/$id" ] && [ ! -e "$root/$id" ]
result $? "failed restore leaves no state, cgroup or state dir"

fi

# 10. lazy pages, where CRIU supports them
if want 10; then
if criu check --feature uffd-noncoop >/dev/null 2>&1; then
  b=$work/counter
  cd "$b"
  id=cr-lazy-$label
  ids+=("$id" "$id-restored")
  stdio rt run -d "$id" && counts_past "$b" 1
  exec {p}<> <(:)
  exec {lz_r}</proc/self/fd/$p {lz_w}>/proc/self/fd/$p
  exec {p}>&-
  mkdir -p "$work/img10"
  rt checkpoint --lazy-pages --page-server 127.0.0.1:27277 --status-fd $lz_w --manage-cgroups-mode ignore \
    --image-path "$work/img10" "$id" 2>"$work/err" <&$in_r >&$out_w &
  cpt=$!
  ready=$(timeout 20 dd if=/proc/self/fd/$lz_r bs=1 count=1 2>/dev/null | od -An -tx1 | tr -d ' ')
  exec {lz_r}>&- {lz_w}>&-
  criu lazy-pages --page-server --address 127.0.0.1 --port 27277 -D "$work/img10" >/dev/null 2>&1 &
  lp=$!
  # the restore talks to the daemon through its socket in the work directory
  for _ in $(seq 100); do [ -S "$work/img10/lazy-pages.socket" ] && break; sleep 0.1; done
  c1=$(count_of "$b")
  [ "$ready" = 00 ] && stdio rt restore -d --lazy-pages --manage-cgroups-mode ignore --image-path "$work/img10" \
    --work-path "$work/img10" "$id-restored" &&
    waited $cpt && counts_past "$b" "$c1"
  result $? "lazy-pages checkpoint and restore"
  # a checkpoint still serving pages holds the container's lock: end it first
  kill $cpt $lp 2>/dev/null
  wait $cpt $lp 2>/dev/null
  rt delete -f "$id-restored" >/dev/null 2>&1
else
  echo "# lazy pages: criu check --feature uffd-noncoop fails here"
fi

fi

# 11. restore in the foreground: it waits for the container, returns its status, removes it
if want 11; then
  b=$(bundle foreground sh -c "$counter")
  cd "$b"
  id=cr-fg-$label
  ids+=("$id")
  stdio rt run -d "$id" && counts_past "$b" 1 && stdio rt checkpoint --image-path "$work/img11" "$id"
  stdio rt restore --image-path "$work/img11" "$id" &
  fg=$!
  for _ in $(seq 100); do [ "$(status_of "$id")" = running ] && break; sleep 0.1; done
  rt kill "$id" KILL 2>"$work/err"
  waited $fg
  st=$?
  [ "$st" = 137 ] && ! rt state "$id" >/dev/null 2>&1
  result $? "foreground restore exits with the container's status ($st) and removes it"
fi

# 12. timing: three checkpoint/restore cycles of the counter (the first run of CRIU in a
# fresh VM is slow: the later ones are the figure)
if want 12; then
  b=$(bundle timing sh -c "$counter")
  cd "$b"
  id=cr-time-$label
  ids+=("$id")
  stdio rt run -d "$id" && counts_past "$b" 1
  r=0
  for i in 1 2 3; do
    t0=$(ms)
    stdio rt checkpoint --image-path "$work/img12-$i" "$id" || r=1
    t1=$(ms)
    stdio rt restore -d --image-path "$work/img12-$i" "$id" || r=1
    t2=$(ms)
    echo "time $label cycle=$i checkpoint_ms=$((t1 - t0)) restore_ms=$((t2 - t1))"
  done
  result $r "three checkpoint/restore cycles"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
