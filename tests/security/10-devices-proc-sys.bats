#!/usr/bin/env bats
# Attack class 10: device access and the default read-only / masked paths. A container
# without a device rule cannot create and open a host disk, even holding CAP_MKNOD;
# /proc/sys and /sys are read-only and the default maskedPaths masked.

load helpers

# host_disk: "major minor" of a real block device of the host (not a loop or ram disk)
host_disk() {
	local d dev
	for d in /sys/dev/block/*; do
		dev=${d##*/}
		case "$(readlink "$d")" in */virtual/block/loop* | */virtual/block/ram*) continue ;; esac
		[ -e "$d/partition" ] && continue
		echo "${dev%%:*} ${dev##*:}"
		return 0
	done
	return 1
}

@test "devices: a container holding CAP_MKNOD but no device rule cannot mknod and read a host disk" {
	read -r major minor < <(host_disk) || skip "no block device on this host"
	caps CAP_MKNOD CAP_DAC_OVERRIDE CAP_CHOWN CAP_FOWNER
	set_args sh -c "mknod /dev/hostdisk b $major $minor && echo MKNOD-OK; head -c 512 /dev/hostdisk >/dev/null && echo READ-OK; echo x | dd of=/dev/hostdisk bs=1 count=0 2>/dev/null && echo OPEN-WRITE-OK; mknod /dev/shm/hd b $major $minor && head -c 512 /dev/shm/hd >/dev/null && echo READ-SHM-OK; mknod /dev/mem2 c 1 1 && head -c 1 /dev/mem2 >/dev/null && echo READ-MEM-OK; true"
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" != *READ-OK* && "$output" != *OPEN-WRITE-OK* && "$output" != *READ-SHM-OK* && "$output" != *READ-MEM-OK* ]] ||
		fail "host device opened from the container ($major:$minor): $output"
}

@test "devices: with no linux.resources.devices at all, CAP_MKNOD still cannot open a host disk" {
	read -r major minor < <(host_disk) || skip "no block device on this host"
	update_config 'del(.linux.resources.devices)'
	caps CAP_MKNOD CAP_DAC_OVERRIDE
	set_args sh -c "mknod /dev/hostdisk b $major $minor && echo MKNOD-OK; head -c 512 /dev/hostdisk >/dev/null && echo READ-OK; true"
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" != *READ-OK* ]] || fail "host device $major:$minor read from the container: $output"
}

@test "devices: an exec'd process with CAP_MKNOD cannot open a host disk either" {
	read -r major minor < <(host_disk) || skip "no block device on this host"
	caps CAP_MKNOD CAP_DAC_OVERRIDE
	set_args sleep 100
	start_detached
	runtime exec --cap CAP_MKNOD --cap CAP_SYS_ADMIN "$ID" sh -c "mknod /dev/hd2 b $major $minor; head -c 512 /dev/hd2 >/dev/null && echo READ-OK; true"
	[[ "$output" != *READ-OK* ]] || fail "$output"
}

# same_value_write FILE: in the container, write FILE's own value back (harmless if allowed)
@test "read-only: /proc/sys, /proc/sysrq-trigger and /sys cannot be written" {
	set_args sh -c '
		for f in /proc/sys/kernel/domainname /proc/sys/net/ipv4/ip_forward /proc/sys/vm/overcommit_memory /sys/kernel/uevent_helper /sys/fs/cgroup/pids/tasks; do
			[ -e $f ] || continue
			v=$(cat $f)
			if echo "$v" >$f 2>/dev/null; then echo "WRITABLE $f"; fi
		done
		echo h >/proc/sysrq-trigger 2>/dev/null && echo "WRITABLE sysrq" 
		touch /sys/pwned 2>/dev/null && echo "WRITABLE sys"
		grep -E " /(proc/sys|sys|proc/sysrq-trigger) " /proc/self/mountinfo
		true'
	caps CAP_SYS_ADMIN CAP_NET_ADMIN CAP_DAC_OVERRIDE
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" != *WRITABLE* ]] || fail "$output"
	grep -E ' /proc/sys ' <<<"$output" | grep -qE ' ro[, ]' || fail "/proc/sys not mounted read-only: $output"
	grep -E ' /sys ' <<<"$output" | grep -qE ' ro[, ]' || fail "/sys not mounted read-only: $output"
}

@test "masked: the default maskedPaths read as empty or are absent" {
	paths=$(jq -r '.linux.maskedPaths[]' config.json | xargs)
	set_args sh -c "
		for p in $paths; do
			[ -e \$p ] || continue
			if [ -d \$p ]; then
				[ -z \"\$(ls -A \$p)\" ] || echo \"UNMASKED \$p: \$(ls -A \$p | head -3)\"
				touch \$p/x 2>/dev/null && echo \"WRITABLE \$p\"
			else
				n=\$(head -c 4096 \$p 2>/dev/null | wc -c)
				[ \"\$n\" = 0 ] || echo \"UNMASKED \$p\"
				echo \"\$p \$(stat -c '%F %t:%T' \$p)\"
			fi
		done; true"
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" != *UNMASKED* && "$output" != *WRITABLE* ]] || fail "$output"
	! grep -v '^UN' <<<"$output" | grep -v 'character special file 1:3$' | grep -q . || fail "masked files not 1:3: $output"
}

@test "masked: the maskedPaths of ocirun's own spec template are masked" {
	runtime spec --bundle "$BATS_TEST_TMPDIR"
	[ "$status" -eq 0 ]
	paths=$(jq -r '.linux.maskedPaths[]' "$BATS_TEST_TMPDIR/config.json" | xargs)
	[ -n "$paths" ]
	update_config '.linux.maskedPaths = $m' --argjson m "$(jq -c '.linux.maskedPaths' "$BATS_TEST_TMPDIR/config.json")"
	set_args sh -c "for p in $paths; do [ -e \$p ] || continue; if [ -d \$p ]; then [ -z \"\$(ls -A \$p)\" ] || echo UNMASKED \$p; else [ \"\$(head -c 4096 \$p 2>/dev/null | wc -c)\" = 0 ] || echo UNMASKED \$p; fi; done; true"
	run_container
	[ "$status" -eq 0 ]
	[[ "$output" != *UNMASKED* ]] || fail "$output"
}
