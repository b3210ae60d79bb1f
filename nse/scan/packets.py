"""Building and parsing probe packets, free of I/O and of third-party packet libraries.

Probes are built with :mod:`struct` and the Internet checksum (RFC 1071); the tests check
every builder byte for byte against dpkt.  dpkt itself is not imported here: importing it
loads every protocol module it has (~40-140 ms of start-up on this machine, measured with
``python -X importtime``), which was a sizeable part of a short scan.

For the hot path of TCP scans (tens of thousands of probes that differ only in the
destination port and the source port) a :class:`TcpTemplate` is built once and then
patched: the checksum is updated incrementally (RFC 1624) for the two changed 16-bit
words.  :meth:`TcpTemplate.build_into` writes a probe straight into a send buffer (see
:class:`nse.scan.rawio.RawIO.send_many`), so no bytes object is made per probe.

Replies are parsed by :func:`parse_reply`: IPv4 TCP, UDP, ICMP echo/timestamp replies and
ICMP errors quoting one of our probes.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["TcpTemplate", "Reply", "parse_reply", "build_udp", "build_icmp_echo",
           "build_icmp_timestamp", "build_arp_request", "parse_arp_reply", "TH",
           "checksum"]


class TH:
    """TCP flag bits (RFC 793 section 3.1)."""

    FIN = 0x01
    SYN = 0x02
    RST = 0x04
    PUSH = 0x08
    ACK = 0x10
    URG = 0x20


IP_PROTO_ICMP = 1
IP_PROTO_TCP = 6
IP_PROTO_UDP = 17
ICMP_ECHOREPLY = 0
ICMP_UNREACH = 3
ICMP_SRCQUENCH = 4
ICMP_ECHO = 8
ICMP_TIMEXCEED = 11
ICMP_PARAMPROB = 12
ICMP_TSTAMP = 13
ICMP_TSTAMPREPLY = 14

_IP_HDR = struct.Struct("!BBHHHBBH4s4s")


def _sum16(data: bytes) -> int:
    """One's complement sum of 16-bit big-endian words, not yet folded or inverted."""
    if len(data) & 1:
        data += b"\x00"
    return sum(struct.unpack(f"!{len(data) // 2}H", data))


def checksum(data: bytes, initial: int = 0) -> int:
    """The Internet checksum (RFC 1071) of ``data`` (plus a partial sum ``initial``)."""
    s = initial + _sum16(data)
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _ip(src: bytes, dst: bytes, proto: int, payload: bytes, ttl: int = 64,
        ident: int = 0) -> bytes:
    """An IPv4 header without options (DF clear) in front of ``payload``."""
    total = 20 + len(payload)
    hdr = _IP_HDR.pack(0x45, 0, total, ident, 0, ttl, proto, 0, src, dst)
    hdr = _IP_HDR.pack(0x45, 0, total, ident, 0, ttl, proto, checksum(hdr), src, dst)
    return hdr + payload


def _pseudo_sum(src: bytes, dst: bytes, proto: int, length: int) -> int:
    """Partial sum of the TCP/UDP pseudo-header (RFC 793 section 3.1, RFC 768)."""
    return _sum16(struct.pack("!4s4sxBH", src, dst, proto, length))


def _tcp(src: bytes, dst: bytes, sport: int, dport: int, seq: int, ack: int, flags: int,
         win: int, opts: bytes) -> bytes:
    off = (20 + len(opts)) // 4
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags, win, 0, 0) + opts
    s = checksum(seg, _pseudo_sum(src, dst, IP_PROTO_TCP, len(seg)))
    return seg[:16] + struct.pack("!H", s) + seg[18:]


class TcpTemplate:
    """A TCP probe (IPv4, IP header included) whose ports can be changed cheaply."""

    # offsets in the IPv4 packet (20-byte IP header)
    _SPORT = 20
    _DPORT = 22
    _SUM = 36

    def __init__(self, src: bytes, dst: bytes, flags: int, seq: int = 0, ack: int = 0,
                 win: int = 1024, ttl: int = 64, ident: int = 0, mss: bool = True) -> None:
        opts = b"\x02\x04\x05\xb4" if mss else b""
        tcp = _tcp(src, dst, 0, 0, seq, ack, flags, win, opts)
        self.packet = bytearray(_ip(src, dst, IP_PROTO_TCP, tcp, ttl, ident))
        self.length = len(self.packet)
        # checksum computed with both ports 0: the base for incremental updates
        (self._base_sum,) = struct.unpack_from("!H", self.packet, self._SUM)
        #: ~checksum with both ports 0, so that a probe's sum is ~fold(_nsum + sport + dport)
        self._nsum = ~self._base_sum & 0xFFFF
        self._mid = bytes(self.packet[24:36])  # sequence, ack, offset, flags, window

    def build(self, sport: int, dport: int) -> bytes:
        """The probe with the given ports (checksum updated per RFC 1624, eq. 3)."""
        p = self.packet
        self.build_into(p, 0, sport, dport)
        return bytes(p)

    def build_into(self, buf: bytearray | memoryview, offset: int, sport: int,
                   dport: int) -> None:
        """Write the probe with the given ports into ``buf`` at ``offset``."""
        # HC' = ~(~HC + ~m + m'), with m = 0 for both words: just add the new values.
        s = self._nsum + sport + dport
        s = (s & 0xFFFF) + (s >> 16)
        s = (s & 0xFFFF) + (s >> 16)
        buf[offset:offset + self.length] = self.packet
        _PORTS(buf, offset + 20, sport, dport)
        _SUM(buf, offset + 36, ~s & 0xFFFF)

    def copy_into(self, buf: bytearray | memoryview, slot: int, start: int, stop: int) -> None:
        """Write the template into slots ``start`` to ``stop - 1`` of ``buf`` (slot ``i``
        at ``i * slot``), for :meth:`stamp_batch`."""
        for i in range(start, stop):
            buf[i * slot:i * slot + self.length] = self.packet

    def stamp_batch(self, buf: bytearray | memoryview, slot: int,
                    probes: Iterable[tuple[int, int]], base: int, span: int) -> None:
        """Turn consecutive slots of ``buf`` that hold this template (:meth:`copy_into`)
        into the probes ``(destination port, try)``: source port ``base + try % span``,
        destination port and checksum (as :meth:`build_into`) written by one C call per
        probe over bytes 20-37, the fields between the ports and the checksum passed
        through unchanged (struct's pad bytes would write zeros)."""
        nsum = self._nsum
        mid = self._mid
        stamp = _STAMP
        off = 20
        for dport, tryno in probes:
            sport = base + tryno % span
            s = nsum + sport + dport
            s = (s & 0xFFFF) + (s >> 16)
            s = (s & 0xFFFF) + (s >> 16)
            stamp(buf, off, sport, dport, mid, ~s & 0xFFFF)
            off += slot


# (struct pad bytes would write zeros over the fields between, hence two calls)
_PORTS = struct.Struct("!HH").pack_into
_SUM = struct.Struct("!H").pack_into
# ports, the 12 bytes of sequence to window (the template's own), checksum
_STAMP = struct.Struct("!HH12sH").pack_into


def build_udp(src: bytes, dst: bytes, sport: int, dport: int, payload: bytes,
              ttl: int = 64) -> bytes:
    """An IPv4 UDP probe."""
    ulen = 8 + len(payload)
    seg = struct.pack("!HHHH", sport, dport, ulen, 0) + payload
    s = checksum(seg, _pseudo_sum(src, dst, IP_PROTO_UDP, ulen))
    if s == 0:
        s = 0xFFFF  # RFC 768: a computed zero is sent as all ones
    return _ip(src, dst, IP_PROTO_UDP, seg[:6] + struct.pack("!H", s) + seg[8:], ttl)


def _icmp(type_: int, code: int, body: bytes) -> bytes:
    msg = struct.pack("!BBH", type_, code, 0) + body
    return msg[:2] + struct.pack("!H", checksum(msg)) + msg[4:]


def build_icmp_echo(src: bytes, dst: bytes, ident: int, seq: int, ttl: int = 64) -> bytes:
    """An ICMP echo request (type 8)."""
    return _ip(src, dst, IP_PROTO_ICMP, _icmp(ICMP_ECHO, 0, struct.pack("!HH", ident, seq)),
               ttl)


def build_icmp_timestamp(src: bytes, dst: bytes, ident: int, seq: int,
                         ttl: int = 64) -> bytes:
    """An ICMP timestamp request (type 13): id, seq and three 32-bit timestamps."""
    body = struct.pack("!HHIII", ident, seq, 0, 0, 0)
    return _ip(src, dst, IP_PROTO_ICMP, _icmp(ICMP_TSTAMP, 0, body), ttl)


ETH_TYPE_ARP = 0x0806
ARP_OP_REQUEST = 1
ARP_OP_REPLY = 2
# Ethernet header, then ARP for IPv4 over Ethernet (RFC 826): hrd=1, pro=0x0800, hln=6, pln=4
_ARP = struct.Struct("!6s6sHHHBBH6s4s6s4s")


def build_arp_request(src_mac: bytes, src_ip: bytes, dst_ip: bytes) -> bytes:
    """A broadcast Ethernet frame with an ARP who-has request."""
    return _ARP.pack(b"\xff" * 6, src_mac, ETH_TYPE_ARP, 1, 0x0800, 6, 4, ARP_OP_REQUEST,
                     src_mac, src_ip, b"\x00" * 6, dst_ip)


def parse_arp_reply(frame: bytes) -> tuple[str, bytes] | None:
    """``(sender ip, sender mac)`` of an ARP reply frame (IPv4 over Ethernet), else None."""
    if len(frame) < _ARP.size:
        return None
    (_dst, _src, etype, _hrd, pro, hln, pln, op, sha, spa, _tha,
     _tpa) = _ARP.unpack_from(frame, 0)
    if etype != ETH_TYPE_ARP or op != ARP_OP_REPLY or hln != 6 or pln != 4 or \
            pro != 0x0800:
        return None
    return socket.inet_ntoa(spa), sha


@dataclass(slots=True)
class Reply:
    """What a received packet tells the scanner.

    ``kind`` is ``"tcp"``, ``"udp"``, ``"icmp"`` (echo/timestamp reply) or ``"icmp-err"``
    (an ICMP error quoting one of our probes).  For ``icmp-err`` the ports and protocol
    are those of the quoted probe, ``remote`` is the probe's destination and ``sender``
    the router or host that sent the error.
    """

    kind: str
    remote: str
    sport: int = 0  # the remote's port (source of a tcp/udp reply; probe dport for errors)
    dport: int = 0  # our port
    flags: int = 0
    ttl: int = 0
    icmp_type: int = -1
    icmp_code: int = -1
    icmp_id: int = 0
    icmp_seq: int = 0
    proto: int = 0  # for icmp-err: protocol of the quoted probe
    sender: str = ""


_unpack_ipv4 = struct.Struct("!BxH4xBB2x4s4s").unpack_from
_unpack_ports_flags = struct.Struct("!HH9xB").unpack_from
_unpack_ports = struct.Struct("!HH").unpack_from
_unpack_icmp = struct.Struct("!BB2xHH").unpack_from
_ICMP_ERRORS = frozenset((ICMP_UNREACH, ICMP_TIMEXCEED, ICMP_SRCQUENCH, ICMP_PARAMPROB))


def parse_reply(buf: bytes) -> Reply | None:
    """Parse an IPv4 packet received by the scanner; None when it is of no interest."""
    if len(buf) < 20:
        return None
    vhl, total, ttl, proto, src, _dst = _unpack_ipv4(buf, 0)
    if vhl >> 4 != 4:
        return None
    hl = (vhl & 15) * 4
    if hl < 20:
        return None
    # the IP total length bounds the payload (a link layer may pad short frames)
    end = min(len(buf), total) if total >= hl else len(buf)
    if proto == IP_PROTO_TCP:
        if end < hl + 14:
            return None
        sport, dport, flags = _unpack_ports_flags(buf, hl)
        return Reply("tcp", socket.inet_ntoa(src), sport, dport, flags & 0x3F, ttl)
    if proto == IP_PROTO_UDP:
        if end < hl + 8:
            return None
        sport, dport = _unpack_ports(buf, hl)
        return Reply("udp", socket.inet_ntoa(src), sport, dport, 0, ttl, proto=17)
    if proto != IP_PROTO_ICMP or end < hl + 8:
        return None
    itype, code, ident, seq = _unpack_icmp(buf, hl)
    if itype in (ICMP_ECHOREPLY, ICMP_TSTAMPREPLY):
        return Reply("icmp", socket.inet_ntoa(src), ttl=ttl, icmp_type=itype,
                     icmp_code=code, icmp_id=ident, icmp_seq=seq, proto=1)
    if itype in _ICMP_ERRORS:
        # The error quotes our IP header + at least 8 bytes of the transport header
        # (RFC 792), after the 4 unused/MTU bytes of the ICMP header.
        quoted = bytes(buf[hl + 8:end])
        if len(quoted) < 28:
            return None
        qhl = (quoted[0] & 15) * 4
        if len(quoted) < qhl + 4:
            return None
        qproto = quoted[9]
        qdst = socket.inet_ntoa(quoted[16:20])
        qsport, qdport = _unpack_ports(quoted, qhl)
        return Reply("icmp-err", qdst, qdport, qsport, 0, ttl, itype, code,
                     proto=qproto, sender=socket.inet_ntoa(src))
    return None
