#!/usr/bin/env bats
# Concurrency: many lifecycles at once on distinct ids, and racing commands on one id.

load helpers

@test "concurrency: 50 concurrent create/start/kill/delete of distinct ids all succeed" {
	local n=${CONCURRENT:-50} i fails=()
	set_args sleep 1000
	mkdir -p "$BATS_TEST_TMPDIR/res"
	for ((i = 0; i < n; i++)); do
		(
			id=$(new_id "p$i")
			# output through a file: a created container keeps the stdout it was given
			step() { if ! rt "$@" </dev/null >"$BATS_TEST_TMPDIR/res/$i.step" 2>&1; then echo "$id: $1 failed: $(cat "$BATS_TEST_TMPDIR/res/$i.step")"; exit 1; fi; }
			step create --bundle "$BUNDLE" "$id"
			step start "$id"
			step kill "$id" KILL
			for ((j = 0; j < 200; j++)); do
				[ "$(rt state "$id" 2>/dev/null </dev/null | jq -r .status)" = stopped ] && break
				sleep 0.05
			done
			step delete "$id"
			echo ok
		) >"$BATS_TEST_TMPDIR/res/$i" 2>&1 &
	done
	wait
	for ((i = 0; i < n; i++)); do
		[ "$(cat "$BATS_TEST_TMPDIR/res/$i")" = ok ] || fails+=("$(cat "$BATS_TEST_TMPDIR/res/$i")")
	done
	[ ${#fails[@]} -eq 0 ] || fail "$(printf '%s\n' "${fails[@]}")"
	for ((i = 0; i < n; i++)); do
		left=$(leftovers "$(new_id "p$i")") || fail "$left"
	done
}

@test "concurrency: 20 concurrent delete --force of one running id: gone, no error storm" {
	local i errs=()
	set_args sleep 1000
	start_detached
	rt exec -d "$ID" sleep 1000 </dev/null >/dev/null 2>&1
	mkdir -p "$BATS_TEST_TMPDIR/res"
	for ((i = 0; i < 20; i++)); do
		(
			st=0
			timeout -k 5 30 "$OCIRUN" --root "$ROOT" delete --force "$ID" </dev/null >"$BATS_TEST_TMPDIR/res/$i.out" 2>&1 || st=$?
			echo $st >"$BATS_TEST_TMPDIR/res/$i.st"
		) &
	done
	wait
	for ((i = 0; i < 20; i++)); do
		st=$(cat "$BATS_TEST_TMPDIR/res/$i.st")
		[ "$st" != 124 ] && [ "$st" != 137 ] || errs+=("delete $i hung")
		[ "$st" = 0 ] || errs+=("delete $i: status $st: $(cat "$BATS_TEST_TMPDIR/res/$i.out")")
	done
	left=$(leftovers "$ID") || errs+=("$left")
	[ ${#errs[@]} -eq 0 ] || fail "$(printf '%s\n' "${errs[@]}")"
}

@test "concurrency: 20 concurrent start of one created id: exactly one succeeds, the others fail fast with a message" {
	local i ok=0 errs=()
	set_args sleep 1000
	create_container
	mkdir -p "$BATS_TEST_TMPDIR/res"
	for ((i = 0; i < 20; i++)); do
		(
			st=0
			s=$(date +%s%N)
			timeout -k 2 10 "$OCIRUN" --root "$ROOT" start "$ID" </dev/null >"$BATS_TEST_TMPDIR/res/$i.out" 2>&1 || st=$?
			echo "$st $((($(date +%s%N) - s) / 1000000))" >"$BATS_TEST_TMPDIR/res/$i.st"
		) &
	done
	wait
	for ((i = 0; i < 20; i++)); do
		read -r st ms <"$BATS_TEST_TMPDIR/res/$i.st"
		out=$(cat "$BATS_TEST_TMPDIR/res/$i.out")
		if [ "$st" = 0 ]; then
			ok=$((ok + 1))
		elif [ "$st" = 124 ] || [ "$st" = 137 ]; then
			errs+=("start $i hung (killed after 10 s)")
		else
			[ -n "$out" ] || errs+=("start $i: status $st without a message")
			[ "$ms" -lt 5000 ] || errs+=("start $i: took $ms ms to fail")
		fi
	done
	[ "$ok" -eq 1 ] || errs+=("$ok starts succeeded")
	wait_for_status "$ID" running || errs+=("not running")
	[ ${#errs[@]} -eq 0 ] || fail "$(printf '%s\n' "${errs[@]}")"
}

@test "concurrency: exec, kill, pause/resume and state racing on one container leave it consistent" {
	set_args sleep 1000
	start_detached
	pid=$(container_pid "$ID")
	for ((i = 0; i < 10; i++)); do
		rt exec "$ID" true </dev/null >/dev/null 2>&1 &
		rt state "$ID" </dev/null >/dev/null 2>&1 &
		rt kill "$ID" CONT </dev/null >/dev/null 2>&1 &
		{ rt pause "$ID" && rt resume "$ID"; } </dev/null >/dev/null 2>&1 &
	done
	wait
	rt resume "$ID" </dev/null >/dev/null 2>&1 || true
	wait_for_status "$ID" running
	[ "$(container_pid "$ID")" = "$pid" ]
	runtime exec "$ID" echo alive
	[ "$output" = alive ]
}
