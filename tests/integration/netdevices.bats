#!/usr/bin/env bats
# linux.netDevices with veth pairs (this host has no dummy devices). The runtime runs in a
# private network namespace of the test ("the host" below), where the veth pair is made, so
# nothing touches the real host's interfaces.

load helpers

setup() {
	skip_if_runc "runc 1.1 has no linux.netDevices"
	setup_bundle
	NS=ocirun-nd-$$-$RANDOM
	ip netns add "$NS"
	hostns ip link add ndh0 type veth peer name ndp0
	hostns ip addr add 10.231.7.2/24 dev ndh0
	hostns ip addr add 10.231.8.2/24 dev ndh0 scope link
	hostns ip link set ndh0 mtu 1432
	hostns ip link set ndh0 address 02:11:22:33:44:55
	REAL_OCIRUN=$OCIRUN
	OCIRUN=$BATS_TEST_TMPDIR/runtime-in-ns
	printf '#!/bin/sh\nexec nsenter --net=/run/netns/%s %s "$@"\n' "$NS" "$REAL_OCIRUN" >"$OCIRUN"
	chmod +x "$OCIRUN"
}

teardown() {
	teardown_bundle
	[ -z "${NS:-}" ] || ip netns del "$NS"
	[ -z "${NS2:-}" ] || ip netns del "$NS2"
}

hostns() {
	ip netns exec "$NS" "$@"
}

@test "netDevices: a veth is moved in, renamed, with its global address, MTU and MAC, and up" {
	update_config '.linux.netDevices = {"ndh0": {"name": "ctr7"}}'
	set_args ip addr show dev ctr7
	run_container
	[ "$status" -eq 0 ] || fail "run: $output"
	[[ "$output" == *"10.231.7.2/24"* ]] || fail "global address not kept: $output"
	[[ "$output" != *"10.231.8.2"* ]] || fail "a link-scope address was moved: $output"
	[[ "$output" == *"mtu 1432"* ]] || fail "mtu not kept: $output"
	[[ "$output" == *"02:11:22:33:44:55"* ]] || fail "mac not kept: $output"
	[[ "$output" == *"<"*"UP"*">"* ]] || fail "not up: $output"
	# the container's namespace is gone: a virtual device goes with it (and its peer). The
	# kernel cleans a released namespace up asynchronously: up to 5 s for the peer to go.
	! hostns ip link show ndh0 2>/dev/null || fail "ndh0 is back on the host"
	for ((i = 0; i < 100; i++)); do
		hostns ip link show ndp0 >/dev/null 2>&1 || break
		sleep 0.05
	done
	! hostns ip link show ndp0 2>/dev/null || fail "the peer survived"
}

@test "netDevices: the device is in the container only while it runs, under its own name if not renamed" {
	update_config '.linux.netDevices = {"ndh0": {}}'
	set_args sleep 100
	runtime run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || fail "run -d: $output"
	! hostns ip link show ndh0 2>/dev/null || fail "ndh0 still on the host"
	runtime exec "$ID" ip -o addr show dev ndh0
	[ "$status" -eq 0 ] && [[ "$output" == *"10.231.7.2/24"* ]] || fail "exec: $output"
	runtime delete -f "$ID"
	[ "$status" -eq 0 ]
}

@test "netDevices: into a precreated network namespace, where it stays after delete (as runc)" {
	NS2=ocirun-nd2-$$-$RANDOM
	ip netns add "$NS2"
	update_config '.linux.netDevices = {"ndh0": {"name": "eth7"}} | (.linux.namespaces[] | select(.type == "network")) .path = $p' --arg p "/run/netns/$NS2"
	set_args sleep 100
	runtime run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || fail "run -d: $output"
	runtime delete -f "$ID"
	[ "$status" -eq 0 ]
	run ip netns exec "$NS2" ip -o addr show dev eth7
	[ "$status" -eq 0 ] && [[ "$output" == *"10.231.7.2/24"* ]] || fail "not in the namespace after delete: $output"
}

@test "netDevices: a missing device, a name taken in the container, the host namespace, a bad name are refused" {
	update_config '.linux.netDevices = {"nosuch0": {}}'
	set_args true
	run_refused nosuch0
	[ ! -e "$ROOT/$ID" ] || fail "state left behind"

	NS2=ocirun-nd2-$$-$RANDOM
	ip netns add "$NS2"
	ip netns exec "$NS2" ip link add taken0 type veth peer name taken1
	update_config '.linux.netDevices = {"ndh0": {"name": "taken0"}} | (.linux.namespaces[] | select(.type == "network")) .path = $p' --arg p "/run/netns/$NS2"
	run_refused "taken0 already exists"
	hostns ip link show ndh0 >/dev/null || fail "ndh0 left the host after a refused move"

	update_config '(.linux.namespaces[] | select(.type == "network")) .path = $p' --arg p "/run/netns/$NS"
	run_refused "host network namespace"

	update_config '.linux.namespaces |= map(select(.type != "network"))'
	run_refused "without a network namespace"

	update_config '.linux.namespaces += [{"type": "network"}] | .linux.netDevices = {"ndh0": {"name": "a/b"}}'
	run_refused "invalid network device name"
	[ ! -e "$ROOT/$ID" ] || fail "state left behind"
}
