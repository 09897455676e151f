#!/usr/bin/env bats
# Attack class 8: user specs out of range or malformed (exec -u, process.user) are refused,
# never wrapped around to uid/gid 0.

load helpers

setup() {
	setup_bundle
	set_args sleep 100
}

# exec_user_refused SPEC...: exec -u SPEC fails with a message, and nothing ran as root
exec_user_refused() {
	local spec
	for spec in "$@"; do
		runtime exec -u "$spec" "$ID" id
		if [ "$status" -eq 0 ]; then
			fail "exec -u '$spec' accepted, ran as: $output"
			return 1
		fi
		[ -n "$output" ] || fail "exec -u '$spec': no message"
		[[ "$output" != *"uid=0"* ]] || fail "exec -u '$spec' ran as root: $output"
	done
}

@test "exec -u: -1, 4294967295, 4294967296 and larger are refused (never uid 0)" {
	start_detached
	exec_user_refused -1 4294967295 4294967296 18446744073709551616 18446744073709551615 99999999999999999999999
}

@test "exec -u: 1000:-1, 0:0:0, 1000:4294967296, empty parts and garbage are refused" {
	start_detached
	exec_user_refused 1000:-1 0:0:0 1000:4294967296 1000:4294967295 : 1000: :1000 ' ' 1000x 0x10 '+0' ' 0' '1000 ' 1e3
}

@test "exec -u: names are refused, not looked up or taken as 0" {
	start_detached
	exec_user_refused root nobody user root:root 1000:root nosuchuser
}

@test "exec -g: out of range additional groups are refused" {
	start_detached
	for g in -1 4294967296 4294967295 root; do
		runtime exec -u 1000:1000 -g "$g" "$ID" id
		[ "$status" -ne 0 ] || fail "exec -g '$g' accepted: $output"
		[[ "$output" != *"groups=0"* && "$output" != *"(root)"* ]] || fail "exec -g '$g' gave group 0: $output"
	done
}

@test "exec -u: in-range ids are applied as given" {
	start_detached
	runtime exec -u 1000:1001 "$ID" sh -c 'echo $(id -u):$(id -g)'
	[ "$status" -eq 0 ]
	[ "$output" = 1000:1001 ]
	runtime exec -u 4294967294 "$ID" id -u
	[ "$status" -eq 0 ]
	[ "$output" = 4294967294 ]
	runtime exec -u 65534 "$ID" id -u
	[ "$status" -eq 0 ]
	[ "$output" = 65534 ]
}

# config_user_refused 'JQ FILTER': create with the filter applied fails naming process.user
config_user_refused() {
	update_config "$1"
	set_args id
	runtime run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ] || fail "$1: accepted, ran as: $output"
	[[ "$output" != *"uid=0"* ]] || fail "$1: ran as root"
	[[ "$output" == *"user"* ]] || fail "$1: message does not name process.user: $output"
	[ ! -e "$ROOT/$ID" ] || fail "$1: state left"
}

@test "process.user: uid/gid out of range in config.json are refused" {
	config_user_refused '.process.user.uid = -1'
	config_user_refused '.process.user.uid = 4294967296'
	config_user_refused '.process.user.uid = 4294967295'
	config_user_refused '.process.user.uid = 18446744073709551616'
	config_user_refused '.process.user.uid = 1.5'
	config_user_refused '.process.user.uid = "0"'
	config_user_refused '.process.user.uid = 1000 | .process.user.gid = -1'
	config_user_refused '.process.user.uid = 1000 | .process.user.gid = 4294967296'
	config_user_refused '.process.user.uid = 1000 | .process.user.gid = 4294967295'
	config_user_refused '.process.user.uid = 1000 | .process.user.additionalGids = [4294967295]'
	config_user_refused '.process.user.uid = 1000 | .process.user.additionalGids = [4294967296]'
	config_user_refused '.process.user.uid = 1000 | .process.user.additionalGids = [-1]'
}

@test "process.user: uid/gid out of range in an exec process.json are refused" {
	start_detached
	for u in '{"uid": -1, "gid": 0}' '{"uid": 4294967296, "gid": 0}' '{"uid": 4294967295, "gid": 0}' '{"uid": 1000, "gid": 4294967296}' '{"uid": 1000, "gid": -1}'; do
		jq -n --argjson u "$u" '{args: ["id"], cwd: "/", env: ["PATH=/bin"], user: $u}' >"$BATS_TEST_TMPDIR/p.json"
		runtime exec -p "$BATS_TEST_TMPDIR/p.json" "$ID"
		[ "$status" -ne 0 ] || fail "process.json user $u accepted: $output"
		[[ "$output" != *"uid=0"* ]] || fail "process.json user $u ran as root"
	done
}
