#!/bin/sh
# Build the libFuzzer targets (when needed) and run each one for a bounded time.
# Exits non-zero when a target finds a crash, a leak, a timeout or an abort.
#
#   FUZZ_SECONDS=30        time per target
#   FUZZ_BUILD_DIR=...     build directory (default: build-fuzz in the checkout)
#   tests/fuzz/run.sh [name...]   only these targets (default: all of meson.build's list)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-30}

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$root" -Dfuzz=true -Dstatic_deps=false \
    -Dbuildtype=debugoptimized
fi

if [ $# -gt 0 ]; then
  names="$*"
else
  # the names listed in fuzz_targets of meson.build
  names=$(sed -n "/^fuzz_targets = \[/,/^\]/ s/^ *'\([a-z0-9_]*\)',*$/\1/p" "$here/meson.build")
fi

targets=""
for name in $names; do
  targets="$targets tests/fuzz/fuzz_$name"
done
# shellcheck disable=SC2086
ninja -C "$build" $targets

failed=""
for name in $names; do
  exe="$build/tests/fuzz/fuzz_$name"
  work="$build/fuzz-work/$name"
  mkdir -p "$work/corpus" "$work/artifacts"
  # Seeds: the target's own, and for config.json the runtime-spec's good examples.
  seeds=""
  [ -d "$here/corpus/$name" ] && seeds="$here/corpus/$name"
  if [ "$name" = config ]; then
    for d in "$root/../shared/reference/runtime-spec/schema/test/config/good" \
      /work/shared/reference/runtime-spec/schema/test/config/good; do
      if [ -d "$d" ]; then
        seeds="$seeds $d"
        break
      fi
    done
  fi
  dict=""
  [ -f "$here/$name.dict" ] && dict="-dict=$here/$name.dict"
  echo "== fuzz_$name for ${seconds}s"
  # New inputs go to the work corpus only; the seed directories are read, never written.
  # shellcheck disable=SC2086
  if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" $dict \
    "$work/corpus" $seeds; then
    echo "fuzz_$name FAILED: reproducer in $work/artifacts/"
    failed="$failed $name"
  fi
done

total=$(echo $names | wc -w)
nfailed=$(echo $failed | wc -w)
if [ -n "$failed" ]; then
  echo "failed:$failed"
fi
echo "$((total - nfailed)) passed, $nfailed failed"
[ "$nfailed" -eq 0 ]
