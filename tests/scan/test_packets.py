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
