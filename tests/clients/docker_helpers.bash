# docker_helpers.bash - a private dockerd for docker.bats and docker-userns.bats (load after
# helpers): private data-root, exec-root, pidfile, socket and config, --iptables=false
# --bridge=none, the runtime under test added with --add-runtime ocirun=<path>.

# $WORK/dk: the docker client of the Debian package (not a newer one earlier in PATH) on the
# private socket.
write_dk() {
	local bin=/usr/bin/docker
	[ -x "$bin" ] || bin=$(command -v docker)
	cat >"$WORK/dk" <<-DK
		#!/bin/sh
		export DOCKER_CONFIG=$WORK/client-config
		exec $bin --host unix://$WORK/docker.sock "\$@"
	DK
	chmod +x "$WORK/dk"
}

# start_dockerd STORAGE_DRIVER [DOCKERD_ARG...]
start_dockerd() {
	local driver=$1
	shift
	dockerd --data-root "$WORK/data" --exec-root "$WORK/exec" --pidfile "$WORK/dockerd.pid" \
		--host "unix://$WORK/docker.sock" --config-file "$WORK/daemon.json" \
		--iptables=false --ip6tables=false --ip-masq=false --bridge=none \
		--userland-proxy=false --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent /ocirun-clients-docker \
		--storage-driver "$driver" --add-runtime "ocirun=$RUNTIME" "$@" >"$WORK/dockerd.log" 2>&1 &
	echo $! >"$WORK/dockerd.bgpid"
	retry 30 "$WORK/dk" version
}

stop_dockerd() {
	local pid
	[ -f "$WORK/dockerd.bgpid" ] || return 0
	pid=$(cat "$WORK/dockerd.bgpid")
	kill "$pid" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$WORK/dockerd.bgpid"
}

# start_docker [DOCKERD_ARG...]: dockerd with overlay2 storage (vfs when overlay2 cannot be
# used), the image loaded.
start_docker() {
	mkdir -p "$WORK/client-config"
	echo '{}' >"$WORK/daemon.json"
	write_dk
	# forwarding on in this private network namespace (else docker warns on every run)
	sysctl -qw net.ipv4.ip_forward=1
	if ! start_dockerd overlay2 "$@" || ! "$WORK/dk" load -i "$IMAGE_TAR" >"$WORK/load.log" 2>&1; then
		echo "# overlay2 storage failed: using vfs" >&3
		stop_dockerd
		rm -rf "$WORK/data"
		start_dockerd vfs "$@" || { tail -n 20 "$WORK/dockerd.log" >&2; return 1; }
		"$WORK/dk" load -i "$IMAGE_TAR" >"$WORK/load.log" 2>&1 || { cat "$WORK/load.log" >&2; return 1; }
	fi
}

# stop_docker: every container, volume, network and the image removed, dockerd stopped.
stop_docker() {
	local ids
	if [ -n "${WORK:-}" ] && [ -x "$WORK/dk" ]; then
		ids=$("$WORK/dk" ps -aq 2>/dev/null)
		[ -z "$ids" ] || "$WORK/dk" rm -f $ids >/dev/null 2>&1
		"$WORK/dk" volume prune -f >/dev/null 2>&1
		"$WORK/dk" network prune -f >/dev/null 2>&1
		"$WORK/dk" rmi -f "$IMAGE_REF" >/dev/null 2>&1
		stop_dockerd
	fi
}

# d ARG...: docker under client.
d() {
	client "$WORK/dk" "$@"
}

# drun ARG...: docker run with the runtime under test.
drun() {
	client "$WORK/dk" run --runtime ocirun "$@"
}

