#!/bin/bash
# runc's suite in the test VM, held against runc 1.1.5's results in the same VM:
#   suite-in-vm.sh BUILD_DIR cgroupfs|systemd FILE...
# Runs the files with BUILD_DIR/ocirun (the suite's systemd mode for "systemd": boot the
# guest with --systemd), then compares with tests/cgroup/runc-in-vm.MODE.tsv (runc 1.1.5 on
# the same files and guest): every test runc passes must pass.  Prints the passes per file
# side by side and each test lost; ends with "N passed, M failed" (passed: the tests ocirun
# passes, failed: those runc passes and ocirun does not).  RUNTIME=runc checks the guest's
# runc instead (and rewrites nothing).  The baselines were recorded in this guest with
#   runc-suite-in-vm.sh CONF runc OUT FILE...   (RUNC_USE_SYSTEMD=1 for systemd.tsv)
# and are OUT/tests.tsv merged; record them again when the suite or the guest changes.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$1 mode=$2
shift 2
rt=${RUNTIME:-$build/ocirun}
base=$here/runc-in-vm.$mode.tsv
out=$build/vm-results/suite-$mode-$(basename "$rt")
case $mode in
cgroupfs) unset RUNC_USE_SYSTEMD ;;
systemd) export RUNC_USE_SYSTEMD=1 ;;
*) echo "suite-in-vm.sh: mode is cgroupfs or systemd, not $mode"; echo "0 passed, 1 failed"; exit 1 ;;
esac
bash "$here/runc-suite-in-vm.sh" "$build/vm-conformance" "$rt" "$out" "$@"
if [ ! -s "$out/tests.tsv" ] || [ ! -s "$base" ]; then
  echo "suite-in-vm.sh: no results in $out or no baseline $base"
  echo "0 passed, 1 failed"
  exit 1
fi
# tests of files that did not run at all count as lost
bash "$build/vm-conformance/compare" "$base" "$out/tests.tsv" >"$out/compare.txt" 2>"$out/per-file.txt"
echo "# runc's suite in the VM ($mode): passes per file, runc 1.1.5 and $(basename "$rt")"
cat "$out/per-file.txt"
grep . "$out/compare.txt"
lost=$(grep -c '^LOST' "$out/compare.txt")
# Under software emulation the suite's own helpers lose races now and then (recvtty's
# console socket not there yet): the files with a lost test run once more, and a test counts
# as lost only when it is lost both times.
if [ "$lost" -gt 0 ]; then
  mapfile -t again < <(awk -F'\t' '$1 == "LOST" { print $2 }' "$out/compare.txt" | sort -u)
  echo "# once more: ${again[*]}"
  bash "$here/runc-suite-in-vm.sh" "$build/vm-conformance" "$rt" "$out-again" "${again[@]}"
  bash "$build/vm-conformance/compare" "$base" "$out-again/tests.tsv" >"$out/compare-again.txt" 2>/dev/null
  lost=$(grep '^LOST' "$out/compare.txt" | grep -cxFf <(grep '^LOST' "$out/compare-again.txt" | grep -F -f <(printf '%s\n' "${again[@]}")))
  echo "# lost both times: $lost"
fi
passed=$(awk -F'\t' 'NR > 1 && $3 == "pass"' "$out/tests.tsv" | wc -l)
echo "$passed passed, $lost failed"
[ "$lost" -eq 0 ]
