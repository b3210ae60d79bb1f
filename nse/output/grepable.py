"""``-oG``: nmap's grepable output, one line per fact, fields split by tabs.

::

    # nse 0.1.0 scan initiated Sun Nov 29 05:01:12 2026 as: nse scan -oG - -p 1-100 h
    Host: 127.0.0.1 (localhost)\tStatus: Up
    Host: 127.0.0.1 (localhost)\tPorts: 22/open/tcp//ssh//OpenSSH 9.2p1/\tIgnored State: closed (99)
    # Nmap done at Sun Nov 29 05:01:12 2026 -- 1 IP address (1 host up) scanned in 0.05 seconds

A port is ``number/state/protocol/owner/service/rpc info/version/``; ``/`` inside a
field is written ``|`` (nmap's choice, so that ``cut -d/`` keeps working).  Only one
"Ignored State" fits the format: with two ignored states every port is listed (as
nmap does).  The closing line keeps nmap's wording; tools match on it.

Beyond nmap: a host cut short by ``--host-timeout`` has ``Status: Timeout`` and still
the ports found so far; an interrupted or failed run has a ``# Scan incomplete: ...``
comment line just before the closing line.  At ``-v`` the second line is nmap's
``# Ports scanned: TCP(n;ranges) UDP(n;ranges) SCTP(0;) PROTOCOLS(0;)``.
"""

from __future__ import annotations

from typing import TextIO

from nse.output._common import (
    RunStats,
    ScanInfo,
    ctime,
    grepable_field,
    has_service,
    listed_ports,
    port_ranges,
    protect,
    shows_host,
)
from nse.scan.model import Host, Port
from nse.scan.vscan.columns import service_column, version_column

__all__ = ["GrepableWriter", "format_port", "format_host"]


def format_port(p: Port, datadir: str | None = None) -> str:
    """``22/open/tcp//ssh//OpenSSH 9.2p1/``."""
    service = grepable_field(protect(service_column(p))) if has_service(p, datadir) else ""
    version = grepable_field(protect(version_column(p)))
    return f"{p.number}/{p.state}/{p.protocol}//{service}//{version}/"


def format_host(h: Host, info: ScanInfo) -> str:
    """The lines of one host ("" when the host is not reported)."""
    if not shows_host(h, info):
        return ""
    who = f"Host: {h.ip} ({h.name})"
    status = "Timeout" if h.timed_out else ("Up" if h.up else "Down")
    lines = [f"{who}\tStatus: {status}\n"]
    if h.up and not info.ping_only:
        ign, hidden, shown = listed_ports(h, info)
        if len(ign) > 1:  # the format has room for one ignored state only
            shown, ign = h.port_list(), []
        line = f"{who}\tPorts: " + ", ".join(format_port(p, info.datadir) for p in shown)
        if ign:
            line += f"\tIgnored State: {ign[0]} ({len(hidden)})"
        lines.append(line + "\n")
    return "".join(lines)


class GrepableWriter:
    """Writes grepable output to ``stream`` as the scan goes."""

    def __init__(self, stream: TextIO, info: ScanInfo) -> None:
        self.stream = stream
        self.info = info

    def start(self) -> None:
        """The opening comment line."""
        i = self.info
        self.stream.write(f"# nse {i.version} scan initiated {ctime(i.start)} as: {i.args}\n")
        if i.verbose:  # nmap adds the ports scanned per protocol at -v
            by_proto: dict[str, set[int]] = {"tcp": set(), "udp": set(), "sctp": set()}
            for st in i.scans:
                by_proto.setdefault(st.protocol, set()).update(st.ports)
            parts = [f"{name}({len(by_proto[p])};{port_ranges(by_proto[p])})"
                     for name, p in (("TCP", "tcp"), ("UDP", "udp"), ("SCTP", "sctp"))]
            self.stream.write(f"# Ports scanned: {' '.join(parts)} PROTOCOLS(0;)\n")
        self.stream.flush()

    def host(self, h: Host) -> None:
        """The lines of one finished host."""
        text = format_host(h, self.info)
        if text:
            self.stream.write(text)
            self.stream.flush()

    def finish(self, stats: RunStats, incomplete: bool = False,
               reason: str | None = None) -> None:
        """The closing comment line (after a ``# Scan incomplete`` line if need be)."""
        assert stats.end is not None and stats.elapsed is not None
        total, up = stats.total or 0, stats.up or 0
        if incomplete:
            self.stream.write(f"# Scan incomplete: {reason or 'interrupted'}\n")
        addrs = "IP address" if total == 1 else "IP addresses"
        hosts = "host" if up == 1 else "hosts"
        self.stream.write(f"# Nmap done at {ctime(stats.end)} -- {total} {addrs} ({up} "
                          f"{hosts} up) scanned in {stats.elapsed:.2f} seconds\n")
        self.stream.flush()
