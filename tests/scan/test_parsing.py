"""Targets, port specs, timing values and the nmap-style option parser (pure, no network)."""

from __future__ import annotations

import pytest

from nse.scan.errors import UsageError
from nse.scan.options import parse_args
from nse.scan.ports import parse_port_spec, select_ports
from nse.scan.services import load_services
from nse.scan.targets import Excluder, expand_targets, parse_target, read_target_file
from nse.scan.timing import parse_time, template

OWN = load_services(use_nmap=False)


def ips(*specs: str, **kw: object) -> list[str]:
    return [t.ip for t in expand_targets(list(specs), **kw)]  # type: ignore[arg-type]


# -- targets ---------------------------------------------------------------------------
def test_single_and_cidr() -> None:
    assert ips("10.0.0.1") == ["10.0.0.1"]
    assert ips("10.0.0.5/30") == ["10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7"]
    assert len(ips("10.1.2.3/24")) == 256
    assert ips("10.0.0.1/32") == ["10.0.0.1"]


def test_octet_ranges() -> None:
    assert ips("10.0.0-1.1-2") == ["10.0.0.1", "10.0.0.2", "10.0.1.1", "10.0.1.2"]
    assert ips("10.0.0.1,3,5") == ["10.0.0.1", "10.0.0.3", "10.0.0.5"]
    assert ips("10.0.0.-2") == ["10.0.0.0", "10.0.0.1", "10.0.0.2"]
    assert ips("10.0.0.254-") == ["10.0.0.254", "10.0.0.255"]
    assert len(ips("10.0.0.*")) == 256
    assert ips("10.0.0.1,1") == ["10.0.0.1"]


def test_lazy_expansion_of_a_big_block() -> None:
    spec = parse_target("10.0.0.0/8")
    assert spec.count() == 1 << 24
    it = iter(spec)
    assert next(it).ip == "10.0.0.0"


def test_exclude() -> None:
    ex = Excluder(["10.0.0.2-3", "10.0.0.8/30"])
    assert ips("10.0.0.0-10", exclude=ex) == ["10.0.0.0", "10.0.0.1", "10.0.0.4", "10.0.0.5",
                                               "10.0.0.6", "10.0.0.7"]


def test_hostname_and_ipv6() -> None:
    t = list(expand_targets(["localhost"]))
    assert t[0].ip == "127.0.0.1" and t[0].targetname == "localhost"
    assert ips("::1", ipv6=True) == ["::1"]
    assert ips("fd00::/126", ipv6=True) == ["fd00::", "fd00::1", "fd00::2", "fd00::3"]


def test_target_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "t.txt"
    f.write_text("10.0.0.1 10.0.0.2\n# comment\n10.0.0.3 # trailing\n\n")
    assert read_target_file(str(f)) == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]


# -- ports -----------------------------------------------------------------------------
def test_port_spec_forms() -> None:
    got = parse_port_spec("22,80-82,U:53,T:1-3", OWN, ("tcp", "udp"))
    assert got["tcp"] == {1, 2, 3, 22, 80, 81, 82}
    assert got["udp"] == {22, 53, 80, 81, 82}
    assert parse_port_spec("-", OWN)["tcp"] == set(range(1, 65536))
    assert parse_port_spec("-5", OWN)["tcp"] == {1, 2, 3, 4, 5}
    assert parse_port_spec("65534-", OWN)["tcp"] == {65534, 65535}
    assert parse_port_spec("0", OWN)["tcp"] == {0}
    assert parse_port_spec("http,ssh", OWN)["tcp"] == {80, 22}
    assert 443 in parse_port_spec("http*", OWN)["tcp"]
    assert parse_port_spec("[20-25]", OWN)["tcp"] == {20, 21, 22, 23, 25}


def test_port_selection() -> None:
    ps = select_ports(OWN, ("tcp",), "1-10", sequential=True)
    assert ps.tcp == list(range(1, 11))
    ps = select_ports(OWN, ("tcp",), "1-100", exclude="50-100")
    assert sorted(ps.tcp) == list(range(1, 50))
    assert select_ports(OWN, ("tcp",), top=5, sequential=True).tcp == sorted(
        OWN.top_ports(5, "tcp"))
    assert OWN.top_ports(2, "tcp") == [80, 443]
    assert len(select_ports(OWN, ("tcp",), fast=True).tcp) == min(100, len(OWN.top_ports(
        10000, "tcp")))


def test_random_port_order_is_a_uniform_permutation() -> None:
    import random
    from collections import Counter

    rng = random.Random(42)
    ps = select_ports(OWN, ("tcp",), "-", rng=rng)
    assert sorted(ps.tcp) == list(range(1, 65536)) and ps.tcp != sorted(ps.tcp)
    # every order of 4 ports about equally often (24 orders, 24000 draws: 1000 each;
    # the bounds are > 6 standard deviations, fixed seed)
    seen = Counter(tuple(select_ports(OWN, ("tcp",), "1-4", rng=rng).tcp)
                   for _ in range(24000))
    assert len(seen) == 24 and all(800 < n < 1200 for n in seen.values())


@pytest.mark.nmap
def test_nmap_services_used_when_present() -> None:
    table = load_services()
    assert table.source.endswith("nmap-services")
    # nmap's most frequent TCP port is 80, UDP 631
    assert table.top_ports(1, "tcp") == [80]
    assert table.name(22, "tcp") == "ssh"


# -- timing ----------------------------------------------------------------------------
def test_time_units_and_templates() -> None:
    assert parse_time("250ms", "x") == 0.25
    assert parse_time("2", "x") == 2.0
    assert parse_time("1m", "x") == 60.0
    assert parse_time("0.5h", "x") == 1800.0
    t4 = template(4)
    assert (t4.initial_rtt_timeout, t4.max_rtt_timeout, t4.max_retries) == (0.5, 1.25, 6)
    t5 = template(5)
    assert (t5.min_rtt_timeout, t5.max_rtt_timeout, t5.max_retries) == (0.05, 0.3, 2)
    assert template(0).scan_delay == 300.0


def test_option_parser() -> None:
    o = parse_args(["-sS", "-p22,80", "-T4", "--max-retries=3", "-Pn", "-n", "10.0.0.1"])
    assert o.scan_types == ["syn"] and o.ports == "22,80" and o.no_ping
    assert o.timing.level == 4 and o.timing.max_retries == 3 and o.dns == "never"
    o = parse_args(["--max-retries", "2", "-T5", "-sSU", "-p", "U:53", "x.example"])
    assert o.timing.max_retries == 2 and o.scan_types == ["syn", "udp"]
    o = parse_args(["-PS22,80", "-PE", "-sn", "-vv", "10.0.0.1"])
    assert o.ping_probes == [("PS", "22,80"), ("PE", None)] and o.verbose == 2
    o = parse_args(["--min-rate", "500", "--host-timeout", "30s", "-Taggressive", "h"])
    assert o.timing.min_rate == 500 and o.timing.host_timeout == 30 and o.timing.level == 4


# -- bad input: each one line, UsageError (exit 2 in the CLI) ---------------------------
BAD_TARGETS = [
    "10.0.0.256", "10.0.0", "10.0.0.1.2", "10.0.0.5-1", "10.0.0.1/33", "10.0.0.1/abc",
    "10.0.0-1.0/24", "1.2.3.4.5/8", "bad..name", "-foo", "::1", "10.0.0.a-b",
    "host_name_that_is_way_too_long_" + "x" * 60 + ".com", "10.0.0.300-301", "",
]
BAD_PORTS = ["0-70000", "70000", "100-1", "1-2-3", "nosuchservicename", "T:", "P:1",
             "80,,81", "1.5", "a-b"]
BAD_OPTIONS = [
    ["-T9", "h"], ["-Tfast", "h"], ["--max-retries", "-1", "h"], ["--max-retries", "x", "h"],
    ["--host-timeout", "soon", "h"], ["--min-rtt-timeout", "0", "h"],
    ["--min-rtt-timeout", "5s", "--max-rtt-timeout", "1s", "h"], ["--min-rate", "0", "h"],
    ["--min-rate", "10", "--max-rate", "5", "h"], ["--max-parallelism", "0", "h"],
    ["--min-hostgroup", "10", "--max-hostgroup", "2", "h"], ["--scan-delay", "-1", "h"],
    ["-sZ", "h"], ["--bogus", "h"], ["-sS"], ["-sT", "-sS", "h"], ["--max-scan-delay", "x", "h"],
    ["-sn", "-p80", "h"], ["-p"], ["--top-ports", "0", "h"], ["-p1", "-p2", "h"],
    ["--reason=yes", "h"], ["-6", "-sS", "::1"],
]


@pytest.mark.parametrize("spec", BAD_TARGETS)
def test_bad_targets(spec: str) -> None:
    with pytest.raises(UsageError) as e:
        list(expand_targets([spec]))
    msg = str(e.value)
    assert "\n" not in msg and (spec[:20] in msg or not spec)


@pytest.mark.parametrize("spec", BAD_PORTS)
def test_bad_ports(spec: str) -> None:
    with pytest.raises(UsageError) as e:
        select_ports(OWN, ("tcp",), spec)
    assert "\n" not in str(e.value) and "port" in str(e.value)


@pytest.mark.parametrize("argv", BAD_OPTIONS)
def test_bad_options(argv: list[str]) -> None:
    with pytest.raises(UsageError) as e:
        parse_args(argv)
    assert "\n" not in str(e.value)


@pytest.mark.nmap
def test_nmap_services_parsed_per_protocol_equal_the_line_parser(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from nse.scan.services import _NmapServices, _parse_nmap_services
    path = "/usr/share/nmap/nmap-services"
    full = _parse_nmap_services(path)
    lazy = _NmapServices(path)
    for proto in ("tcp", "udp", "sctp"):
        assert lazy.protocol(proto) == {p: e for (p, pr), e in full.items() if pr == proto}
    assert dict(lazy) == full
    # odd lines: no frequency, a comment instead, a bad frequency, a malformed port
    odd = tmp_path / "nmap-services"
    odd.write_text("x 5/tcp\ny 6/tcp # c\nz 7/udp 0.5 # c\nw 8/tcp abc\n#q 9/tcp 1\n"
                   "v 10/tcp/x 1\nu 11x/tcp 1\nt\t12/sctp\t0.1\ns 13/tcpx 0.2\n")
    want = _parse_nmap_services(str(odd))
    lazy = _NmapServices(str(odd))
    assert {(p, pr): lazy.protocol(pr)[p] for (p, pr) in want} == want
    assert lazy.protocol("tcp") == {5: ("x", 0.0), 6: ("y", 0.0), 8: ("w", 0.0)}
    assert (7, "udp") in lazy and (7, "tcp") not in lazy and "x" not in lazy


def test_service_names_looked_up_one_port_at_a_time_equal_the_parsed_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """nmap-services searched per port gives what parsing the protocol gives: the last
    line of a duplicated port, nothing for a port named only in a comment, another
    protocol or inside a longer number, space- as well as tab-separated lines."""
    from nse.scan.services import _LazyNames, _NmapServices

    text = ("# 22/tcp in a comment\n"
            "ssh\t22/tcp\t0.182286\t# Secure Shell Login\n"
            "dom 53/udp 0.2\n"
            "x11\t6000/tcp\n"
            "old\t8080/tcp\t0.1\n"
            "new\t8080/tcp\t0.2\n"
            "nine\t122/tcp\t0.01\n"
            "\t7/tcp\t0.1\n"
            "bad\t 9/tcpx\n"
            "last 65535/udp")
    path = tmp_path / "nmap-services"
    path.write_text(text, encoding="latin-1")
    for proto in ("tcp", "udp"):
        want = {p: e[0] for p, e in _NmapServices(str(path)).protocol(proto).items()}
        services = _NmapServices(str(path))
        got = {p: services.find_name(p, proto) for p in range(65536)}
        assert {p: n for p, n in got.items() if n is not None} == want
        lazy = _LazyNames(services, proto)
        assert lazy.get(1, "unknown") == "unknown" and lazy.get(22) == want.get(22)
        assert proto not in services._by_proto  # found without parsing
        assert dict(lazy) == want  # iterating parses
    assert want == {53: "dom", 65535: "last"}


@pytest.mark.nmap
def test_service_names_of_nmaps_file_per_port_equal_the_parsed_file() -> None:
    import os
    import random

    from nse.scan.services import _LazyNames, _NmapServices

    path = "/usr/share/nmap/nmap-services"
    if not os.path.exists(path):
        pytest.skip("no nmap-services")
    for proto in ("tcp", "udp"):
        full = _NmapServices(path).protocol(proto)
        sample = random.Random(1).sample(range(65536), 200) + sorted(full)[:100]
        services = _NmapServices(path)
        for p in sample:
            e = full.get(p)
            assert services.find_name(p, proto) == (e[0] if e else None)
        assert proto not in services._by_proto  # never parsed
        lazy = _LazyNames(services, proto)
        assert [lazy.get(p, "unknown") for p in sample] == \
            [full[p][0] if p in full else "unknown" for p in sample]
