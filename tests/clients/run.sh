#!/usr/bin/env bash
# run.sh [podman|podman-rootless|containerd|docker|docker-userns|cri|buildah ...] - run the
# client suites (default: all), each in its own pid, mount and network namespace, against
# RUNTIME (default: build/ocirun of the repository; RUNTIME=$(command -v runc) validates the
# scenarios against runc).  podman-rootless and docker-userns need tests/setup-users.sh.
# Needs root and the packages podman conmon containernetworking-plugins containerd docker.io
# buildah python3-grpcio python3-grpc-tools gcc busybox-static bats jq iproute2 util-linux.
# BATS_FILTER=REGEX runs only the matching scenarios; KEEP_WORK=1 keeps the work directories
# (client and runtime logs).
# Ends with "N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

export RUNTIME=${RUNTIME:-$repo/build/ocirun}
if [ ! -x "$RUNTIME" ]; then
  echo "run.sh: runtime $RUNTIME not found: build it (meson setup build && ninja -C build) or set RUNTIME" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
export CLIENTS_HOST_NETNS CLIENTS_HOST_MNTNS
CLIENTS_HOST_NETNS=$(readlink /proc/self/ns/net)
CLIENTS_HOST_MNTNS=$(readlink /proc/self/ns/mnt)

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(podman podman-rootless containerd docker docker-userns cri buildah)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ocirun-clients-run.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export IMAGE_TAR=$tmp/image.tar
"$here/image.sh" "$IMAGE_TAR" || { echo "run.sh: image.sh failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
for s in "${suites[@]}"; do
  need=$s
  case $s in docker | docker-userns) need=dockerd ;; cri) need=containerd ;; podman-rootless) need=podman ;; esac
  if ! command -v "$need" >/dev/null; then
    echo "run.sh: $need not installed: suite $s counted as failed"
    failed=$((failed + 1))
    continue
  fi
  echo "=== $s ($(basename "$RUNTIME")) ==="
  start=$SECONDS
  (cd "$tmp" && exec unshare --pid --fork --mount-proc --net --propagation private \
    bats --tap --timing ${BATS_FILTER:+--filter "$BATS_FILTER"} "$here/$s.bats") 2>&1 | tee "$tmp/$s.tap"
  p=$(grep -cE '^ok ' "$tmp/$s.tap")
  f=$(grep -cE '^not ok ' "$tmp/$s.tap")
  planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tmp/$s.tap" | head -n1)
  if [ -z "$planned" ] || [ $((p + f)) -lt "$planned" ]; then
    echo "run.sh: suite $s stopped early (${planned:-no plan}, $((p + f)) results)"
    f=$((f + 1))
  fi
  echo "--- $s: $p passed, $f failed in $((SECONDS - start))s"
  passed=$((passed + p))
  failed=$((failed + f))
done
echo "--- all suites ($(basename "$RUNTIME")): ${SECONDS}s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
