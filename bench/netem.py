"""A slow, lossy link to a network namespace, for bench/sync_bench.py: the server runs inside the namespace, the PC
outside, and every packet between them crosses the link (rate, one-way delay and random loss in each direction).

The kernel's netem qdisc on a veth pair is used when the kernel has it (``tc qdisc ... netem``). Kernels built
without sch_netem get the same model in user space: a TUN device on each side and a small forwarder
(``python -m bench.netem emulate``) that queues each packet behind the previous one at the link rate, delivers it
after the delay, and drops the given share at random, as netem does. Everything is removed on exit, also after a
failure; a namespace left by a killed run is removed at the next start.

Needs root (``ip netns``), ``ip`` and ``tc`` in /usr/sbin or on PATH.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import random
import select
import shutil
import signal
import struct
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

NS = "lapor-bench-slow"
HOST_DEV, NS_DEV = "lslow0", "lslow1"
HOST_IP, NS_IP = "10.213.77.1", "10.213.77.2"
QUEUE_LIMIT = 1000  # packets, netem's default
TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000


@dataclass(frozen=True)
class LinkProfile:
    rate_bps: int = 256_000
    delay_ms: float = 300.0  # one way, in each direction
    loss: float = 0.02  # in each direction

    def describe(self) -> str:
        return (f"{self.rate_bps / 1000:g} kbit/s, {self.delay_ms:g} ms one-way delay and {self.loss:.0%} random "
                f"loss in each direction (round trip ≥ {2 * self.delay_ms:g} ms)")


def tool(name: str) -> str | None:
    for folder in ("/usr/sbin", "/sbin", "/usr/bin", "/bin"):
        if os.access(f"{folder}/{name}", os.X_OK):
            return f"{folder}/{name}"
    return shutil.which(name)


def _run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, check=check)


def why_unavailable() -> str | None:
    """None when a namespace can be made here; else the reason, for the report."""
    if os.geteuid() != 0:
        return "not root (ip netns needs CAP_SYS_ADMIN and CAP_NET_ADMIN)"
    if not tool("ip") or not tool("tc"):
        return "ip or tc is not installed"
    return None


def kernel_netem() -> bool:
    """Whether the kernel has the netem qdisc (tried on the loopback of a throwaway namespace)."""
    ip, tc = tool("ip"), tool("tc")
    assert ip and tc
    probe = NS + "-probe"
    _run(ip, "netns", "del", probe, check=False)
    if _run(ip, "netns", "add", probe, check=False).returncode:
        return False
    try:
        return _run(ip, "netns", "exec", probe, tc, "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms",
                    check=False).returncode == 0
    finally:
        _run(ip, "netns", "del", probe, check=False)


class SlowLink:
    """``with SlowLink(profile) as link:`` start the server with ``link.ns_exec + command`` on ``NS_IP``."""

    def __init__(self, profile: LinkProfile, log_dir: Path) -> None:
        self.profile = profile
        self.log_dir = log_dir
        self.ip = tool("ip") or "ip"
        self.tc = tool("tc") or "tc"
        self.ns_exec = [self.ip, "netns", "exec", NS]
        self.server_ip = NS_IP
        self.mode = ""
        self._forwarder: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> SlowLink:
        self.remove()  # what a killed run may have left
        try:
            self._create()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.remove()

    def _create(self) -> None:
        ip = self.ip
        _run(ip, "netns", "add", NS)
        _run(*self.ns_exec, ip, "link", "set", "lo", "up")
        if kernel_netem():
            self.mode = "kernel netem (tc qdisc netem on a veth pair)"
            _run(ip, "link", "add", HOST_DEV, "type", "veth", "peer", "name", NS_DEV)
            _run(ip, "link", "set", NS_DEV, "netns", NS)
            _run(ip, "addr", "add", f"{HOST_IP}/30", "dev", HOST_DEV)
            _run(*self.ns_exec, ip, "addr", "add", f"{NS_IP}/30", "dev", NS_DEV)
            p = self.profile
            for prefix, dev in (([], HOST_DEV), (self.ns_exec, NS_DEV)):
                _run(*prefix, self.tc, "qdisc", "add", "dev", dev, "root", "netem", "delay", f"{p.delay_ms:g}ms",
                     "rate", f"{p.rate_bps}bit", "loss", f"{p.loss * 100:g}%", "limit", str(QUEUE_LIMIT))
        else:
            self.mode = ("user-space netem (this kernel has no sch_netem): TUN devices and bench/netem.py's "
                         "forwarder, same model as netem")
            for dev in (HOST_DEV, NS_DEV):
                _run(ip, "tuntap", "add", "dev", dev, "mode", "tun")
            self._start_forwarder()
            _run(ip, "link", "set", NS_DEV, "netns", NS)
            _run(ip, "addr", "add", HOST_IP, "peer", NS_IP, "dev", HOST_DEV)
            _run(*self.ns_exec, ip, "addr", "add", NS_IP, "peer", HOST_IP, "dev", NS_DEV)
        _run(ip, "link", "set", HOST_DEV, "up")
        _run(*self.ns_exec, ip, "link", "set", NS_DEV, "up")

    def _start_forwarder(self) -> None:
        p = self.profile
        log = (self.log_dir / "forwarder.log").open("wb")
        self._forwarder = subprocess.Popen(
            [sys.executable, "-m", "bench.netem", "emulate", HOST_DEV, NS_DEV, "--rate", str(p.rate_bps),
             "--delay-ms", str(p.delay_ms), "--loss", str(p.loss)],
            cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.PIPE, stderr=log)
        log.close()
        assert self._forwarder.stdout is not None
        if self._forwarder.stdout.readline().strip() != b"ready":
            raise RuntimeError(f"the link forwarder did not start; see {self.log_dir / 'forwarder.log'}")

    def counters(self) -> tuple[int, int]:
        """IP bytes through the link so far: (PC → server, server → PC), retransmissions included."""
        stats = Path("/sys/class/net") / HOST_DEV / "statistics"
        return int((stats / "tx_bytes").read_text()), int((stats / "rx_bytes").read_text())

    def remove(self) -> None:
        if self._forwarder is not None:
            if self._forwarder.poll() is None:
                self._forwarder.terminate()
                try:
                    self._forwarder.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._forwarder.kill()
                    self._forwarder.wait()
            self._forwarder = None
        _run(self.ip, "link", "del", HOST_DEV, check=False)  # a veth takes its peer with it
        _run(self.ip, "netns", "del", NS, check=False)  # and a namespace what is left inside it


# ---- the user-space forwarder -------------------------------------------------------------------------------------


def _attach(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    os.set_blocking(fd, False)
    return fd


class _Direction:
    """One direction of the link: a FIFO that sends at ``rate`` and delivers ``delay`` later, netem-style."""

    def __init__(self, out_fd: int, profile: LinkProfile, rng: random.Random) -> None:
        self.out_fd, self.rng = out_fd, rng
        self.rate, self.delay, self.loss = profile.rate_bps, profile.delay_ms / 1000, profile.loss
        self.queue: deque[tuple[float, bytes]] = deque()
        self.free_at = 0.0

    def accept(self, packet: bytes, now: float) -> None:
        if self.rng.random() < self.loss or len(self.queue) >= QUEUE_LIMIT:
            return
        self.free_at = max(now, self.free_at) + len(packet) * 8 / self.rate
        self.queue.append((self.free_at + self.delay, packet))

    def deliver(self, now: float) -> None:
        while self.queue and self.queue[0][0] <= now:
            packet = self.queue.popleft()[1]
            with contextlib.suppress(OSError):  # a device not up (yet): the packet is lost, as on a real link
                os.write(self.out_fd, packet)


def emulate(a_name: str, b_name: str, profile: LinkProfile, seed: int) -> None:
    a, b = _attach(a_name), _attach(b_name)
    rng = random.Random(seed)
    towards = {a: _Direction(b, profile, rng), b: _Direction(a, profile, rng)}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    while True:
        now = time.monotonic()
        due = [d.queue[0][0] for d in towards.values() if d.queue]
        timeout = min(1.0, max(0.0, min(due) - now)) if due else 1.0
        readable, _, _ = select.select([a, b], [], [], timeout)
        now = time.monotonic()
        for fd in readable:
            for _ in range(64):
                try:
                    packet = os.read(fd, 65536)
                except BlockingIOError:
                    break
                towards[fd].accept(packet, now)
        for direction in towards.values():
            direction.deliver(time.monotonic())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.netem", description="user-space netem between two TUNs")
    sub = parser.add_subparsers(dest="command", required=True)
    e = sub.add_parser("emulate")
    e.add_argument("a")
    e.add_argument("b")
    e.add_argument("--rate", type=int, default=LinkProfile.rate_bps)
    e.add_argument("--delay-ms", type=float, default=LinkProfile.delay_ms)
    e.add_argument("--loss", type=float, default=LinkProfile.loss)
    e.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    emulate(args.a, args.b, LinkProfile(args.rate, args.delay_ms, args.loss), args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
