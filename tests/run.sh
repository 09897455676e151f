#!/usr/bin/env bash
# run.sh - run every test: unit tests (meson test) and the bats suites with real containers.
#
# Environment:
#   OCIRUN       runtime binary for the bats suites (default: $BUILD_DIR/ocirun). With
#                OCIRUN=$(command -v runc) the suites check runc; tests of behaviour where
#                runc is known to differ are skipped for it with the reason.
#   BUILD_DIR    an existing build directory (default: build, set up and built when needed)
#   BATS_FILTER  only bats tests whose name matches this regular expression
#   SKIP_UNIT=1  do not run the unit tests
#
# Must run as root. The bats suites run in their own pid and mount namespaces so that
# exited containers are reaped and nothing mounted leaks to the host. The last line is
# "N passed, M failed[, K skipped]"; the exit status is non-zero when anything failed.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 1
[ "$(id -u)" = 0 ] || { echo "run.sh: must run as root" >&2; exit 2; }
for t in bats jq meson ninja unshare; do
	command -v "$t" >/dev/null || { echo "run.sh: $t not found (apt-get install bats jq meson ninja-build util-linux)" >&2; exit 2; }
done

passed=0 failed=0 skipped=0

# --- build -------------------------------------------------------------------------------
if [ -n "${BUILD_DIR:-}" ]; then
	build=$(cd "$BUILD_DIR" && pwd) || { echo "run.sh: BUILD_DIR $BUILD_DIR missing" >&2; exit 2; }
else
	build=$repo/build
	if [ ! -f "$build/build.ninja" ]; then
		meson setup "$build" || { echo "0 passed, 1 failed"; exit 1; }
	fi
fi
if ! ninja -C "$build"; then
	echo "run.sh: build failed" >&2
	echo "$passed passed, $((failed + 1)) failed"
	exit 1
fi

# --- unit tests ----------------------------------------------------------------------------
if [ "${SKIP_UNIT:-0}" != 1 ]; then
	meson test -C "$build" --print-errorlogs
	# count from meson's machine-readable log of this run
	log=$build/meson-logs/testlog.json
	if [ -f "$log" ]; then
		read -r up uf us < <(jq -rs '[map(select(.result == "OK" or .result == "EXPECTEDFAIL")) | length,
			map(select(.result == "FAIL" or .result == "ERROR" or .result == "TIMEOUT" or .result == "UNEXPECTEDPASS")) | length,
			map(select(.result == "SKIP")) | length] | @tsv' "$log")
		passed=$((passed + up)) failed=$((failed + uf)) skipped=$((skipped + us))
	fi
fi

# --- the layer rules (docs/conventions.md) -------------------------------------------------
if bash tests/lint/layers.sh; then
	echo "ok - lint: layers, kernel work outside the CLI, every file in docs/architecture.md"
	passed=$((passed + 1))
else
	echo "not ok - lint: tests/lint/layers.sh"
	failed=$((failed + 1))
fi

# --- rootfs and tools ----------------------------------------------------------------------
export ROOTFS=${ROOTFS:-$build/rootfs}
tests/rootfs/build.sh "$ROOTFS" || { echo "$passed passed, $((failed + 1)) failed"; exit 1; }
if [ -x "$build/tests/tools/console_receiver" ]; then
	export TOOLS=$build/tests/tools
fi
export OCIRUN=${OCIRUN:-$build/ocirun}
# a tag in every container id of this run, so that the leak check below only sees this run's
# cgroups when other runs share the host
export OCIRUN_TEST_RUN=${OCIRUN_TEST_RUN:-r$$$RANDOM}
OCIRUN=$(readlink -f "$(command -v "$OCIRUN")") || { echo "run.sh: runtime not found" >&2; exit 2; }

# --- bats suites ---------------------------------------------------------------------------
suites=()
for d in tests/integration tests/security tests/reliability; do
	compgen -G "$d/*.bats" >/dev/null && suites+=("$d")
done
if [ ${#suites[@]} -gt 0 ]; then
	args=(--tap)
	[ -n "${BATS_FILTER:-}" ] && args+=(--filter "$BATS_FILTER")
	tap=$(mktemp "${TMPDIR:-/tmp}/ocirun-tests.XXXXXX")
	echo "# bats ${suites[*]} with OCIRUN=$OCIRUN"
	# pid 1 of the namespace is a shell that reaps orphans (exited containers) while bats runs
	unshare --pid --fork --mount-proc --propagation private \
		bash -c 'trap "" PIPE; bats "$@" & wait $!' _ "${args[@]}" "${suites[@]}" 2>&1 | tee "$tap"
	bp=$(grep -cE '^ok ' "$tap")
	bs=$(grep -cE '^ok .* # skip' "$tap")
	bf=$(grep -cE '^not ok ' "$tap")
	if ! grep -qE '^1\.\.[0-9]+' "$tap"; then bf=$((bf + 1)); fi
	planned=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$tap" | head -1)
	if [ -n "$planned" ] && [ $((bp + bf)) -lt "$planned" ]; then
		echo "run.sh: bats planned $planned tests, $((bp + bf)) reported" >&2
		bf=$((bf + planned - bp - bf))
	fi
	passed=$((passed + bp - bs)) failed=$((failed + bf)) skipped=$((skipped + bs))
	rm -f "$tap"
fi

# --- leak check after the suite: no state, cgroup or process of the tests left -------------
# (anywhere in a name: a test's own parent of a container's cgroup carries the id too)
leaks=$(find /sys/fs/cgroup -maxdepth 7 -type d -name "*oci[0-9]*x${OCIRUN_TEST_RUN}x*" 2>/dev/null)
if [ -n "$leaks" ]; then
	echo "not ok - leak check: cgroups left behind:"; echo "$leaks" | sed 's/^/#   /'
	failed=$((failed + 1))
else
	echo "ok - leak check: no cgroup left behind"
	passed=$((passed + 1))
fi

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line+=", $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
