#!/usr/bin/env bats
# rootless: the runtime run by an ordinary user (the user `rootless`, with the ranges useradd
# gives it in /etc/subuid and /etc/subgid): $XDG_RUNTIME_DIR/ocirun as the default root, the
# user's own id mapped directly, more through newuidmap/newgidmap, no cgroup without
# delegation, exec/kill/delete as that user.

load helpers

USER_NAME=rootless

setup() {
	id "$USER_NAME" >/dev/null 2>&1 || skip "no user $USER_NAME (useradd -m $USER_NAME)"
	setup_bundle
	UID_OF=$(id -u "$USER_NAME")
	GID_OF=$(id -g "$USER_NAME")
	XDG=$BATS_TEST_TMPDIR/xdg
	mkdir -p "$XDG"
	# the runtime's rootless template: the user mapped to root, sysfs bound, no netns
	rm -f "$BUNDLE/config.json"
	chown -R -h "$UID_OF:$GID_OF" "$BUNDLE" "$XDG"
	chmod 700 "$XDG"
	local d=$BUNDLE
	while [ "$d" != / ]; do
		chmod a+x "$d"
		d=$(dirname "$d")
	done
	as_user "$OCIRUN" spec --rootless
	update_config '.process.terminal = false | .root.readonly = false'
}

teardown() {
	[ -n "${XDG:-}" ] || return 0
	as_user "$OCIRUN" delete -f "$ID" >/dev/null 2>&1 || true
	as_user "$OCIRUN" delete -f "$(new_id 2)" >/dev/null 2>&1 || true
	[ -z "$(ls "$XDG/ocirun" 2>/dev/null)" ] || fail "state left in $XDG/ocirun"
	[ -z "$(find /sys/fs/cgroup -maxdepth 3 -name "${ID_PREFIX}*")" ] || fail "cgroup left"
}

# as_user CMD...: CMD as the user, in the bundle, with its XDG_RUNTIME_DIR
as_user() {
	setpriv --reuid="$UID_OF" --regid="$GID_OF" --init-groups env -i PATH="$PATH" HOME=/tmp \
		XDG_RUNTIME_DIR="$XDG" sh -c 'cd "$1" && shift && exec "$@"' sh "$BUNDLE" "$@"
}

# user_runtime ARG...: the runtime as the user, like runtime (output through a file: a
# detached container keeps the stdout it was given)
user_runtime() {
	local out=$BATS_TEST_TMPDIR/.user.$RANDOM.out
	status=0
	timeout -k 5 60 setpriv --reuid="$UID_OF" --regid="$GID_OF" --init-groups env -i \
		PATH="$PATH" HOME=/tmp XDG_RUNTIME_DIR="$XDG" sh -c 'cd "$1" && shift && exec "$@"' sh \
		"$BUNDLE" "$OCIRUN" "$@" </dev/null >"$out" 2>&1 || status=$?
	output=$(cat "$out")
	mapfile -t lines <"$out"
	echo "# (as $USER_NAME) $RUNTIME_NAME $* -> status $status" >&2
	[ -z "$output" ] || printf '%s\n' "$output" | sed 's/^/#   /' >&2
}

@test "rootless: the user's own id is root inside; state in \$XDG_RUNTIME_DIR/ocirun; no cgroup" {
	set_args sh -c 'id -u; cat /proc/self/uid_map; cat /proc/self/setgroups'
	user_runtime run "$ID"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" =~ ^\ *0\ +$UID_OF\ +1$ ]]
	[ "${lines[2]}" = deny ] # the kernel requires it for an unprivileged gid map
	[ -d "$XDG/ocirun" ]
	[ "$(stat -c %u "$XDG/ocirun")" = "$UID_OF" ]
}

@test "rootless: a detached container: state, exec, kill and delete as the user" {
	set_args sleep 100
	user_runtime run -d "$ID"
	[ "$status" -eq 0 ]
	user_runtime state "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = running ]
	pid=$(jq -r .pid <<<"$output")
	[ "$(stat -c %u /proc/$pid)" = "$UID_OF" ]
	user_runtime exec "$ID" cat /proc/self/uid_map
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^\ *0\ +$UID_OF\ +1$ ]]
	user_runtime kill "$ID" KILL
	[ "$status" -eq 0 ]
	wait_pid_gone "$pid"
	user_runtime delete "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$XDG/ocirun/$ID" ]
}

@test "rootless: exec enters a created container, and right after run -d or start (they return once its process runs)" {
	# the init runs the runtime's code, not dumpable, until the execve; a startContainer
	# hook makes that take a while
	update_config '.hooks.startContainer = [{"path": "/bin/sleep", "args": ["sleep", "1"]}]'
	set_args sleep 100
	user_runtime run -d "$ID"
	[ "$status" -eq 0 ]
	user_runtime exec "$ID" true
	[ "$status" -eq 0 ]
	user_runtime create "$(new_id 2)"
	[ "$status" -eq 0 ]
	# and into a created one, whose init waits in our code for start
	user_runtime exec "$(new_id 2)" true
	[ "$status" -eq 0 ]
	user_runtime start "$(new_id 2)"
	[ "$status" -eq 0 ]
	user_runtime exec "$(new_id 2)" true
	[ "$status" -eq 0 ]
}

@test "rootless: oomScoreAdj and time namespace offsets apply to the init and to exec" {
	skip_if_runc "runc 1.1 cannot write the time offsets of a rootless container"
	[ -e /proc/self/timens_offsets ] || skip "no time namespaces on this kernel"
	update_config '.process.oomScoreAdj = 500 | .linux.namespaces += [{"type": "time"}]
		| .linux.timeOffsets = {"monotonic": {"secs": 7881, "nanosecs": 0}}'
	set_args sleep 100
	user_runtime run -d "$ID"
	[ "$status" -eq 0 ]
	user_runtime exec "$ID" sh -c 'cat /proc/1/oom_score_adj /proc/self/oom_score_adj; grep monotonic /proc/self/timens_offsets'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 500 ] && [ "${lines[1]}" = 500 ]
	[[ "${lines[2]}" =~ ^monotonic\ +7881\ +0$ ]]
}

@test "rootless: more than the user's own id goes through newuidmap/newgidmap" {
	command -v newuidmap >/dev/null || skip "newuidmap not installed (uidmap)"
	read -r _ sub_start sub_len < <(awk -F: -v u="$USER_NAME" '$1 == u { print $1, $2, $3; exit }' /etc/subuid)
	[ -n "$sub_start" ] || skip "no /etc/subuid range for $USER_NAME"
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": $u, "size": 1}, {"containerID": 1, "hostID": $s, "size": 1000}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": $g, "size": 1}, {"containerID": 1, "hostID": $s, "size": 1000}]' \
		--argjson u "$UID_OF" --argjson g "$GID_OF" --argjson s "$sub_start"
	set_args sh -c 'cat /proc/self/uid_map; cat /proc/self/setgroups'
	user_runtime run "$ID"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^\ *0\ +$UID_OF\ +1$ ]]
	[[ "${lines[1]}" =~ ^\ *1\ +$sub_start\ +1000$ ]]
	[ "${lines[2]}" = allow ]
}

@test "rootless: a range outside the user's subordinate ids fails with newuidmap's reason" {
	command -v newuidmap >/dev/null || skip "newuidmap not installed (uidmap)"
	update_config '.linux.uidMappings += [{"containerID": 1, "hostID": 5000000, "size": 10}]'
	user_runtime run "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *newuidmap*"not allowed"* ]]
	[ -z "$(ls "$XDG/ocirun")" ]
}

@test "rootless: --rootless takes true, false or auto only" {
	user_runtime --rootless maybe list
	[ "$status" -ne 0 ]
	[[ "$output" == *rootless* ]]
	user_runtime --rootless true list
	[ "$status" -eq 0 ]
}

@test "rootless: without cgroup permission, a cgroupsPath or limits fail clearly; nothing is left" {
	update_config '.linux.cgroupsPath = "/ocirun-rootless-test"'
	user_runtime run "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"unable to apply cgroup configuration"*"ermission denied"* ]]
	update_config 'del(.linux.cgroupsPath) | .linux.resources.pids = {"limit": 10}'
	user_runtime run "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"rootless needs no limits + no cgrouppath"* ]]
	[ -z "$(ls "$XDG/ocirun")" ]
}

@test "rootless: kill --all without a cgroup reaches the init; of a stopped container is no error" {
	set_args sleep 100
	user_runtime run -d "$ID"
	[ "$status" -eq 0 ]
	user_runtime kill --all "$ID" KILL
	[ "$status" -eq 0 ]
	for _ in $(seq 100); do
		user_runtime state "$ID"
		[[ "$output" == *'"stopped"'* ]] && break
		sleep 0.1
	done
	[[ "$output" == *'"stopped"'* ]]
	user_runtime kill --all "$ID" 0
	[ "$status" -eq 0 ]
	user_runtime delete "$ID"
	[ "$status" -eq 0 ]
}
