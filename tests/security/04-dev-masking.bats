#!/usr/bin/env bats
# Attack class 4: the rootfs's /dev used for masking and the console.
#  - /dev/null a symlink or a regular file (CVE-2025-31133): maskedPaths must be masked with a
#    verified char 1:3 device, never with what the rootfs put there;
#  - /dev/console a symlink (CVE-2025-52565): the pty is never mounted through it;
#  - /dev itself a symlink to a host directory: nothing is written through it.
# The config has no /dev tmpfs, so the runtime works on the rootfs's own /dev.

load helpers

setup() {
	setup_bundle
	HOST=$BATS_TEST_TMPDIR/host
	mkdir -p "$HOST"
	echo secret >"$HOST/file"
	drop_mount /dev
	drop_mount /dev/pts
	drop_mount /dev/shm
	drop_mount /dev/mqueue
	mkdir -p rootfs/dev
	rm -rf rootfs/dev/null rootfs/dev/console
	CORE_PATTERN=$(cat /proc/sys/kernel/core_pattern)
}

teardown() {
	[ "$(cat /proc/sys/kernel/core_pattern)" = "$CORE_PATTERN" ] ||
		{ echo "$CORE_PATTERN" >/proc/sys/kernel/core_pattern; fail "host core_pattern changed"; }
	teardown_bundle
}

host_untouched() {
	[ "$(cat "$HOST/file")" = secret ] || fail "host file written through the rootfs: $(head -c 100 "$HOST/file")"
	[ "$(find "$HOST" -mindepth 1 | wc -l)" = 1 ] || fail "created on the host: $(find "$HOST" -mindepth 1)"
	no_host_mount_under "$HOST"
}

# In the container: the masked /proc/kcore and /proc/timer_list must be char 1:3 (or hidden
# otherwise: unreadable, empty), and an attempt to write through them must not reach a procfs
# file; prints the findings.
MASK_CHECK='for p in /proc/kcore /proc/timer_list /proc/keys; do
	[ -e $p ] || continue
	echo "$p: $(stat -c "%F %t:%T" $p)"
	n=$(head -c 4096 $p 2>/dev/null | wc -c)
	[ "$n" = 0 ] || echo "UNMASKED $p ($n bytes)"
done
echo "|/bin/evil" >/proc/kcore 2>/dev/null
echo "/dev/null: $(stat -c "%F %t:%T" /dev/null 2>&1)"
true'

check_masks() {
	[[ "$output" != *UNMASKED* ]] || fail "masked path readable: $output"
	grep -q '^/proc/' <<<"$output" || fail "no masked path checked: $output"
	! grep '^/proc/' <<<"$output" | grep -v 'character special file 1:3$' || fail "masked files not masked by a 1:3 device: $output"
}

@test "/dev/null a symlink to a procfs file: masking never binds the symlink's target" {
	ln -s /proc/sys/kernel/core_pattern rootfs/dev/null
	set_args sh -c "$MASK_CHECK"
	run_container
	host_untouched
	[ "$status" -eq 0 ] && check_masks
}

@test "/dev/null a symlink to a host file: nothing written or mounted through it (masking, stdio)" {
	ln -s "$HOST/file" rootfs/dev/null
	set_args sh -c "$MASK_CHECK"
	run_container
	host_untouched
	[ "$status" -eq 0 ] && check_masks
	# detached: the runtime must not reopen the container's stdio through the rootfs
	set_args sleep 100
	runtime run -d --bundle "$BUNDLE" "$ID"
	host_untouched
	if [ "$status" -eq 0 ]; then
		runtime exec "$ID" sh -c 'echo written >/dev/null; ls -l /proc/1/fd'
		host_untouched
	fi
}

@test "/dev/null a regular file: masking does not bind the file" {
	echo fake >rootfs/dev/null
	set_args sh -c "$MASK_CHECK"
	run_container
	[ "$(cat rootfs/dev/null 2>/dev/null)" = fake ] || [ -c rootfs/dev/null ] || fail "rootfs /dev/null replaced by something else"
	[ "$status" -eq 0 ] && check_masks
}

@test "/dev/null a symlink or a regular file in the rootfs: the container still gets the 1:3 device" {
	# OCI default devices: /dev/null is supplied by the runtime, whatever the rootfs holds there
	# (a symlink to core_pattern as /dev/null turns every '>/dev/null' into a sysctl write)
	ln -s /proc/sys/kernel/core_pattern rootfs/dev/null
	set_args stat -c "%F %t:%T" /dev/null
	run_container
	[ "$status" -eq 0 ]
	[ "$output" = "character special file 1:3" ] || fail "/dev/null in the container: $output"
	rm rootfs/dev/null
	echo fake >rootfs/dev/null
	run_container
	[ "$status" -eq 0 ]
	[ "$output" = "character special file 1:3" ] || fail "/dev/null in the container: $output"
}

@test "/dev/null a directory: masking a file path does not bind it" {
	mkdir rootfs/dev/null
	set_args sh -c "$MASK_CHECK"
	run_container
	if [ "$status" -eq 0 ]; then
		check_masks
	fi
}

@test "/dev/console a symlink with a terminal: the pty is not mounted through it" {
	ln -s /proc/sys/kernel/core_pattern rootfs/dev/console
	ln -s "$HOST/file" rootfs/dev/hostcon
	update_config '.process.terminal = true'
	mkdir -p rootfs/dev/pts
	add_mount '{"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]}'
	set_args sh -c 'stat -c "%n %F %t:%T" /dev/console /proc/sys/kernel/core_pattern; grep -E " /dev/console | /proc/sys/kernel/core_pattern " /proc/self/mountinfo; echo "|/bin/evil" >/proc/sys/kernel/core_pattern 2>/dev/null && echo WROTE-core_pattern; true'
	sock=$BATS_TEST_TMPDIR/console.sock
	"$(tool console_receiver)" -o "$BATS_TEST_TMPDIR/console.out" "$sock" &
	recv=$!
	wait_for_file "$sock"
	runtime run -d --console-socket "$sock" --bundle "$BUNDLE" "$ID"
	if [ "$status" -eq 0 ]; then
		wait_for_status "$ID" stopped
	fi
	wait "$recv" || true
	out=$(tr -d '\r' <"$BATS_TEST_TMPDIR/console.out" 2>/dev/null)
	echo "console: $out" >&2
	host_untouched
	[[ "$out" != *WROTE* ]] || fail "core_pattern writable: $out"
	if [ "$status" -eq 0 ]; then
		# core_pattern is still the procfs file, not the pty
		grep -q '^/proc/sys/kernel/core_pattern regular' <<<"$out" || fail "core_pattern replaced: $out"
		# /dev/console is the pty (char 136:N), not a mount on the symlink's target
		grep -q '^/dev/console character special file 88:' <<<"$out" ||
			grep -q '^/dev/console character special file 5:1' <<<"$out" ||
			grep -Eq '^/dev/console character special file (88|136):' <<<"$out" || fail "/dev/console: $out"
	fi
}

@test "/dev a symlink to a host directory: nothing is created or mounted through it" {
	rm -rf rootfs/dev
	ln -s "$HOST" rootfs/dev
	set_args sh -c 'ls -la /dev/; echo x >/dev/null'
	run_container
	host_untouched
}

@test "/dev a symlink to a host directory, with a /dev tmpfs and devpts in the config" {
	rm -rf rootfs/dev
	ln -s "$HOST" rootfs/dev
	add_mount '{"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755", "size=65536k"]}'
	add_mount '{"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]}'
	add_mount '{"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "noexec", "nodev", "mode=1777"]}'
	set_args sh -c 'ls -la /dev/; echo x >/dev/null'
	run_container
	host_untouched
}
