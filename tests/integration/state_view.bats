#!/usr/bin/env bats
# `state` and `list` answered at the entry point from the state views (state_view.h): the
# same bytes as main()'s answer from state.json, in every status, and main() whenever the
# view cannot answer.

load helpers

# The static binary has the entry point that reads views; a dynamic build (sanitizers,
# valgrind) always answers from main().
has_view_reader() {
	! is_runc && ! readelf -lW "$OCIRUN" | grep -q INTERP
}

# same_answer ARG...: the command prints the same bytes and exits the same with and without
# the view reader (OCIRUN_TRACE makes the reader step aside; the trace goes to stderr).
same_answer() {
	local fast full fast_rc=0 full_rc=0
	fast=$(rt "$@" 2>/dev/null; echo "rc=$?") || true
	full=$(OCIRUN_TRACE=1 rt "$@" 2>/dev/null; echo "rc=$?") || true
	if [ "$fast" != "$full" ]; then
		diff <(echo "$full") <(echo "$fast") >&2
		fail "$* differs between the view reader and main()"
	fi
}

compare_all() {
	local id
	for id in "$@"; do
		same_answer state "$id"
	done
	same_answer list
	same_answer list -q
	same_answer list --quiet
	same_answer list -f json
	same_answer list --format json
	same_answer -log-format json --log "$BATS_TEST_TMPDIR/log.json" list --format=json
	same_answer --systemd-cgroup list -f table
}

@test "state and list print the same from the view as from state.json, in every status" {
	skip_if_runc "no state views"
	update_config '.annotations = {"b": "<b&>", "a": "quote \" and \\ and \u00e9 \u2028", "c": ""}'
	set_args sleep 100
	local created running paused stopped
	created=$(new_id created) running=$(new_id running) paused=$(new_id paused) stopped=$(new_id stopped)
	rt create --bundle "$BUNDLE" "$created" </dev/null >/dev/null
	rt run -d --bundle "$BUNDLE" "$running" </dev/null >/dev/null
	rt run -d --bundle "$BUNDLE" "$paused" </dev/null >/dev/null
	rt run -d --bundle "$BUNDLE" "$stopped" </dev/null >/dev/null
	rt kill "$stopped" KILL
	wait_for_status "$stopped" stopped
	rt pause "$paused"
	local rc=0
	compare_all "$created" "$running" "$paused" "$stopped" || rc=$?
	[ "$(rt state "$paused" | jq -r .status)" = paused ] || rc=1
	rt resume "$paused"
	[ "$rc" -eq 0 ]
	[ "$(rt state "$created" | jq -r .status)" = created ]
	[ "$(rt state "$stopped" | jq -r .pid)" = 0 ]
	[ "$(rt list -f json | jq -r 'map(.owner) | unique | join(",")')" = root ]
	# start changes the view with the state
	rt start "$created"
	wait_for_status "$created" running
	compare_all "$created"
}

@test "the view answers without state.json: the entry point did answer" {
	has_view_reader || skip "this build answers from main() only"
	set_args sleep 100
	start_detached
	mv "$ROOT/$ID/state.json" "$ROOT/$ID/state.json.away"
	local out rc=0
	out=$(rt state "$ID") || rc=$?
	mv "$ROOT/$ID/state.json.away" "$ROOT/$ID/state.json"
	[ "$rc" -eq 0 ]
	[ "$(jq -r .status <<<"$out")" = running ]
	[ "$(jq -r .id <<<"$out")" = "$ID" ]
}

@test "without a view, or with one it cannot read, main() answers" {
	skip_if_runc "no state views"
	set_args sleep 100
	start_detached
	rm "$ROOT/$ID/state.view"
	runtime state "$ID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = running ]
	echo garbage >"$ROOT/$ID/state.view"
	same_answer state "$ID"
	same_answer list
	# and what the reader does not know goes to main() too
	same_answer state "$ID" --help
	same_answer state nosuch
	same_answer --debug state "$ID"
	same_answer list --format yaml
	same_answer list extra
}

@test "a view's id must be the container's" {
	has_view_reader || skip "this build answers from main() only"
	set_args sleep 100
	start_detached
	local other
	other=$(new_id other)
	mkdir "$ROOT/$other"
	cp "$ROOT/$ID/state.view" "$ROOT/$other/state.view"
	# no state.json and a view of another id: not there, as main() says
	runtime state "$other"
	[ "$status" -ne 0 ]
	rm -r "${ROOT:?}/$other"
}

# list_with_log_fifo ROOT: `list` with its --log a fifo read once; the runtime's exit status
# (124 when it still waited for a second reader).
list_with_log_fifo() {
	local fifo=$BATS_TEST_TMPDIR/log.fifo pid rc=0
	rm -f "$fifo" && mkfifo "$fifo"
	timeout 10 "$OCIRUN" --root "$1" --log "$fifo" list >/dev/null 2>&1 </dev/null &
	pid=$!
	timeout 10 cat "$fifo" >/dev/null
	wait "$pid" || rc=$?
	return "$rc"
}

@test "a --log fifo is opened once, by the view reader or by main()" {
	skip_if_runc "no state views"
	setup_bundle
	# answered by the reader: an empty root
	list_with_log_fifo "$ROOT"
	# left to main(): a root that does not exist (an error), the fifo opened by main() only
	local rc=0
	list_with_log_fifo "$BATS_TEST_TMPDIR/no-root" || rc=$?
	[ "$rc" -eq 1 ]
}
