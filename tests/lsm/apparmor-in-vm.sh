#!/bin/bash
# apparmor-in-vm.sh BUILD [RUNTIME] - in the VM guest (AppArmor is its LSM): a profile loaded
# with apparmor_parser confines the container's init and exec processes (attr/current shows
# it, a write it denies fails), `exec --apparmor` switches it; then runc's netdev.bats with
# dummy devices. Ends with "N passed, M failed".
set -uo pipefail
BUILD=$1
RT=${2:-$BUILD/ocirun}
. "$(dirname "$0")/common-in-vm.sh"

mountpoint -q /sys/kernel/security || mount -t securityfs securityfs /sys/kernel/security
[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] || { ko "AppArmor is not enabled in the guest"; summary; exit 1; }
"$RT" features | jq -e '.linux.apparmor.enabled' >/dev/null && ok "features: apparmor" || ko "features: apparmor"

for p in ocirun-test ocirun-other; do
	cat >"$WORK/$p" <<PROFILE
profile $p flags=(attach_disconnected,mediate_deleted) {
  file,
  capability,
  network,
  signal,
  deny /denied/** w,
}
PROFILE
	apparmor_parser -r "$WORK/$p" || ko "apparmor_parser $p"
done

b=$WORK/b1
bundle "$b" sh -c 'cat /proc/self/attr/current; touch /denied/x && echo WROTE; touch /tmp/x && echo TMP-OK'
mkdir -p "$b/rootfs/denied" "$b/rootfs/tmp"
cfg "$b" '.process.apparmorProfile = "ocirun-test" | .root.readonly = false'
out=$(cd "$b" && "$RT" --root "$ROOT" run aa1 2>&1)
expect "init runs under the profile (attr/current)" "ocirun-test (enforce)" "$out"
case "$out" in *WROTE*) ko "a write the profile denies fails" "$out" ;; *) ok "a write the profile denies fails" ;; esac
expect "a write the profile allows succeeds" TMP-OK "$out"

b=$WORK/b2
bundle "$b" sleep 1000
cfg "$b" '.process.apparmorProfile = "ocirun-test"'
(cd "$b" && "$RT" --root "$ROOT" run -d aa2 >/dev/null 2>&1)
pid=$("$RT" --root "$ROOT" state aa2 | jq -r .pid)
expect "the host sees the init confined (/proc/<pid>/attr/current)" "ocirun-test (enforce)" "$(cat /proc/"$pid"/attr/current 2>&1)"
expect "exec inherits the container's profile" "ocirun-test (enforce)" "$("$RT" --root "$ROOT" exec aa2 cat /proc/self/attr/current 2>&1)"
expect "exec --apparmor switches the profile" "ocirun-other (enforce)" "$("$RT" --root "$ROOT" exec --apparmor ocirun-other aa2 cat /proc/self/attr/current 2>&1)"
jq '.process | .args = ["cat", "/proc/self/attr/current"] | .apparmorProfile = "ocirun-other"' "$b/config.json" >"$WORK/p.json"
expect "exec --process with its own profile" "ocirun-other (enforce)" "$("$RT" --root "$ROOT" exec --process "$WORK/p.json" aa2 2>&1)"
"$RT" --root "$ROOT" exec --apparmor ocirun-not-loaded aa2 true >/dev/null 2>&1
refuse "exec with a profile that is not loaded fails" $?
"$RT" --root "$ROOT" delete -f aa2 >/dev/null 2>&1

b=$WORK/b3
bundle "$b" true
cfg "$b" '.process.apparmorProfile = "ocirun-not-loaded"'
out=$(cd "$b" && "$RT" --root "$ROOT" run aa3 2>&1)
refuse "create with a profile that is not loaded fails" $?
[ ! -e "$ROOT/aa3" ] && ok "nothing left after the refused profile" || ko "state left after the refused profile"

# runc's netdev.bats (dummy devices), with this runtime
if modprobe dummy 2>/dev/null && [ -d "$BUILD/vm-conformance" ]; then
	log=$WORK/netdev
	RUNC_BATS_WORK=$WORK/runc-suite DEBIAN_IMAGE_FILE=$DEBIAN_IMAGE \
		timeout 600 bash "$BUILD/vm-conformance/runc-suite" "$RT" -o "$log" netdev >"$WORK/netdev.out" 2>&1
	res=$(tail -n 1 "$WORK/netdev.out")
	echo "netdev.bats ($RT): $res"
	grep -E "^(not ok|ok)" "$log/tap.log" 2>/dev/null | sed 's/^/#   /'
	case "$res" in *" 0 failed"*) ok "runc's netdev.bats" ;; *) ko "runc's netdev.bats" "$res" ;; esac
else
	ko "runc's netdev.bats" "no dummy module or no conformance copy"
fi
summary
