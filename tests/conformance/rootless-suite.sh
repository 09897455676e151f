#!/usr/bin/env bash
# rootless-suite.sh - runc's bats integration suite (../shared/conformance/runc-suite) as the
# unprivileged user "rootless" (tests/setup-users.sh), the way runc's own rootless job runs it:
# ROOTLESS_FEATURES=idmap with the user's subordinate uid and gid ranges, one bats file at a time
# under script(1), in a pid namespace of its own so that orphans are reaped.
#
#   tests/conformance/rootless-suite.sh RUNTIME_BINARY OUTDIR [runc-suite words...]
#
# The runtime is copied to a directory every user can read, the work directory (copied test tree,
# images) belongs to the user. Must run as root. Environment: RUNC_SUITE (default
# ../shared/conformance/runc-suite beside the checkout, or beside its parent for a worktree
# under wt/), ROOTLESS_USER (default rootless), ROOTLESS_FEATURES (default idmap),
# RUNC_BATS_FILE_TIMEOUT. The last line is runc-suite's "N passed, M failed, K skipped";
# ../shared/conformance/compare holds two runs' tests.tsv side by side.
# runc-suite gives script(1) /dev/null as its input; when that input ends, script(1) writes an
# end-of-file character to the terminal, which the runtime (runc and ocirun alike) copies into
# the container's terminal, and that one echoes it as "^@": a test that checks the first line of
# a foreground run's output fails when the echo comes first (env, memorypolicy, timens).
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "rootless-suite.sh: must run as root" >&2; exit 2; }
[ $# -ge 2 ] || { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
rt=$(readlink -f "$1") out=$2
shift 2
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
suite=${RUNC_SUITE:-$repo/../shared/conformance/runc-suite}
[ -x "$suite" ] || suite=$repo/../../shared/conformance/runc-suite
[ -x "$suite" ] || { echo "rootless-suite.sh: runc-suite not found (set RUNC_SUITE)" >&2; exit 2; }
user=${ROOTLESS_USER:-rootless}
uid=$(id -u "$user") gid=$(id -g "$user") home=$(getent passwd "$user" | cut -d: -f6)
range() { # FILE: START LENGTH of the user's first subordinate range
	awk -F: -v u="$user" -v n="$uid" '($1 == u || $1 == n) {print $2, $3; exit}' "$1"
}
read -r us ul < <(range /etc/subuid) || { echo "rootless-suite.sh: no /etc/subuid range for $user" >&2; exit 2; }
read -r gs gl < <(range /etc/subgid) || { echo "rootless-suite.sh: no /etc/subgid range for $user" >&2; exit 2; }

work=$(mktemp -d /tmp/rootless-suite.XXXXXX)
chmod 0755 "$work"
install -m 0755 "$rt" "$work/$(basename "$rt")"
mkdir -p "$out"
chown "$uid:$gid" "$work" "$out"
# the images runc-suite builds as root, when there are any: the user's own build lacks ldconfig
img=${TMPDIR:-/tmp}/runc-suite/images
envs=(HOME="$home" USER="$user" LOGNAME="$user" PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
	TERM="${TERM:-xterm}" TMPDIR="$work" RUNC_BATS_WORK="$work/suite"
	ROOTLESS_FEATURES="${ROOTLESS_FEATURES-idmap}"
	ROOTLESS_UIDMAP_START="$us" ROOTLESS_UIDMAP_LENGTH="$ul"
	ROOTLESS_GIDMAP_START="$gs" ROOTLESS_GIDMAP_LENGTH="$gl")
[ -r "$img/busybox-v3.tar" ] && envs+=(BUSYBOX_IMAGE_FILE="$img/busybox-v3.tar")
[ -r "$img/debian-v3.tar" ] && envs+=(DEBIAN_IMAGE_FILE="$img/debian-v3.tar")
[ -n "${RUNC_BATS_FILE_TIMEOUT:-}" ] && envs+=(RUNC_BATS_FILE_TIMEOUT="$RUNC_BATS_FILE_TIMEOUT")
rc=0
unshare --pid --fork --mount-proc -- \
	setpriv --reuid="$uid" --regid="$gid" --init-groups --reset-env -- \
	env -i "${envs[@]}" "$suite" "$work/$(basename "$rt")" -o "$out" "$@" || rc=$?
rm -rf --one-file-system "$work" 2>/dev/null || true
exit $rc
