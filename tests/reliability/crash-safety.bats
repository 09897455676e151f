#!/usr/bin/env bats
# Crash safety: ocirun SIGKILLed at a random moment of create, start, run -d, exec or delete;
# `delete --force ID` must then remove everything: state entry, cgroup directories, mounts,
# processes. Over CRASH_CYCLES cycles (default 150) the number of leftovers must be zero.
#   CRASH_CYCLES=500 bats tests/reliability/crash-safety.bats     (a longer run by hand)

load helpers

# rt_bg ARG...: the runtime in the background, its pid in BG (no timeout wrapper: the
# SIGKILL must hit ocirun itself)
rt_bg() {
	"$OCIRUN" --root "$ROOT" "$@" </dev/null >/dev/null 2>&1 &
	BG=$!
}

# kill_after_random MAX_MS: SIGKILL $BG after 0..MAX_MS ms, then reap it
kill_after_random() {
	local ms=$((RANDOM % ($1 + 1)))
	sleep "$(printf '0.%03d' "$ms")"
	kill -KILL "$BG" 2>/dev/null || true
	wait "$BG" 2>/dev/null || true
}

@test "crash safety: SIGKILL at random moments of create/start/run/exec/delete leaves nothing after delete --force" {
	local cycles=${CRASH_CYCLES:-150} i phase id mark left total=0 report=() forced_fail=0
	local phases=(create start run exec delete)
	mark=crashmark$$
	set_args sh -c "sleep 1000; : $mark"
	for ((i = 0; i < cycles; i++)); do
		id=$(new_id "c$i")
		phase=${phases[RANDOM % ${#phases[@]}]}
		case $phase in
		create)
			rt_bg create --bundle "$BUNDLE" "$id"
			kill_after_random 80
			;;
		run)
			rt_bg run -d --bundle "$BUNDLE" "$id"
			kill_after_random 80
			;;
		start)
			rt create --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1 || true
			rt_bg start "$id"
			kill_after_random 20
			;;
		exec)
			rt run -d --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1 || true
			rt_bg exec "$id" sh -c "sleep 1000; : $mark"
			kill_after_random 60
			;;
		delete)
			rt run -d --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1 || true
			rt exec -d "$id" sh -c "sleep 1000; : $mark" </dev/null >/dev/null 2>&1 || true
			rt_bg delete --force "$id"
			kill_after_random 60
			;;
		esac
		if ! rt delete --force "$id" </dev/null >"$BATS_TEST_TMPDIR/delete.out" 2>&1; then
			forced_fail=$((forced_fail + 1))
			report+=("cycle $i ($phase): delete --force failed: $(cat "$BATS_TEST_TMPDIR/delete.out")")
		fi
		if ! left=$(leftovers "$id" "$mark"); then
			total=$((total + 1))
			report+=("cycle $i ($phase): $left")
			# clean up by hand so that one leftover does not count again
			rt delete --force "$id" </dev/null >/dev/null 2>&1 || true
			while read -r d; do rmdir "$d" 2>/dev/null || true; done < <(find /sys/fs/cgroup -maxdepth 5 -depth -type d -name "$id" 2>/dev/null)
			rm -rf "${ROOT:?}/$id"
		fi
	done
	echo "# $cycles cycles: $total with leftovers, $forced_fail failed delete --force" >&3
	[ ${#report[@]} -eq 0 ] || fail "$(printf '%s\n' "${report[@]}")"
}

@test "crash safety: delete --force removes a container whose cgroup exists in only some hierarchies" {
	# what a create killed while making its cgroup leaves: the state records the cgroup,
	# some controllers' directories exist, others not yet; the init is gone
	local c gone=()
	set_args sleep 1000
	create_container
	pid=$(container_pid "$ID")
	kill -KILL "$pid"
	wait_pid_gone "$pid"
	for c in freezer pids memory cpu; do
		d=$(cgroup_dir "$pid" "$c" 2>/dev/null) || d=$(find /sys/fs/cgroup/$c -maxdepth 3 -type d -name "$ID" | head -1)
		[ -n "$d" ] && [ -d "$d" ] && rmdir "$d" && gone+=("$c")
	done
	[ ${#gone[@]} -gt 0 ] || skip "no cgroup v1 directory to remove"
	runtime delete --force "$ID"
	[ "$status" -eq 0 ] || fail "delete --force with the ${gone[*]} directories missing: $output"
	left=$(leftovers "$ID") || fail "$left"
}
