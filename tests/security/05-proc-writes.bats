#!/usr/bin/env bats
# Attack class 5 (CVE-2025-52881 class): writes to /proc (sysctl, oom_score_adj) must go
# through a verified procfs of the container's namespaces, never through whatever the config
# or the rootfs mounted at /proc; host-global sysctls are refused.

load helpers

setup() {
	setup_bundle
	FAKE=$BATS_TEST_TMPDIR/fakeproc
	mkdir -p "$FAKE/sys/net/ipv4" "$FAKE/sys/kernel" "$FAKE/1" "$FAKE/target"
	echo 0 >"$FAKE/sys/net/ipv4/ip_forward"
	echo 0 >"$FAKE/1/oom_score_adj"
	echo 0 >"$FAKE/target/oom_score_adj"
	ln -s target "$FAKE/self"
	ln -s target "$FAKE/thread-self"
	FAKE_LIST=$(cd "$FAKE" && find . | sort)
	CORE_PATTERN=$(cat /proc/sys/kernel/core_pattern)
	HOST_FWD=$(cat /proc/sys/net/ipv4/ip_forward)
	HOST_SWAPPINESS=$(cat /proc/sys/vm/swappiness)
	HOST_SHMMAX=$(cat /proc/sys/kernel/shmmax)
	HOST_HOSTNAME=$(cat /proc/sys/kernel/hostname)
}

teardown() {
	local bad=()
	[ "$(cat /proc/sys/kernel/core_pattern)" = "$CORE_PATTERN" ] || { bad+=(core_pattern); echo "$CORE_PATTERN" >/proc/sys/kernel/core_pattern; }
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$HOST_FWD" ] || { bad+=(ip_forward); echo "$HOST_FWD" >/proc/sys/net/ipv4/ip_forward; }
	[ "$(cat /proc/sys/vm/swappiness)" = "$HOST_SWAPPINESS" ] || { bad+=(swappiness); echo "$HOST_SWAPPINESS" >/proc/sys/vm/swappiness; }
	[ "$(cat /proc/sys/kernel/shmmax)" = "$HOST_SHMMAX" ] || { bad+=(shmmax); echo "$HOST_SHMMAX" >/proc/sys/kernel/shmmax; }
	[ "$(cat /proc/sys/kernel/hostname)" = "$HOST_HOSTNAME" ] || { bad+=(hostname); echo "$HOST_HOSTNAME" >/proc/sys/kernel/hostname; }
	teardown_bundle || return 1
	[ ${#bad[@]} -eq 0 ] || fail "host sysctls changed: ${bad[*]}"
}

fake_untouched() {
	local f
	for f in sys/net/ipv4/ip_forward 1/oom_score_adj target/oom_score_adj; do
		[ "$(cat "$FAKE/$f")" = 0 ] || fail "written through the fake /proc: $f = $(cat "$FAKE/$f")"
	done
	[ "$(cd "$FAKE" && find . | sort)" = "$FAKE_LIST" ] || fail "created in the fake /proc: $(cd "$FAKE" && find . | sort)"
}

# applied_or_refused: the sysctl/oom_score_adj were applied to the container's own
# namespaces (checked from the host), or the create was refused with a message.
applied_or_refused() {
	if [ "$status" -ne 0 ]; then
		[ -n "$output" ] || fail "refused without a message"
		return 0
	fi
	pid=$(container_pid "$ID")
	[ "$(nsenter -t "$pid" -n cat /proc/sys/net/ipv4/ip_forward)" = 1 ] || fail "sysctl not applied in the container's network namespace"
	[ "$(cat "/proc/$pid/oom_score_adj")" = 123 ] || fail "oom_score_adj not applied: $(cat "/proc/$pid/oom_score_adj")"
}

@test "fake /proc: a host directory bound at /proc receives no sysctl or oom_score_adj write" {
	drop_mount /proc
	add_mount "{\"destination\": \"/proc\", \"type\": \"bind\", \"source\": \"$FAKE\", \"options\": [\"rbind\", \"rw\"]}"
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"} | .process.oomScoreAdj = 123 | .linux.readonlyPaths = [] | .linux.maskedPaths = []'
	set_args sleep 100
	runtime run -d --bundle "$BUNDLE" "$ID"
	fake_untouched
	applied_or_refused
}

@test "fake /proc: a host directory bound at /proc/sys receives no sysctl write" {
	add_mount "{\"destination\": \"/proc/sys\", \"type\": \"bind\", \"source\": \"$FAKE/sys\", \"options\": [\"rbind\", \"rw\"]}"
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"} | .process.oomScoreAdj = 123 | .linux.readonlyPaths = []'
	set_args sleep 100
	runtime run -d --bundle "$BUNDLE" "$ID"
	fake_untouched
	applied_or_refused
}

@test "fake /proc: a tmpfs at /proc is not taken for a procfs" {
	drop_mount /proc
	add_mount '{"destination": "/proc", "type": "tmpfs", "source": "tmpfs"}'
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"} | .process.oomScoreAdj = 123 | .linux.readonlyPaths = [] | .linux.maskedPaths = []'
	set_args sh -c 'ls -R /proc; sleep 100'
	runtime run -d --bundle "$BUNDLE" "$ID"
	applied_or_refused
	if [ "$status" -eq 0 ]; then
		# nothing was created in the tmpfs as if it were a procfs
		runtime exec "$ID" find /proc -mindepth 1
		[ -z "$output" ] || fail "files written in the tmpfs at /proc: $output"
	fi
}

@test "fake /proc: the host's procfs bound at /proc (a foreign pid namespace) is not written through" {
	drop_mount /proc
	add_mount '{"destination": "/proc", "type": "bind", "source": "/proc", "options": ["rbind", "rw"]}'
	update_config '.process.oomScoreAdj = 123 | .linux.readonlyPaths = [] | .linux.maskedPaths = []'
	set_args sleep 100
	before=$(cat /proc/1/oom_score_adj)
	selfbefore=$(cat /proc/$$/oom_score_adj)
	runtime run -d --bundle "$BUNDLE" "$ID"
	[ "$(cat /proc/1/oom_score_adj)" = "$before" ] || fail "oom_score_adj of the host's pid 1 changed"
	[ "$(cat /proc/$$/oom_score_adj)" = "$selfbefore" ] || fail "oom_score_adj of the test shell changed"
	if [ "$status" -eq 0 ]; then
		pid=$(container_pid "$ID")
		[ "$(cat "/proc/$pid/oom_score_adj")" = 123 ] || fail "oom_score_adj not applied to the container"
	fi
}

# refused_sysctl 'SYSCTL JSON' [JQ FILTER]: create must fail with a message naming the key
refused_sysctl() {
	local key
	key=$(jq -r 'keys[0]' <<<"$1")
	update_config ".linux.sysctl = \$s ${2:+| $2}" --argjson s "$1"
	set_args true
	runtime create --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ] || fail "$1: status $status"
	[[ "$output" == *"$key"* ]] || fail "message does not name $key: $output"
	[ ! -e "$ROOT/$ID" ] || fail "state left behind"
}

@test "host-global sysctls are refused: kernel.core_pattern, vm.swappiness, kernel.hostname" {
	refused_sysctl '{"kernel.core_pattern": "|/bin/evil"}'
	refused_sysctl '{"vm.swappiness": "1"}'
	refused_sysctl '{"kernel.hostname": "evil"}' '.linux.namespaces |= map(select(.type != "uts")) | del(.hostname)'
}

@test "namespaced sysctls without their namespace are refused (net without netns, ipc without ipcns)" {
	refused_sysctl '{"net.ipv4.ip_forward": "1"}' '.linux.namespaces |= map(select(.type != "network"))'
	refused_sysctl '{"kernel.shmmax": "4096"}' '.linux.namespaces |= map(select(.type != "ipc"))'
	refused_sysctl '{"fs.mqueue.msg_max": "11"}' '.linux.namespaces |= map(select(.type != "ipc"))'
}

@test "sysctl keys that climb out of /proc/sys/net with .. or / are refused" {
	refused_sysctl '{"net.ipv4/../../kernel/core_pattern": "|/bin/evil"}'
	refused_sysctl '{"net/../kernel/core_pattern": "|/bin/evil"}'
	refused_sysctl '{"net.ipv4.conf.all.forwarding/../../../../vm/swappiness": "1"}'
	refused_sysctl '{"net...": "1"}'
}

@test "a namespaced sysctl is applied in the container only" {
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.shmmax": "4096"}'
	run_sh 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax'
	lines_are 1 4096
}
