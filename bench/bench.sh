#!/usr/bin/env bash
# bench.sh [N] - side-by-side benchmark of ocirun, crun and runc (as root).
#
# For each runtime, N samples (default 20, after 2 warm-up rounds) of:
#   run       `run` of a container executing /bin/true (foreground, removed on exit)
#   run-res   the same with memory, pids and cpu limits (the cgroup writes included)
#   run-userns  `run` of /bin/true in a user namespace of its own (container root is host
#             uid 100000, ids 0-65535 mapped)
#   create    `create` of a /bin/true container      \
#   start     `start` of it                           } each step timed alone
#   delete    `delete` once it has exited             /
#   exec      `exec ID /bin/true` into a running container
#   state     `state ID` of that running container
#   list      `list` with that container running
# plus the kernel's floor for such a start (`unshare` of the same namespaces + chroot + exec
# of /bin/true, timed in the same loop as run), the floor of any command (an empty static
# program, with glibc and without any libc, timed in the same loop as state), peak RSS (/usr/bin/time -f %M, KiB, median of 5 `run`s) and the number of syscalls
# of one `run` (strace -f -c, every process of the runtime and the container).
# Runtimes are interleaved (the order rotates every round) so drift hits all alike. Prints
# medians in ms and the ratios ocirun/crun and ocirun/runc (crun/runc when ocirun cannot
# run containers yet).
#
# Everything runs in a private mount + pid namespace: exited containers are reaped, and on
# this cgroup v1 "hybrid" host the cgroup2 mount at /sys/fs/cgroup/unified is hidden under
# a tmpfs (crun refuses the hybrid layout otherwise) - for all three runtimes alike.
#
# and, last, the `--trace` output of one `run-res` of ocirun (where its time goes).
# Environment: OCIRUN (default build/ocirun), CRUN, RUNC (default: from PATH),
#              BENCH_KEEP=1 keeps the work directory.
set -u

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-20}
[ "$(id -u)" = 0 ] || { echo "bench.sh: must run as root" >&2; exit 2; }
case $N in '' | *[!0-9]*) echo "usage: bench.sh [N]" >&2; exit 2 ;; esac

if [ -z "${_BENCH_NS:-}" ]; then
	exec unshare --mount --propagation private --pid --fork --mount-proc \
		env _BENCH_NS=1 bash "$0" "$@"
fi
trap 'exit 130' INT TERM
notes=("private mount+pid namespace")
if [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
	mount -t tmpfs -o size=16m,mode=755 cgroup2-hidden /sys/fs/cgroup/unified &&
		notes+=("cgroup2 at /sys/fs/cgroup/unified hidden by a tmpfs for every runtime")
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/ocirun-bench.XXXXXX") || exit 1
chmod 755 "$W" # the rootfs in it must be reachable by the user-namespace root (uid 100000)
declare -A BIN
names=()
for spec in "ocirun=${OCIRUN:-$repo/build/ocirun}" "crun=${CRUN:-crun}" "runc=${RUNC:-runc}"; do
	name=${spec%%=*}
	bin=$(command -v "${spec#*=}" 2>/dev/null) || { echo "$name: not found"; continue; }
	BIN[$name]=$(readlink -f "$bin")
	names+=("$name")
done

cleanup() {
	local n d
	for n in "${names[@]}"; do
		for d in "$W/state-$n"/*; do
			[ -d "$d" ] && "${BIN[$n]}" --root "$W/state-$n" delete -f "${d##*/}" >/dev/null 2>&1
		done
	done
	[ "${BENCH_KEEP:-0}" = 1 ] && echo "kept $W" || rm -rf "$W"
}
trap cleanup EXIT

# --- bundles: the test rootfs, runc's default config ------------------------------------------
export ROOTFS=$W/rootfs
"$repo/tests/rootfs/build.sh" "$ROOTFS" || exit 1
"$repo/tests/rootfs/make-bundle.sh" "$W/true" /bin/true >/dev/null || exit 1
"$repo/tests/rootfs/make-bundle.sh" "$W/sleep" /bin/sleep 100000 >/dev/null || exit 1
"$repo/tests/rootfs/make-bundle.sh" "$W/res" /bin/true >/dev/null || exit 1
jq '.linux.resources += {memory: {limit: 268435456}, cpu: {shares: 512}, pids: {limit: 100}}' \
	"$W/res/config.json" >"$W/res/config.json.new" && mv "$W/res/config.json.new" "$W/res/config.json"
"$repo/tests/rootfs/make-bundle.sh" "$W/userns" /bin/true >/dev/null || exit 1
jq '.linux.namespaces += [{type: "user"}] |
	.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}] |
	.linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]' \
	"$W/userns/config.json" >"$W/userns/config.json.new" && mv "$W/userns/config.json.new" "$W/userns/config.json"
floor() { unshare --fork --pid --mount --uts --ipc --net --mount-proc="$ROOTFS/proc" chroot "$ROOTFS" /bin/true; }

R() { local n=$1; shift; "${BIN[$n]}" --root "$W/state-$n" "$@"; }
us() { local t=${1/./}; echo $((10#$t)); }
T=0
timed() {  # timed CMD... -> T in microseconds; fails when CMD fails
	local t0=$EPOCHREALTIME rc
	"$@" >/dev/null 2>>"$W/errors"; rc=$?
	T=$(($(us "$EPOCHREALTIME") - $(us "$t0")))
	[ $rc -eq 0 ] || echo "FAILED($rc): $*" >>"$W/errors"
	return $rc
}
rec() { echo "$3" >>"$W/res.$1.$2"; }

# --- which runtimes can run a container ------------------------------------------------------
runnable=()
for n in "${names[@]}"; do
	mkdir -p "$W/state-$n"
	if R "$n" run --bundle "$W/true" "$n-probe" </dev/null >/dev/null 2>"$W/probe.err"; then
		runnable+=("$n")
	else
		echo "$n: not runnable ($(head -c 200 "$W/probe.err" | tr '\n' ' '))"
	fi
	R "$n" delete -f "$n-probe" >/dev/null 2>&1
done
[ ${#runnable[@]} -ge 1 ] || { echo "bench.sh: no runtime can run containers" >&2; exit 1; }

echo "# bench.sh N=$N $(uname -r) $(nproc) cpus; ${notes[*]}"
for n in "${runnable[@]}"; do echo "# $n: ${BIN[$n]} ($(R "$n" --version 2>/dev/null | head -1))"; done

rotate() {  # rotate I: the runnable runtimes, starting at I mod count
	local i=$1 k c=${#runnable[@]}
	for ((k = 0; k < c; k++)); do echo "${runnable[$(((i + k) % c))]}"; done
}

wait_gone() {  # until pid $1 has exited (zombie or gone)
	local st i
	for ((i = 0; i < 200000; i++)); do
		{ read -r st <"/proc/$1/stat"; } 2>/dev/null || return 0
		st=${st##*) }
		[ "${st:0:1}" = Z ] && return 0
	done
}

# --- run, create/start/delete ---------------------------------------------------------------
for ((i = 0; i < N + 2; i++)); do
	timed floor && [ $i -ge 2 ] && rec floor kernel $T
	for n in $(rotate "$i"); do
		timed R "$n" run --bundle "$W/true" "$n-r$i" </dev/null && [ $i -ge 2 ] && rec run "$n" $T
		R "$n" delete -f "$n-r$i" >/dev/null 2>&1
		timed R "$n" run --bundle "$W/userns" "$n-u$i" </dev/null && [ $i -ge 2 ] && rec run-userns "$n" $T
		R "$n" delete -f "$n-u$i" >/dev/null 2>&1
		timed R "$n" run --bundle "$W/res" "$n-rr$i" </dev/null && [ $i -ge 2 ] && rec run-res "$n" $T
		R "$n" delete -f "$n-rr$i" >/dev/null 2>&1
		timed R "$n" create --bundle "$W/true" --pid-file "$W/pid" "$n-c$i" </dev/null
		c=$T
		pid=$(cat "$W/pid" 2>/dev/null)
		timed R "$n" start "$n-c$i"
		s=$T
		[ -n "$pid" ] && wait_gone "$pid"
		timed R "$n" delete "$n-c$i"
		d=$T
		if [ $i -ge 2 ]; then rec create "$n" $c; rec start "$n" $s; rec delete "$n" $d; fi
		R "$n" delete -f "$n-c$i" >/dev/null 2>&1
		rm -f "$W/pid"
	done
done

# --- the host's floor for any command: an empty static program, with and without glibc ---------
# (glibc's start-up probes the CPU with cpuid, which traps to the hypervisor on a VM: that
# start is part of every command of every runtime written against glibc).
empties=()
if command -v cc >/dev/null; then
	printf 'int main(void) { return 0; }\n' >"$W/empty.c"
	cc -O2 -static -o "$W/empty-glibc" "$W/empty.c" 2>/dev/null && empties+=(glibc)
	if [ "$(uname -m)" = x86_64 ]; then
		printf 'void _start(void) { __asm__ volatile("mov $60, %%eax; xor %%edi, %%edi; syscall"); }\n' >"$W/nolibc.c"
		cc -O2 -static -nostdlib -o "$W/empty-nolibc" "$W/nolibc.c" 2>/dev/null && empties+=(nolibc)
	fi
fi

# --- exec and state on a running container ----------------------------------------------------
for n in "${runnable[@]}"; do
	R "$n" run -d --bundle "$W/sleep" $n-long </dev/null >/dev/null 2>>"$W/errors" ||
		echo "$n: cannot start the long-running container" >&2
done
for ((i = 0; i < N + 2; i++)); do
	for n in $(rotate "$i"); do
		timed R "$n" exec $n-long /bin/true </dev/null && [ $i -ge 2 ] && rec exec "$n" $T
		timed R "$n" state $n-long && [ $i -ge 2 ] && rec state "$n" $T
		timed R "$n" list && [ $i -ge 2 ] && rec list "$n" $T
	done
	for e in "${empties[@]}"; do timed "$W/empty-$e" && [ $i -ge 2 ] && rec empty "$e" $T; done
done
for n in "${runnable[@]}"; do R "$n" delete -f $n-long >/dev/null 2>&1; done

# --- peak RSS and syscalls -------------------------------------------------------------------
declare -A RSS SYS
for n in "${runnable[@]}"; do
	if [ -x /usr/bin/time ]; then
		vals=()
		for ((i = 0; i < 5; i++)); do
			/usr/bin/time -o "$W/rss" -f '%M' "${BIN[$n]}" --root "$W/state-$n" run --bundle "$W/true" "$n-m$i" </dev/null >/dev/null 2>>"$W/errors"
			vals+=("$(tail -1 "$W/rss")")
			R "$n" delete -f "$n-m$i" >/dev/null 2>&1
		done
		RSS[$n]=$(printf '%s\n' "${vals[@]}" | sort -n | sed -n 3p)
	fi
	if command -v strace >/dev/null; then
		strace -f -c -o "$W/strace" "${BIN[$n]}" --root "$W/state-$n" run --bundle "$W/true" $n-s1 </dev/null >/dev/null 2>>"$W/errors"
		# total line: % time, seconds, usecs/call, calls, [errors,] "total"
		SYS[$n]=$(awk '$NF == "total" { print $4 }' "$W/strace")
		R "$n" delete -f $n-s1 >/dev/null 2>&1
	fi
done

# --- report ------------------------------------------------------------------------------------
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.2f", m / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }

if [[ " ${runnable[*]} " == *" ocirun "* ]]; then
	base=ocirun
	pairs=(crun runc)
else
	base=crun
	pairs=(runc)
fi
echo
hdr=$(printf '%-10s' op)
for n in "${runnable[@]}"; do hdr+=$(printf ' %10s' "$n ms"); done
for p in "${pairs[@]}"; do [[ " ${runnable[*]} " == *" $p "* ]] && hdr+=$(printf ' %12s' "$base/$p"); done
echo "$hdr"
for op in run run-res run-userns create start delete exec state list; do
	line=$(printf '%-10s' "$op")
	declare -A M=()
	for n in "${runnable[@]}"; do
		M[$n]=$(median "$W/res.$op.$n" 2>/dev/null || echo n/a)
		[ -s "$W/res.$op.$n" ] || M[$n]=n/a
		line+=$(printf ' %10s' "${M[$n]}")
	done
	for p in "${pairs[@]}"; do
		[[ " ${runnable[*]} " == *" $p "* ]] && line+=$(printf ' %12s' "$(ratio "${M[$base]:-n/a}" "${M[$p]}")")
	done
	echo "$line"
done
line=$(printf '%-10s' "rss KiB")
for n in "${runnable[@]}"; do line+=$(printf ' %10s' "${RSS[$n]:-n/a}"); done
for p in "${pairs[@]}"; do [[ " ${runnable[*]} " == *" $p "* ]] && line+=$(printf ' %12s' "$(ratio "${RSS[$base]:-n/a}" "${RSS[$p]:-n/a}")"); done
echo "$line"
line=$(printf '%-10s' syscalls)
for n in "${runnable[@]}"; do line+=$(printf ' %10s' "${SYS[$n]:-n/a}"); done
for p in "${pairs[@]}"; do [[ " ${runnable[*]} " == *" $p "* ]] && line+=$(printf ' %12s' "$(ratio "${SYS[$base]:-n/a}" "${SYS[$p]:-n/a}")"); done
echo "$line"
fl=$(median "$W/res.floor.kernel" 2>/dev/null || echo n/a)
line="floor (unshare + chroot + exec of /bin/true): $fl ms; run / floor:"
for n in "${runnable[@]}"; do line+=" $n $(ratio "$(median "$W/res.run.$n" 2>/dev/null || echo n/a)" "$fl")"; done
echo "$line"
if [ ${#empties[@]} -gt 0 ]; then
	eg=$(median "$W/res.empty.glibc" 2>/dev/null || echo n/a)
	line="an empty static program (timed like state):"
	for e in "${empties[@]}"; do line+=" $e $(median "$W/res.empty.$e" 2>/dev/null || echo n/a) ms"; done
	line+="; state / empty glibc program:"
	for n in "${runnable[@]}"; do line+=" $n $(ratio "$(median "$W/res.state.$n" 2>/dev/null || echo n/a)" "$eg")"; done
	echo "$line"
fi
line="run-userns / run:"
for n in "${runnable[@]}"; do line+=" $n $(ratio "$(median "$W/res.run-userns.$n" 2>/dev/null || echo n/a)" "$(median "$W/res.run.$n" 2>/dev/null || echo n/a)")"; done
echo "$line"
echo "(medians of $N; rss: peak of the largest process of one run, median of 5; syscalls: strace -f -c of one run)"
if grep -q FAILED "$W/errors" 2>/dev/null; then
	echo "errors ($(grep -c FAILED "$W/errors") failed commands), first lines:"
	head -5 "$W/errors"
fi
if [[ " ${runnable[*]} " == *" ocirun "* ]]; then
	echo
	R ocirun --trace run --bundle "$W/res" ocirun-trace </dev/null 2>&1 >/dev/null
	R ocirun delete -f ocirun-trace >/dev/null 2>&1
fi
