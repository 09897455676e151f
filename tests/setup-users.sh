#!/usr/bin/env bash
# setup-users.sh - the users and subordinate id ranges the user-namespace tests expect
# (idempotent; needs root and the uidmap package):
#   rootless    an ordinary user with the range useradd gives it (tests/integration/rootless.bats,
#               runc's suite as rootless, rootless podman)
#   containers  a range in /etc/subuid and /etc/subgid for podman --userns=auto
#   dockremap   the user of dockerd --userns-remap=default, with a range
# Prints what it did; never adds a second line for a name that has one.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "setup-users.sh: must run as root" >&2; exit 2; }
touch /etc/subuid /etc/subgid

add_range() { # NAME START COUNT
	local f
	for f in /etc/subuid /etc/subgid; do
		grep -q "^$1:" "$f" || { echo "$1:$2:$3" >>"$f"; echo "setup-users: $1:$2:$3 in $f"; }
	done
}

if ! id rootless >/dev/null 2>&1; then
	useradd -m -s /bin/bash rootless
	echo "setup-users: user rootless"
fi
# useradd writes the range itself when /etc/subuid exists; add it when it did not
add_range rootless 100000 65536
add_range containers 1000000 1000000
if ! id dockremap >/dev/null 2>&1; then
	useradd -r -M -s /usr/sbin/nologin dockremap
	echo "setup-users: user dockremap"
fi
add_range dockremap 3000000 65536
