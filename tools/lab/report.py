"""Read nmap-style normal output (nmap's or ``nse scan``'s) into comparable data."""

from __future__ import annotations

import re

__all__ = ["parse_normal", "summarize"]

_REPORT = re.compile(r"^Nmap scan report for (?:\S+ \()?([0-9a-fA-F.:]+)\)?( \[host down\])?$")
_PORT = re.compile(r"^(\d+)/(tcp|udp)\s+(\S+)\s")
_NOT_SHOWN = re.compile(r"(\d+) (\S+) (tcp|udp) ports")


def parse_normal(text: str) -> dict[str, dict[str, object]]:
    """``{ip: {"ports": {(port, proto): state}, "hidden": {(state, proto): count}}}`` for
    every host reported up."""
    hosts: dict[str, dict[str, object]] = {}
    cur: dict[str, object] | None = None
    for line in text.splitlines():
        m = _REPORT.match(line)
        if m:
            if m.group(2):
                cur = None
                continue
            cur = {"ports": {}, "hidden": {}}
            hosts[m.group(1)] = cur
            continue
        if cur is None:
            continue
        if line.startswith("Not shown:"):
            hidden = cur["hidden"]
            assert isinstance(hidden, dict)
            for n, state, proto in _NOT_SHOWN.findall(line):
                hidden[(state, proto)] = int(n)
            continue
        m = _PORT.match(line)
        if m:
            ports = cur["ports"]
            assert isinstance(ports, dict)
            ports[(int(m.group(1)), m.group(2))] = m.group(3)
    return hosts


def summarize(parsed: dict[str, dict[str, object]]) -> dict[str, dict[tuple[int, str], str]]:
    """Only the shown (non-hidden) port states per host: what "same results" compares."""
    return {ip: dict(h["ports"]) for ip, h in parsed.items()}  # type: ignore[call-overload]
