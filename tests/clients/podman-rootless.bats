#!/usr/bin/env bats
# rootless podman 4.3 with --runtime <runtime under test>, run by the user `rootless` (its
# /etc/subuid and /etc/subgid ranges, tests/setup-users.sh): its own user namespace through
# newuidmap, overlay storage in the user's home, the host network (slirp4netns needs
# /dev/net/tun), cgroupfs without delegation (podman drops the limits with a warning).

load helpers

USER_NAME=rootless

# pu ARG...: podman as the user, under client (status, output).
pu() {
	client setpriv --reuid="$USER_UID" --regid="$USER_GID" --init-groups env -i PATH="$PATH" \
		HOME="$WORK/home" XDG_RUNTIME_DIR="$WORK/xdg" USER="$USER_NAME" \
		sh -c 'cd "$HOME" && exec "$@"' sh podman --runtime "$RUNTIME" "$@"
}

setup_file() {
	id "$USER_NAME" >/dev/null 2>&1 || return 0
	command -v newuidmap >/dev/null || return 0
	setup_work || return 1
	USER_UID=$(id -u "$USER_NAME")
	USER_GID=$(id -g "$USER_NAME")
	export USER_UID USER_GID
	mkdir -p "$WORK/home/.config/containers" "$WORK/xdg"
	cat >"$WORK/home/.config/containers/storage.conf" <<-CONF
		[storage]
		driver = "overlay"
		graphroot = "$WORK/home/storage"
		runroot = "$WORK/xdg/containers"
	CONF
	cat >"$WORK/home/.config/containers/containers.conf" <<-CONF
		[engine]
		cgroup_manager = "cgroupfs"
		events_logger = "file"
		[containers]
		netns = "host"
	CONF
	cp "$IMAGE_TAR" "$WORK/image.tar"
	chown -R "$USER_UID:$USER_GID" "$WORK"
	chmod 700 "$WORK/xdg"
	chmod 755 "$WORK"
	BATS_TEST_TMPDIR=$WORK pu load -i "$WORK/image.tar"
	[ "$status" -eq 0 ] || { echo "podman load as $USER_NAME: $output" >&2; return 1; }
}

teardown_file() {
	if [ -n "${WORK:-}" ] && [ -d "$WORK/home" ]; then
		BATS_TEST_TMPDIR=$WORK pu rm -a -f -t 0 >/dev/null 2>&1 || true
		BATS_TEST_TMPDIR=$WORK pu system reset -f >/dev/null 2>&1 || true
	fi
	teardown_work
}

setup() {
	id "$USER_NAME" >/dev/null 2>&1 || skip "no user $USER_NAME (tests/setup-users.sh)"
	command -v newuidmap >/dev/null || skip "newuidmap not installed (uidmap)"
}

teardown() {
	[ -z "${WORK:-}" ] || pu rm -a -f -t 0 >/dev/null 2>&1 || true
}

IMG=$IMAGE_REF

@test "podman rootless: run --rm id: root inside is the user outside, the range mapped by newuidmap" {
	pu run --rm "$IMG" sh -c 'id -u; cat /proc/self/uid_map'
	expect_ok
	[ "${lines[0]}" = 0 ] || fail "uid: ${lines[0]}"
	expect_output_has "$USER_UID" 65536
}

@test "podman rootless: --userns=keep-id keeps the user's uid" {
	pu run --rm --userns=keep-id "$IMG" id -u
	expect_ok
	[ "$output" = "$USER_UID" ] || fail "uid: $output"
}

@test "podman rootless: --uidmap inside the user's namespace" {
	pu run --rm --uidmap 0:1:1000 "$IMG" cat /proc/self/uid_map
	expect_ok
	read -r inside outside count <<<"$output"
	[ "$inside $outside $count" = "0 1 1000" ] || fail "map: $output"
}

@test "podman rootless: run -d, exec, stop, rm" {
	pu run -d --name rl "$IMG" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	expect_ok
	pu exec rl sh -c 'echo exec-ok; id -u'
	expect_ok
	expect_output_has exec-ok
	pu stop -t 5 rl
	expect_ok
	pu rm rl
	expect_ok
	pu ps -a -q
	[ -z "$output" ] || fail "containers left: $output"
}
