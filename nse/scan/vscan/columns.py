"""How -sV results read in the outputs: the SERVICE and VERSION columns and the
``Service Info:`` line.

Kept apart from the probe engine so that the output writers can use them without
importing gevent and the engine on every scan (~45 ms and ~9 MB, measured by the
scanner benchmark).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["service_column", "version_column", "service_info"]


def service_column(port: Any) -> str:
    """The SERVICE column of normal output after -sV: ``ssl/http``, ``http?`` (a
    table guess), ``tcpwrapped``."""
    v = port.version or {}
    name = v.get("name") or port.service or "unknown"
    if v.get("service_tunnel") == "ssl":
        name = "ssl/" + name
    if v.get("service_dtype") == "table" and v.get("name_confidence", 10) <= 5 \
            and port.state == "open":
        name += "?"
    return name


def version_column(port: Any) -> str:
    """The VERSION column: product, version and ``(extra info)``."""
    v = port.version or {}
    parts = [v[k] for k in ("product", "version") if v.get(k)]
    if v.get("extrainfo"):
        parts.append(f"({v['extrainfo']})")
    return " ".join(parts)


def service_info(ports: Iterable[Any]) -> str | None:
    """nmap's per-host ``Service Info:`` line (hostnames, OS, device types and the OS /
    hardware CPEs of the detected services), or None when there is nothing to say."""
    hosts: list[str] = []
    oss: list[str] = []
    devs: list[str] = []
    cpes: list[str] = []
    for p in ports:
        v = p.version or {}
        for val, acc in ((v.get("hostname"), hosts), (v.get("ostype"), oss),
                         (v.get("devicetype"), devs)):
            if val and val not in acc:
                acc.append(val)
        for c in v.get("cpe") or []:
            if c[5:6] in ("o", "h") and c not in cpes:
                cpes.append(c)
    items = []
    for label, acc in (("Host", hosts), ("OS", oss), ("Device", devs)):
        if acc:
            items.append(f"{label}{'s' if len(acc) > 1 else ''}: {', '.join(acc)}")
    if cpes:
        items.append("CPE: " + ", ".join(cpes))
    return "Service Info: " + "; ".join(items) if items else None
