#!/usr/bin/env bats
# Docker 20.10 with --userns-remap=default (the user dockremap and its /etc/subuid and
# /etc/subgid ranges, tests/setup-users.sh): every container of the daemon runs in a user
# namespace mapping its root to the start of the range, on a remapped image copy.

load helpers
load docker_helpers

setup_file() {
	id dockremap >/dev/null 2>&1 && grep -q '^dockremap:' /etc/subuid || return 0
	setup_work || return 1
	# the containers' root resolves the path of their rootfs below the data root itself
	chmod 755 "$WORK"
	start_docker --userns-remap=default
}

teardown_file() {
	stop_docker
	teardown_work
}

setup() {
	id dockremap >/dev/null 2>&1 && grep -q '^dockremap:' /etc/subuid ||
		skip "no user dockremap with a range (tests/setup-users.sh)"
}

IMG=$IMAGE_REF

@test "docker --userns-remap: the container's root is the first id of dockremap's range" {
	start=$(awk -F: '$1 == "dockremap" { print $2; exit }' /etc/subuid)
	drun --rm "$IMG" sh -c 'cat /proc/self/uid_map; id -u; touch /made && echo made'
	expect_ok
	expect_output_has "$start" made
	read -r inside outside _ <<<"${lines[0]}"
	[ "$inside $outside" = "0 $start" ] || fail "map: ${lines[0]}"
}

@test "docker --userns-remap: run -d, exec, stop, rm" {
	drun -d --name ur "$IMG" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	expect_ok
	d exec ur cat /proc/self/uid_map
	expect_ok
	expect_output_has "$(awk -F: '$1 == "dockremap" { print $2; exit }' /etc/subuid)"
	d stop -t 5 ur
	expect_ok
	d rm ur
	expect_ok
}
