#!/usr/bin/python3
"""cri_client.py - a small client of the Kubernetes Container Runtime Interface (CRI v1),
speaking to a CRI server (containerd's CRI plugin) the way kubelet does: gRPC on a unix socket,
streaming exec and attach over the WebSocket protocol of kubelet's streaming server.

Usage: cri_client.py [--socket PATH] [--timeout SECONDS] COMMAND ARG...

  version | status | images | pods | ps [POD]
  runp [--runtime-handler H] POD.json  RunPodSandbox (with the runtime handler H of
                                   containerd's config); prints the pod id
  stopp POD | rmp POD | inspectp POD
  create POD CTR.json POD.json     CreateContainer; prints the container id
  start ID | stop [-t GRACE] ID | rm ID | inspect ID | stats ID | reopenlog ID
  update ID RESOURCES.json         UpdateContainerResources (LinuxContainerResources)
  wait ID STATE SECONDS            until the container's state is STATE (e.g. CONTAINER_EXITED)
  exec-sync [--timeout S] ID CMD... ExecSync: the command's stdout and stderr, its exit code
  exec [-t] ID CMD...              Exec through the streaming server, stdin from ours
  attach [-t] ID                   Attach through the streaming server, stdin from ours

Configurations are the CRI messages as JSON (proto field names); inspect/stats/... print
JSON.  The exit code is the command's for exec-sync and exec; 125 with the gRPC status on
stderr when a call fails.  The Python stubs are generated from the CRI api.proto into the
directory named by CRI_STUBS (python3 -m grpc_tools.protoc, see assets.sh).
"""

import argparse
import base64
import json
import os
import socket
import struct
import sys
import time
import urllib.parse

sys.path.insert(0, os.environ.get("CRI_STUBS", "."))

import grpc  # noqa: E402
from google.protobuf import json_format  # noqa: E402

import api_pb2 as pb  # noqa: E402
import api_pb2_grpc as pb_grpc  # noqa: E402

RPC_FAILED = 125


def to_json(msg):
    return json_format.MessageToDict(msg, preserving_proto_field_name=True, including_default_value_fields=True)


def load(path, message):
    with open(path, encoding="utf-8") as f:
        return json_format.ParseDict(json.load(f), message)


def dump(obj):
    print(json.dumps(obj, indent=1, sort_keys=True))


def dump_status(resp):
    """A verbose status answer, its info (containerd gives one JSON document, "info") parsed."""
    out = to_json(resp)
    info = {k: json.loads(v) for k, v in resp.info.items()}
    out["info"] = info["info"] if list(info) == ["info"] else info
    dump(out)


class Client:
    def __init__(self, sock, timeout):
        self.channel = grpc.insecure_channel("unix://" + sock)
        self.rt = pb_grpc.RuntimeServiceStub(self.channel)
        self.img = pb_grpc.ImageServiceStub(self.channel)
        self.timeout = timeout

    def call(self, stub, name, req, timeout=None):
        return getattr(stub, name)(req, timeout=timeout or self.timeout)

    def run(self, name, req, timeout=None):
        return self.call(self.rt, name, req, timeout)

    def state(self, cid):
        st = self.run("ContainerStatus", pb.ContainerStatusRequest(container_id=cid))
        return pb.ContainerState.Name(st.status.state)


# --- streaming: kubelet's WebSocket channel protocol (v4.channel.k8s.io) -------------------
# Every binary message starts with its channel: 0 stdin, 1 stdout, 2 stderr, 3 the final
# status (JSON), 4 terminal size (JSON).
STDIN, STDOUT, STDERR, STATUS, RESIZE = range(5)


class WebSocket:
    def __init__(self, url, timeout):
        u = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        path = u.path + ("?" + u.query if u.query else "")
        self.sock.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: {u.netloc}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n"
            ).encode()
        )
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status + b" ":
            raise OSError(f"streaming server refused the upgrade: {head.decode(errors='replace')}")

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError
        self.buf += chunk

    def _take(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def send(self, opcode, payload):
        # a client's frames are masked (RFC 6455 5.3)
        head = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(head + mask + body)

    def recv(self):
        """The next whole message (opcode, payload); (None, b"") at the end."""
        message, opcode = b"", None
        while True:
            try:
                b0, b1 = self._take(2)
            except EOFError:
                return None, b""
            op, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._take(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._take(8))[0]
            mask = self._take(4) if b1 & 0x80 else None
            data = self._take(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            if op == 0x9:  # ping
                self.send(0xA, data)
                continue
            if op == 0xA:
                continue
            if op == 0x8:
                return None, b""
            if op != 0:
                opcode = op
            message += data
            if b0 & 0x80:
                return opcode, message


def stream(url, tty, timeout):
    """Runs one exec/attach session: our stdin to the process, its output to ours; returns
    the exit code the final status reports."""
    ws = WebSocket(url, timeout)
    if tty:
        ws.send(0x2, bytes([RESIZE]) + b'{"Width":100,"Height":30}')
    data = sys.stdin.buffer.read()
    if data:
        ws.send(0x2, bytes([STDIN]) + data)
    status = None
    while True:
        opcode, msg = ws.recv()
        if opcode is None:
            break
        if not msg:
            continue
        channel, payload = msg[0], msg[1:]
        if channel == STDOUT:
            sys.stdout.buffer.write(payload)
            sys.stdout.buffer.flush()
        elif channel == STDERR:
            sys.stderr.buffer.write(payload)
            sys.stderr.buffer.flush()
        elif channel == STATUS and payload:
            status = json.loads(payload)
    ws.sock.close()
    if status is None or status.get("status") == "Success":
        return 0
    for cause in status.get("details", {}).get("causes", []):
        if cause.get("reason") == "ExitCode":
            return int(cause["message"])
    print(f"cri_client: stream ended with {json.dumps(status)}", file=sys.stderr)
    return RPC_FAILED


# --- commands ------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(prog="cri_client.py")
    ap.add_argument("--socket", default=os.environ.get("CRI_SOCKET", "/run/containerd/containerd.sock"))
    ap.add_argument("--timeout", type=float, default=60.0, help="deadline of each call")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("version", "status", "images", "pods"):
        sub.add_parser(name)
    sub.add_parser("ps").add_argument("pod", nargs="?")
    p = sub.add_parser("runp")
    p.add_argument("--runtime-handler", default="", dest="handler")
    p.add_argument("config")
    for name in ("stopp", "rmp", "inspectp", "start", "rm", "inspect", "stats", "reopenlog"):
        sub.add_parser(name).add_argument("id")
    p = sub.add_parser("create")
    p.add_argument("pod")
    p.add_argument("config")
    p.add_argument("pod_config")
    p = sub.add_parser("stop")
    p.add_argument("-t", type=int, default=10, dest="grace")
    p.add_argument("id")
    p = sub.add_parser("update")
    p.add_argument("id")
    p.add_argument("resources")
    p = sub.add_parser("wait")
    p.add_argument("id")
    p.add_argument("state")
    p.add_argument("seconds", type=float)
    p = sub.add_parser("exec-sync")
    p.add_argument("--timeout", type=int, default=0, dest="exec_timeout")
    p.add_argument("id")
    p.add_argument("argv", nargs=argparse.REMAINDER)
    p = sub.add_parser("exec")
    p.add_argument("-t", action="store_true", dest="tty")
    p.add_argument("id")
    p.add_argument("argv", nargs=argparse.REMAINDER)
    p = sub.add_parser("attach")
    p.add_argument("-t", action="store_true", dest="tty")
    p.add_argument("id")
    a = ap.parse_args()

    c = Client(a.socket, a.timeout)
    try:
        return command(c, a)
    except grpc.RpcError as e:
        print(f"cri_client: {a.cmd}: {e.code().name}: {e.details()}", file=sys.stderr)
        return RPC_FAILED


def command(c, a):
    cmd = a.cmd
    if cmd == "version":
        dump(to_json(c.run("Version", pb.VersionRequest())))
    elif cmd == "status":
        dump(to_json(c.run("Status", pb.StatusRequest(verbose=False))))
    elif cmd == "images":
        dump(to_json(c.call(c.img, "ListImages", pb.ListImagesRequest())))
    elif cmd == "pods":
        dump(to_json(c.run("ListPodSandbox", pb.ListPodSandboxRequest())))
    elif cmd == "ps":
        f = pb.ContainerFilter(pod_sandbox_id=a.pod or "")
        dump(to_json(c.run("ListContainers", pb.ListContainersRequest(filter=f))))
    elif cmd == "runp":
        cfg = load(a.config, pb.PodSandboxConfig())
        req = pb.RunPodSandboxRequest(config=cfg, runtime_handler=a.handler)
        print(c.run("RunPodSandbox", req).pod_sandbox_id)
    elif cmd == "stopp":
        c.run("StopPodSandbox", pb.StopPodSandboxRequest(pod_sandbox_id=a.id))
    elif cmd == "rmp":
        c.run("RemovePodSandbox", pb.RemovePodSandboxRequest(pod_sandbox_id=a.id))
    elif cmd == "inspectp":
        dump_status(c.run("PodSandboxStatus", pb.PodSandboxStatusRequest(pod_sandbox_id=a.id, verbose=True)))
    elif cmd == "create":
        req = pb.CreateContainerRequest(
            pod_sandbox_id=a.pod,
            config=load(a.config, pb.ContainerConfig()),
            sandbox_config=load(a.pod_config, pb.PodSandboxConfig()),
        )
        print(c.run("CreateContainer", req).container_id)
    elif cmd == "start":
        c.run("StartContainer", pb.StartContainerRequest(container_id=a.id))
    elif cmd == "stop":
        c.run("StopContainer", pb.StopContainerRequest(container_id=a.id, timeout=a.grace), a.grace + c.timeout)
    elif cmd == "rm":
        c.run("RemoveContainer", pb.RemoveContainerRequest(container_id=a.id))
    elif cmd == "inspect":
        dump_status(c.run("ContainerStatus", pb.ContainerStatusRequest(container_id=a.id, verbose=True)))
    elif cmd == "stats":
        dump(to_json(c.run("ContainerStats", pb.ContainerStatsRequest(container_id=a.id))))
    elif cmd == "reopenlog":
        c.run("ReopenContainerLog", pb.ReopenContainerLogRequest(container_id=a.id))
    elif cmd == "update":
        req = pb.UpdateContainerResourcesRequest(container_id=a.id, linux=load(a.resources, pb.LinuxContainerResources()))
        c.run("UpdateContainerResources", req)
    elif cmd == "wait":
        deadline = time.monotonic() + a.seconds
        while True:
            state = c.state(a.id)
            if state == a.state:
                return 0
            if time.monotonic() > deadline:
                print(f"cri_client: wait: container {a.id} is {state} after {a.seconds}s, not {a.state}", file=sys.stderr)
                return 1
            time.sleep(0.1)
    elif cmd == "exec-sync":
        req = pb.ExecSyncRequest(container_id=a.id, cmd=a.argv, timeout=a.exec_timeout)
        r = c.run("ExecSync", req, c.timeout + a.exec_timeout)
        sys.stdout.buffer.write(r.stdout)
        sys.stderr.buffer.write(r.stderr)
        return r.exit_code
    elif cmd == "exec":
        req = pb.ExecRequest(container_id=a.id, cmd=a.argv, tty=a.tty, stdin=True, stdout=True, stderr=not a.tty)
        return stream(c.run("Exec", req).url, a.tty, c.timeout)
    elif cmd == "attach":
        req = pb.AttachRequest(container_id=a.id, tty=a.tty, stdin=True, stdout=True, stderr=not a.tty)
        return stream(c.run("Attach", req).url, a.tty, c.timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
