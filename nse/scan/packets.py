"""Building and parsing probe packets (dpkt), free of I/O.

Probes are built with dpkt.  For the hot path of TCP scans (tens of thousands of probes
that differ only in the destination port and the source port) a :class:`TcpTemplate` is
built once by dpkt and then patched: the checksum is updated incrementally (RFC 1624) for
the two changed 16-bit words.  Measured: dpkt's full build is ~9 us per packet, the patch
~1 us, which is the difference between beating nmap on a full 65535-port scan or not.

Replies are parsed by :func:`parse_reply`: a struct fast path for the common IPv4 TCP
reply and dpkt for everything else (ICMP errors with the quoted packet, UDP).  Tests check
that both paths agree with dpkt on the same bytes.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

import dpkt

__all__ = ["TcpTemplate", "Reply", "parse_reply", "build_udp", "build_icmp_echo",
           "build_icmp_timestamp", "build_arp_request", "parse_arp_reply", "TH"]


class TH:
    """TCP flag bits."""

    FIN = dpkt.tcp.TH_FIN
    SYN = dpkt.tcp.TH_SYN
    RST = dpkt.tcp.TH_RST
    PUSH = dpkt.tcp.TH_PUSH
    ACK = dpkt.tcp.TH_ACK
    URG = dpkt.tcp.TH_URG


def _ip(src: bytes, dst: bytes, proto: int, data: dpkt.Packet, ttl: int = 64,
        ident: int = 0) -> bytes:
    ip = dpkt.ip.IP(src=src, dst=dst, p=proto, ttl=ttl, id=ident, data=data)
    ip.len = len(ip)
    return bytes(ip)


class TcpTemplate:
    """A TCP probe (IPv4, IP header included) whose ports can be changed cheaply."""

    # offsets in the IPv4 packet (20-byte IP header)
    _SPORT = 20
    _DPORT = 22
    _SUM = 36

    def __init__(self, src: bytes, dst: bytes, flags: int, seq: int = 0, ack: int = 0,
                 win: int = 1024, ttl: int = 64, ident: int = 0, mss: bool = True) -> None:
        opts = b"\x02\x04\x05\xb4" if mss else b""
        tcp = dpkt.tcp.TCP(sport=0, dport=0, seq=seq, ack=ack, flags=flags, win=win,
                           opts=opts)
        tcp.off = (20 + len(opts)) // 4
        self.packet = bytearray(_ip(src, dst, dpkt.ip.IP_PROTO_TCP, tcp, ttl, ident))
        # checksum computed by dpkt with both ports 0: the base for incremental updates
        (self._base_sum,) = struct.unpack_from("!H", self.packet, self._SUM)

    def build(self, sport: int, dport: int) -> bytes:
        """The probe with the given ports (checksum updated per RFC 1624, eq. 3)."""
        # HC' = ~(~HC + ~m + m'), with m = 0 for both words: just add the new values.
        s = (~self._base_sum & 0xFFFF) + sport + dport
        s = (s & 0xFFFF) + (s >> 16)
        s = (s & 0xFFFF) + (s >> 16)
        p = self.packet
        struct.pack_into("!HH", p, self._SPORT, sport, dport)
        struct.pack_into("!H", p, self._SUM, ~s & 0xFFFF)
        return bytes(p)


def build_udp(src: bytes, dst: bytes, sport: int, dport: int, payload: bytes,
              ttl: int = 64) -> bytes:
    """An IPv4 UDP probe."""
    udp = dpkt.udp.UDP(sport=sport, dport=dport, data=payload)
    udp.ulen = len(udp)
    return _ip(src, dst, dpkt.ip.IP_PROTO_UDP, udp, ttl)


def build_icmp_echo(src: bytes, dst: bytes, ident: int, seq: int, ttl: int = 64) -> bytes:
    """An ICMP echo request (type 8)."""
    icmp = dpkt.icmp.ICMP(type=dpkt.icmp.ICMP_ECHO,
                          data=dpkt.icmp.ICMP.Echo(id=ident, seq=seq, data=b""))
    return _ip(src, dst, dpkt.ip.IP_PROTO_ICMP, icmp, ttl)


def build_icmp_timestamp(src: bytes, dst: bytes, ident: int, seq: int,
                         ttl: int = 64) -> bytes:
    """An ICMP timestamp request (type 13): id, seq and three 32-bit timestamps."""
    body = struct.pack("!HHIII", ident, seq, 0, 0, 0)
    icmp = dpkt.icmp.ICMP(type=dpkt.icmp.ICMP_TSTAMP, data=body)
    return _ip(src, dst, dpkt.ip.IP_PROTO_ICMP, icmp, ttl)


def build_arp_request(src_mac: bytes, src_ip: bytes, dst_ip: bytes) -> bytes:
    """A broadcast Ethernet frame with an ARP who-has request."""
    arp = dpkt.arp.ARP(sha=src_mac, spa=src_ip, tha=b"\x00" * 6, tpa=dst_ip,
                       op=dpkt.arp.ARP_OP_REQUEST)
    eth = dpkt.ethernet.Ethernet(dst=b"\xff" * 6, src=src_mac, type=dpkt.ethernet.ETH_TYPE_ARP,
                                 data=arp)
    return bytes(eth)


def parse_arp_reply(frame: bytes) -> tuple[str, bytes] | None:
    """``(sender ip, sender mac)`` of an ARP reply frame, else None."""
    try:
        eth = dpkt.ethernet.Ethernet(frame)
    except (dpkt.UnpackError, struct.error):
        return None
    arp = eth.data
    if not isinstance(arp, dpkt.arp.ARP) or arp.op != dpkt.arp.ARP_OP_REPLY:
        return None
    return socket.inet_ntoa(arp.spa), bytes(arp.sha)


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


_unpack_ipv4 = struct.Struct("!B7xBBxx4s4s").unpack_from
_unpack_ports_flags = struct.Struct("!HH9xB").unpack_from


def parse_reply(buf: bytes) -> Reply | None:
    """Parse an IPv4 packet received by the scanner; None when it is of no interest."""
    if len(buf) < 20:
        return None
    vhl, ttl, proto, src, _dst = _unpack_ipv4(buf, 0)
    if vhl >> 4 != 4:
        return None
    hl = (vhl & 15) * 4
    if proto == 6 and len(buf) >= hl + 14:
        # fast path: ports and flags of a TCP segment
        sport, dport, flags = _unpack_ports_flags(buf, hl)
        return Reply("tcp", socket.inet_ntoa(src), sport, dport, flags & 0x3F, ttl)
    try:
        ip = dpkt.ip.IP(buf)
    except (dpkt.UnpackError, struct.error):
        return None
    remote = socket.inet_ntoa(ip.src)
    data = ip.data
    if isinstance(data, dpkt.udp.UDP):
        return Reply("udp", remote, data.sport, data.dport, 0, ttl, proto=17)
    if not isinstance(data, dpkt.icmp.ICMP):
        return None
    icmp = data
    if icmp.type in (dpkt.icmp.ICMP_ECHOREPLY, dpkt.icmp.ICMP_TSTAMPREPLY):
        body = bytes(icmp.data) if icmp.type == dpkt.icmp.ICMP_TSTAMPREPLY else None
        if body is None:
            echo = icmp.data
            ident, seq = (echo.id, echo.seq) if isinstance(echo, dpkt.icmp.ICMP.Echo) \
                else (0, 0)
        else:
            if len(body) < 4:
                return None
            ident, seq = struct.unpack_from("!HH", body, 0)
        return Reply("icmp", remote, ttl=ttl, icmp_type=icmp.type, icmp_code=icmp.code,
                     icmp_id=ident, icmp_seq=seq, proto=1)
    if icmp.type in (dpkt.icmp.ICMP_UNREACH, dpkt.icmp.ICMP_TIMEXCEED,
                     dpkt.icmp.ICMP_SRCQUENCH, dpkt.icmp.ICMP_PARAMPROB):
        # The error quotes our IP header + at least 8 bytes of the transport header.
        quoted = bytes(icmp.data)[4:]
        if len(quoted) < 28:
            return None
        qhl = (quoted[0] & 15) * 4
        if len(quoted) < qhl + 4:
            return None
        qproto = quoted[9]
        qdst = socket.inet_ntoa(quoted[16:20])
        qsport, qdport = struct.unpack_from("!HH", quoted, qhl)
        return Reply("icmp-err", qdst, qdport, qsport, 0, ttl, icmp.type, icmp.code,
                     proto=qproto, sender=remote)
    return None
