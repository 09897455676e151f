#!/usr/bin/env bash
# valgrind (memcheck, full leak check) on the CLI paths.
#
# Every command runs under valgrind against a real container made by the same
# binary without valgrind: valgrind 3.19 does not know openat2, clone3 or
# pidfd_send_signal, which the container's own set-up needs, so `create`, `run`
# and `exec` are checked here (and `kill`, which signals through a pidfd, only on
# its argument errors) on their parse and error paths, and for leaks in
# full by the ASan/LSan build of the whole suite.
#
#   BUILD_DIR=...     the build to check (default: build-valgrind, made here with
#                     -Dstatic_binary=false); not a static one (the default of meson.build):
#                     memcheck cannot see malloc and free inside a static binary, so leaks
#                     would go unnoticed there
# Ends with "N passed, M failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
build=${BUILD_DIR:-$repo/build-valgrind}
ocirun=$build/ocirun

if [ -z "${_VALGRIND_INNER:-}" ]; then
  # Exited containers must be reaped: run in a pid namespace of our own.
  exec unshare --pid --fork --mount-proc --propagation private env _VALGRIND_INNER=1 bash "$0" "$@"
fi

[ -x "$ocirun" ] ||
  { meson setup -Dstatic_binary=false "$build" "$repo" >/dev/null && ninja -C "$build" >/dev/null; }
if ! ldd "$ocirun" >/dev/null 2>&1; then
  echo "$ocirun is statically linked: memcheck cannot check it (use -Dstatic_binary=false)"
  echo "0 passed, 1 failed"
  exit 1
fi
command -v valgrind >/dev/null || { echo "valgrind not installed"; echo "0 passed, 1 failed"; exit 1; }
# the container's rootfs, made before the build directory becomes read-only below
export ROOTFS=${ROOTFS:-$build/rootfs}
"$repo/tests/rootfs/build.sh" "$ROOTFS" >/dev/null ||
  { echo "cannot build the rootfs $ROOTFS"; echo "0 passed, 1 failed"; exit 1; }
# create, run and exec re-execute a binary that is not on a read-only mount from a read-only
# bind of it (linux/sealed_binary.c), and valgrind cannot follow execveat(fd, "").  The build
# is made read-only in this private mount namespace: the binary is then run as it is.
mount --bind "$build" "$build" && mount -o remount,bind,ro "$build" ||
  { echo "cannot make $build read-only"; echo "0 passed, 1 failed"; exit 1; }

work=$(mktemp -d /tmp/ocirun-valgrind.XXXXXX)
root=$work/root
trap '"$ocirun" --root "$root" delete -f vg-c >/dev/null 2>&1; rm -rf "$work"' EXIT
"$repo/tests/rootfs/make-bundle.sh" "$work/bundle" sleep 100 >/dev/null
"$ocirun" --root "$root" run -d --bundle "$work/bundle" vg-c ||
  { echo "cannot start a container"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
# vg EXPECTED_STATUS ARGS...: the command must exit with EXPECTED_STATUS and valgrind
# must find no error and no leak (definite, indirect or possible).
vg() {
  local want=$1 status
  shift
  valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
    "$ocirun" "$@" >"$work/out" 2>&1 </dev/null
  status=$?
  if [ "$status" = "$want" ]; then
    passed=$((passed + 1))
    echo "ok - $*"
  else
    failed=$((failed + 1))
    echo "not ok - $* (status $status, wanted $want)"
    sed 's/^/#   /' "$work/out" | head -n 40
  fi
}

mkdir -p "$work/spec"
vg 0 --version
vg 0 --help
vg 0 spec --bundle "$work/spec"
vg 1 spec --bundle "$work/spec"
vg 0 features
vg 0 --root "$root" list
vg 0 --root "$root" list -f json
vg 0 --root "$root" list -q
vg 0 --root "$root" state vg-c
vg 1 --root "$root" state nope
vg 1 --root "$root" state 'bad/id'
vg 0 --root "$root" ps -f json vg-c
vg 0 --root "$root" events --stats vg-c
vg 0 --root "$root" pause vg-c
vg 0 --root "$root" resume vg-c
vg 0 --root "$root" update --memory 64M --pids-limit 100 vg-c
vg 1 --root "$root" kill vg-c NOSUCHSIGNAL
vg 1 --root "$root" delete vg-c
# exec fails as runc's does, with status 255
vg 255 --root "$root" exec nope true
vg 255 --root "$root" exec -u 4294967296 vg-c true
# create and run up to their first failure (bad JSON, bad field, missing rootfs)
echo '{"ociVersion": "1.0.0", "process": {' >"$work/spec/config.json"
vg 1 --root "$root" create --bundle "$work/spec" vg-bad
jq -n '{ociVersion: "1.0.0", root: {path: "nope"}, process: {cwd: "/", args: ["true"]},
  linux: {namespaces: [{type: "mount"}]}}' >"$work/spec/config.json"
vg 1 --root "$root" run --bundle "$work/spec" vg-bad
jq -n '{ociVersion: "1.0.0", root: {path: "/"}, process: {cwd: "/", args: ["true"],
  rlimits: [{type: "RLIMIT_NOFILE", soft: "x", hard: 1}]}}' >"$work/spec/config.json"
vg 1 --root "$root" run --bundle "$work/spec" vg-bad
vg 0 --root "$root" delete -f vg-c
vg 0 --root "$root" delete -f vg-c

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
