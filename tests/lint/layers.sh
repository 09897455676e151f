#!/usr/bin/env bash
# layers.sh - the mechanical rules of docs/conventions.md, checked on the source tree:
#   1. the CLI does no kernel work: no <sys/*.h> include and no syscall( in src/cli;
#   2. no include points up a layer (the order below, as docs/architecture.md draws it);
#   3. every source file (src/**/*.c) is named in docs/architecture.md.
# Prints each violation and exits 1 when there is one.
#   --graph  print the include graph by layer instead: "from -> to (count)" per pair of
#            folders, an arrow that points up marked "UP".
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo" || exit 2

# Rank of each folder: an include may go to the same rank or lower, never higher.
declare -A rank=([cli]=6 [checkpoint]=5 [container]=4 [process]=3 [linux]=2 [cgroup]=2
	[spec]=1 [dbus]=1 [util]=0)
folders=(cli checkpoint container process linux cgroup spec dbus util)

# Known arrows pointing up, each to be removed with its include: "from-file:included-header"
# (none left).
allowed_up=()

dir_of() { # src/lib/linux/x.c -> linux, src/cli/x.c -> cli
	local f=${1#src/}
	f=${f#lib/}
	echo "${f%%/*}"
}

files() {
	git ls-files 'src/*.c' 'src/*.h' 2>/dev/null || find src -name '*.[ch]'
}

# "from-file included-folder included-path" for every quoted include of a layer folder.
includes() {
	local f
	while read -r f; do
		sed -n 's|^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([a-z_]*\)/\([^"]*\)".*|\1 \1/\2|p' "$f" |
			while read -r to path; do
				[ -n "${rank[$to]:-}" ] && echo "$f $to $path"
			done
	done < <(files)
}

if [ "${1:-}" = --graph ]; then
	echo "# include graph by layer (from -> to: number of #include lines); order:"
	echo "#   cli -> checkpoint -> container -> process -> linux, cgroup -> spec, dbus -> util"
	includes | while read -r f to _; do echo "$(dir_of "$f") $to"; done | sort | uniq -c |
		while read -r n from to; do
			[ "$from" = "$to" ] && continue
			mark=""
			[ "${rank[$to]}" -gt "${rank[$from]}" ] && mark="  UP"
			printf '%s %s -> %s %s%s\n' "${rank[$from]}" "$from" "$to" "($n)" "$mark"
		done | sort -k1,1nr -k2,2 -k4,4 | cut -d' ' -f2-
	exit 0
fi

fail=0
violation() {
	echo "layers: $*"
	fail=1
}

# 1. the CLI does no kernel work
while IFS=: read -r f line text; do
	violation "$f:$line: kernel work in the CLI: $text"
done < <(git grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<sys/|\bsyscall[[:space:]]*\(' -- 'src/cli/*.c' 'src/cli/*.h')

# 2. no include of a higher layer
while read -r f to path; do
	from=$(dir_of "$f")
	[ -n "${rank[$from]:-}" ] || continue
	[ "${rank[$to]}" -gt "${rank[$from]}" ] || continue
	known=0
	for a in "${allowed_up[@]}"; do
		[ "$a" = "$f:$path" ] && known=1
	done
	[ "$known" = 1 ] || violation "$f includes $path: $from may not include a higher layer ($to)"
done < <(includes)

# 3. every source file named in docs/architecture.md
while read -r f; do
	grep -qF "$(basename "$f")" docs/architecture.md ||
		violation "$f is not named in docs/architecture.md"
done < <(files | grep '\.c$')

[ "$fail" = 0 ] && echo "layers: ok (${#folders[@]} folders, $(files | grep -c '\.c$') source files)"
exit "$fail"
