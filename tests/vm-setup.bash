# vm-setup.bash - what the ci-vm.sh scripts share, sourced with $repo set: vm_setup WHAT
# finds ../shared beside the checkout (or beside its parent, for a worktree under wt/) and
# its run-in-vm, and builds the tree; it sets $shared, $vm and $build (absolute). Without
# run-in-vm, or when the build fails, it prints "0 passed, 1 failed" and exits 1.
vm_setup() {
	local what=$1
	shared=$repo/../shared
	[ -d "$shared" ] || shared=$repo/../../shared
	vm=${RUN_IN_VM:-$shared/vm/run-in-vm}
	build=${BUILD_DIR:-$repo/build}
	if [ ! -x "$vm" ]; then
		echo "run-in-vm not found at $vm: $what cannot run here"
		echo "0 passed, 1 failed"
		exit 1
	fi
	[ -x "$build/ocirun" ] || { meson setup "$build" "$repo" >/dev/null && ninja -C "$build" >/dev/null; }
	ninja -C "$build" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
	build=$(cd "$build" && pwd)
}
