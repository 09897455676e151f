#!/usr/bin/env bash
# image.sh OUT.tar [NAME:TAG] - build a docker-archive ("docker save" format) image of the
# busybox root filesystem made by tests/rootfs/build.sh, with no registry and no daemon.
#
# The archive holds manifest.json, repositories, the image config (<sha256>.json) and one
# layer directory (<sha256>/layer.tar, VERSION, json); `podman load`, `ctr image import` and
# `docker load` accept it.  NAME:TAG defaults to localhost/ocirun-busybox:latest.
# Environment: ROOTFS (default build/rootfs of the repository, built when missing);
# IMAGE_ROOTFS, a directory taken as the layer as it is (instead of the busybox rootfs);
# IMAGE_CMD, the image's command as a JSON array (default ["sh"]).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:?usage: image.sh OUT.tar [NAME:TAG]}
ref=${2:-localhost/ocirun-busybox:latest}
name=${ref%:*}
tag=${ref##*:}
cmd=${IMAGE_CMD:-'["sh"]'}
if [ -n "${IMAGE_ROOTFS:-}" ]; then
  rootfs=$IMAGE_ROOTFS
else
  rootfs=${ROOTFS:-$repo/build/rootfs}
  "$repo/tests/rootfs/build.sh" "$rootfs"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ocirun-image.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The layer: every file of the rootfs, owners kept numerically, in a fixed order and with a
# fixed time so the same rootfs always gives the same digests.
tar --create --file "$work/layer.tar" --directory "$rootfs" --numeric-owner --sort=name \
  --mtime='2024-01-01 00:00:00Z' --exclude=./.stamp .
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
created=2024-01-01T00:00:00Z

jq -cn --arg diff "sha256:$diff_id" --arg created "$created" --argjson cmd "$cmd" '{
  architecture: "amd64", os: "linux", created: $created,
  config: {
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    Cmd: $cmd, WorkingDir: "/"
  },
  rootfs: {type: "layers", diff_ids: [$diff]},
  history: [{created: $created, created_by: "tests/clients/image.sh"}]
}' >"$work/config.json"
config_id=$(sha256sum "$work/config.json" | cut -d' ' -f1)

# The legacy layer directory (docker save writes it; older loaders read it).
layer_dir=$diff_id
mkdir -p "$work/img/$layer_dir"
mv "$work/layer.tar" "$work/img/$layer_dir/layer.tar"
echo -n 1.0 >"$work/img/$layer_dir/VERSION"
jq -cn --arg id "$layer_dir" --arg created "$created" --argjson cmd "$cmd" \
  '{id: $id, created: $created, os: "linux", architecture: "amd64",
    config: {Cmd: $cmd}}' >"$work/img/$layer_dir/json"
mv "$work/config.json" "$work/img/$config_id.json"
jq -cn --arg cfg "$config_id.json" --arg ref "$name:$tag" --arg layer "$layer_dir/layer.tar" \
  '[{Config: $cfg, RepoTags: [$ref], Layers: [$layer]}]' >"$work/img/manifest.json"
jq -cn --arg name "$name" --arg tag "$tag" --arg id "$layer_dir" \
  '{($name): {($tag): $id}}' >"$work/img/repositories"

tar --create --file "$out.tmp.$$" --directory "$work/img" --sort=name --owner=0 --group=0 \
  --numeric-owner --mtime='2024-01-01 00:00:00Z' .
mv "$out.tmp.$$" "$out"
