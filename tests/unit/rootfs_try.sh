#!/bin/bash
# Checks of the rootfs code with real containers, through rootfs-try.
# Needs root, busybox-static, runc (for `runc spec`) and jq.
# usage: tests/unit/rootfs_try.sh [path/to/rootfs-try]
set -u
# Everything below runs in a private mount namespace: the test mounts must
# never show up on the host.
if [ -z "${ROOTFS_TRY_PRIVATE:-}" ]; then
  ROOTFS_TRY_PRIVATE=1 exec unshare --mount --propagation private "$0" "$@"
fi
TRY=${1:-$(dirname "$0")/../../build-rootfs/tests/unit/rootfs-try}
TRY=$(readlink -f "$TRY")
W=$(mktemp -d /tmp/rootfs-try.XXXXXX)
HOST=$(mktemp -d /tmp/rootfs-try-host.XXXXXX) # stands for host paths a container must not touch
trap 'rm -rf "$W" "$HOST"' EXIT
fails=0
n=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
ko() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/#   /'; }

# bundle NAME: a busybox rootfs with runc's default config
bundle() {
  local b=$W/$1
  mkdir -p "$b"/rootfs/{bin,proc,sys,dev,tmp,etc}
  cp /bin/busybox "$b/rootfs/bin/"
  for c in sh ls cat mount stat readlink touch echo grep mkdir test wc head; do
    ln -s busybox "$b/rootfs/bin/$c"
  done
  echo hello > "$b/rootfs/etc/greeting"
  (cd "$b" && runc spec && jq '.process.terminal=false | .root.readonly=false' config.json > c && mv c config.json)
  echo "$b"
}
# edit BUNDLE [JQ-ARGS...] JQ-FILTER
edit() {
  local b=$1
  shift
  jq "$@" "$b/config.json" > "$b/c" && mv "$b/c" "$b/config.json"
}
# run BUNDLE SCRIPT [rootfs-try flags]: output in $out, status in $rc
run() {
  local b=$1 s=$2
  shift 2
  edit "$b" --arg s "$s" '.process.args=["sh","-c",$s]'
  out=$(unshare --pid --fork --mount-proc "$TRY" "$b" "$@" 2>&1)
  rc=$?
}
expect() { # expect DESC CONDITION...
  local d=$1
  shift
  if "$@"; then ok "$d"; else ko "$d" "$out"; fi
}
has() { grep -q -- "$1" <<< "$out"; }

# 1. the default config
B=$(bundle default)
run "$B" 'mount; ls -l /dev; stat -c "%F %t:%T" /dev/null; cat /proc/keys | wc -c; ls /sys/firmware | wc -l;
  echo x > /proc/sys/kernel/hostname 2>&1 || echo RO-SYS; touch /sys/x 2>&1 || echo RO-SYSFS; readlink /dev/ptmx; echo END'
expect "default config runs" test "$rc" -eq 0
expect "proc mounted" has "proc on /proc type proc"
expect "devpts mounted" has "devpts on /dev/pts type devpts"
expect "mqueue mounted" has "mqueue on /dev/mqueue"
expect "sysfs read-only" has "sysfs on /sys type sysfs (ro"
expect "cgroup v1 view" has "on /sys/fs/cgroup/memory type cgroup (ro"
expect "cgroup unified view" has "on /sys/fs/cgroup/unified type cgroup2 (ro"
expect "/dev/null is 1:3" has "character special file 1:3"
expect "/dev/ptmx -> pts/ptmx" has "^pts/ptmx"
expect "/dev/fd link" has "fd -> /proc/self/fd"
expect "masked file empty" has "^0$"
expect "readonly /proc/sys" has "RO-SYS"
expect "masked dir /sys/firmware" has "tmpfs on /sys/firmware type tmpfs (ro"

# 2. a destination that is a symlink out of the rootfs stays inside it
B=$(bundle escape)
ln -s "$HOST/target" "$B/rootfs/etc/evil"
ln -s ../../../../../../.. "$B/rootfs/etc/up"
edit "$B" '.mounts += [{"destination":"/etc/evil","type":"tmpfs","source":"tmpfs"},
  {"destination":"/etc/up/tmp/x","type":"tmpfs","source":"tmpfs"},
  {"destination":"/../../../dotdot","type":"tmpfs","source":"tmpfs"}]'
run "$B" "mount | grep -E 'evil|target|/x |dotdot'; echo END"
expect "symlinked destination runs" test "$rc" -eq 0
expect "nothing created on the host" test ! -e "$HOST/target"
expect "link target made inside the rootfs" test -d "$B/rootfs$HOST/target"
expect "tmpfs on the in-root target" has "tmpfs on $HOST/target type tmpfs"
expect "relative escape stays in root" has "tmpfs on /tmp/x type tmpfs"
expect "dotdot destination stays in root" has "tmpfs on /dotdot type tmpfs"

# 3. proc over a symlink or a file is refused
B=$(bundle procsym)
rmdir "$B/rootfs/proc" && ln -s /etc "$B/rootfs/proc"
run "$B" 'echo RAN'
expect "proc on a symlink refused" test "$rc" -ne 0
expect "refusal says why" has "must be mounted on ordinary directory"
B=$(bundle procfile)
rmdir "$B/rootfs/proc" && touch "$B/rootfs/proc"
run "$B" 'echo RAN'
expect "proc on a file refused" test "$rc" -ne 0
B=$(bundle inproc)
edit "$B" '.mounts += [{"destination":"/proc/sys","type":"tmpfs","source":"tmpfs"}]'
run "$B" 'echo RAN'
expect "tmpfs inside /proc refused" has "inside /proc"
B=$(bundle procok)
edit "$B" '.mounts += [{"destination":"/proc/uptime","type":"bind","source":"/etc/hostname","options":["bind"]}]'
run "$B" 'echo RAN'
expect "bind on an allowed /proc file" has "RAN"

# 4. bind mounts: ro, rro, files, relative sources
B=$(bundle binds)
mkdir -p "$W/src/sub" "$B/data"
echo in-bundle > "$B/data/file"
echo f > "$W/src/f"
mount -t tmpfs tmpfs "$W/src/sub"
edit "$B" --arg s "$W/src" '.mounts += [
  {"destination":"/ro","type":"bind","source":$s,"options":["rbind","ro","nosuid"]},
  {"destination":"/rro","type":"bind","source":$s,"options":["rbind","rro"]},
  {"destination":"/etc/file","type":"bind","source":"data/file","options":["bind"]},
  {"destination":"/deep/new/dir","source":$s,"options":["bind"]}]'
run "$B" 'touch /ro/x 2>/dev/null || echo RO-TOP; touch /ro/sub/x 2>/dev/null && echo RW-SUB;
  touch /rro/sub/x 2>/dev/null || echo RO-SUB; cat /etc/file; grep " /ro " /proc/self/mountinfo; ls /deep/new/dir'
umount "$W/src/sub" 2>/dev/null
expect "ro bind is read-only" has "RO-TOP"
expect "ro is not recursive" has "RW-SUB"
expect "rro is recursive" has "RO-SUB"
expect "file bind with a relative source" has "in-bundle"
expect "nosuid on the bind" has "/ro .*nosuid"
expect "missing destination dirs created" has "^f$"

# 5. tmpcopyup
B=$(bundle copyup)
mkdir -p "$B/rootfs/etc/sub" && echo deep > "$B/rootfs/etc/sub/d" && ln -s greeting "$B/rootfs/etc/lnk"
edit "$B" '.mounts += [{"destination":"/etc","type":"tmpfs","source":"tmpfs","options":["tmpcopyup","mode=755"]}]'
run "$B" 'cat /etc/greeting /etc/sub/d /etc/lnk; touch /etc/new && echo WROTE; mount | grep " /etc "'
expect "tmpcopyup copies files" has "^hello$"
expect "tmpcopyup copies subdirs" has "^deep$"
expect "tmpcopyup is a tmpfs" has "tmpfs on /etc type tmpfs"
expect "rootfs untouched by tmpcopyup" test ! -e "$B/rootfs/etc/new"

# 6. /dev/console: a symlink to a host file is replaced, never followed
B=$(bundle console)
edit "$B" 'del(.mounts[] | select(.destination == "/dev"))'
echo host-secret > "$HOST/console-file"
ln -s "$HOST/console-file" "$B/rootfs/dev/console"
run "$B" 'stat -c "%F" /dev/console; echo END' --console
expect "console run" test "$rc" -eq 0
expect "console is the pty" has "character special file"
expect "host file untouched" test "$(cat "$HOST/console-file")" = host-secret
B=$(bundle console2)
run "$B" 'stat -c "%F %t" /dev/console' --console
expect "console on tmpfs /dev" has "character special file 88"

# 7. no pivot, read-only root, propagation, devices
B=$(bundle nopivot)
edit "$B" '.root.readonly=true | .linux.rootfsPropagation="rprivate" |
  .linux.devices=[{"path":"/dev/net/tun","type":"c","major":10,"minor":200,"fileMode":384,"uid":7,"gid":8}]'
run "$B" 'touch /x 2>/dev/null || echo RO-ROOT; stat -c "%F %a %u:%g %t:%T" /dev/net/tun; echo END' --no-pivot
expect "no-pivot runs" test "$rc" -eq 0
expect "read-only root" has "RO-ROOT"
expect "linux.devices node" has "character special file 600 7:8 a:c8"
run "$B" 'touch /x 2>/dev/null || echo RO-ROOT'
expect "pivot with rprivate" has "RO-ROOT"

# 8. idmap is reported as unsupported, options reach the data string
B=$(bundle idmap)
edit "$B" '.mounts += [{"destination":"/m","type":"bind","source":"/tmp","options":["bind","idmap"]}]'
run "$B" 'echo RAN'
expect "idmap not supported" has "not supported"
B=$(bundle baddata)
edit "$B" '.mounts += [{"destination":"/m","type":"tmpfs","source":"tmpfs","options":["foo=bar"]}]'
run "$B" 'echo RAN'
expect "unknown option refused by the filesystem" has "mount tmpfs on /m (in rootfs"

echo "$n checks, $fails failed"
[ "$fails" -eq 0 ]
