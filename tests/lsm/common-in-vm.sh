# common-in-vm.sh - sourced by the guest scripts: counters, a bundle maker, cleanup.
# BUILD is the build directory (shared with the host); busybox rootfs in $BUILD/rootfs.
pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
ko() { echo "not ok - $1${2:+: $2}"; fail=$((fail + 1)); }
# expect NAME WANT GOT: GOT contains WANT
expect() { case "$3" in *"$2"*) ok "$1" ;; *) ko "$1" "expected '$2', got '$3'" ;; esac; }
# refuse NAME GOT-STATUS: a non-zero status
refuse() { [ "$2" -ne 0 ] && ok "$1" || ko "$1" "status $2"; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d /tmp/ocirun-lsm.XXXXXX)
ROOT=$WORK/root
# netdev.bats and selinux.bats use only the busybox image: an empty stand-in for the debian
# one spares runc-suite building it (minutes under emulation)
DEBIAN_IMAGE=$WORK/debian-unused.tar
tar cf "$DEBIAN_IMAGE" -T /dev/null
# bundle DIR ARG...: a bundle from the test rootfs running ARG...
bundle() {
	ROOTFS=$BUILD/rootfs "$repo/tests/rootfs/make-bundle.sh" "$@" >/dev/null
}
# cfg DIR 'JQ FILTER' [jq args]: edit DIR/config.json
cfg() {
	local d=$1 f=$2
	shift 2
	jq "$@" "$f" "$d/config.json" >"$d/config.json.new" && mv "$d/config.json.new" "$d/config.json"
}
summary() {
	for id in $("$RT" --root "$ROOT" list -q 2>/dev/null); do "$RT" --root "$ROOT" delete -f "$id" >/dev/null 2>&1; done
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
