# helpers.bash - shared setup of the security suite: the integration helpers (setup_bundle,
# runtime, rt, update_config, the teardown leak check) plus what the attacks need.

# shellcheck source=../integration/helpers.bash
source "$BATS_TEST_DIRNAME/../integration/helpers.bash"

# add_mount 'MOUNT JSON': append a mount to .mounts
add_mount() {
	update_config '.mounts += [$m]' --argjson m "$1"
}

# drop_mount DEST: remove every mount whose destination is DEST
drop_mount() {
	update_config '.mounts |= map(select(.destination != $d))' --arg d "$1"
}

# writable_rootfs: the container may write its rootfs (results are read from the host)
writable_rootfs() {
	update_config '.root.readonly = false'
}

# caps CAP...: the container's bounding, effective and permitted sets (no ambient)
caps() {
	local set
	set=$(jq -cn '$ARGS.positional' --args -- "$@") || return 1
	update_config '.process.capabilities = {bounding: $c, effective: $c, permitted: $c}' --argjson c "$set"
}

# wait_for_line FILE PATTERN [SECONDS]: until FILE holds a line matching the grep -E PATTERN
wait_for_line() {
	local f=$1 pat=$2 secs=${3:-10} i
	for ((i = 0; i < secs * 20; i++)); do
		grep -qE "$pat" "$f" 2>/dev/null && return 0
		sleep 0.05
	done
	fail "$f: no line matching '$pat' after ${secs}s (content: $(cat "$f" 2>/dev/null))"
}

# host_paths_untouched DIR: DIR (a host directory made by the test) is still empty
host_dir_empty() {
	local left
	left=$(find "$1" -mindepth 1 2>/dev/null | head -5)
	[ -z "$left" ] || fail "written on the host through the rootfs: $left"
}

# no_host_mount_under PATH: no mount point at or under PATH in this (the host's) mount table
no_host_mount_under() {
	local m
	m=$(awk -v p="$1" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo)
	[ -z "$m" ] || fail "mounted on the host: $m"
}
