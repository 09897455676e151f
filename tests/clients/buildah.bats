#!/usr/bin/env bats
# buildah 1.28, rootful, with --runtime <runtime under test>: every RUN step of a build is a
# container the runtime runs (isolation oci).  Private storage (overlay, vfs when overlay
# cannot be mounted) and configuration; the base image is the busybox docker-archive.

load helpers

# write_bh DRIVER: $WORK/bh, buildah with the private storage and configuration.
write_bh() {
	cat >"$WORK/bh" <<-BH
		#!/bin/sh
		export CONTAINERS_CONF=$WORK/containers.conf CONTAINERS_REGISTRIES_CONF=$WORK/registries.conf
		export BUILDAH_ISOLATION=oci
		exec buildah --root $WORK/root --runroot $WORK/runroot --storage-driver $1 "\$@"
	BH
	chmod +x "$WORK/bh"
}

# b ARG...: buildah under client (status, output).
b() {
	client "$WORK/bh" "$@"
}

setup_file() {
	setup_work || return 1
	mkdir -p "$WORK/tmp"
	cat >"$WORK/containers.conf" <<-CONF
		[engine]
		tmp_dir = "$WORK/tmp"
	CONF
	: >"$WORK/registries.conf"
	write_bh overlay
	if ! "$WORK/bh" pull "docker-archive:$IMAGE_TAR" >"$WORK/pull.log" 2>&1; then
		"$WORK/bh" rmi -a -f >/dev/null 2>&1 || true
		write_bh vfs
		echo "# overlay storage failed ($(tail -n1 "$WORK/pull.log")): using vfs" >&3
		"$WORK/bh" pull "docker-archive:$IMAGE_TAR" >"$WORK/pull.log" 2>&1 || { cat "$WORK/pull.log" >&2; return 1; }
	fi
}

teardown_file() {
	if [ -n "${WORK:-}" ] && [ -x "$WORK/bh" ]; then
		"$WORK/bh" rm -a >/dev/null 2>&1 || true
		"$WORK/bh" rmi -a -f >/dev/null 2>&1 || true
	fi
	teardown_work
}

teardown() {
	"$WORK/bh" rm -a >/dev/null 2>&1 || true
}

# bud CONTEXT TAG [ARG...]: a build of CONTEXT/Containerfile with the runtime under test,
# its log (--log of the runtime) in $BATS_TEST_TMPDIR/runtime.log.
bud() {
	local ctx=$1 tag=$2
	shift 2
	b bud --runtime "$RUNTIME" --runtime-flag "log=$BATS_TEST_TMPDIR/runtime.log" \
		--network none --pull=never --layers=false -f "$ctx/Containerfile" -t "$tag" "$@" "$ctx"
}

@test "buildah: the base image is in the private storage" {
	b images --format '{{.Name}}:{{.Tag}}'
	expect_ok
	expect_output_has "$IMAGE_REF"
}

@test "buildah: bud with RUN steps (env, workdir, user), the runtime under test runs them" {
	ctx=$BATS_TEST_TMPDIR/ctx
	mkdir -p "$ctx"
	echo copied-in >"$ctx/data.txt"
	cat >"$ctx/Containerfile" <<-EOF
		FROM $IMAGE_REF
		ENV GREETING="hello from the build" STEP=one
		RUN echo "\$GREETING" >/greeting && id -u >/uid-root && echo "\$STEP"
		WORKDIR /srv/app
		COPY data.txt .
		RUN pwd >where && cat data.txt >copy-seen && touch marker
		USER 1000
		RUN id -u >/tmp/uid-user && id -g >/tmp/gid-user && (touch /root/x 2>/dev/null || echo no-root-write >/tmp/denied)
		USER root
		RUN test "\$(cat /tmp/uid-user)" = 1000 && ls /srv/app/marker && grep -c ^CapEff /proc/self/status
		CMD ["sh", "-c", "cat /greeting"]
	EOF
	bud "$ctx" localhost/built:1
	expect_ok
	expect_output_has one
	# the runtime opens its --log file whether or not it has anything to say
	[ -e "$BATS_TEST_TMPDIR/runtime.log" ] || fail "the runtime under test was not run (no --log file)"
	b from --name chk localhost/built:1
	expect_ok
	b mount chk
	expect_ok
	mnt=$output
	[ "$(cat "$mnt/greeting")" = "hello from the build" ] || fail "greeting: $(cat "$mnt/greeting")"
	[ "$(cat "$mnt/uid-root")" = 0 ] || fail "uid-root"
	[ "$(cat "$mnt/srv/app/where")" = /srv/app ] || fail "workdir: $(cat "$mnt/srv/app/where")"
	[ "$(cat "$mnt/srv/app/copy-seen")" = copied-in ] || fail "copy"
	[ "$(cat "$mnt/tmp/uid-user") $(cat "$mnt/tmp/gid-user")" = "1000 1000" ] || fail "user step"
	[ "$(cat "$mnt/tmp/denied")" = no-root-write ] || fail "user 1000 wrote /root"
	b umount chk
	b inspect --format '{{.OCIv1.Config.WorkingDir}} {{.OCIv1.Config.User}} {{.OCIv1.Config.Env}}' localhost/built:1
	expect_ok
	expect_output_has "/srv/app root" "GREETING=hello from the build"
	# the built image runs
	b run --runtime "$RUNTIME" chk sh -c 'cat /greeting; exit 3'
	expect_status 3
	expect_output_has "hello from the build"
}

@test "buildah: a failing RUN fails the build with its exit code" {
	ctx=$BATS_TEST_TMPDIR/ctx
	mkdir -p "$ctx"
	cat >"$ctx/Containerfile" <<-EOF
		FROM $IMAGE_REF
		RUN echo before-failure
		RUN sh -c 'echo failing-step >&2; exit 42'
		RUN echo never-reached
	EOF
	bud "$ctx" localhost/failed:1
	[ "$status" -ne 0 ] || fail "the build succeeded"
	expect_output_has before-failure failing-step "exit status 42"
	expect_output_lacks never-reached
	b images --format '{{.Name}}'
	expect_output_lacks localhost/failed
	# a command that does not exist
	cat >"$ctx/Containerfile" <<-EOF
		FROM $IMAGE_REF
		RUN /no/such/command
	EOF
	bud "$ctx" localhost/failed:2
	[ "$status" -ne 0 ] || fail "the build succeeded"
	expect_output_has /no/such/command
}

@test "buildah: nothing left behind (containers, runtime state)" {
	b containers -q
	expect_ok
	[ -z "$output" ] || fail "working containers left: $output"
	client "$RUNTIME" --root "/run/$RUNTIME_NAME" list -q
	expect_ok
	[ -z "$output" ] || fail "runtime state left: $output"
}
