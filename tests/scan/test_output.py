"""Normal output of scan results (layout of nmap's normal output)."""

from __future__ import annotations

import pytest

from nse.output.normal import format_footer, format_host, seconds_2sig
from nse.scan.macvendors import mac_vendor
from nse.scan.model import Host, Port, Times


def host_with(ports: list[Port], **kw: object) -> Host:
    h = Host(ip="10.213.0.7", up=True, reason="arp-response", times=Times(0.00042, 0.0001),
             **kw)  # type: ignore[arg-type]
    for p in ports:
        h.ports[(p.protocol, p.number)] = p
    return h


def test_closed_ports_summarised_and_columns_aligned() -> None:
    ports = [Port(n, "tcp", "closed", "reset", 64) for n in range(1, 101)]
    ports[21] = Port(22, "tcp", "open", "syn-ack", 64, "ssh")
    ports += [Port(8080, "tcp", "filtered", "no-response", 0, "http-proxy")]
    text = format_host(host_with(ports, mac_addr=bytes.fromhex("020000000007")))
    assert text.splitlines() == [
        "Nmap scan report for 10.213.0.7",
        "Host is up (0.00042s latency).",
        "Not shown: 99 closed tcp ports (reset)",
        "PORT     STATE    SERVICE",
        "22/tcp   open     ssh",
        "8080/tcp filtered http-proxy",
        "MAC Address: 02:00:00:00:00:07 (Unknown)",
    ]


def test_reason_column_and_all_ignored() -> None:
    ports = [Port(n, "udp", "closed", "port-unreach", 64) for n in range(1, 31)]
    text = format_host(host_with(ports, targetname="lab7"), reason=True)
    assert text.splitlines() == [
        "Nmap scan report for lab7 (10.213.0.7)",
        "Host is up, received arp-response (0.00042s latency).",
        "All 30 scanned ports on lab7 (10.213.0.7) are in ignored states.",
        "Not shown: 30 closed udp ports (port-unreach)",
    ]
    open_one = [Port(53, "udp", "open", "udp-response", 64, "domain")]
    text = format_host(host_with(open_one), reason=True)
    assert "53/udp open  domain  udp-response ttl 64" in text.splitlines()


def test_down_host_and_footer() -> None:
    assert format_host(Host(ip="10.213.0.9")) == ""
    assert "[host down]" in format_host(Host(ip="10.213.0.9"), verbose=1)
    assert format_footer(256, 9, 1.234) == \
        "Nmap done: 256 IP addresses (9 hosts up) scanned in 1.23 seconds\n"
    assert format_footer(1, 1, 0.5) == \
        "Nmap done: 1 IP address (1 host up) scanned in 0.50 seconds\n"
    assert seconds_2sig(0.0000104) == "0.000010"


@pytest.mark.nmap
def test_mac_vendor_from_nmap_data() -> None:
    assert mac_vendor(bytes.fromhex("0050569a0001")) == "VMware"
    assert mac_vendor(bytes.fromhex("020000000007")) is None
