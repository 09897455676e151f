#!/bin/bash
# selinux-in-vm.sh BUILD [RUNTIME] - in the VM guest booted with SELinux (Debian's refpolicy,
# permissive): the process label of init and exec processes (attr/current), the session
# keyring's label, linux.mountLabel on the tmpfs, devpts and mqueue mounts (ls -Z from the
# guest), then runc's selinux.bats. Ends with "N passed, M failed".
set -uo pipefail
BUILD=$1
RT=${2:-$BUILD/ocirun}
. "$(dirname "$0")/common-in-vm.sh"

mountpoint -q /sys/fs/selinux || mount -t selinuxfs selinuxfs /sys/fs/selinux
load_policy -i >/dev/null 2>&1 || true
[ "$(cat /sys/fs/selinux/enforce 2>/dev/null)" != "" ] || { ko "SELinux is not active in the guest"; summary; exit 1; }
"$RT" features | jq -e '.linux.selinux.enabled' >/dev/null && ok "features: selinux" || ko "features: selinux"

PLABEL=system_u:system_r:initrc_t:s0
MLABEL=system_u:object_r:tmp_t:s0
cp "$BUILD/key_label" "$WORK/" 2>/dev/null

b=$WORK/b1
bundle "$b" sleep 1000
cp "$BUILD/key_label" "$b/rootfs/bin/"
cfg "$b" '.process.selinuxLabel = $p | .linux.mountLabel = $m |
  .mounts += [{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid"]}]' \
	--arg p "$PLABEL" --arg m "$MLABEL"
# (a detached container keeps the stdout it was given: a file, not a pipe)
(cd "$b" && "$RT" --root "$ROOT" run -d se1 >"$WORK/se1.out" 2>&1)
[ $? -eq 0 ] && ok "run with selinuxLabel and mountLabel" || ko "run with selinuxLabel and mountLabel" "$(cat "$WORK/se1.out")"
pid=$("$RT" --root "$ROOT" state se1 | jq -r .pid)
expect "the init's process label (attr/current)" "$PLABEL" "$(cat /proc/"$pid"/attr/current 2>&1 | tr -d '\0')"
expect "exec inherits the process label" "$PLABEL" "$("$RT" --root "$ROOT" exec se1 cat /proc/self/attr/current 2>&1 | tr -d '\0')"
expect "exec --process-label" "system_u:system_r:kernel_t:s0" "$("$RT" --root "$ROOT" exec --process-label system_u:system_r:kernel_t:s0 se1 cat /proc/self/attr/current 2>&1 | tr -d '\0')"
expect "the session keyring carries the label (init's)" "_ses.se1 $PLABEL" "$("$RT" --root "$ROOT" exec se1 /bin/key_label 2>&1)"
for m in /scratch /dev /dev/shm /dev/pts; do
	expect "mountLabel on $m (ls -Z)" "$MLABEL" "$(ls -Zd /proc/"$pid"/root$m 2>&1)"
done
expect "mountLabel on /dev/mqueue (its root's attribute)" "$MLABEL" "$(ls -Zd /proc/"$pid"/root/dev/mqueue 2>&1)"
"$RT" --root "$ROOT" delete -f se1 >/dev/null 2>&1

b=$WORK/b2
bundle "$b" /bin/key_label
cp "$BUILD/key_label" "$b/rootfs/bin/"
cfg "$b" '.process.selinuxLabel = $p' --arg p "$PLABEL"
expect "run: the keyring's label" "_ses.se2 $PLABEL" "$(cd "$b" && "$RT" --root "$ROOT" run se2 2>&1)"
out=$(cd "$b" && "$RT" --root "$ROOT" run --no-new-keyring se3 2>&1)
case "$out" in *_ses.se3*) ko "--no-new-keyring joins no keyring of the container" "$out" ;; *) ok "--no-new-keyring joins no keyring of the container" ;; esac

# runc's selinux.bats, with this runtime and with the guest's runc beside it: its label
# (container_t) exists only where the policy has a container module, and its userns tests
# need user namespaces, so it applies where runc passes: every test runc passes must pass.
suite() { # suite RUNTIME OUTDIR: the suite's tests.tsv in OUTDIR
	RUNC_BATS_WORK=$WORK/runc-suite DEBIAN_IMAGE_FILE=$DEBIAN_IMAGE timeout 600 bash "$BUILD/vm-conformance/runc-suite" "$1" -o "$2" selinux >"$2.out" 2>&1
	echo "selinux.bats ($1): $(tail -n 1 "$2.out")"
	sed -n '/^not ok/,/^ok/p' "$2/tap.log" 2>/dev/null | grep -v '^ok' | head -40 | sed 's/^/#   /'
}
if [ -d "$BUILD/vm-conformance" ]; then
	if echo -n "system_u:system_r:container_t:s0:c4,c5" >/sys/fs/selinux/context 2>/dev/null; then
		echo "the policy knows container_t"
	else
		echo "the policy has no container_t: selinux.bats's labelled tests cannot pass with any runtime"
	fi
	suite "$RT" "$WORK/se-ours"
	if command -v runc >/dev/null && [ "$(readlink -f "$RT")" != "$(readlink -f "$(command -v runc)")" ]; then
		suite "$(command -v runc)" "$WORK/se-runc"
		missing=$(awk -F'\t' 'NR == FNR { if ($3 == "pass") want[$4] = 1; next }
			($4 in want) && $3 == "pass" { delete want[$4] } END { for (t in want) print t }' \
			"$WORK/se-runc/tests.tsv" "$WORK/se-ours/tests.tsv")
		[ -z "$missing" ] && ok "runc's selinux.bats: every test runc passes passes" ||
			ko "runc's selinux.bats: runc passes, this runtime not" "$missing"
	fi
fi
summary
