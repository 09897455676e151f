#!/usr/bin/env bats
# checkpoint / restore on this host, against tests/tools/fake_criu (CRIU itself cannot dump on
# every kernel): the flags and their errors, the RPC requests built for a config, the image
# directory (descriptors.json), the state a restore makes, and the cleanup of a failed one.
# The real round trips run in a VM: tests/checkpoint/vm-scenarios.sh.

load helpers

setup() {
	setup_bundle sleep 1000
	FAKE=$(tool fake_criu) || skip "fake_criu not built"
	export FAKE_CRIU_RECORD=$BATS_TEST_TMPDIR/criu.log
	IMG=$BATS_TEST_TMPDIR/img
}

teardown() {
	# lazily: the fake's restored process holds the namespace fd CRIU was given
	umount -l "$BATS_TEST_TMPDIR/netns" 2>/dev/null || true
	teardown_bundle
}

# cr ARG...: the runtime with the fake CRIU, like runtime.
cr() {
	runtime --criu "$FAKE" "$@"
}

# The opts of the last request of TYPE recorded by fake_criu, one field per line.
request() {
	awk -v t="type=$1" '$0 == t { buf = ""; on = 1; next } $0 == "--" { if (on) last = buf; on = 0 } on { buf = buf $0 "\n" } END { printf "%s", last }' "$FAKE_CRIU_RECORD"
}

@test "checkpoint: flag values are checked" {
	start_detached
	cr checkpoint --manage-cgroups-mode bogus "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Invalid manage cgroups mode"* ]]
	cr checkpoint --page-server nowhere "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"--page-server ADDRESS:PORT"* ]]
	cr checkpoint --page-server 1.2.3.4:port "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Invalid port number"* ]]
	cr checkpoint --empty-ns nosuch "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *'namespace "nosuch" is not supported'* ]]
	[ "$(container_status "$ID")" = running ]
}

@test "checkpoint: a missing container is an error and makes no image directory" {
	cd "$BATS_TEST_TMPDIR"
	cr checkpoint nosuch
	[ "$status" -ne 0 ]
	[[ "$output" == *"container does not exist"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/checkpoint" ]
}

@test "checkpoint: a created container cannot be checkpointed" {
	create_container
	cr checkpoint --image-path "$IMG" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot be checkpointed in created state"* ]]
}

@test "checkpoint: --parent-path must be relative and exist" {
	start_detached
	cr checkpoint --parent-path "$BATS_TEST_TMPDIR/parent" --image-path "$IMG" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"--parent-path"* ]]
	cr checkpoint --parent-path ../nosuch --image-path "$IMG" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"--parent-path"* ]]
	[ "$(container_status "$ID")" = running ]
}

@test "checkpoint: the DUMP request names the rootfs, pid, freezer and external mounts" {
	mkdir -p rootfs/real/conf "$BATS_TEST_TMPDIR/data"
	ln -s /real/conf rootfs/conf
	update_config '.mounts += [{"destination": "/data", "type": "bind", "source": "'"$BATS_TEST_TMPDIR/data"'", "options": ["rbind"]},
		{"destination": "/conf", "source": ".", "options": ["bind"]}]
		| .linux.maskedPaths = ["/proc/keys", "/proc/acpi"]'
	start_detached
	pid=$(container_pid "$ID")
	cr checkpoint --image-path "$IMG" --work-path "$BATS_TEST_TMPDIR/work" --tcp-established --file-locks "$ID"
	[ "$status" -eq 0 ]
	run request DUMP
	echo "$output"
	[[ "$output" == *"root=$BUNDLE/rootfs"* ]]
	grep -qx "pid=$pid" <<<"$output"
	output_has "leave_running=false" "tcp_established=true" "file_locks=true" \
		"log_file=dump.log" "manage_cgroups=true" "orphan_pts_master=true" \
		"freeze_cgroup=" "ext_mnt={key=/data val=/data }"
	# the destination is a symlink in the rootfs: CRIU sees the mount where it points
	[[ "$output" == *"ext_mnt={key=/real/conf val=/real/conf }"* ]]
	# a masked file is the host's /dev/null; a masked directory is a tmpfs, not external
	[[ "$output" == *"ext_mnt={key=/proc/keys val=/dev/null }"* ]]
	[[ "$output" != *"key=/proc/acpi "* ]]
	output_has "ext_mnt={key=/dev/null val=/dev/null }" "config_file=/etc/criu/runc.conf"
	# the network namespace is never CRIU's to restore
	[[ "$output" == *"empty_ns=1073741824"* ]]
	# the dump ended the processes: the container is gone
	run rt state "$ID"
	[ "$status" -ne 0 ]
}

@test "checkpoint: descriptors.json records the init's stdio as given at create" {
	rt run -d --bundle "$BUNDLE" "$ID" </dev/null > >(cat >/dev/null) 2>"$BATS_TEST_TMPDIR/err"
	wait_for_status "$ID" running
	pid=$(container_pid "$ID")
	out=$(readlink "/proc/$pid/fd/1")
	[[ "$out" == pipe:* ]]
	cr checkpoint --image-path "$IMG" "$ID"
	[ "$status" -eq 0 ]
	cat "$IMG/descriptors.json"
	jq -e --arg o "$out" '. == ["/dev/null", $o, "'"$(readlink /proc/self/fd/2 2>/dev/null || true)"'"] or (.[0] == "/dev/null" and .[1] == $o)' "$IMG/descriptors.json"
	[ "$(stat -c %a "$IMG/descriptors.json")" = 600 ]
}

@test "checkpoint: --leave-running keeps the container, --pre-dump sends PRE_DUMP without mounts" {
	start_detached
	cr checkpoint --leave-running --image-path "$IMG" "$ID"
	[ "$status" -eq 0 ]
	[ "$(container_status "$ID")" = running ]
	request DUMP | grep -qx 'leave_running=true'
	FAKE_CRIU_FEATURES=mem_track cr checkpoint --pre-dump --image-path "$BATS_TEST_TMPDIR/pre" "$ID"
	[ "$status" -eq 0 ]
	[ "$(container_status "$ID")" = running ]
	run request PRE_DUMP
	[[ "$output" != *ext_mnt* ]]
	[ ! -e "$BATS_TEST_TMPDIR/pre/descriptors.json" ]
	mkdir -p "$IMG/../final"
	cr checkpoint --parent-path ../pre --image-path "$BATS_TEST_TMPDIR/final" "$ID"
	[ "$status" -eq 0 ]
	run request DUMP
	output_has "parent_img=../pre" "track_mem=true"
}

@test "checkpoint: missing CRIU features and old versions are named" {
	start_detached
	cr checkpoint --pre-dump --image-path "$IMG" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"criu 3.17.1 lacks memory tracking"* ]]
	cr checkpoint --lazy-pages --image-path "$IMG" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"lacks lazy pages"* ]]
	FAKE_CRIU_VERSION=2.9.0 cr checkpoint --image-path "$IMG" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"criu 2.9.0 is too old for checkpoint: need 3.0.0 or later"* ]]
	runtime --criu "$BATS_TEST_TMPDIR/nosuch" checkpoint --image-path "$IMG" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot run criu"* ]]
	[ "$(container_status "$ID")" = running ]
}

@test "checkpoint: a failed dump shows CRIU's error and leaves the container running" {
	start_detached
	FAKE_CRIU_FAIL="this kernel lacks something" cr checkpoint --image-path "$IMG" --work-path "$BATS_TEST_TMPDIR/work" "$ID"
	[ "$status" -ne 0 ]
	output_has "criu failed: type DUMP errno 22" "log file: $BATS_TEST_TMPDIR/work/dump.log" \
		"Error (fake): this kernel lacks something"
	[ "$(container_status "$ID")" = running ]
}

@test "checkpoint: the external network namespace and the CRIU config annotation" {
	touch "$BATS_TEST_TMPDIR/netns"
	unshare --net="$BATS_TEST_TMPDIR/netns" true
	ino=$(stat -L -c %i "$BATS_TEST_TMPDIR/netns")
	update_config '(.linux.namespaces[] | select(.type == "network")) .path = "'"$BATS_TEST_TMPDIR/netns"'"
		| .annotations["org.criu.config"] = "/my/criu.conf"'
	start_detached
	cr checkpoint --image-path "$IMG" "$ID"
	[ "$status" -eq 0 ]
	run request DUMP
	output_has "external=net[$ino]:extRootNetNS" "config_file=/my/criu.conf"
	cr restore -d --image-path "$IMG" "$ID"
	[ "$status" -eq 0 ]
	run request RESTORE
	# the namespace is handed to CRIU as its fd 4
	[[ "$output" == *"inherit_fd={key=extRootNetNS fd=4 }"* ]]
}

@test "restore: the container is running with the restored pid; hooks, pid file, stdio pipes" {
	mkdir -p "$BATS_TEST_TMPDIR/data"
	update_config '.mounts += [{"destination": "/data", "type": "bind", "source": "'"$BATS_TEST_TMPDIR/data"'", "options": ["rbind"]}]
		| .hooks.prestart = [{"path": "/bin/sh", "args": ["sh", "-c", "jq -r .status,.pid >>'"$BATS_TEST_TMPDIR"'/hook.log"]}]
		| .hooks.createRuntime = .hooks.prestart'
	mkdir -p "$IMG"
	echo '["/dev/null","pipe:[12345]","pipe:[12346]"]' >"$IMG/descriptors.json"
	cr restore -d --image-path "$IMG" --pid-file "$BATS_TEST_TMPDIR/pid" "$ID"
	[ "$status" -eq 0 ]
	[ "$(container_status "$ID")" = running ]
	pid=$(container_pid "$ID")
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$pid" ]
	[ "$(cat "/proc/$pid/comm")" = sleep ]
	run cat "$BATS_TEST_TMPDIR/hook.log"
	lines_are creating "$pid"
	[ "${#lines[@]}" -eq 4 ]
	run request RESTORE
	echo "$output"
	output_has "rst_sibling=true" "evasive_devices=true" "root=$ROOT/$ID/criu-root" \
		"log_file=restore.log" "inherit_fd={key=pipe:[12345] fd=1 }" \
		"inherit_fd={key=pipe:[12346] fd=2 }" \
		"ext_mnt={key=/data val=$BATS_TEST_TMPDIR/data }"
	# the rootfs bind CRIU restored into is gone again
	! grep -q "criu-root" /proc/self/mountinfo
	[ ! -e "$ROOT/$ID/criu-root" ]
	# and the container behaves like any other
	runtime kill "$ID" KILL
	[ "$status" -eq 0 ]
	wait_for_status "$ID" stopped
	runtime delete "$ID"
	[ "$status" -eq 0 ]
}

@test "restore: a failed restore leaves no state, cgroup or mount behind" {
	mkdir -p "$IMG"
	echo '["/dev/null","/dev/null","/dev/null"]' >"$IMG/descriptors.json"
	FAKE_CRIU_FAIL="no" cr restore -d --image-path "$IMG" --work-path "$BATS_TEST_TMPDIR/work" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"criu failed: type RESTORE errno 22"* ]]
	[ ! -e "$ROOT/$ID" ]
	! grep -q "criu-root" /proc/self/mountinfo
	run rt state "$ID"
	[ "$status" -ne 0 ]
	# an image without descriptors.json is refused before CRIU runs
	rm "$IMG/descriptors.json"
	cr restore -d --image-path "$IMG" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"descriptors.json"* ]]
	[ ! -e "$ROOT/$ID" ]
}

@test "restore: a terminal needs --console-socket when detached" {
	update_config '.process.terminal = true'
	mkdir -p "$IMG"
	cr restore -d --image-path "$IMG" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot allocate tty"* ]]
	[ ! -e "$ROOT/$ID" ]
}
