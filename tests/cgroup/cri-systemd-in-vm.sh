#!/bin/bash
# A Kubernetes node's cgroups under systemd: containerd's CRI with SystemdCgroup = true, its
# io.containerd.runc.v2 shim running the runtime (BinaryName), driven by cri_client.py as
# kubelet drives it, on a host where systemd is PID 1 and cgroup v2 is the only hierarchy:
#   run-in-vm --systemd -- tests/cgroup/cri-systemd-in-vm.sh BUILD_DIR
# BUILD_DIR/vm-cri holds what the host made for it (tests/clients/cri/assets.sh: the client's
# stubs and the pause image; tests/clients/image.sh: busybox as image.tar).  One private
# containerd has two runtime handlers, the host's runc and BUILD_DIR/ocirun; the same pod
# (kubelet's cgroup_parent kubepods-besteffort-pod<uid>.slice, so cgroupsPath
# "kubepods-besteffort-pod<uid>.slice:cri-containerd:<id>") and container go through each:
# the scopes cri-containerd-<id>.scope in the slices systemd makes for the parent, their unit
# properties and cgroup files, exec, UpdateContainerResources, stats, the scopes gone after
# removal.  Every check is printed for both runtimes; ocirun's count in the last line,
# "N passed, M failed", runc's are printed beside them.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
assets=$build/vm-cri
client=$here/tests/clients/cri/cri_client.py
export CRI_STUBS=$assets/stubs
pass=0
fail=0
runc_pass=0
runc_fail=0
rt=

# check DESCRIPTION CMD...: one check of the runtime $rt
check() {
  local what=$1 why
  shift
  if why=$("$@" 2>&1 >/dev/null); then
    echo "ok - $rt: $what"
    if [ "$rt" = ocirun ]; then pass=$((pass + 1)); else runc_pass=$((runc_pass + 1)); fi
  else
    # runc's results are a comparison, not checks of ours: "#" keeps them out of failure lists
    if [ "$rt" = ocirun ]; then
      echo "not ok - $rt: $what${why:+ ($why)}"
      fail=$((fail + 1))
    else
      echo "# not ok - $rt: $what${why:+ ($why)}"
      runc_fail=$((runc_fail + 1))
    fi
  fi
}
is() { [ "$1" = "$2" ] || { echo "'$1' is not '$2'" >&2; return 1; }; }
prop() { systemctl show -p "$2" --value "$1"; }
gone() { [ -z "$(systemctl list-units --all --no-legend "$1")" ] && [ ! -d "$2" ]; }
cri() { timeout -k 5 90 /usr/bin/python3 "$client" --socket "$work/containerd.sock" "$@"; }

for f in stubs/api_pb2.py pause.tar image.tar; do
  if [ ! -e "$assets/$f" ]; then
    echo "cri-systemd-in-vm.sh: $assets/$f missing (made on the host by tests/cgroup/ci-vm.sh)"
    echo "0 passed, 1 failed"
    exit 1
  fi
done
[ -d /run/systemd/system ] || { echo "systemd is not PID 1"; echo "0 passed, 1 failed"; exit 1; }
runc=$(command -v runc) || { echo "no runc"; echo "0 passed, 1 failed"; exit 1; }

work=$(mktemp -d /var/tmp/ocirun-cri.XXXXXX)
cleanup() {
  local id
  for id in $(cri pods 2>/dev/null | jq -r '.items[]?.id'); do
    cri stopp "$id" >/dev/null 2>&1
    cri rmp "$id" >/dev/null 2>&1
  done
  [ -f "$work/containerd.pid" ] && kill "$(cat "$work/containerd.pid")" 2>/dev/null
  sleep 1
  umount -R "$work/root" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/cni" "$work/logs"
{
  cat <<-TOML
	version = 2
	root = "$work/root"
	state = "$work/state"
	disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
	  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
	  "io.containerd.tracing.processor.v1.otlp"]
	[grpc]
	  address = "$work/containerd.sock"
	[ttrpc]
	  address = "$work/containerd.sock.ttrpc"
	[plugins."io.containerd.internal.v1.opt"]
	  path = "$work/opt"
	[plugins."io.containerd.grpc.v1.cri"]
	  sandbox_image = "localhost/ocirun-pause:latest"
	  stream_server_address = "127.0.0.1"
	  stream_server_port = "0"
	  disable_apparmor = true
	  [plugins."io.containerd.grpc.v1.cri".cni]
	    conf_dir = "$work/cni"
	  [plugins."io.containerd.grpc.v1.cri".containerd]
	    snapshotter = "overlayfs"
	    default_runtime_name = "ocirun"
	TOML
  for r in runc ocirun; do
    bin=$runc
    [ $r = ocirun ] && bin=$build/ocirun
    cat <<-TOML
	    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.$r]
	      runtime_type = "io.containerd.runc.v2"
	      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.$r.options]
	        BinaryName = "$bin"
	        Root = "/run/ocirun-cri/$r"
	        SystemdCgroup = true
	TOML
  done
} >"$work/containerd.toml"
containerd --config "$work/containerd.toml" >"$work/containerd.log" 2>&1 &
echo $! >"$work/containerd.pid"
ctr=(ctr --address "$work/containerd.sock" --namespace k8s.io)
for _ in $(seq 300); do "${ctr[@]}" version >/dev/null 2>&1 && break; sleep 0.1; done
for t in "$assets/pause.tar" "$assets/image.tar"; do
  "${ctr[@]}" images import "$t" >"$work/import.log" 2>&1 ||
    { cat "$work/import.log" "$work/containerd.log" | tail -n 20; echo "0 passed, 1 failed"; exit 1; }
done
echo "# runc: $($runc --version | head -n1); ocirun: $("$build/ocirun" --version | head -n1)"
echo "# $(containerd --version); systemd $(systemctl --version | head -n1 | cut -d' ' -f2)"

# scenario RUNTIME WEIGHT: WEIGHT, the cpu.weight the runtime makes of 512 cpu shares (runc
# 1.1's linear map: 20; the current curve, ocirun's: 59)
scenario() {
  rt=$1
  local weight=$2 bin=$runc uid slice pod ppid pscope cid cpid cscope cg ctr_json pod_json base
  uid=$(cat /proc/sys/kernel/random/uuid)
  # kubelet's systemd driver: the pod's slice below the QoS class's, "-" of the uid as "_"
  slice=kubepods-besteffort-pod${uid//-/_}.slice
  base=/sys/fs/cgroup/kubepods.slice/kubepods-besteffort.slice/$slice
  pod_json=$work/$rt.pod.json
  ctr_json=$work/$rt.ctr.json
  mkdir -p "$work/logs/$rt"
  jq -n --arg uid "$uid" --arg slice "$slice" --arg logs "$work/logs/$rt" '{
    metadata: {name: "sd", uid: $uid, namespace: "ocirun-test", attempt: 0},
    log_directory: $logs,
    linux: {cgroup_parent: $slice,
      security_context: {namespace_options: {network: "NODE", pid: "CONTAINER", ipc: "POD"}}}
  }' >"$pod_json"
  jq -n '{metadata: {name: "c1", attempt: 0}, image: {image: "localhost/ocirun-busybox:latest"},
    command: ["sleep", "1000"], log_path: "c1.log",
    linux: {resources: {cpu_period: 100000, cpu_quota: 50000, cpu_shares: 512,
      memory_limit_in_bytes: 67108864},
      security_context: {namespace_options: {network: "NODE", pid: "CONTAINER", ipc: "POD"}}}}' >"$ctr_json"

  [ "$rt" = ocirun ] && bin=$build/ocirun
  # what the runtime under the shim says (fewer client calls: each is slow under emulation)
  state() { "$bin" --root "/run/ocirun-cri/$rt/k8s.io" state "$1"; }
  local t0=$SECONDS
  pod=$(cri runp --runtime-handler "$rt" "$pod_json" 2>"$work/err") ||
    { echo "# $rt: RunPodSandbox: $(cat "$work/err")"; tail -n 5 "$work/containerd.log"; }
  check "RunPodSandbox" test -n "$pod"
  [ -n "$pod" ] || return
  ppid=$(state "$pod" | jq -r .pid)
  pscope=cri-containerd-$pod.scope
  check "the sandbox in $slice/$pscope" is "$(cat "/proc/$ppid/cgroup")" \
    "0::/kubepods.slice/kubepods-besteffort.slice/$slice/$pscope"
  check "the sandbox scope is active in its slice, delegated" \
    is "$(prop "$pscope" ActiveState)/$(prop "$pscope" Slice)/$(prop "$pscope" Delegate)" \
    "active/$slice/yes"
  check "the sandbox scope needs no daemon-reload" is "$(prop "$pscope" NeedDaemonReload)" no
  check "systemd made the parent slices" is "$(prop kubepods-besteffort.slice Slice)" kubepods.slice

  if ! { cid=$(cri create "$pod" "$ctr_json" "$pod_json" 2>"$work/err") && cri start "$cid" 2>>"$work/err"; }; then
    echo "# $rt: CreateContainer/StartContainer: $(cat "$work/err")"
    tail -n 5 "$work/containerd.log"
    cid=
  fi
  check "CreateContainer, StartContainer" test -n "$cid"
  if [ -n "$cid" ]; then
    state "$cid" >"$work/state.json"
    cpid=$(jq -r .pid "$work/state.json")
    cscope=cri-containerd-$cid.scope
    cg=$base/$cscope
    check "cgroupsPath as containerd sends it" is \
      "$(jq -r .linux.cgroupsPath "$(jq -r .bundle "$work/state.json")/config.json")" \
      "$slice:cri-containerd:$cid"
    check "the container in $slice/$cscope" is "$(cat "/proc/$cpid/cgroup")" \
      "0::/kubepods.slice/kubepods-besteffort.slice/$slice/$cscope"
    check "the container scope is active in the pod's slice, delegated" \
      is "$(prop "$cscope" ActiveState)/$(prop "$cscope" Slice)/$(prop "$cscope" Delegate)" \
      "active/$slice/yes"
    check "its limits as unit properties (MemoryMax, CPUQuota, CPUWeight)" \
      is "$(prop "$cscope" MemoryMax) $(prop "$cscope" CPUQuotaPerSecUSec) $(prop "$cscope" CPUWeight)" \
      "67108864 500ms $weight"
    check "its limits in the cgroup files" \
      is "$(cat "$cg/memory.max") $(cat "$cg/cpu.max") $(cat "$cg/cpu.weight")" "67108864 50000 100000 $weight"
    check "the container scope needs no daemon-reload" is "$(prop "$cscope" NeedDaemonReload)" no
    check "ExecSync sees the container's cgroup" is \
      "$(cri exec-sync "$cid" cat /sys/fs/cgroup/memory.max)" 67108864
    echo '{"cpu_period": 100000, "cpu_quota": 20000, "cpu_shares": 512,
      "memory_limit_in_bytes": 134217728}' >"$work/res.json"
    cri update "$cid" "$work/res.json" 2>"$work/err" || echo "# $rt: update: $(cat "$work/err")"
    check "UpdateContainerResources: unit properties and files" \
      is "$(prop "$cscope" MemoryMax) $(prop "$cscope" CPUQuotaPerSecUSec) $(cat "$cg/memory.max") $(cat "$cg/cpu.max")" \
      "134217728 200ms 134217728 20000 100000"
    check "no daemon-reload needed after the update" is "$(prop "$cscope" NeedDaemonReload)" no
    check "ContainerStats from the scope" test "$(cri stats "$cid" | jq -r .stats.memory.working_set_bytes.value)" -gt 0
    # (RemoveContainer stops a running container first, RemovePodSandbox a ready pod)
    cri rm "$cid" >/dev/null 2>&1
    check "the container scope is gone after RemoveContainer" gone "$cscope" "$cg"
  fi
  cri rmp "$pod" >/dev/null 2>&1
  check "the sandbox scope is gone after RemovePodSandbox" gone "$pscope" "$base/$pscope"
  local left
  left=$("${ctr[@]}" tasks list -q 2>/dev/null; ls "/run/ocirun-cri/$rt/k8s.io" 2>/dev/null)
  check "no task or runtime state left" is "$left" ""
  echo "# $rt: $((SECONDS - t0))s"
}

scenario runc 20
scenario ocirun 59
echo "# runc $($runc --version | sed -n 's/^runc version //p'): $runc_pass passed, $runc_fail failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
