#!/usr/bin/env bash
# bench-report.sh - a short run of bench/bench.sh (ocirun beside crun and runc) printed as a
# report: timings on a shared CI machine are too noisy to pass or fail anything, so the
# ratios are shown, never checked.  The stage fails only when the benchmark cannot run
# (ocirun cannot run a container, or the benchmark prints no table).
#
#   BENCH_N=5       samples per operation (default 5)
#   BUILD_DIR=DIR   the build whose ocirun is measured (default: build)
# Must run as root.  Ends with "N passed, M failed".
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$repo/build}
n=${BENCH_N:-5}
out=$(mktemp /tmp/ocirun-bench-report.XXXXXX)
trap 'rm -f "$out"' EXIT

[ -x "$build/ocirun" ] || { meson setup "$build" "$repo" >/dev/null && ninja -C "$build" >/dev/null; }
echo "# bench report, $(date -u +%Y-%m-%dT%H:%MZ), N=$n: ratios below are information, not a verdict"
OCIRUN=$build/ocirun bash "$repo/bench/bench.sh" "$n" 2>&1 | tee "$out"

# The table has a header naming ocirun and a "run" row with a number for it.
if grep -q '^op .*ocirun ms' "$out" && grep -Eq '^run +[0-9]+\.[0-9]+' "$out" &&
	! grep -q '^ocirun: not runnable' "$out"; then
	echo "1 passed, 0 failed"
else
	echo "bench-report: the benchmark did not produce its table"
	echo "0 passed, 1 failed"
	exit 1
fi
