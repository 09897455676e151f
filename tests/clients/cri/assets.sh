#!/usr/bin/env bash
# assets.sh OUTDIR - what a CRI client run needs besides containerd, made on a build host:
# OUTDIR/stubs, the Python gRPC stubs of the CRI api.proto (cri_client.py imports them from
# CRI_STUBS), and OUTDIR/pause.tar, the pod sandbox image localhost/ocirun-pause:latest (one
# static binary, pause.c, in an image.sh archive).  The stubs and the binary then run on any
# host with python3-grpcio (a guest without a compiler or grpc_tools).
# Environment: CRI_API_PROTO, the api.proto (default: shared/reference/cri-api/api.proto
# beside the checkout or beside its parent).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
out=${1:?usage: assets.sh OUTDIR}
proto=${CRI_API_PROTO:-}
if [ -z "$proto" ]; then
  for proto in "$repo/../shared/reference/cri-api/api.proto" \
    "$repo/../../shared/reference/cri-api/api.proto"; do
    [ -f "$proto" ] && break
  done
fi
[ -f "$proto" ] || { echo "assets.sh: the CRI api.proto was not found: set CRI_API_PROTO" >&2; exit 1; }
mkdir -p "$out/stubs" "$out/pause-rootfs"
/usr/bin/python3 -m grpc_tools.protoc -I "$(dirname "$proto")" --python_out="$out/stubs" \
  --grpc_python_out="$out/stubs" "$(basename "$proto")"
cc -static -O2 -o "$out/pause-rootfs/pause" "$here/pause.c"
IMAGE_ROOTFS=$out/pause-rootfs IMAGE_CMD='["/pause"]' \
  "$repo/tests/clients/image.sh" "$out/pause.tar" localhost/ocirun-pause:latest
