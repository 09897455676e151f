#!/usr/bin/env bats
# Attack class 6: container ids become directory names under --root and parts of cgroup
# paths. Ids with a newline, '/', '..', empty, over-long or non-ASCII are refused by every
# command before anything is created, removed or signalled.

load helpers

setup() {
	setup_bundle
	set_args sleep 100
	# bait: what an id escaping the state root would reach
	mkdir -p "$BATS_TEST_TMPDIR/bait" "$ROOT/../victim"
	echo keep >"$BATS_TEST_TMPDIR/bait/state.json"
	LONG=$(printf 'a%.0s' $(seq 1025))
}

BAD_IDS=()
bad_ids() {
	# TOK marks the cgroups a bad id could create
	TOK=zq${RANDOM}q
	BAD_IDS=(
		$'a\n'$TOK $TOK$'\n' "a/$TOK" '../bait' '..' '.' '' "$LONG" "é$TOK" $TOK$'caf\xc3\xa9' "a $TOK" $'a\t'$TOK "a\\$TOK"
		"../../../../../../../../sys/fs/cgroup/memory/$TOK" "/$TOK" "$TOK/.." ' ' '*' "a:$TOK" $'a\x01'$TOK
	)
}

nothing_created() {
	local what=$1 left
	left=$(find "$ROOT" -mindepth 1 2>/dev/null)
	[ -z "$left" ] || fail "$what: created under the root: $left"
	[ "$(cat "$BATS_TEST_TMPDIR/bait/state.json")" = keep ] || fail "$what: bait changed"
	[ -d "$ROOT/../victim" ] || fail "$what: removed a directory outside the root"
	left=$(find /sys/fs/cgroup -maxdepth 4 -name "*$TOK*" 2>/dev/null | head -3)
	[ -z "$left" ] || fail "$what: cgroup created: $left"
}

@test "container ids: create and run refuse bad ids before making anything" {
	local id shown
	bad_ids
	for id in "${BAD_IDS[@]}"; do
		shown=$(printf '%q' "$id" | cut -c1-40)
		runtime create --bundle "$BUNDLE" "$id"
		[ "$status" -eq 1 ] || fail "create $shown: status $status"
		[[ "${output,,}" == *"container id"* ]] || fail "create $shown: message does not name the id: $output"
		nothing_created "create $shown"
		runtime run -d --bundle "$BUNDLE" "$id"
		[ "$status" -eq 1 ] || fail "run $shown: status $status"
		nothing_created "run $shown"
	done
}

@test "container ids: the error message quotes a bad id on one line" {
	runtime create --bundle "$BUNDLE" $'evil\nFAKE LOG LINE'
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ] || fail "the id's newline split the message: $output"
}

@test "container ids: state, kill, delete, exec, pause, start refuse bad ids and touch nothing outside the root" {
	local id cmd shown
	bad_ids
	# a real container whose id the bad ids could alias
	create_container
	pid=$(container_pid "$ID")
	for id in "${BAD_IDS[@]}" "../root/$ID" "./$ID" "$ID/"; do
		shown=$(printf '%q' "$id" | cut -c1-40)
		for cmd in "state" "kill" "delete" "delete -f" "pause" "resume" "start" "ps" "exec"; do
			if [ "$cmd" = exec ]; then
				runtime exec "$id" true
			else
				runtime $cmd "$id"
			fi
			[ "$status" -ne 0 ] || fail "$cmd $shown succeeded"
		done
		[ -d "$BATS_TEST_TMPDIR/bait" ] || fail "$shown: bait removed"
		[ -d "$ROOT/../victim" ] || fail "$shown: victim removed"
		[ -d "$ROOT/$ID" ] || fail "$shown: the real container's state removed"
		[ -d "/proc/$pid" ] || fail "$shown: the real container was killed"
	done
	[ "$(container_status "$ID")" = created ]
}

@test "container ids: a 250-character id and every allowed character are accepted" {
	id=$(printf 'b%.0s' $(seq 250))
	runtime create --bundle "$BUNDLE" "$id"
	[ "$status" -eq 0 ]
	runtime delete -f "$id"
	[ "$status" -eq 0 ]
	runtime run -d --bundle "$BUNDLE" "${ID}_A+b.c-9"
	[ "$status" -eq 0 ]
	runtime delete -f "${ID}_A+b.c-9"
	[ "$status" -eq 0 ]
}
