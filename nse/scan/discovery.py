"""Host discovery (ping scan) as a driver of the engine.

Which probes (nmap's "Host Discovery"):

* the target is one of our addresses or loopback: up, reason ``localhost-response``;
* privileged and the target is on a directly connected Ethernet subnet: ARP request only
  (unless ``--disable-arp-ping``), reason ``arp-response``;
* privileged otherwise: the ``-P*`` probes given, or nmap's default set: ICMP echo, TCP SYN
  to 443, TCP ACK to 80, ICMP timestamp;
* unprivileged: TCP connect to 80 and 443 (see :mod:`nse.scan.connect`).

The first positive answer settles a host (the remaining probes are cancelled); a host that
answers nothing after every try is down.
"""

from __future__ import annotations

import random
import socket
from collections.abc import Callable, Hashable
from typing import Any

from nse.scan.model import Host
from nse.scan.packets import (
    TH,
    TcpTemplate,
    build_arp_request,
    build_icmp_echo,
    build_icmp_timestamp,
    build_udp,
    parse_arp_reply,
    parse_reply,
)
from nse.scan.payloads import udp_payload
from nse.scan.portscan import TRY_SPAN
from nse.scan.rawio import ArpIO, RawIO
from nse.scan.ultra import HostState

__all__ = ["DiscoveryDriver", "DEFAULT_PROBES"]

#: nmap's default discovery probes when privileged (not on a local Ethernet)
DEFAULT_PROBES: list[tuple[str, int | None]] = [("PE", None), ("PS", 443), ("PA", 80),
                                                 ("PP", None)]

Match = tuple[str, Hashable, int, Any]


class DiscoveryDriver:
    """Sends the discovery probes of each host; a host's keys are ``(kind, port)``."""

    def __init__(self, io: RawIO, arp: dict[str, ArpIO], sources: dict[str, str],
                 src_macs: dict[str, bytes], rng: random.Random) -> None:
        self.io = io
        self.arp = arp  # interface -> ArpIO
        self.sources = sources
        self.src_macs = src_macs  # host ip -> our MAC on its interface
        self.base = rng.randrange(33000, 60000 - 3 * TRY_SPAN)
        self.ident = rng.randrange(1, 0xFFFF)
        self.iface_of: dict[str, str] = {}
        self.trace: Callable[[str], None] | None = None
        self._tcp: dict[tuple[str, str], TcpTemplate] = {}

    def _template(self, ip: str, kind: str) -> TcpTemplate:
        key = (ip, kind)
        t = self._tcp.get(key)
        if t is None:
            flags = TH.SYN if kind == "PS" else TH.ACK
            t = TcpTemplate(socket.inet_aton(self.sources[ip]), socket.inet_aton(ip), flags,
                            seq=random.getrandbits(32), ack=random.getrandbits(32)
                            if kind == "PA" else 0, mss=kind == "PS")
            self._tcp[key] = t
        return t

    def send(self, host: HostState, key: Hashable, tryno: int) -> bool:
        assert isinstance(key, tuple)
        kind, port = key
        ip = host.ip
        if self.trace:
            self.trace(f"SENT {kind}{port or ''} {ip} try={tryno}")
        t = tryno % TRY_SPAN
        if kind == "PR":
            iface = self.iface_of[ip]
            frame = build_arp_request(self.src_macs[ip], socket.inet_aton(self.sources[ip]),
                                      socket.inet_aton(ip))
            return self.arp[iface].send(frame)
        src, dst = socket.inet_aton(self.sources[ip]), socket.inet_aton(ip)
        if kind == "PE":
            return self.io.send(build_icmp_echo(src, dst, self.ident, t), ip)
        if kind == "PP":
            return self.io.send(build_icmp_timestamp(src, dst, self.ident, t), ip)
        if kind in ("PS", "PA"):
            off = 0 if kind == "PS" else TRY_SPAN
            return self.io.send(self._template(ip, kind).build(self.base + off + t, port), ip)
        if kind == "PU":
            return self.io.send(build_udp(src, dst, self.base + 2 * TRY_SPAN + t, port,
                                          udp_payload(port)), ip)
        raise ValueError(kind)

    def sockets(self) -> list[tuple[Any, Callable[[Any], list[Match]]]]:
        socks: list[tuple[Any, Callable[[Any], list[Match]]]] = [
            (self.io.recv_sock, self._drain_ip)]
        for a in self.arp.values():
            socks.append((a.sock, self._drain_arp_for(a)))
        return socks

    def _drain_arp_for(self, a: ArpIO) -> Callable[[Any], list[Match]]:
        def drain(_sock: Any) -> list[Match]:
            out: list[Match] = []
            for frame in a.recv_all():
                got = parse_arp_reply(frame)
                if got is not None:
                    out.append((got[0], ("PR", None), -1, ("arp-response", 0, got[1])))
            return out
        return drain

    def _drain_ip(self, _sock: Any) -> list[Match]:
        out: list[Match] = []
        base = self.base
        for buf in self.io.recv_all():
            r = parse_reply(buf)
            if r is None:
                continue
            if r.kind == "icmp":
                if r.icmp_id != self.ident:
                    continue
                kind = "PE" if r.icmp_type == 0 else "PP"
                reason = "echo-reply" if kind == "PE" else "timestamp-reply"
                out.append((r.remote, (kind, None), r.icmp_seq, (reason, r.ttl, None)))
            elif r.kind == "tcp":
                off = r.dport - base
                if not 0 <= off < 2 * TRY_SPAN:
                    continue
                if r.flags & TH.RST:
                    reason = "reset"
                elif r.flags & (TH.SYN | TH.ACK) == TH.SYN | TH.ACK:
                    reason = "syn-ack"
                else:
                    continue
                kind = "PS" if off < TRY_SPAN else "PA"
                out.append((r.remote, (kind, r.sport), off % TRY_SPAN, (reason, r.ttl, None)))
            elif r.kind == "udp":
                off = r.dport - base - 2 * TRY_SPAN
                if 0 <= off < TRY_SPAN:
                    out.append((r.remote, ("PU", r.sport), off, ("udp-response", r.ttl, None)))
            elif r.kind == "icmp-err" and r.icmp_type == 3 and r.icmp_code == 3 \
                    and r.proto == 17 and r.sender == r.remote:
                off = r.dport - base - 2 * TRY_SPAN
                if 0 <= off < TRY_SPAN:
                    out.append((r.remote, ("PU", r.sport), off, ("port-unreach", r.ttl, None)))
        return out

    def record(self, host: HostState, key: Hashable, result: Any) -> bool:
        reason, ttl, mac = result
        model: Host = host.ctx
        model.up = True
        model.reason = reason
        model.reason_ttl = ttl
        if mac is not None:
            model.mac_addr = mac
            model.mac_addr_next_hop = mac
        return True

    def no_reply(self, host: HostState, key: Hashable) -> None:
        model: Host = host.ctx
        if not model.up:
            model.reason = "no-response"
