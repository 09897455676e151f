#!/bin/bash
# runc's integration suite inside the test VM, for one runtime:
#   runc-suite-in-vm.sh CONFORMANCE_DIR RUNTIME OUTDIR FILE...
# CONFORMANCE_DIR is a copy of ../shared/conformance inside the share (the guest sees only
# the share); RUNTIME is a path or a command name (the guest's runc 1.1.5); results go to
# OUTDIR (tests.tsv, summary.tsv, tap.log).  RUNC_USE_SYSTEMD=1 in the environment selects
# the suite's systemd mode (boot the guest with --systemd).  Ends with the suite's
# "N passed, M failed, K skipped".
set -uo pipefail
conf=$1 rt=$2 out=$3
shift 3
work=$(mktemp -d /tmp/runc-suite-vm.XXXXXX)
# none of the cgroup and lifecycle files uses the debian image: an empty stand-in spares
# building it (minutes under emulation)
tar cf "$work/debian-unused.tar" -T /dev/null
# the guest as a test host has it: loop devices (cgroups.bats' per-device limits), and one
# cgroup below the root, where helpers.bash looks for cgroup.freeze before it runs any
# freezer test (the bash PID 1 guest has none of its own)
modprobe loop 2>/dev/null
[ -n "$(find /sys/fs/cgroup -mindepth 2 -maxdepth 2 -name cgroup.freeze -print -quit)" ] ||
  mkdir -p /sys/fs/cgroup/runc-suite-probe
rm -rf "$out"
mkdir -p "$out"
RUNC_BATS_WORK=$work/suite DEBIAN_IMAGE_FILE=$work/debian-unused.tar \
  bash "$conf/runc-suite" "$rt" -o "$out" "$@" 2>"$out/suite.log"
rc=$?
rm -rf "$work"
exit $rc
