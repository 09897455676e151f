#!/usr/bin/env bash
# build.sh [OUTDIR] - build the busybox root filesystem used by the integration tests.
#
# OUTDIR defaults to build/rootfs in the repository. The rootfs holds Debian's statically
# linked busybox (package busybox-static) with a symlink for every applet, /etc/passwd and
# /etc/group (root, nobody, a user 1000), and empty /proc /sys /dev /tmp /root directories.
# Re-running is cheap: nothing is done when the stamp matches the busybox binary.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$here/../../build/rootfs}
BUSYBOX=${BUSYBOX:-/bin/busybox}

if [ ! -x "$BUSYBOX" ]; then
  echo "build.sh: $BUSYBOX not found: install Debian's busybox-static (apt-get install busybox-static)" >&2
  exit 1
fi
if ldd "$BUSYBOX" >/dev/null 2>&1; then
  echo "build.sh: $BUSYBOX is dynamically linked: install busybox-static, or set BUSYBOX to a static busybox" >&2
  exit 1
fi

layout_version=1
stamp="$layout_version $(stat -c '%s %Y' "$BUSYBOX") $(md5sum <"$0" | cut -c1-32)"
if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ]; then
  exit 0
fi

tmp="$out.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"/{bin,etc,proc,sys,dev,tmp,root,home/user}
chmod 1777 "$tmp/tmp"
chmod 0700 "$tmp/root"
cp "$BUSYBOX" "$tmp/bin/busybox"
for applet in $("$BUSYBOX" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$tmp/bin/$applet"
done
cat >"$tmp/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
cat >"$tmp/etc/group" <<'GR'
root:x:0:
tty:x:5:
user:x:1000:
nogroup:x:65534:
GR
chown 1000:1000 "$tmp/home/user"
echo "$stamp" >"$tmp/.stamp"

rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$tmp" "$out"
