#!/bin/bash
# The checkpoint/restore suite with real CRIU in a throw-away VM (../shared/vm/run-in-vm:
# kernel 6.1, where CRIU can dump): tests/checkpoint/vm-scenarios.sh against ocirun, and with
# CR_WITH_RUNC=1 against the guest's runc too (for comparison; only ocirun's result counts).
#   ci-vm.sh --podman   podman's checkpoint/restore (--export/--import) driving ocirun instead
#                       (tests/checkpoint/podman-scenarios.sh), in the clients guest image
#                       (tests/vm-images.bash)
# Ends with "N passed, M failed".
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
. "$repo/tests/vm-setup.bash"
. "$repo/tests/vm-images.bash"
vm_setup "the checkpoint suite"
# the share holds the checkout and shared/ (the guest sees only the share)
share=$(cd "$shared/.." && pwd)
export ROOTFS=$build/rootfs
"$repo/tests/rootfs/build.sh" "$ROOTFS" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }

guest="ROOTFS=$ROOTFS RECVTTY=$share/shared/conformance/bin/recvtty CR_QUICK=${CR_QUICK:-0}"
scenarios=$repo/tests/checkpoint/vm-scenarios.sh
if [ "${1:-}" = --podman ]; then
  scenarios=$repo/tests/checkpoint/podman-scenarios.sh
  use_clients_image
fi
cmd="env $guest $scenarios $build/ocirun ocirun"
if [ "${CR_WITH_RUNC:-0}" = 1 ]; then
  cmd="$cmd; env $guest $scenarios \$(command -v runc) runc"
fi
log=$(mktemp)
timeout 1200 "$vm" --share "$share" -- bash -c "$cmd" 2>&1 | tee "$log"
# Only ocirun's line counts: the first result line printed.
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | head -n1)
rm -f "$log"
if [ -z "$line" ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
echo "$line"
[ "$(echo "$line" | awk '{print $3}')" = 0 ]
