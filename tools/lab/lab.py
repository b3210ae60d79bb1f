"""The namespace lab: a private network for scanner tests and benchmarks (needs root).

Layout (all names carry the creating process id, so parallel labs never collide and a lab
left behind by a killed run is recognised and removed by the next one)::

    nl<pid>-sw    switch namespace: bridge br0, one veth per member
    nl<pid>-scan  scanner namespace: eth0 = 10.213.0.1/24  (run the scanners here)
    nl<pid>-h<i>  host namespaces: eth0 = the host's address, listeners, nftables rules
    nl<pid>-d     daemon namespace: loopback only, real daemons (dnsmasq, snmpd)

Every address lives on a bridge inside namespaces we created; nothing is routed out.
Per host: a set of open TCP/UDP ports (``listener.py``), TCP ports filtered by an
nftables drop rule, and optional random packet loss (``numgen random mod 100 < N drop``
on the host's input, i.e. N % of the packets that reach the host are lost).  ICMP rate
limiting is switched off in the host namespaces so that every closed UDP port answers.

Use :class:`Lab` as a context manager; teardown also runs from ``atexit`` and on SIGTERM.
Command line: ``python -m tools.lab.lab up|down|list`` (see ``--help``).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field

__all__ = ["HostSpec", "Lab", "default_hosts", "cleanup_stale", "have_root"]

SUBNET = "10.213.0"
SCANNER_IP = f"{SUBNET}.1"
_LISTENER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "listener.py")


@dataclass
class HostSpec:
    """One lab host."""

    ip: str
    tcp: list[int] = field(default_factory=list)
    udp: list[int] = field(default_factory=list)
    filtered_tcp: list[int] = field(default_factory=list)
    loss: int = 0  # percent of incoming packets dropped
    #: keep Linux's ICMP rate limit (1 error/s per destination after a burst), as on
    #: real hosts; off by default so every closed UDP port answers at once
    icmp_ratelimit: bool = False


def have_root() -> bool:
    """Whether the lab can be built here (root and the ip / nft tools)."""
    return os.geteuid() == 0 and bool(shutil.which("ip")) and bool(shutil.which("nft"))


def default_hosts(n: int = 8, seed: int = 213, loss: int = 0,
                  port_max: int = 2000) -> list[HostSpec]:
    """``n`` hosts at scattered addresses of the /24, each with 2-5 open TCP ports, 1-2
    filtered TCP ports and 1-2 open UDP ports below ``port_max`` (deterministic)."""
    rng = random.Random(seed)
    addrs = sorted(rng.sample(range(2, 255), n))
    hosts = []
    for a in addrs:
        ports = rng.sample(range(1, port_max + 1), 7)
        n_open = rng.randint(2, 5)
        hosts.append(HostSpec(
            ip=f"{SUBNET}.{a}",
            tcp=sorted(ports[:n_open]),
            filtered_tcp=sorted(ports[n_open:n_open + rng.randint(1, 2)]),
            udp=sorted(rng.sample(range(1, port_max + 1), rng.randint(1, 2))),
            loss=loss,
        ))
    return hosts


def _run(*args: str, check: bool = True, input: str | None = None) -> str:
    r = subprocess.run(args, capture_output=True, text=True, input=input)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {r.stderr.strip()}")
    return r.stdout


def _netns_list() -> list[str]:
    out = _run("ip", "netns", "list", check=False)
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def _kill_ns_processes(ns: str) -> None:
    pids = _run("ip", "netns", "pids", ns, check=False).split()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid), signal.SIGKILL)


def _delete_ns(ns: str) -> None:
    _kill_ns_processes(ns)
    _run("ip", "netns", "del", ns, check=False)


def cleanup_stale() -> list[str]:
    """Delete lab namespaces whose creating process is gone.  Returns their names."""
    removed = []
    for ns in _netns_list():
        # the process id, then the optional tag (letters only), then "-": a tagged lab
        # ("nl123dma-srv") is recognised as well as an untagged one
        m = re.match(r"^nl(\d+)[a-z]*-", ns)
        if m and not os.path.exists(f"/proc/{m.group(1)}"):
            _delete_ns(ns)
            removed.append(ns)
    return removed


class Lab:
    """A running lab.  ``with Lab(hosts) as lab: lab.run_in_scanner([...])``."""

    def __init__(self, hosts: list[HostSpec] | None = None, daemons: bool = False,
                 tag: str | None = None) -> None:
        self.hosts = hosts if hosts is not None else default_hosts()
        self.daemons = daemons
        self.prefix = f"nl{os.getpid()}{tag or ''}"
        self.sw = f"{self.prefix}-sw"
        self.scan_ns = f"{self.prefix}-scan"
        self.daemon_ns = f"{self.prefix}-d"
        self.namespaces: list[str] = []
        self.procs: list[subprocess.Popen[str]] = []
        self.tmpdir: str | None = None
        self._up = False

    # -- building ---------------------------------------------------------------------
    def _ns(self, name: str) -> None:
        _run("ip", "netns", "add", name)
        self.namespaces.append(name)
        self.ex(name, "ip", "link", "set", "lo", "up")

    def ex(self, ns: str, *cmd: str, check: bool = True) -> str:
        """Run a command inside namespace ``ns`` and return its stdout."""
        return _run("ip", "netns", "exec", ns, *cmd, check=check)

    def _member(self, ns: str, idx: int, ip: str) -> None:
        veth = f"{self.prefix[-6:]}v{idx}"[-15:]
        _run("ip", "link", "add", veth, "netns", self.sw, "type", "veth", "peer", "name",
             "eth0", "netns", ns)
        self.ex(self.sw, "ip", "link", "set", veth, "master", "br0")
        self.ex(self.sw, "ip", "link", "set", veth, "up")
        self.ex(ns, "ip", "addr", "add", f"{ip}/24", "dev", "eth0")
        self.ex(ns, "ip", "link", "set", "eth0", "up")

    def _nft(self, ns: str, h: HostSpec) -> None:
        rules = ["table inet nselab {", " chain input {",
                 "  type filter hook input priority 0; policy accept;"]
        if h.loss:
            rules.append(f"  numgen random mod 100 < {int(h.loss)} drop")
        if h.filtered_tcp:
            ports = ", ".join(str(p) for p in h.filtered_tcp)
            rules.append(f"  tcp dport {{ {ports} }} drop")
        rules += [" }", "}"]
        _run("ip", "netns", "exec", ns, "nft", "-f", "-", input="\n".join(rules) + "\n")

    def _spawn(self, ns: str, *cmd: str, wait_ready: bool = False) -> subprocess.Popen[str]:
        p = subprocess.Popen(["ip", "netns", "exec", ns, *cmd], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.procs.append(p)
        if wait_ready:
            assert p.stdout is not None
            line = p.stdout.readline()
            if line.strip() != "ready":
                err = p.stderr.read() if p.stderr else ""
                raise RuntimeError(f"listener in {ns} failed: {err.strip()}")
        return p

    def up(self) -> Lab:
        """Build everything.  On any failure, tear down what was built and re-raise."""
        cleanup_stale()
        atexit.register(self.down)
        try:
            self._ns(self.sw)
            self.ex(self.sw, "ip", "link", "add", "br0", "type", "bridge")
            self.ex(self.sw, "ip", "link", "set", "br0", "up")
            self._ns(self.scan_ns)
            self._member(self.scan_ns, 0, SCANNER_IP)
            self.ex(self.scan_ns, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0")
            for i, h in enumerate(self.hosts, start=1):
                ns = f"{self.prefix}-h{i}"
                self._ns(ns)
                self._member(ns, i, h.ip)
                if not h.icmp_ratelimit:
                    self.ex(ns, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0")
                self._nft(ns, h)
                if h.tcp or h.udp:
                    self._spawn(ns, sys.executable, _LISTENER,
                                "--tcp", ",".join(map(str, h.tcp)),
                                "--udp", ",".join(map(str, h.udp)), wait_ready=True)
            if self.daemons:
                self._start_daemons()
            self._up = True
        except BaseException:
            self.down()
            raise
        return self

    def _start_daemons(self) -> None:
        self._ns(self.daemon_ns)
        self.ex(self.daemon_ns, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0")
        self.tmpdir = tempfile.mkdtemp(prefix="nselab-")
        os.chmod(self.tmpdir, 0o755)
        if shutil.which("dnsmasq"):
            self._spawn(self.daemon_ns, "dnsmasq", "--keep-in-foreground", "--no-resolv",
                        "--no-hosts", "--conf-file=/dev/null", "--listen-address=127.0.0.1",
                        "--bind-interfaces", "--port=53", "--user=root",
                        "--pid-file=" + os.path.join(self.tmpdir, "dnsmasq.pid"),
                        "--address=/lab.test/10.213.0.99")
        if shutil.which("snmpd"):
            conf = os.path.join(self.tmpdir, "snmpd.conf")
            with open(conf, "w") as f:
                f.write("rocommunity public 127.0.0.1\nsysDescr nse lab snmpd\n")
            self._spawn(self.daemon_ns, "snmpd", "-f", "-Lo", "-C", "-c", conf,
                        "-p", os.path.join(self.tmpdir, "snmpd.pid"), "udp:127.0.0.1:161")
        # wait until both ports are bound
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            out = self.ex(self.daemon_ns, "ss", "-Hlun", check=False)
            if ("127.0.0.1:53 " in out or not shutil.which("dnsmasq")) and (
                    "127.0.0.1:161 " in out or not shutil.which("snmpd")):
                return
            time.sleep(0.1)
        raise RuntimeError("lab daemons did not start (dnsmasq / snmpd)")

    # -- using ------------------------------------------------------------------------
    def run_in(self, ns: str, cmd: list[str], timeout: float = 300, user: str | None = None,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``cmd`` in namespace ``ns`` (optionally as another uid via setpriv)."""
        pre = ["ip", "netns", "exec", ns]
        if user is not None:
            pre += ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups",
                    "--inh-caps=-all"]
        return subprocess.run(pre + cmd, capture_output=True, text=True, timeout=timeout,
                              env=env)

    def run_in_scanner(self, cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
        """Run ``cmd`` in the scanner namespace."""
        return self.run_in(self.scan_ns, cmd, **kw)  # type: ignore[arg-type]

    def truth(self) -> dict[str, dict[str, dict[int, str]]]:
        """The expected result: ``{ip: {"tcp": {port: state}, "udp": {...}}}`` for the
        non-closed ports of every live host."""
        out: dict[str, dict[str, dict[int, str]]] = {}
        for h in self.hosts:
            tcp = {p: "open" for p in h.tcp}
            tcp.update({p: "filtered" for p in h.filtered_tcp})
            out[h.ip] = {"tcp": tcp, "udp": {p: "open" for p in h.udp}}
        return out

    def describe(self) -> dict[str, object]:
        """JSON-able description (for the command line and reports)."""
        return {"prefix": self.prefix, "scanner_ns": self.scan_ns, "scanner_ip": SCANNER_IP,
                "daemon_ns": self.daemon_ns if self.daemons else None,
                "hosts": [asdict(h) for h in self.hosts]}

    # -- teardown -----------------------------------------------------------------------
    def down(self) -> None:
        """Stop every process and delete every namespace (idempotent)."""
        for p in self.procs:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(p.pid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                p.wait(timeout=5)
            for s in (p.stdout, p.stderr):
                if s is not None:
                    s.close()
        self.procs.clear()
        for ns in reversed(self.namespaces):
            _delete_ns(ns)
        self.namespaces.clear()
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None
        self._up = False

    def __enter__(self) -> Lab:
        return self.up()

    def __exit__(self, *exc: object) -> None:
        self.down()


def main(argv: list[str] | None = None) -> int:
    """``up`` builds a lab and waits (Ctrl-C / SIGTERM tears it down); ``list`` shows lab
    namespaces; ``down`` removes stale ones."""
    ap = argparse.ArgumentParser(prog="python -m tools.lab.lab")
    sub = ap.add_subparsers(dest="cmd", required=True)
    u = sub.add_parser("up")
    u.add_argument("--hosts", type=int, default=8)
    u.add_argument("--loss", type=int, default=0)
    u.add_argument("--seed", type=int, default=213)
    u.add_argument("--daemons", action="store_true")
    sub.add_parser("list")
    sub.add_parser("down")
    a = ap.parse_args(argv)
    if a.cmd == "list":
        print("\n".join(ns for ns in _netns_list() if ns.startswith("nl")))
        return 0
    if a.cmd == "down":
        print("\n".join(cleanup_stale()))
        return 0
    lab = Lab(default_hosts(a.hosts, a.seed, a.loss), daemons=a.daemons)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with lab:
        print(json.dumps(lab.describe(), indent=1), flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
