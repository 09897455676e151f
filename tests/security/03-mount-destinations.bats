#!/usr/bin/env bats
# Attack class 3 (CVE-2021-30465, CVE-2024-45310): mount destinations that leave the rootfs
# through symlinks, "..", or a directory swapped for a symlink while the runtime mounts.
# Nothing may be created or mounted outside the rootfs; a destination resolves inside it.

load helpers

setup() {
	setup_bundle
	HOST=$BATS_TEST_TMPDIR/host
	mkdir -p "$HOST"
	echo secret >"$BATS_TEST_TMPDIR/host-file"
}

# Lists the mount points of the container (its /proc/self/mountinfo field 5).
MOUNTS='awk "{ print \$5 }" /proc/self/mountinfo'

check_host() {
	host_dir_empty "$HOST"
	no_host_mount_under "$HOST"
	[ "$(cat "$BATS_TEST_TMPDIR/host-file")" = secret ] || fail "host file modified"
}

@test "mount destination: absolute symlink to a host directory resolves inside the rootfs" {
	ln -s "$HOST" rootfs/evil
	add_mount '{"destination": "/evil/sub", "type": "tmpfs", "source": "tmpfs"}'
	add_mount '{"destination": "/evil2", "type": "tmpfs", "source": "tmpfs"}'
	ln -s "$HOST" rootfs/evil2
	set_args sh -c "$MOUNTS"
	run_container
	echo "$output" >&2
	check_host
	if [ "$status" -eq 0 ]; then
		# resolved in the root: the mounts are at the symlink's target inside the container
		grep -qx "$HOST/sub" <<<"$output" || fail "tmpfs not at $HOST/sub inside the container"
		grep -qx "$HOST" <<<"$output" || fail "tmpfs not at $HOST inside the container"
		[ -d "rootfs$HOST/sub" ] || fail "destination not created inside the rootfs"
	fi
}

@test "mount destination: relative symlink climbing out with .. stays inside the rootfs" {
	ln -s "../../../../../../../../../..$HOST" rootfs/evil
	add_mount '{"destination": "/evil/sub", "type": "tmpfs", "source": "tmpfs"}'
	set_args sh -c "$MOUNTS"
	run_container
	echo "$output" >&2
	check_host
	if [ "$status" -eq 0 ]; then
		grep -qx "$HOST/sub" <<<"$output" || fail "tmpfs not at $HOST/sub inside the container"
	fi
}

@test "mount destination: .. components cannot leave the rootfs" {
	add_mount "{\"destination\": \"/../../../../../../..$HOST/sub\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}"
	add_mount "{\"destination\": \"/tmp/../../../../../..$HOST/file\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/host-file\", \"options\": [\"bind\", \"ro\"]}"
	set_args sh -c "$MOUNTS"
	run_container
	echo "$output" >&2
	check_host
	if [ "$status" -eq 0 ]; then
		grep -qx "$HOST/sub" <<<"$output" || fail "tmpfs not at $HOST/sub inside the container"
		grep -qx "$HOST/file" <<<"$output" || fail "bind not at $HOST/file inside the container"
	fi
}

@test "mount destination: a bind of a file through a symlinked directory creates nothing on the host" {
	ln -s "$HOST" rootfs/evil
	add_mount "{\"destination\": \"/evil/newfile\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/host-file\", \"options\": [\"bind\", \"ro\"]}"
	set_args cat "$HOST/newfile"
	run_container
	check_host
	if [ "$status" -eq 0 ]; then
		[ "$output" = secret ] || fail "bind not at $HOST/newfile inside the container"
	fi
}

@test "mount destination: a symlink as the final component (a symlink to a host file) is not followed out" {
	ln -s "$BATS_TEST_TMPDIR/host-file" rootfs/target
	echo source >"$BATS_TEST_TMPDIR/src-file"
	add_mount "{\"destination\": \"/target\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src-file\", \"options\": [\"bind\", \"rw\"]}"
	set_args sh -c "cat /target; $MOUNTS"
	run_container
	echo "$output" >&2
	check_host
	if [ "$status" -eq 0 ]; then
		# the bind is on the symlink's target inside the rootfs
		[ "${lines[0]}" = source ] || fail "the bind is not visible at /target in the container"
	fi
}

@test "mount destination: swapping a directory for a symlink during create (race) mounts and creates nothing outside" {
	local i
	add_mount '{"destination": "/race/a/b", "type": "tmpfs", "source": "tmpfs"}'
	add_mount '{"destination": "/race/c", "type": "tmpfs", "source": "tmpfs"}'
	set_args true
	mkdir -p rootfs/race
	# the attacker swaps rootfs/race between a directory and a symlink to the host directory
	(
		end=$((SECONDS + 60))
		while [ ! -e "$BATS_TEST_TMPDIR/stop" ] && [ $SECONDS -lt $end ]; do
			ln -sfn "$HOST" rootfs/race.l && mv -Tf rootfs/race.l rootfs/race 2>/dev/null
			rm -f rootfs/race.d 2>/dev/null; mkdir -p rootfs/race.d && rm -rf rootfs/race 2>/dev/null && mv -T rootfs/race.d rootfs/race 2>/dev/null
		done
	) &
	racer=$!
	local ran=0 refused=0
	for i in $(seq "${RACE_CYCLES:-100}"); do
		if rt run --bundle "$BUNDLE" "$ID" </dev/null >"$BATS_TEST_TMPDIR/run.out" 2>&1; then
			ran=$((ran + 1))
		else
			refused=$((refused + 1))
		fi
		rt delete -f "$ID" </dev/null >/dev/null 2>&1 || true
	done
	echo "# race: $ran runs succeeded, $refused refused; last: $(head -c 300 "$BATS_TEST_TMPDIR/run.out")" >&2
	touch "$BATS_TEST_TMPDIR/stop"
	wait "$racer" || true
	check_host
}
