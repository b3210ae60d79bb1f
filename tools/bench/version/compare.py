"""``nse`` version detection side by side with ``nmap -sV`` on the same ports.

Usage::

    python -m tools.bench.version.compare                 # loopback zoo (tests/vscan/servers.py)
    python -m tools.bench.version.compare --target IP T:22,80 U:53   # e.g. a lab namespace
    options: --versiondb FILE (ours only), -T4, --json OUT

Both scanners run as separate processes; each wall time includes start-up and reading the
probe file.  nmap's time also includes its (tiny, loopback) port scan, so the ratio
slightly favours us for that part: the scan phase is well under 0.1 s on loopback.
For each port the service name (with ``ssl/`` tunnel), product and version are compared;
every difference is printed.  Targets: only 127.0.0.1 ports this tool started, or
addresses inside the project's own network namespaces.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


@dataclass
class Comparison:
    """Results of one side-by-side run."""

    rows: list[dict[str, object]] = field(default_factory=list)
    nmap_seconds: float = 0.0
    ours_seconds: float = 0.0

    @property
    def agree(self) -> int:
        return sum(1 for r in self.rows if r["same"])

    @property
    def ratio(self) -> float:
        return self.ours_seconds / self.nmap_seconds if self.nmap_seconds else 0.0

    def differences(self) -> list[str]:
        return [f"{r['port']} ({r['label']}): nmap={r['nmap']} ours={r['ours']}"
                for r in self.rows if not r["same"]]

    def report(self) -> str:
        lines = [f"{'PORT':<10}{'LABEL':<16}{'SAME':<6}NMAP | OURS"]
        for r in self.rows:
            lines.append(f"{r['port']:<10}{r['label']:<16}{'yes' if r['same'] else 'NO':<6}"
                         f"{r['nmap']} | {r['ours']}")
        n = len(self.rows)
        lines.append(f"agree {self.agree}/{n} ({100.0 * self.agree / max(n, 1):.1f}%)  "
                     f"wall: nmap {self.nmap_seconds:.2f}s ours {self.ours_seconds:.2f}s "
                     f"ratio {self.ratio:.2f}")
        return "\n".join(lines)


def _key(name: str | None, tunnel: str | None, product: str | None,
         version: str | None) -> tuple[str, str, str]:
    n = name or ""
    if tunnel == "ssl":
        n = "ssl/" + n
    return (n, product or "", version or "")


def run_nmap(ip: str, tcp: list[int], udp: list[int], level: int = 3,
             extra: list[str] | None = None) -> tuple[dict[str, tuple[str, str, str]], float]:
    """nmap -sV on the ports; returns ({"80/tcp": (name, product, version)}, seconds)."""
    spec = ",".join([f"T:{p}" for p in tcp] + [f"U:{p}" for p in udp])
    cmd = ["nmap", "-sV", "-Pn", "-n", f"-T{level}", "-p", spec, "-oX", "-", ip]
    if tcp:
        cmd.insert(1, "-sS")
    if udp:
        cmd.insert(1, "-sU")
    cmd += extra or []
    t = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=900).stdout
    dt = time.monotonic() - t
    res: dict[str, tuple[str, str, str]] = {}
    for port in ET.fromstring(out).iter("port"):
        svc = port.find("service")
        key = f"{port.get('portid')}/{port.get('protocol')}"
        if svc is None:
            res[key] = ("", "", "")
        else:
            res[key] = _key(svc.get("name"), svc.get("tunnel"), svc.get("product"),
                            svc.get("version"))
    return res, dt


def run_ours(ip: str, tcp: list[int], udp: list[int], level: int = 3,
             versiondb: str | None = None) -> tuple[dict[str, tuple[str, str, str]], float]:
    """Our scan in its own process; same shape as :func:`run_nmap`."""
    cmd = [sys.executable, "-m", "tools.bench.version.ours", f"-T{level}", ip]
    if versiondb:
        cmd[3:3] = ["--versiondb", versiondb]
    if tcp:
        cmd.append("T:" + ",".join(map(str, tcp)))
    if udp:
        cmd.append("U:" + ",".join(map(str, udp)))
    t = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=900,
                         cwd=ROOT).stdout
    dt = time.monotonic() - t
    res = {}
    for k, v in json.loads(out).items():
        name = v.get("name") if v.get("service_dtype") == "probed" else v.get("name")
        res[k] = _key(name, v.get("service_tunnel"), v.get("product"), v.get("version"))
    return res, dt


def compare(ip: str, tcp: list[int], udp: list[int], labels: dict[str, str] | None = None,
            level: int = 3, versiondb: str | None = None) -> Comparison:
    """Run both scanners (one after the other) and compare port by port."""
    c = Comparison()
    nm, c.nmap_seconds = run_nmap(ip, tcp, udp, level)
    ours, c.ours_seconds = run_ours(ip, tcp, udp, level, versiondb)
    for key in [f"{p}/tcp" for p in tcp] + [f"{p}/udp" for p in udp]:
        a = nm.get(key, ("", "", ""))
        b = ours.get(key, ("", "", ""))
        c.rows.append({"port": key, "label": (labels or {}).get(key, ""), "nmap": a,
                       "ours": b, "same": a == b})
    return c


def compare_zoo(level: int = 3, versiondb: str | None = None,
                daemons: bool = True, udp_too: bool = True,
                names: list[str] | None = None) -> Comparison:
    """Start the loopback zoo (with the installed real daemons) and compare on it."""
    sys.path.insert(0, ROOT)
    from tests.vscan.servers import DAEMONS, Daemon, UdpServer, start_zoo, stop_zoo

    zoo = start_zoo(names, daemons=daemons)
    try:
        tcp, udp, labels = [], [], {}
        for name, s in zoo.items():
            protos = DAEMONS[name] if isinstance(s, Daemon) else \
                (("udp",) if isinstance(s, UdpServer) else ("tcp",))
            for proto in protos:
                if proto == "udp" and not udp_too:
                    continue
                (udp if proto == "udp" else tcp).append(s.port)
                labels[f"{s.port}/{proto}"] = name
        return compare("127.0.0.1", tcp, udp, labels, level, versiondb)
    finally:
        stop_zoo(zoo)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--target")
    ap.add_argument("ports", nargs="*")
    ap.add_argument("-T", dest="level", type=int, default=3)
    ap.add_argument("--versiondb")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    if a.target:
        tcp: list[int] = []
        udp: list[int] = []
        for spec in a.ports:
            (tcp if spec[0] == "T" else udp).extend(int(x) for x in spec[2:].split(",") if x)
        c = compare(a.target, tcp, udp, None, a.level, a.versiondb)
    else:
        c = compare_zoo(a.level, a.versiondb)
    print(c.report())
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"rows": [{**r, "nmap": list(r["nmap"]), "ours": list(r["ours"])}  # type: ignore[call-overload]
                                for r in c.rows],
                       "nmap_seconds": c.nmap_seconds, "ours_seconds": c.ours_seconds}, f,
                      indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
