#!/usr/bin/env bats
# --root on a full tmpfs and on a read-only mount: create fails cleanly (status 1, a message,
# no cgroup, process or half-written state), and list, state, delete -f and a new create work
# afterwards.

load helpers

setup() {
	setup_bundle
	set_args sleep 1000
	MNT=$BATS_TEST_TMPDIR/rootmnt
	mkdir -p "$MNT"
	mount -t tmpfs -o size=512k,nr_inodes=400,mode=700 tmpfs "$MNT"
	ROOT=$MNT/root
	mkdir -p "$ROOT"
}

teardown() {
	local r=0
	mount -o remount,rw "$MNT" 2>/dev/null || true
	rm -f "$MNT/filler"
	# force-delete everything of the root, then let the standard check run on the
	# (now unmounted) path
	for d in "$ROOT"/*; do
		[ -d "$d" ] && rt delete -f "${d##*/}" </dev/null >/dev/null 2>&1
	done
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ] || { echo "LEAK: $(ls -A "$ROOT")" >&2; r=1; }
	umount "$MNT" || r=1
	teardown_bundle || r=1
	sentinel_check || r=1
	return $r
}

fill() {
	dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null || true
	# leave no byte: fill the last partial block too
	while head -c 512 /dev/zero >>"$MNT/filler" 2>/dev/null; do :; done
	# every inode too: small files until ENOSPC
	for i in $(seq 1000); do : >"$MNT/i$i" 2>/dev/null || break; done
}

@test "state root full: create fails cleanly; list, state, delete -f work; create works once space is back" {
	old=$(new_id old)
	runtime run -d --bundle "$BUNDLE" "$old"
	[ "$status" -eq 0 ]
	oldpid=$(container_pid "$old")
	fill
	runtime create --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ] || fail "create on a full root: status $status"
	grep -qiE 'space|ENOSPC|write' <<<"$output" || fail "message: $output"
	left=$(leftovers "$ID") || fail "left behind: $left"
	runtime list
	[ "$status" -eq 0 ]
	[[ "$output" == *"$old"* ]]
	runtime state "$old"
	[ "$status" -eq 0 ]
	[ "$(jq -r .pid <<<"$output")" = "$oldpid" ]
	runtime state "$ID"
	[ "$status" -eq 1 ]
	runtime delete -f "$ID"
	[ "$status" -eq 0 ]
	runtime run -d --bundle "$BUNDLE" "$(new_id 2)"
	[ "$status" -eq 1 ] || fail "run -d on a full root: status $status"
	left=$(leftovers "$(new_id 2)") || fail "run -d left behind: $left"
	runtime delete -f "$old"
	[ "$status" -eq 0 ] || fail "delete -f on a full root: $output"
	left=$(leftovers "$old") || fail "delete -f left: $left"
	# space back: a new create works
	rm -f "$MNT"/filler "$MNT"/i*
	create_container
	runtime start "$ID"
	[ "$status" -eq 0 ]
	wait_for_status "$ID" running
}

@test "state root read-only: create fails cleanly; list and state work; delete -f and create work once writable" {
	old=$(new_id old)
	runtime run -d --bundle "$BUNDLE" "$old"
	[ "$status" -eq 0 ]
	oldpid=$(container_pid "$old")
	mount -o remount,ro "$MNT"
	runtime create --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ] || fail "create on a read-only root: status $status"
	grep -qiE 'read-only|EROFS' <<<"$output" || fail "message: $output"
	left=$(leftovers "$ID") || fail "left behind: $left"
	runtime run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	left=$(leftovers "$ID") || fail "run -d left behind: $left"
	runtime list
	[ "$status" -eq 0 ]
	[[ "$output" == *"$old"* ]]
	runtime state "$old"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = running ]
	runtime delete -f "$ID"
	[ "$status" -eq 0 ] || fail "delete -f of the failed id: $output"
	runtime exec "$old" echo alive
	[ "$output" = alive ] || fail "exec into the existing container on a read-only root: $output"
	mount -o remount,rw "$MNT"
	runtime delete -f "$old"
	[ "$status" -eq 0 ]
	left=$(leftovers "$old") || fail "$left"
	create_container
	runtime start "$ID"
	[ "$status" -eq 0 ]
	wait_for_status "$ID" running
}

@test "state root missing parent on a read-only mount: create fails with a message, nothing created" {
	mount -o remount,ro "$MNT"
	ROOT=$MNT/root/sub/dir
	runtime create --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 1 ]
	[ -n "$output" ]
	left=$(leftovers "$ID") || fail "$left"
	ROOT=$MNT/root
	# an explicit --root that does not exist: list fails and says which (runc 1.1 lists nothing)
	is_runc && return 0
	"$OCIRUN" --root "$MNT/root/sub/dir" list >"$BATS_TEST_TMPDIR/list.out" 2>&1 && fail "list succeeded"
	grep -q "$MNT/root/sub/dir" "$BATS_TEST_TMPDIR/list.out" || fail "$(cat "$BATS_TEST_TMPDIR/list.out")"
}

@test "state root nearly full: whichever write fails (inodes or blocks, at every step), create leaves nothing" {
	local k fails=()
	fill
	for k in 1 2 3 4 5 6 7 8; do
		# free k inodes (and the blocks they held), then k more 4 KB blocks
		for what in inodes blocks; do
			rm -f "$MNT"/filler "$MNT"/i*
			fill
			if [ "$what" = inodes ]; then
				for ((j = 1; j <= k; j++)); do rm -f "$MNT/i$j"; done
			else
				rm -f "$MNT"/i*
				for j in $(seq 1000); do : >"$MNT/i$j" 2>/dev/null || break; done
				rm -f "$MNT"/i1 "$MNT"/i2 "$MNT"/i3 "$MNT"/i4 "$MNT"/i5 "$MNT"/i6 "$MNT"/i7 "$MNT"/i8
				truncate -s "-$((k * 4096))" "$MNT/filler"
			fi
			id=$(new_id "$what$k")
			runtime run -d --bundle "$BUNDLE" "$id"
			if [ "$status" -eq 0 ]; then
				rm -f "$MNT"/filler
				runtime delete -f "$id"
				[ "$status" -eq 0 ] || fails+=("$what $k: delete -f: $output")
			else
				[ "$status" -eq 1 ] || fails+=("$what $k: status $status")
				[ -n "$output" ] || fails+=("$what $k: no message")
				rm -f "$MNT"/filler
				# delete -f must clean whatever a failed create left
				runtime delete -f "$id"
				[ "$status" -eq 0 ] || fails+=("$what $k: delete -f after a failed create: $output")
			fi
			left=$(leftovers "$id") || fails+=("$what $k: $left")
			[ -z "$(ls -A "$ROOT")" ] || fails+=("$what $k: root holds $(ls -A "$ROOT")")
			rm -rf "${ROOT:?}"/* 2>/dev/null
		done
	done
	rm -f "$MNT"/filler "$MNT"/i*
	[ ${#fails[@]} -eq 0 ] || fail "$(printf '%s\n' "${fails[@]}")"
}
