"""Interfaces and routes of the current network namespace (IPv4), read from the kernel.

Used to pick the source address, the interface and whether a target is directly
connected (then ARP is used for discovery and the MAC address is known), as nmap does.
Sources: ``/proc/net/route`` for routes, ``/sys/class/net`` for MACs / MTUs / link types,
and a connected UDP socket for the source address (connecting a UDP socket sends nothing).
"""

from __future__ import annotations

import fcntl
import ipaddress
import os
import socket
import struct
from dataclasses import dataclass

__all__ = ["Route", "route_to", "interface_addresses", "is_root", "can_raw"]

SIOCGIFADDR = 0x8915
SIOCGIFNETMASK = 0x891B


@dataclass
class Route:
    """How packets to one destination leave this machine."""

    dst: str
    src: str
    interface: str
    gateway: str | None  # None when directly connected
    mac_src: bytes | None
    mtu: int
    ethernet: bool
    local: bool  # the destination is one of our own addresses (or 127/8)

    @property
    def directly_connected(self) -> bool:
        """True when no router is in between (loopback included)."""
        return self.gateway is None


def _sysfs(iface: str, name: str) -> str | None:
    try:
        with open(f"/sys/class/net/{iface}/{name}") as f:
            return f.read().strip()
    except OSError:
        return None


def interface_addresses() -> dict[str, tuple[str, int]]:
    """``{ifname: (ipv4 address, prefix length)}`` for interfaces that have one."""
    out: dict[str, tuple[str, int]] = {}
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        for _, name in socket.if_nameindex():
            req = struct.pack("256s", name.encode()[:15])
            try:
                addr = socket.inet_ntoa(fcntl.ioctl(s, SIOCGIFADDR, req)[20:24])
                mask = socket.inet_ntoa(fcntl.ioctl(s, SIOCGIFNETMASK, req)[20:24])
            except OSError:
                continue
            out[name] = (addr, ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen)
    finally:
        s.close()
    return out


def _routes() -> list[tuple[str, int, int, int, int]]:
    """(iface, dest, mask, gateway, metric) from /proc/net/route (host byte order)."""
    rows = []
    try:
        with open("/proc/net/route") as f:
            next(f, None)
            for line in f:
                p = line.split()
                if len(p) < 8:
                    continue
                dest = socket.ntohl(int(p[1], 16))
                gw = socket.ntohl(int(p[2], 16))
                mask = socket.ntohl(int(p[7], 16))
                rows.append((p[0], dest, mask, gw, int(p[6])))
    except OSError:
        pass
    return rows


def _source_for(dst: str) -> str | None:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect((dst, 9))
        return str(s.getsockname()[0])
    except OSError:
        return None
    finally:
        s.close()


class RouteTable:
    """A snapshot of the routes and addresses, answering :meth:`lookup` per target."""

    def __init__(self) -> None:
        self.addrs = interface_addresses()
        self.routes = _routes()
        self.own = {a for a, _ in self.addrs.values()}
        self._cache: dict[str, Route | None] = {}

    def lookup(self, dst: str, interface: str | None = None) -> Route | None:
        """The route to ``dst``, or None when unreachable."""
        key = f"{dst}%{interface}"
        if key in self._cache:
            return self._cache[key]
        r = self._lookup(dst, interface)
        self._cache[key] = r
        return r

    def _lookup(self, dst: str, interface: str | None) -> Route | None:
        d = int(ipaddress.IPv4Address(dst))
        if dst in self.own or (d >> 24) == 127:
            # our own address: from itself; 127/8: from lo's primary address, as Linux does
            lo_src = dst if dst in self.own else "127.0.0.1"
            return Route(dst, lo_src, "lo", None, None, int(_sysfs("lo", "mtu") or 65536),
                         False, True)
        best: tuple[int, int, str, int] | None = None
        for iface, dest, mask, gw, metric in self.routes:
            if interface and iface != interface:
                continue
            if d & mask == dest:
                plen = bin(mask).count("1")
                if best is None or plen > best[0] or (plen == best[0] and metric < best[1]):
                    best = (plen, metric, iface, gw)
        if best is None:
            return None
        _, _, iface, gw = best
        own = self.addrs.get(iface)
        src = own[0] if own else _source_for(dst)
        if src is None:
            return None
        mac_text = _sysfs(iface, "address")
        link_type = _sysfs(iface, "type")
        ethernet = link_type == "1" and bool(mac_text) and mac_text != "00:00:00:00:00:00"
        mac = bytes.fromhex(mac_text.replace(":", "")) if ethernet and mac_text else None
        return Route(dst, src, iface, socket.inet_ntoa(struct.pack("!I", gw)) if gw else None,
                     mac, int(_sysfs(iface, "mtu") or 1500), ethernet, False)


_table: RouteTable | None = None


def route_to(dst: str, interface: str | None = None) -> Route | None:
    """The route to ``dst`` (cached snapshot of the routing table)."""
    global _table
    if _table is None:
        _table = RouteTable()
    return _table.lookup(dst, interface)


def is_root() -> bool:
    """Whether we run as uid 0."""
    return os.geteuid() == 0


def can_raw() -> bool:
    """Whether raw sockets can be opened (root or CAP_NET_RAW)."""
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    except OSError:
        return False
    s.close()
    return True
