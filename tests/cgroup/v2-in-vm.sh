#!/bin/bash
# The real cgroup v2 checks of the cgroup unit test against a pure cgroup v2
# host (every controller delegated at the root), e.g. the test VM:
#   /work/shared/vm/run-in-vm -- tests/cgroup/v2-in-vm.sh [BUILD_DIR]
# BUILD_DIR defaults to build-cg; it must be reachable from the guest.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build-cg}
bin=$build/tests/unit/unit-cgroup
if [ ! -x "$bin" ]; then
  echo "missing $bin: build first (meson setup $build && ninja -C $build)" >&2
  exit 2
fi
if [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
  echo "/sys/fs/cgroup is not cgroup v2" >&2
  exit 2
fi
echo "# kernel $(uname -r), controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
exec "$bin" --v2-only /sys/fs/cgroup
