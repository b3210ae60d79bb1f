"""``--packet-trace`` lines in nmap's format (pure: bytes in, one line out).

nmap prints one line per packet sent and received, its time since the scan started with
four decimals, and the packet summarised at nmap's "low detail"::

    SENT (0.0960s) TCP 127.0.0.1:57210 > 127.0.0.1:8081 S ttl=38 id=23400 iplen=44  seq=757749267 win=1024 <mss 1460>
    RCVD (0.0960s) TCP 127.0.0.1:8082 > 127.0.0.1:57210 RA ttl=64 id=0 iplen=40  seq=0 win=0
    SENT (0.1061s) UDP 127.0.0.1:53049 > 127.0.0.1:8082 ttl=40 id=52785 iplen=28
    RCVD (0.1061s) ICMP [127.0.0.1 > 127.0.0.1 Port unreachable (type=3/code=3) ] IP [ttl=64 id=64301 iplen=56 ]
    SENT (0.0300s) ARP who-has 10.0.0.2 tell 10.0.0.1
    CONN (0.0582s) TCP localhost > 127.0.0.1:8082 => Operation now in progress
    CONN (0.0583s) TCP localhost > 127.0.0.1:8082 => Connection refused

(recorded from nmap 7.93; the double space before ``seq`` is nmap's, the TCP and UDP lines
end with a space, and a TCP packet without flags shows an empty flag field).  The runner feeds
:class:`Tracer` from its tracing wrappers around the raw sockets and the connect driver.
"""  # noqa: E501

from __future__ import annotations

import os
import socket
import struct
import time
from collections.abc import Callable

__all__ = ["Tracer", "describe_ipv4", "describe_arp", "tcp_flags", "connect_result"]

_FLAG_LETTERS = ((0x02, "S"), (0x01, "F"), (0x04, "R"), (0x08, "P"), (0x10, "A"),
                 (0x20, "U"), (0x40, "E"), (0x80, "C"))

#: ICMP (type, code) -> nmap's words
_ICMP_NAMES = {
    (0, 0): "Echo reply", (8, 0): "Echo request", (13, 0): "Timestamp request",
    (14, 0): "Timestamp reply", (17, 0): "Address mask request",
    (18, 0): "Address mask reply", (3, 0): "Network unreachable",
    (3, 1): "Host unreachable", (3, 2): "Protocol unreachable", (3, 3): "Port unreachable",
    (3, 4): "Fragmentation required", (3, 9): "Network administratively prohibited",
    (3, 10): "Host administratively prohibited",
    (3, 13): "Communication administratively prohibited", (11, 0): "TTL=0 during transit",
    (11, 1): "TTL=0 during reassembly",
}


def tcp_flags(flags: int) -> str:
    """nmap's flag letters, in nmap's order (SYN, FIN, RST, PSH, ACK, URG, ECE, CWR)."""
    return "".join(letter for bit, letter in _FLAG_LETTERS if flags & bit)


def _tcp_options(opts: bytes) -> str:
    """``<mss 1460,sackOK,timestamp 1 0,nop,wscale 7>`` as nmap writes them."""
    out: list[str] = []
    i = 0
    while i < len(opts):
        kind = opts[i]
        if kind == 0:
            out.append("eol")
            break
        if kind == 1:
            out.append("nop")
            i += 1
            continue
        if i + 1 >= len(opts) or opts[i + 1] < 2:
            out.append("malformed")
            break
        length = opts[i + 1]
        body = opts[i + 2:i + length]
        if kind == 2 and len(body) == 2:
            out.append(f"mss {struct.unpack('!H', body)[0]}")
        elif kind == 3 and len(body) == 1:
            out.append(f"wscale {body[0]}")
        elif kind == 4:
            out.append("sackOK")
        elif kind == 8 and len(body) == 8:
            a, b = struct.unpack("!II", body)
            out.append(f"timestamp {a} {b}")
        else:
            out.append(f"unknown-{kind}")
        i += length
    return f"<{','.join(out)}>" if out else ""


def describe_ipv4(pkt: bytes) -> str:
    """One IPv4 packet (from its IP header on) in nmap's words."""
    if len(pkt) < 20 or pkt[0] >> 4 != 4:
        return f"Unknown packet ({len(pkt)} bytes)"
    ihl = (pkt[0] & 0x0F) * 4
    iplen, ipid = struct.unpack("!HH", pkt[2:6])
    ttl, proto = pkt[8], pkt[9]
    src, dst = socket.inet_ntoa(pkt[12:16]), socket.inet_ntoa(pkt[16:20])
    body = pkt[ihl:]
    ipinfo = f"ttl={ttl} id={ipid} iplen={iplen}"
    if proto == 6 and len(body) >= 20:
        sport, dport, seq, _ack, off, flags, win = struct.unpack("!HHIIBBH", body[:16])
        opts = _tcp_options(body[20:(off >> 4) * 4])
        return (f"TCP {src}:{sport} > {dst}:{dport} {tcp_flags(flags)} {ipinfo}  "
                f"seq={seq} win={win} {opts}")
    if proto == 17 and len(body) >= 8:
        sport, dport = struct.unpack("!HH", body[:4])
        return f"UDP {src}:{sport} > {dst}:{dport} {ipinfo} "
    if proto == 1 and len(body) >= 4:
        return _describe_icmp(src, dst, body, ipinfo)
    return f"IP {src} > {dst} proto={proto} {ipinfo} "


def _describe_icmp(src: str, dst: str, body: bytes, ipinfo: str) -> str:
    itype, code = body[0], body[1]
    name = _ICMP_NAMES.get((itype, code), f"type {itype} code {code}")
    extra = " "
    if itype in (0, 8, 13, 14, 17, 18) and len(body) >= 8:
        ident, seq = struct.unpack("!HH", body[4:8])
        extra = f" id={ident} seq={seq}"
    elif (itype, code) == (3, 3) and len(body) > 8 + 20 + 8:
        # nmap names the port when the quoted datagram carries more than its headers
        inner = body[8:]
        ihl = (inner[0] & 0x0F) * 4
        if inner[9] == 17 and len(inner) >= ihl + 4:
            dport = struct.unpack("!H", inner[ihl + 2:ihl + 4])[0]
            name = f"Port {dport} unreachable"
    return f"ICMP [{src} > {dst} {name} (type={itype}/code={code}){extra}] IP [{ipinfo} ]"


def describe_arp(frame: bytes) -> str:
    """An Ethernet ARP frame: ``ARP who-has A tell B`` / ``ARP reply A is-at MAC``."""
    arp = frame[14:] if len(frame) >= 14 + 28 and frame[12:14] == b"\x08\x06" else frame
    if len(arp) < 28:
        return f"ARP ({len(frame)} bytes)"
    op = struct.unpack("!H", arp[6:8])[0]
    sha, spa, tpa = arp[8:14], socket.inet_ntoa(arp[14:18]), socket.inet_ntoa(arp[24:28])
    if op == 1:
        return f"ARP who-has {tpa} tell {spa}"
    if op == 2:
        return f"ARP reply {spa} is-at {':'.join(f'{b:02X}' for b in sha)}"
    return f"ARP op={op} {spa} > {tpa}"


def connect_result(err: int | None) -> str:
    """nmap's words for a connect() outcome: errno 0 is "Connected", EINPROGRESS is
    "Operation now in progress", others the C library's message."""
    if not err:
        return "Connected"
    return os.strerror(err)


class Tracer:
    """Writes trace lines (``write`` gets one line, without newline) timed from creation."""

    def __init__(self, write: Callable[[str], None],
                 clock: Callable[[], float] = time.monotonic, t0: float | None = None) -> None:
        self.write = write
        self.clock = clock
        self.t0 = clock() if t0 is None else t0

    def _stamp(self) -> str:
        return f"({self.clock() - self.t0:.4f}s)"

    def sent(self, pkt: bytes) -> None:
        """An IPv4 packet went out."""
        self.write(f"SENT {self._stamp()} {describe_ipv4(pkt)}")

    def rcvd(self, pkt: bytes) -> None:
        """An IPv4 packet came in."""
        self.write(f"RCVD {self._stamp()} {describe_ipv4(pkt)}")

    def arp(self, direction: str, frame: bytes) -> None:
        """``direction`` "SENT" or "RCVD"."""
        self.write(f"{direction} {self._stamp()} {describe_arp(frame)}")

    def conn(self, ip: str, port: int, err: int | None) -> None:
        """A TCP connect() was started (EINPROGRESS) or finished (0 or an errno)."""
        # nmap writes IPv6 addresses unbracketed here too ("::1:8081")
        self.write(f"CONN {self._stamp()} TCP localhost > {ip}:{port} => "
                   f"{connect_result(err)}")
