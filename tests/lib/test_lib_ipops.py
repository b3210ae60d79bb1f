"""ipOps: every function compared with nmap's ipOps.lua under lua5.4."""

from __future__ import annotations

from libref import Raw, compare, needs_nselib

from nse.lib import ipOps
from nse.lua.luatable import LuaTable

ADDRS = [
    "",
    "1.2.3.4",
    "010.1",
    "1..2",
    "...",
    "256.1.1.1",
    "1.2.3.4.5",
    "a.b.c.d",
    "255.255.255.255",
    "0.0.0.0",
    "10.0.0.1",
    "127.0.0.1",
    "169.254.3.4",
    "172.15.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "172.32.0.0",
    "192.168.1.1",
    "192.0.0.7",
    "192.000.00.1",
    "192.0.2.1",
    "192.0.20.1",
    "192.1.2.3",
    "198.18.0.1",
    "198.019.1.1",
    "198.51.100.7",
    "198.20.0.0",
    "203.0.113.9",
    "203.1.113.9",
    "224.0.0.251",
    "239.1.1.1",
    "240.0.0.1",
    "255.1.1.1",
    "8.8.8.8",
    "::",
    "::1",
    "::2",
    "1::",
    "FE80::0001",
    "fe80::1:2:3:4",
    "fc00::",
    "fd12:3456::1",
    "fec0::1",
    "ff02::1",
    "2001:db8::1",
    "2001:db8:0:0:1:0:0:1",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    ":::",
    ":",
    "::ffff:1.2.3.4",
    "::1.2.3.4",
    "::1.2.3",
    "1:2:3:4:5:6:1.2.3.4",
    "::1.2.3.z",
    "::g",
    "12345::",
    "10000000000000000::1",
    "1:2:3:4:5:6:7::",
    "::1:2:3:4:5:6:7",
    "0:0:0:0:0:0:0:0",
    "00001::",
    5,
    None,
]


@needs_nselib
def test_expand_and_convert_vs_nmap() -> None:
    calls: list[tuple[str, list[object]]] = []
    for a in ADDRS:
        for f in (
            "expand_ip",
            "isPrivate",
            "todword",
            "get_parts_as_number",
            "ip_to_str",
            "ip_to_bin",
        ):
            calls.append((f, [a]))
        calls += [
            ("expand_ip", [a, "inet6"]),
            ("expand_ip", [a, "inet"]),
            ("ip_to_str", [a, "inet6"]),
        ]
    compare("ipOps", ipOps, calls)


@needs_nselib
def test_ranges_vs_nmap() -> None:
    ranges = [
        "10.0.0.0/8",
        "10/8",
        "1.2.3.4/32",
        "1.2.3.4/0",
        "1.2.3.4/33",
        " 1.2.3.4 / 8",
        " 1.2.3.4/24 ",
        "1.2.3.4-1.2.3.10",
        " 1.2.3.4 - 5.6.7.8 ",
        "1.2.3.4-::1",
        "x-y",
        "::/127",
        "fe80::/10",
        "2001:db8::/48",
        "2001:db8::/129",
        "::-::ffff",
        "1.2.3.4",
        "1.2.3.4/08",
        "300.1.1.1/8",
        7,
    ]
    calls: list[tuple[str, list[object]]] = [("get_ips_from_range", [r]) for r in ranges]
    for ip in ["10.1.2.3", "1.2.3.5", "::1", "fe80::1", "9.9.9.9", "bad"]:
        calls += [("ip_in_range", [ip, r]) for r in ranges]
    for ip, pfx in [
        ("1.2.3.4", 24),
        ("1.2.3.4", "24"),
        ("1.2.3.4", 24.0),
        ("1.2.3.4", 24.5),
        ("1.2.3.4", -1),
        ("1.2.3.4", None),
        ("1.2.3.4", "x"),
        ("fe80::1", 64),
        ("fe80::1", 128),
        ("bad", 8),
        ("1.2.3.4", float("nan")),
    ]:
        for f in ("get_first_last_ip", "get_first_ip", "get_last_ip"):
            calls.append((f, [ip, pfx]))
    compare("ipOps", ipOps, calls)


@needs_nselib
def test_misc_vs_nmap() -> None:
    calls: list[tuple[str, list[object]]] = []
    for a in ["1.2.3.4", "::1", "10.0.0.1", "bad", "1.2.3.4", "::ffff:1.2.3.4"]:
        for b in ["1.2.3.4", "1.2.3.5", "::1", "::", "bad", 3]:
            for op in ("eq", "ne", "le", "ge", "lt", "gt", "xx"):
                calls.append(("compare_ip", [a, op, b]))
    for d in [0, 1, 0x01020304, 0xFFFFFFFF, 2**32, -1, 1.0, 1.5, "1", None]:
        calls.append(("fromdword", [d]))
    for s in [
        "\x01\x02\x03\x04",
        "\x00" * 16,
        "\x00" * 15 + "\x01",
        "\x20\x01\x0d\xb8" + "\x00" * 11 + "\x01",
        "\x00\x01" * 8,
        "\x00\x00\x00\x01" * 4,
        "\xfe\x80" + "\x00" * 13 + "\x01",
        "abc",
        "",
    ]:
        calls.append(("str_to_ip", [s]))
    for b in ["0" * 32, "1" * 32, "01" * 16, "1" * 128, "0" * 127 + "1", "012", "1" * 31, 5, ""]:
        calls.append(("bin_to_ip", [b]))
    for h in ["", "0", "aF", "xyz", "0x1", 10]:
        calls.append(("hex_to_bin", [h]))
    for c in ["/24", "/08", "/8", "1.2.3.0/16", "/32", "/40", "/99", "/00", "x"]:
        calls.append(("cidr_to_subnet", [c]))
    for s in [
        "255.255.255.0",
        "255.255.0.0",
        "0.0.0.0",
        "255.255.255.255",
        "255.0.255.0",
        "255.255.255.128",
        "bad",
        "::1",
    ]:
        calls.append(("subnet_to_cidr", [s]))
    compare("ipOps", ipOps, calls)


@needs_nselib
def test_ip_sort_vs_nmap() -> None:
    ips = ["10.0.0.2", "::1", "10.0.0.10", "1.2.3.4", "fe80::1", "9.255.255.255", "::"]
    prelude = "M.sortit = function(t, op) M.ip_sort(t, op); return t end"
    ipOps.sortit = lambda t, op=None, *_: (ipOps.ip_sort(t, op), t)[1]  # type: ignore[attr-defined]
    ipOps.__all__.append("sortit")
    try:
        compare("ipOps", ipOps, [("sortit", [ips]), ("sortit", [ips, "gt"])], prelude)
    finally:
        ipOps.__all__.remove("sortit")
        del ipOps.sortit  # type: ignore[attr-defined]


def test_literals() -> None:
    assert ipOps.expand_ip("::1") == "0:0:0:0:0:0:0:1"
    assert ipOps.isPrivate("192.168.0.1") == (True, "192.168/16")
    assert ipOps.get_ips_from_range("10.0.0.0/30") == ("10.0.0.0", "10.0.0.3")
    assert ipOps.str_to_ip("\x7f\x00\x00\x01") == "127.0.0.1"
    t = LuaTable.from_list(["b", "a"])
    assert ipOps.ip_sort(t) == ()
    _ = Raw
