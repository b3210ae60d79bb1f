"""Raw port scans: -sS, -sA, -sF, -sN, -sX (TCP) and -sU (UDP), as drivers of the engine.

States and reasons (nmap's "Port Scanning Techniques"):

=======  ===============  ===================  =====================  ==============
scan     SYN-ACK          RST                  ICMP unreachable       no answer
=======  ===============  ===================  =====================  ==============
-sS      open syn-ack     closed reset         filtered <code>        filtered
-sA      unfiltered       unfiltered reset     filtered <code>        filtered
-sF/N/X  (ignored)        closed reset         filtered <code>        open|filtered
=======  ===============  ===================  =====================  ==============

-sU: a UDP answer means open (udp-response), ICMP port unreachable closed (port-unreach),
another ICMP unreachable filtered, no answer open|filtered.

The try number of a probe is carried in its source port (base + try), so a reply tells
which try it answers.
"""

from __future__ import annotations

import abc
import random
import socket
import struct
from collections.abc import Callable, Hashable, Mapping
from typing import Any, cast

from nse.scan.model import Host, Port, PortTable
from nse.scan.packets import TH, TcpTemplate, build_udp, parse_reply
from nse.scan.payloads import udp_payload
from nse.scan.rawio import RECV_SLOT, SEND_BATCH, RawIO
from nse.scan.services import ServiceTable
from nse.scan.ultra import HostState

__all__ = ["TcpScanDriver", "UdpScanDriver", "TCP_FLAGS", "ICMP_UNREACH_REASONS"]

#: probe flags per scan type
TCP_FLAGS = {
    "syn": TH.SYN,
    "ack": TH.ACK,
    "fin": TH.FIN,
    "null": 0,
    "xmas": TH.FIN | TH.PUSH | TH.URG,
}

#: ICMP destination-unreachable code -> nmap reason
ICMP_UNREACH_REASONS = {
    0: "net-unreach", 1: "host-unreach", 2: "proto-unreach", 3: "port-unreach",
    9: "net-prohibited", 10: "host-prohibited", 13: "admin-prohibited",
}
_FILTER_CODES = frozenset(ICMP_UNREACH_REASONS)
TRY_SPAN = 64  # source ports reserved per scan for try numbers

Match = tuple[str, Hashable, int, Any]


def _base_port(rng: random.Random) -> int:
    return rng.randrange(33000, 60000 - TRY_SPAN)


class _RawDriver(abc.ABC):
    """What the raw TCP and UDP drivers share: the receive socket, the source-port base
    that carries the try number, and storing results in the hosts' port tables."""

    proto = "tcp"

    def __init__(self, io: RawIO, services: ServiceTable, rng: random.Random) -> None:
        self.io = io
        self.services = services
        self.base = _base_port(rng)
        self.trace: Callable[[str], None] | None = None
        self._names_by_port: Mapping[int, str] | None = None

    def sockets(self) -> list[tuple[Any, Callable[[Any], list[Match]]]]:
        return [(self.io.recv_sock, self._drain)]

    @abc.abstractmethod
    def _drain(self, _sock: Any) -> list[Match]:
        """Read every reply waiting on the receive socket; the matches
        ``(host ip, port, try number, (state, reason, ttl))`` among them."""

    def _service_names(self) -> Mapping[int, str]:
        names = self._names_by_port
        if names is None:
            names = self._names_by_port = self.services.name_lookup(self.proto)
        return names

    def _set(self, host: HostState, port: int, state: str, reason: str, ttl: int) -> None:
        model: Host = host.ctx
        ports = model.ports
        if isinstance(ports, PortTable):
            ports.set_state(self.proto, port, state, reason, ttl, self._service_names())
        else:
            ports[(self.proto, port)] = Port(port, self.proto, state, reason, ttl,
                                             self.services.name(port, self.proto))

    def record(self, host: HostState, key: Hashable, result: Any) -> bool:
        state, reason, ttl = result
        assert isinstance(key, int)
        self._set(host, key, state, reason, ttl)
        return False

    def record_many(self, host: HostState, items: list[tuple[Hashable, Any]]) -> None:
        """:meth:`record` for a batch of replies from one host (a port scan never
        settles a host early)."""
        names = self._service_names()
        proto = self.proto
        model: Host = host.ctx
        # the keys of a port scan are port numbers
        batch = cast("list[tuple[int, tuple[str, str, int]]]", items)
        ports = model.ports
        if isinstance(ports, PortTable):
            # one byte per port, no Port object (see PortTable)
            ports.set_many(proto, batch, names)
            return
        ports.update({
            (proto, port): Port(port, proto, state, reason, ttl, names.get(port, "unknown"))
            for port, (state, reason, ttl) in batch})


# version/header length, TTL, protocol, source address, ports, TCP flags of an IPv4
# header without options, over one whole receive slot
_TCP_SLOTS = struct.Struct(f"!B7xBB2x4s4xHH9xB{RECV_SLOT - 34}x")
_RST = ("closed", "reset", 64)
_RST_FLAG = TH.RST
_RST_ACK = ("unfiltered", "reset", 64)
_SYNACK = ("open", "syn-ack", 64)


class TcpScanDriver(_RawDriver):
    """SYN / ACK / FIN / NULL / Xmas scan."""

    proto = "tcp"

    def __init__(self, io: RawIO, services: ServiceTable, scan: str,
                 sources: dict[str, str], rng: random.Random) -> None:
        super().__init__(io, services, rng)
        self.scan = scan
        self.flags = TCP_FLAGS[scan]
        self.templates: dict[str, TcpTemplate] = {}
        self._names: dict[bytes, str] = {}
        seq = rng.getrandbits(32)
        ack = rng.getrandbits(32) if scan == "ack" else 0
        for ip, src in sources.items():
            self.templates[ip] = TcpTemplate(socket.inet_aton(src), socket.inet_aton(ip),
                                             self.flags, seq=seq, ack=ack,
                                             mss=(scan == "syn"))

    def send(self, host: HostState, key: Hashable, tryno: int) -> bool:
        assert isinstance(key, int)
        pkt = self.templates[host.ip].build(self.base + tryno % TRY_SPAN, key)
        if self.trace:
            self.trace(f"SENT TCP {host.ip}:{key} {self.scan} try={tryno}")
        return self.io.send(pkt, host.ip)

    def send_many(self, host: HostState, probes: list[tuple[Hashable, int]]) -> int:
        """Send a burst of probes to one host with one system call (see
        :meth:`RawIO.send_batch`); how many went out."""
        if self.trace or not self.io.can_batch or len(probes) > SEND_BATCH:
            k = 0
            for key, tryno in probes:
                if not self.send(host, key, tryno):
                    break
                k += 1
            return k
        tmpl = self.templates[host.ip]
        batch = self.io.batch_buffer()
        n = len(probes)
        # the slots keep the template's bytes from one burst to the next
        if batch.owner is not tmpl:
            batch.owner = tmpl
            batch.filled = 0
        if batch.filled < n:
            tmpl.copy_into(batch.view, batch.slot, batch.filled, n)
            batch.filled = n
        tmpl.stamp_batch(batch.view, batch.slot,
                         cast("list[tuple[int, int]]", probes), self.base, TRY_SPAN)
        return self.io.send_batch(batch, n, tmpl.length, host.ip)

    def no_reply(self, host: HostState, key: Hashable) -> None:
        assert isinstance(key, int)
        state = "open|filtered" if self.scan in ("fin", "null", "xmas") else "filtered"
        self._set(host, key, state, "no-response", 0)

    def _drain(self, _sock: Any) -> list[Match]:
        out: list[Match] = []
        base = self.base
        scan = self.scan
        names = self._names
        syn = scan == "syn"
        rst_res = _RST_ACK if scan == "ack" else _RST
        slow: list[bytes] = []
        append = out.append
        last_src = b""  # replies come in runs from one host: its name is reused
        remote = ""
        for view, lens in self.io.recv_chunks():
            # Fast path for the common reply (IPv4 without options, TCP): the header
            # fields of every packet of the chunk unpacked in C, no per-packet copy.
            for i, ((vhl, ttl, proto, src, sport, dport, flags), ln) in enumerate(zip(
                    _TCP_SLOTS.iter_unpack(view), lens, strict=True)):
                if vhl != 0x45 or proto != 6 or ln < 34:
                    slow.append(bytes(view[i * RECV_SLOT:i * RECV_SLOT + ln]))
                    continue
                t = dport - base
                if not 0 <= t < TRY_SPAN:
                    continue
                if flags & _RST_FLAG:
                    res = rst_res
                elif flags & 0x12 == 0x12 and syn:
                    res = _SYNACK
                else:
                    continue
                if src != last_src:
                    last_src = src
                    remote = names.get(src)  # type: ignore[assignment]
                    if remote is None:
                        remote = names[src] = socket.inet_ntoa(src)
                if ttl != 64:
                    res = (res[0], res[1], ttl)
                append((remote, sport, t, res))
        for buf in slow:
            r = parse_reply(buf)
            if r is None:
                continue
            t = r.dport - base
            if not 0 <= t < TRY_SPAN:
                continue
            if r.kind == "tcp":
                f = r.flags
                if f & TH.RST:
                    if scan == "ack":
                        res = ("unfiltered", "reset", r.ttl)
                    else:
                        res = ("closed", "reset", r.ttl)
                elif f & (TH.SYN | TH.ACK) == TH.SYN | TH.ACK and scan == "syn":
                    res = ("open", "syn-ack", r.ttl)
                else:
                    continue  # our own probe seen on loopback, or noise
                out.append((r.remote, r.sport, t, res))
            elif r.kind == "icmp-err" and r.proto == 6 and r.icmp_type == 3:
                if r.icmp_code in _FILTER_CODES:
                    out.append((r.remote, r.sport, t,
                                ("filtered", ICMP_UNREACH_REASONS[r.icmp_code], r.ttl)))
        return out


class UdpScanDriver(_RawDriver):
    """UDP scan with per-service payloads."""

    proto = "udp"

    def __init__(self, io: RawIO, services: ServiceTable, sources: dict[str, str],
                 rng: random.Random) -> None:
        super().__init__(io, services, rng)
        self.sources = {ip: socket.inet_aton(src) for ip, src in sources.items()}
        self.dsts = {ip: socket.inet_aton(ip) for ip in sources}

    def send(self, host: HostState, key: Hashable, tryno: int) -> bool:
        assert isinstance(key, int)
        pkt = build_udp(self.sources[host.ip], self.dsts[host.ip],
                        self.base + tryno % TRY_SPAN, key, udp_payload(key))
        if self.trace:
            self.trace(f"SENT UDP {host.ip}:{key} try={tryno}")
        return self.io.send(pkt, host.ip)

    def no_reply(self, host: HostState, key: Hashable) -> None:
        assert isinstance(key, int)
        self._set(host, key, "open|filtered", "no-response", 0)

    def _drain(self, _sock: Any) -> list[Match]:
        out: list[Match] = []
        base = self.base
        for buf in self.io.recv_all():
            r = parse_reply(buf)
            if r is None:
                continue
            t = r.dport - base
            if not 0 <= t < TRY_SPAN:
                continue
            if r.kind == "udp":
                if 0 <= r.sport - base < TRY_SPAN:
                    # our own probe seen on loopback (a reply from a port inside our
                    # 64-port source range cannot be told apart and is ignored)
                    continue
                out.append((r.remote, r.sport, t, ("open", "udp-response", r.ttl)))
            elif r.kind == "icmp-err" and r.proto == 17 and r.icmp_type == 3:
                if r.icmp_code == 3:
                    out.append((r.remote, r.sport, t, ("closed", "port-unreach", r.ttl)))
                elif r.icmp_code in _FILTER_CODES:
                    out.append((r.remote, r.sport, t,
                                ("filtered", ICMP_UNREACH_REASONS[r.icmp_code], r.ttl)))
        return out
