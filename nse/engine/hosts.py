"""The ``host`` and ``port`` tables scripts see, made from the scanner's objects.

The scanner's :class:`nse.scan.model.Host`/``Port`` (or any object with the same
attribute names) become LuaTables with nmap's field names.  Each script thread gets deep
copies (nse_main.lua ``host_copy``/``tcopy``) except ``host.registry``, which is shared by
all scripts for that host.  A :class:`HostRecord` keeps the master tables so that
``nmap.set_port_state``/``set_port_version`` change the results, and writes those
changes back to the scanner's objects.
"""

from __future__ import annotations

import socket
from typing import Any

from nse.lua.luatable import LuaTable

__all__ = ["HostRecord", "host_table", "port_table"]


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _bytes_str(b: Any) -> Any:
    if isinstance(b, bytes | bytearray):
        return bytes(b).decode("latin-1")
    return b


def _version_table(v: Any, service: str | None) -> LuaTable:
    t = LuaTable()
    if isinstance(v, dict):
        for k, val in v.items():
            if k == "cpe" and isinstance(val, list | tuple):
                t[k] = LuaTable.from_list(list(val))
            elif val is not None:
                t[k] = val
    if t["name"] is None and service:
        t["name"] = service
    if t["name_confidence"] is None:
        t["name_confidence"] = 3
    if t["service_dtype"] is None:
        t["service_dtype"] = "table"
    if t["cpe"] is None:
        t["cpe"] = LuaTable()
    return t


def port_table(port: Any) -> LuaTable:
    """nmap's port table: number, protocol, service, version, state, reason, reason_ttl."""
    t = LuaTable()
    t["number"] = int(_get(port, "number"))
    t["protocol"] = _get(port, "protocol", "tcp")
    service = _get(port, "service", "unknown")
    t["service"] = service
    t["version"] = _version_table(_get(port, "version", None), service)
    t["state"] = _get(port, "state", "open")
    t["reason"] = _get(port, "reason", "")
    t["reason_ttl"] = _get(port, "reason_ttl", 0)
    return t


def host_table(host: Any) -> LuaTable:
    """nmap's host table (fields documented in nse/scan/model.py)."""
    t = LuaTable()
    t["ip"] = _get(host, "ip")
    t["name"] = _get(host, "name", "") or ""
    tn = _get(host, "targetname", None)
    if tn:
        t["targetname"] = tn
    for k in ("directly_connected", "interface", "interface_mtu", "reason", "reason_ttl"):
        v = _get(host, k, None)
        if v is not None:
            t[k] = v
    for k in ("mac_addr", "mac_addr_next_hop", "mac_addr_src", "bin_ip", "bin_ip_src"):
        v = _get(host, k, None)
        if v:
            t[k] = _bytes_str(v)
    if t["bin_ip"] is None and isinstance(t["ip"], str):
        # nmap always has the packed address (address-info reads it)
        for fam in (socket.AF_INET, socket.AF_INET6):
            try:
                t["bin_ip"] = socket.inet_pton(fam, t["ip"]).decode("latin-1")
                break
            except OSError:
                continue
    times = _get(host, "times", None)
    tt = LuaTable()
    # nmap's timeout_info starts at srtt = rttvar = -1 us, timeout = 1 s (host.times is
    # always a full table; clock-skew does arithmetic on rttvar)
    for k, default in (("srtt", -1e-06), ("rttvar", -1e-06), ("timeout", 1.0)):
        v = _get(times, k, None) if times is not None else None
        tt[k] = v if v is not None else default
    t["times"] = tt
    t["registry"] = LuaTable()
    return t


class HostRecord:
    """One scanned host: the master tables and the scanner's objects."""

    def __init__(self, host: Any) -> None:
        self.obj = host
        self.table = host_table(host)
        self.ports: dict[tuple[str, int], LuaTable] = {}
        self.port_objs: dict[tuple[str, int], Any] = {}
        self.version_changes: dict[tuple[str, int], tuple[dict[str, Any], str]] = {}
        ports = _get(host, "ports", None)
        if isinstance(ports, dict):
            items = list(ports.values())
        elif ports is None:
            items = []
        else:
            items = list(ports)
        order = {"tcp": 0, "udp": 1, "sctp": 2}
        items.sort(key=lambda p: (order.get(_get(p, "protocol", "tcp"), 9), _get(p, "number")))
        for p in items:
            key = (_get(p, "protocol", "tcp"), int(_get(p, "number")))
            self.ports[key] = port_table(p)
            self.port_objs[key] = p

    @property
    def ip(self) -> str:
        """The host's address."""
        return str(self.table["ip"])

    def find_port(self, protocol: str, number: int) -> LuaTable | None:
        """The master port table or None."""
        return self.ports.get((protocol, number))

    def port_tables(self) -> list[LuaTable]:
        """Master port tables in scan order (tcp, udp, sctp; by number)."""
        return list(self.ports.values())

    def set_state(self, port: LuaTable, state: str) -> None:
        """nmap.set_port_state: update the table and the scanner's object."""
        port["state"] = state
        obj = self.port_objs.get((port["protocol"], port["number"]))
        if obj is not None and not isinstance(obj, dict):
            try:
                obj.state = state
            except AttributeError:
                pass

    def set_version(self, port: LuaTable, info: dict[str, Any], probestate: str) -> None:
        """nmap.set_port_version: update the table and the scanner's object."""
        key = (port["protocol"], port["number"])
        v = port["version"]
        if not isinstance(v, LuaTable):
            v = LuaTable()
            port["version"] = v
        for k, val in info.items():
            v[k] = LuaTable.from_list(val) if isinstance(val, list) else val
        if "name" in info:
            port["service"] = info["name"]
        self.version_changes[key] = (info, probestate)
        obj = self.port_objs.get(key)
        if obj is not None:
            ver = _get(obj, "version", None)
            if isinstance(ver, dict):
                ver.update(info)
