"""bin: pack/unpack compared with nmap 7.93's bin.lua under lua5.4."""

from __future__ import annotations

from libref import compare, needs_nselib

from nse.lib import bin as binlib

PACKS: list[list[object]] = [
    [">H", "415D615A"],
    ["<H", "415D615A"],
    ["H", "41 5D  61\n5A"],
    ["H2", "415D615A", "A5"],
    ["A", "415D615A"],
    ["A1", "415D615A", "foo", "bar"],
    ["A2", "415D615A", "foo", "bar"],
    [">xSSISA", 0, 0, 0, 0, "1"],
    ["x2"],
    [">IzzzzH", 1, "user", "joe", "database", "db", 0],
    ["cccc", 1, 2, 3, 4],
    ["c2c2", 1, 2, 3, 4],
    ["xc3", 2, 3, 4],
    ["c2x2", 2, 3, 4],
    ["<C2SIL", 0x123, 0xFFF1, 0x1FFFF, 0x112345678, 0x1234567812345678],
    ["c", 200],
    ["C", -1],
    [">s", -2],
    [">S", 70000],
    ["<i", -1],
    ["I", 2**40],
    [">l", -5],
    [">L", 5],
    ["p", "abc"],
    [">P", "abc"],
    ["<a", "abc"],
    ["z", "a\x00b"],
    [">d", 1.5],
    ["<f", 0.25],
    ["n", 3],
    ["H", "zz"],
    ["H", "4"],
    ["H0", "41"],
    ["A0", "x"],
    ["B", "0101"],
    ["q", 1],
    ["C", 1.5],
    ["C", "7"],
    [">I2", 1, 2],
    [" > I ", 7],
    ["!4>I", 1],
    [None],
    ["H", 1234],
]
UNPACKS: list[list[object]] = [
    ["H", "\x00\xff\x0f\xf0"],
    ["H0", "\x00\xff\x0f\xf0"],
    ["H2", "\x00\xff\x0f\xf0"],
    ["<H4", "\x00\xff\x0f\xf0"],
    ["B2", "\x00\xff\x0f\xf0"],
    ["<B4", "\x00\xff\x0f\xf0"],
    ["A", "foo"],
    ["A0", "foo"],
    ["A3", "foo"],
    ["A4", "foo"],
    [">S", "\x01\x02"],
    ["<S", "\x01\x02"],
    [">I", "\x00\x00\x01\x00"],
    [">i", "\xff\xff\xff\xfe"],
    ["c", "\xff"],
    ["C", "\xff"],
    [">L", "\xff" * 8],
    [">l", "\xff" * 8],
    ["p", "\x03abcd"],
    [">P", "\x00\x02hi"],
    ["z", "ab\x00cd"],
    [">SS", "\x00\x01\x00\x02"],
    [">S2", "\x00\x01\x00\x02"],
    [">S", "\x00\x01\x00\x02", 3],
    [">S", "\x00\x01\x00\x02", 0],
    [">S", "\x00\x01\x00\x02", -5],
    ["xH", "\x01\x02"],
    [">C2H2", "\x01\x02\x03\x04"],
    [">d", "?\xf8\x00\x00\x00\x00\x00\x00"],
    ["q", "x"],
    ["S", "\x01"],
]


@needs_nselib
def test_vs_nmap() -> None:
    calls = [("pack", p) for p in PACKS] + [("unpack", u) for u in UNPACKS]
    compare("bin", binlib, calls)
