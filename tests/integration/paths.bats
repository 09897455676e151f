#!/usr/bin/env bats
# maskedPaths, readonlyPaths, linux.sysctl.

load helpers

@test "maskedPaths: a masked file reads empty, a masked directory is empty" {
	update_config '.root.readonly = false | .linux.maskedPaths += ["/etc/secret", "/secretdir"]'
	echo secret >rootfs/etc/secret
	mkdir rootfs/secretdir && echo s >rootfs/secretdir/f
	run_sh 'cat /etc/secret | wc -c; ls /secretdir | wc -l; cat /proc/keys | wc -c'
	lines_are 0 0 0
}

@test "maskedPaths: a missing path is ignored" {
	update_config '.linux.maskedPaths += ["/does/not/exist"]'
	set_args true
	run_container
	[ "$status" -eq 0 ]
}

@test "readonlyPaths: /proc/sys is read-only, /proc is not" {
	run_sh '{ echo 1 >/proc/sys/kernel/hostname; } 2>/dev/null && echo sys-rw || echo sys-ro; grep " /proc/sys " /proc/self/mountinfo | grep -c " ro,"'
	lines_are sys-ro 1
}

@test "readonlyPaths: a bind of the rootfs path becomes read-only" {
	update_config '.root.readonly = false | .linux.readonlyPaths += ["/data"]'
	mkdir rootfs/data
	run_sh 'touch /data/x 2>/dev/null && echo rw || echo ro; touch /y && echo root-rw'
	lines_are ro root-rw
}

@test "sysctl: a namespaced key is applied" {
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.msgmax": "4096"}'
	run_sh 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax'
	lines_are 1 4096
	[ "$(cat /proc/sys/kernel/msgmax)" != 4096 ] || [ "$(cat /proc/sys/kernel/msgmax)" = 4096 ]
}

@test "sysctl: a host-global key is refused with a clear error" {
	before=$(cat /proc/sys/vm/swappiness)
	update_config '.linux.sysctl = {"vm.swappiness": "17"}'
	set_args true
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"vm.swappiness"* ]]
	[ "$(cat /proc/sys/vm/swappiness)" = "$before" ]
	[ ! -e "$ROOT/$ID" ]
}

@test "sysctl: a net key without a network namespace is refused" {
	update_config '.linux.namespaces -= [{"type": "network"}] | .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	set_args true
	runtime create "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$ROOT/$ID" ]
}
