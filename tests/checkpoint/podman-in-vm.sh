#!/bin/bash
# podman's checkpoint/restore (also --export/--import) with ocirun as its runtime, in the test
# VM (podman installed in the guest image: RUN_IN_VM_EXTRA_PACKAGES=podman):
#   run-in-vm --share DIR -- tests/checkpoint/podman-in-vm.sh RUNTIME_BINARY [LABEL]
# Ends with "N passed, M failed".
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=$1
label=${2:-$(basename "$bin")}
rootfs=${ROOTFS:-$repo/build/rootfs}
pass=0
fail=0
check() {
  if eval "$2"; then
    echo "ok - podman/$label: $1"
    pass=$((pass + 1))
  else
    echo "not ok - podman/$label: $1"
    fail=$((fail + 1))
    tail -n 5 /tmp/podman.err 2>/dev/null | sed 's/^/#   /'
  fi
}
p() {
  podman --runtime "$bin" --cgroup-manager cgroupfs --events-backend file --storage-driver vfs "$@" 2>>/tmp/podman.err
}
count() { p exec cr cat /tmp/count 2>/dev/null || echo 0; }
past() {
  local i
  for i in $(seq 100); do [ "$(count)" -gt "$1" ] 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

tar -C "$rootfs" -c . | p import - localhost/cr-busybox >/dev/null
check "run a counter" \
  "p run -d --name cr --network none localhost/cr-busybox sh -c 'i=0; while :; do i=\$((i+1)); echo \$i >/tmp/count; sleep 0.1; done' >/dev/null && past 2"
c=$(count)
check "podman container checkpoint" "p container checkpoint cr >/dev/null && [ \"\$(p inspect -f '{{.State.Status}}' cr)\" = exited ]"
check "podman container restore, the counter goes on from $c" "p container restore cr >/dev/null && past $c"
c=$(count)
check "checkpoint --export" "p container checkpoint --export /tmp/cr.tar.gz cr >/dev/null && [ -s /tmp/cr.tar.gz ]"
check "descriptors.json in the export" "tar -tzf /tmp/cr.tar.gz | grep -q descriptors.json"
p rm -f cr >/dev/null
check "restore --import of the exported container, from $c" "p container restore --import /tmp/cr.tar.gz >/dev/null && past $c"
p rm -f cr >/dev/null
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
