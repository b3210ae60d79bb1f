"""Probe building and reply parsing, checked byte for byte against dpkt."""

from __future__ import annotations

import socket

import dpkt
import pytest

from nse.scan.packets import (
    TH,
    TcpTemplate,
    build_arp_request,
    build_icmp_echo,
    build_udp,
    parse_arp_reply,
    parse_reply,
)
from nse.scan.payloads import udp_payload

A = socket.inet_aton("10.213.0.1")
B = socket.inet_aton("10.213.0.7")


@pytest.mark.parametrize("sport,dport", [(40000, 1), (33000, 65535), (65535, 65535), (1, 0)])
def test_template_checksum_matches_dpkt(sport: int, dport: int) -> None:
    t = TcpTemplate(A, B, TH.SYN, seq=0xDEADBEEF)
    pkt = t.build(sport, dport)
    ip = dpkt.ip.IP(pkt)
    tcp = ip.data
    assert (tcp.sport, tcp.dport, tcp.flags, tcp.seq) == (sport, dport, TH.SYN, 0xDEADBEEF)
    # let dpkt recompute the checksum from scratch and compare
    fresh = dpkt.ip.IP(pkt)
    fresh.data.sum = 0
    fresh.sum = 0
    assert dpkt.ip.IP(bytes(fresh)).data.sum == tcp.sum
    assert dpkt.ip.IP(bytes(fresh)).sum == ip.sum


def _reply_tcp(flags: int) -> bytes:
    tcp = dpkt.tcp.TCP(sport=80, dport=40001, flags=flags, seq=1, ack=2)
    ip = dpkt.ip.IP(src=B, dst=A, p=6, ttl=63, data=tcp)
    ip.len = len(ip)
    return bytes(ip)


def test_parse_tcp_fast_path_agrees_with_dpkt() -> None:
    for flags in (TH.SYN | TH.ACK, TH.RST, TH.RST | TH.ACK):
        buf = _reply_tcp(flags)
        r = parse_reply(buf)
        d = dpkt.ip.IP(buf)
        assert r is not None
        assert (r.kind, r.remote, r.sport, r.dport, r.flags, r.ttl) == (
            "tcp", "10.213.0.7", d.data.sport, d.data.dport, d.data.flags, d.ttl)


def test_parse_icmp_port_unreachable_quotes_probe() -> None:
    probe = build_udp(A, B, 41000, 161, udp_payload(161))
    icmp = dpkt.icmp.ICMP(type=3, code=3, data=dpkt.icmp.ICMP.Unreach(data=dpkt.ip.IP(probe)))
    ip = dpkt.ip.IP(src=B, dst=A, p=1, ttl=64, data=icmp)
    ip.len = len(ip)
    r = parse_reply(bytes(ip))
    assert r is not None
    assert (r.kind, r.remote, r.sport, r.dport, r.proto, r.icmp_type, r.icmp_code) == (
        "icmp-err", "10.213.0.7", 161, 41000, 17, 3, 3)


def test_parse_echo_reply() -> None:
    req = dpkt.ip.IP(build_icmp_echo(A, B, 0x1234, 2))
    rep = dpkt.icmp.ICMP(type=0, data=req.data.data)
    ip = dpkt.ip.IP(src=B, dst=A, p=1, data=rep)
    ip.len = len(ip)
    r = parse_reply(bytes(ip))
    assert r is not None and (r.kind, r.icmp_id, r.icmp_seq) == ("icmp", 0x1234, 2)


def test_arp_round_trip() -> None:
    mac = bytes.fromhex("020000000001")
    frame = build_arp_request(mac, A, B)
    eth = dpkt.ethernet.Ethernet(frame)
    assert eth.dst == b"\xff" * 6 and eth.data.tpa == B
    reply = dpkt.ethernet.Ethernet(
        dst=mac, src=bytes.fromhex("020000000007"), type=dpkt.ethernet.ETH_TYPE_ARP,
        data=dpkt.arp.ARP(op=dpkt.arp.ARP_OP_REPLY, sha=bytes.fromhex("020000000007"),
                          spa=B, tha=mac, tpa=A))
    assert parse_arp_reply(bytes(reply)) == ("10.213.0.7", bytes.fromhex("020000000007"))
    assert parse_arp_reply(frame) is None  # a request is not a reply


def test_payloads_parse_as_their_protocols() -> None:
    dns = dpkt.dns.DNS(udp_payload(53))
    assert dns.qd[0].type == dpkt.dns.DNS_NS and dns.rd == 1
    snmp = udp_payload(161)
    assert snmp[0] == 0x30 and b"public" in snmp and snmp[1] == len(snmp) - 2
    assert len(udp_payload(123)) == 48
    assert udp_payload(9999) == b""


# -- the builders are our own code (no dpkt at run time): byte for byte against dpkt ------

def _dpkt_ip(proto: int, data: dpkt.Packet, ttl: int = 64, ident: int = 0) -> bytes:
    ip = dpkt.ip.IP(src=A, dst=B, p=proto, ttl=ttl, id=ident, data=data)
    ip.len = len(ip)
    return bytes(ip)


@pytest.mark.parametrize("flags,mss,seq,ack", [(TH.SYN, True, 0xDEADBEEF, 0),
                                               (TH.ACK, False, 7, 0x12345678),
                                               (TH.FIN | TH.PUSH | TH.URG, False, 1, 0),
                                               (0, False, 0, 0)])
def test_tcp_template_bytes_equal_dpkt(flags: int, mss: bool, seq: int, ack: int) -> None:
    t = TcpTemplate(A, B, flags, seq=seq, ack=ack, ttl=51, ident=99, mss=mss)
    for sport, dport in ((40000, 80), (65535, 65535), (33000, 1)):
        opts = b"\x02\x04\x05\xb4" if mss else b""
        tcp = dpkt.tcp.TCP(sport=sport, dport=dport, seq=seq, ack=ack, flags=flags,
                           win=1024, opts=opts)
        tcp.off = (20 + len(opts)) // 4
        want = _dpkt_ip(6, tcp, 51, 99)
        assert t.build(sport, dport) == want
        buf = bytearray(100)
        t.build_into(buf, 30, sport, dport)
        assert bytes(buf[30:30 + len(want)]) == want and buf[:30] == bytearray(30)


@pytest.mark.parametrize("dport", [53, 161, 123, 9999, 0])
def test_build_udp_equals_dpkt(dport: int) -> None:
    payload = udp_payload(dport)
    udp = dpkt.udp.UDP(sport=41000, dport=dport, data=payload)
    udp.ulen = len(udp)
    assert build_udp(A, B, 41000, dport, payload, ttl=33) == _dpkt_ip(17, udp, 33)


def test_build_udp_zero_checksum_is_sent_as_ones() -> None:
    # find ports whose checksum comes out as 0 and check RFC 768's rule as dpkt applies it
    for sport in range(1, 70000):
        pkt = build_udp(A, B, sport & 0xFFFF, 7, b"")
        if pkt[26:28] == b"\xff\xff":
            udp = dpkt.udp.UDP(sport=sport & 0xFFFF, dport=7, data=b"")
            udp.ulen = 8
            assert pkt == _dpkt_ip(17, udp)
            return
    raise AssertionError("no port gives a zero checksum")


def test_build_icmp_equals_dpkt() -> None:
    from nse.scan.packets import build_icmp_timestamp
    echo = dpkt.icmp.ICMP(type=8, data=dpkt.icmp.ICMP.Echo(id=0x1234, seq=7, data=b""))
    assert build_icmp_echo(A, B, 0x1234, 7) == _dpkt_ip(1, echo)
    ts = dpkt.icmp.ICMP(type=13, data=bytes.fromhex("abcd0003") + b"\x00" * 12)
    assert build_icmp_timestamp(A, B, 0xABCD, 3) == _dpkt_ip(1, ts)


def test_parse_udp_and_timestamp_and_truncated() -> None:
    udp = dpkt.udp.UDP(sport=53, dport=41002, data=b"x" * 5)
    udp.ulen = len(udp)
    ip = dpkt.ip.IP(src=B, dst=A, p=17, ttl=60, data=udp)
    ip.len = len(ip)
    r = parse_reply(bytes(ip) + b"\x00" * 10)  # Ethernet padding after the datagram
    assert r is not None and (r.kind, r.remote, r.sport, r.dport, r.ttl) == (
        "udp", "10.213.0.7", 53, 41002, 60)
    ts = dpkt.icmp.ICMP(type=14, data=bytes.fromhex("abcd0003") + b"\x00" * 12)
    ip = dpkt.ip.IP(src=B, dst=A, p=1, data=ts)
    ip.len = len(ip)
    r = parse_reply(bytes(ip))
    assert r is not None and (r.kind, r.icmp_type, r.icmp_id, r.icmp_seq) == (
        "icmp", 14, 0xABCD, 3)
    assert parse_reply(bytes(ip)[:24]) is None  # truncated ICMP
    assert parse_reply(b"\x60" + bytes(39)) is None  # not IPv4
    # a TCP probe quoted in a host-unreachable error
    probe = TcpTemplate(A, B, TH.SYN).build(40003, 443)
    icmp = dpkt.icmp.ICMP(type=3, code=1, data=dpkt.icmp.ICMP.Unreach(data=dpkt.ip.IP(probe)))
    ip = dpkt.ip.IP(src=socket.inet_aton("10.213.0.254"), dst=A, p=1, ttl=250, data=icmp)
    ip.len = len(ip)
    r = parse_reply(bytes(ip))
    assert r is not None and (r.kind, r.remote, r.sport, r.dport, r.proto, r.icmp_code,
                              r.sender, r.ttl) == (
        "icmp-err", "10.213.0.7", 443, 40003, 6, 1, "10.213.0.254", 250)


def test_packets_module_does_not_import_dpkt() -> None:
    import subprocess
    import sys
    code = "import sys, nse.scan.packets, nse.scan.portscan; print('dpkt' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def test_tcp_driver_drain_reads_chunks_in_place() -> None:
    """The SYN scan's receive path (header fields unpacked in C over whole receive slots,
    the odd packets parsed one by one) gives what parse_reply gives."""
    import random

    from nse.scan.portscan import TcpScanDriver
    from nse.scan.rawio import RECV_SLOT
    from nse.scan.services import load_services

    class FakeIO:
        def __init__(self, chunks: list[list[bytes]], stale: bytes = b"") -> None:
            self.chunks = chunks
            self.stale = stale

        def recv_chunks(self, limit: int = 4096):  # type: ignore[no-untyped-def]
            for pkts in self.chunks:
                # every slot holds an older packet, as the real buffer does
                buf = bytearray(self.stale.ljust(RECV_SLOT, b"\0") * len(pkts))
                for i, p in enumerate(pkts):
                    buf[i * RECV_SLOT:i * RECV_SLOT + len(p)] = p
                yield memoryview(buf), [len(p) for p in pkts]

    drv = TcpScanDriver(FakeIO([]), load_services(use_nmap=False), "syn",  # type: ignore[arg-type]
                        {"10.213.0.7": "10.213.0.1"}, random.Random(5))
    base = drv.base

    def reply(sport: int, try_: int, flags: int, ttl: int = 64, opts: bytes = b"") -> bytes:
        tcp = dpkt.tcp.TCP(sport=sport, dport=base + try_, flags=flags, seq=1, ack=2)
        ip = dpkt.ip.IP(src=B, dst=A, p=6, ttl=ttl, data=tcp, opts=opts)
        ip.hl = 5 + len(opts) // 4
        ip.len = len(ip)
        return bytes(ip)

    probe = TcpTemplate(A, B, TH.SYN).build(base + 1, 443)
    icmp = dpkt.icmp.ICMP(type=3, code=13, data=dpkt.icmp.ICMP.Unreach(data=dpkt.ip.IP(probe)))
    err = dpkt.ip.IP(src=B, dst=A, p=1, ttl=60, data=icmp)
    err.len = len(err)
    chunks = [[reply(22, 0, TH.SYN | TH.ACK), reply(23, 0, TH.RST | TH.ACK, ttl=63),
               reply(24, 0, TH.ACK),  # neither: ignored
               reply(25, 2, TH.RST, opts=b"\x01\x01\x01\x00"),  # IP options: slow path
               reply(26, 100, TH.RST),  # not our source port range
               b"\x45\x00\x00"],  # truncated: stale bytes after it must not be read
              [bytes(err)]]
    drv.io = FakeIO(chunks, stale=reply(99, 0, TH.RST))  # type: ignore[assignment]
    got = drv._drain(None)
    assert got == [
        ("10.213.0.7", 22, 0, ("open", "syn-ack", 64)),
        ("10.213.0.7", 23, 0, ("closed", "reset", 63)),
        ("10.213.0.7", 25, 2, ("closed", "reset", 64)),
        ("10.213.0.7", 443, 1, ("filtered", "admin-prohibited", 60)),
    ]



def test_send_many_batches_equal_single_builds() -> None:
    """The SYN driver's batches (the template copied into a slot once, then only ports
    and checksum rewritten per probe) hold what TcpTemplate.build gives, also when bursts
    for two hosts alternate in the one buffer and bursts grow and shrink."""
    import random

    from nse.scan.portscan import TRY_SPAN, TcpScanDriver
    from nse.scan.rawio import SEND_BATCH, _MMsg
    from nse.scan.services import load_services
    from nse.scan.timing import CongestionParams, template
    from nse.scan.ultra import HostState

    class FakeIO:
        can_batch = True

        def __init__(self) -> None:
            self.buf = _MMsg(SEND_BATCH, 64, 16)
            self.sent: list[tuple[str, bytes]] = []

        def batch_buffer(self) -> _MMsg:
            return self.buf

        def send_batch(self, b: _MMsg, count: int, length: int, dst: str) -> int:
            self.sent += [(dst, bytes(b.view[i * b.slot:i * b.slot + length]))
                          for i in range(count)]
            return count

    io = FakeIO()
    srcs = {"10.213.0.7": "10.213.0.1", "10.213.0.9": "10.213.0.1"}
    drv = TcpScanDriver(io, load_services(use_nmap=False), "syn", srcs,  # type: ignore[arg-type]
                        random.Random(3))
    timing = template(3)
    rng = random.Random(4)
    want: list[tuple[str, bytes]] = []
    for ip, size in (("10.213.0.7", 3), ("10.213.0.7", 64), ("10.213.0.9", 1),
                     ("10.213.0.9", 40), ("10.213.0.7", 64), ("10.213.0.7", 2),
                     ("10.213.0.9", 64)):
        probes = [(rng.randrange(0, 65536), rng.choice([0, 0, 1, 2, 70])) for _ in range(size)]
        h = HostState(ip, [], timing, CongestionParams.from_timing(timing))
        assert drv.send_many(h, probes) == size  # type: ignore[arg-type]
        want += [(ip, drv.templates[ip].build(drv.base + t % TRY_SPAN, p)) for p, t in probes]
    assert io.sent == want
