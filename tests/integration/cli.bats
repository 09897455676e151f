#!/usr/bin/env bats
# the commands that do not run containers: --version, help, spec, features, list, state,
# usage errors, container ids.

load helpers

@test "cli: --version" {
	runtime --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "$RUNTIME_NAME version "* ]]
	output_has "spec: 1." "libseccomp: "
}

@test "cli: --version names the commit the binary was built from" {
	skip_if_runc "prints its own commit"
	local head
	head=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null) || skip "not a git checkout"
	# a binary built before the last commit is stale: tests/run.sh builds first
	runtime --version
	[ "$(sed -n 's/^commit: //p' <<<"$output")" = "$head" ]
}

@test "cli: help and --help" {
	runtime help
	[ "$status" -eq 0 ]
	[[ "$output" == *create* ]] && [[ "$output" == *delete* ]]
	runtime --help
	[ "$status" -eq 0 ]
	runtime create --help
	[ "$status" -eq 0 ]
	[[ "$output" == *console-socket* ]]
}

@test "cli: an unknown command exits 3, as runc does" {
	runtime no-such-command
	[ "$status" -eq 3 ]
	[[ "$output" == *no-such-command* ]]
}

@test "cli: an unknown flag is a usage error" {
	runtime state --no-such-flag "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *no-such-flag* ]]
	runtime --no-such-global list
	[ "$status" -ne 0 ]
}

@test "cli: a missing argument is an error" {
	runtime state
	[ "$status" -ne 0 ]
	runtime kill
	[ "$status" -ne 0 ]
}

# runc's template depends on the host: a cgroup namespace where /sys/fs/cgroup is cgroup2
host_cgroupns() {
	[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] && echo ', "cgroup"'
}

@test "cli: spec writes runc's template; refuses to overwrite" {
	mkdir "$BATS_TEST_TMPDIR/s"
	runtime spec --bundle "$BATS_TEST_TMPDIR/s"
	[ "$status" -eq 0 ]
	jq -e '.process.terminal == true and .process.args == ["sh"] and .root.path == "rootfs" and
		(.linux.namespaces | map(.type)) == ["pid", "network", "ipc", "uts", "mount"'"$(host_cgroupns)"'] and
		(.mounts | length) == 7' "$BATS_TEST_TMPDIR/s/config.json"
	runtime spec --bundle "$BATS_TEST_TMPDIR/s"
	[ "$status" -ne 0 ]
	[[ "$output" == *exists* ]]
}

@test "cli: spec --rootless has user namespace mappings" {
	mkdir "$BATS_TEST_TMPDIR/s"
	runtime spec --rootless --bundle "$BATS_TEST_TMPDIR/s"
	[ "$status" -eq 0 ]
	jq -e '(.linux.namespaces | map(.type)) == ["pid", "ipc", "uts", "mount"'"$(host_cgroupns)"', "user"] and
		(.linux.uidMappings | length) == 1 and .linux.resources == null' "$BATS_TEST_TMPDIR/s/config.json"
}

@test "cli: features prints the OCI features JSON" {
	runtime features
	[ "$status" -eq 0 ]
	jq -e '(.ociVersionMin | type) == "string" and (.ociVersionMax | type) == "string" and
		(.hooks | index("prestart")) != null and (.mountOptions | index("ro")) != null and
		(.linux.namespaces | index("pid")) != null and (.linux.capabilities | index("CAP_KILL")) != null' <<<"$output"
}

@test "cli: features reports user namespaces and id-mapped mounts" {
	runtime features
	[ "$status" -eq 0 ]
	jq -e '(.linux.namespaces | index("user")) != null and .linux.mountExtensions.idmap.enabled == true and
		(.mountOptions | index("idmap")) != null and (.mountOptions | index("ridmap")) != null' <<<"$output"
}

@test "cli: list of an empty root: header only; json is null or []" {
	runtime list
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == ID*PID*STATUS*BUNDLE*CREATED*OWNER* ]]
	[ "${#lines[@]}" -eq 1 ]
	runtime list --format json
	[ "$status" -eq 0 ]
	[ "$output" = null ] || [ "$output" = "[]" ]
	runtime list -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "cli: list shows containers in table, json and quiet forms" {
	set_args sleep 100
	start_detached
	id2=$(new_id 2)
	runtime create "$id2"
	[ "$status" -eq 0 ]
	runtime list
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "$output" == *"$ID "*running*"$BUNDLE"*root* ]]
	[[ "$output" == *"$id2 "*created* ]]
	runtime list --format json
	[ "$status" -eq 0 ]
	jq -e --arg id "$ID" 'length == 2 and (map(select(.id == $id))[0] | .status == "running" and .pid > 0 and (.created | type) == "string" and .bundle != null)' <<<"$output"
	runtime list -q
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' ' ')" = "$(printf '%s\n' "$ID" "$id2" | sort | tr '\n' ' ')" ]
	runtime delete -f "$id2"
}

@test "cli: state of an unknown container fails" {
	runtime state nonexistent-id
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
}

@test "cli: invalid container ids are refused" {
	set_args true
	for bad in "../x" "a/b" ".." "-x" ""; do
		runtime create "$bad"
		[ "$status" -ne 0 ] || fail "id '$bad' accepted"
	done
	[ -z "$(ls -A "$ROOT")" ]
}

@test "cli: a container id with a newline is refused" {
	set_args true
	runtime create "$(printf 'a\nb')"
	[ "$status" -ne 0 ]
	[ -z "$(ls -A "$ROOT")" ]
}

@test "cli: the state root is created 0700" {
	rmdir "$ROOT"
	set_args sleep 100
	create_container
	[ "$(stat -c %a "$ROOT")" = 700 ]
	[ "$(stat -c %a "$ROOT/$ID")" = 700 ] || [ "$(stat -c %a "$ROOT/$ID")" = 711 ]
}

@test "cli: -h and --help print the help of every command and exit 0" {
	local cmd flag
	for cmd in checkpoint create delete events exec kill list pause ps restore resume run spec \
		start state update features; do
		for flag in -h --help; do
			runtime "$cmd" "$flag"
			[ "$status" -eq 0 ] || fail "$cmd $flag: status $status: $output"
			[ "${lines[0]}" = "NAME:" ] || fail "$cmd $flag: $output"
			[[ "${lines[1]}" == *"$RUNTIME_NAME $cmd"* ]] || fail "$cmd $flag: $output"
		done
	done
}

@test "cli: a command's help names the program as it was called (a runc link to it says runc)" {
	skip_if_runc "the link is made to the runtime under test"
	ln -s "$OCIRUN" "$BATS_TEST_TMPDIR/runc"
	run "$BATS_TEST_TMPDIR/runc" state -h
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "   runc state - output the state of a container" ] || fail "$output"
	run "$BATS_TEST_TMPDIR/runc" -h
	[[ "${lines[1]}" == "   ocirun - "* ]] || fail "the main help names the runtime: $output"
}

@test "cli: flags may follow the container id (not for exec's process arguments)" {
	set_args sleep 100
	start_detached
	runtime kill "$ID" KILL --all
	[ "$status" -eq 0 ] || fail "kill: $output"
	wait_for_status "$ID" stopped
	runtime delete "$ID" --force
	[ "$status" -eq 0 ] || fail "delete: $output"
	runtime state "$ID"
	[ "$status" -ne 0 ]
	# exec: what follows the id is the process's command line, flags included
	start_detached
	runtime exec "$ID" echo --help -t
	[ "$status" -eq 0 ]
	[ "$output" = "--help -t" ]
}

@test "cli: list with a --root that does not exist fails; the default root may be missing" {
	runtime_root_missing() { "$OCIRUN" --root "$BATS_TEST_TMPDIR/no/such/root" list; }
	run runtime_root_missing
	[ "$status" -ne 0 ]
	[ ! -e "$BATS_TEST_TMPDIR/no" ]
}
