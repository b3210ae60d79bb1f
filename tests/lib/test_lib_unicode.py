"""unicode: compared with nmap's unicode.lua under lua5.4."""

from __future__ import annotations

from libref import Raw, compare, needs_nselib

from nse.lib import unicode


def _f(name: str) -> Raw:
    return Raw(f"M.{name}", lambda: getattr(unicode, name))


SAMPLES = [
    "",
    "abc",
    "h\xc3\xa9llo",
    "\xe2\x82\xac",
    "\xf0\x9f\x98\x80",
    "\xc3",
    "\x80abc",
    "\xff",
    "\xe2\x82",
    "a\xc3\x28",
    "\xf8\x88\x80\x80\x80",
]


@needs_nselib
def test_vs_nmap() -> None:
    calls: list[tuple[str, list[object]]] = []
    for s in SAMPLES:
        calls += [
            ("utf8_dec", [s]),
            ("utf8_dec", [s, 2]),
            ("chardet", [s]),
            ("utf8to16", [s]),
            ("decode", [s, _f("utf8_dec")]),
            ("decode", [s, _f("cp437_dec")]),
        ]
    for cp in [
        0,
        65,
        65.0,
        65.5,
        -1,
        0x7F,
        0x80,
        0x7FF,
        0x800,
        0xFFFF,
        0x10000,
        0x10FFFF,
        0x110000,
        0xD800,
        0xE9,
        0x2591,
        0x3B1,
        0x20AC,
        0xA0,
    ]:
        calls += [
            ("utf8_enc", [cp]),
            ("utf16_enc", [cp]),
            ("utf16_enc", [cp, True]),
            ("cp437_enc", [cp]),
        ]
    u16 = ["", "a\x00", "\x3d\xd8\x00\xde", "\xd8\x3d\xde\x00", "a", "\x3d\xd8", "\x00\xd8\x00\x00"]
    for s in u16:
        calls += [
            ("utf16to8", [s]),
            ("utf16_dec", [s, 1]),
            ("utf16_dec", [s, 1, True]),
            ("decode", [s, _f("utf16_dec")]),
            ("decode", [s, _f("utf16_dec"), True]),
            ("chardet", [s]),
        ]
    calls += [("cp437_dec", ["".join(map(chr, range(256))), p]) for p in range(1, 257, 7)]
    calls += [
        ("encode", [[72, 0xE9, 0x1F600], _f("utf8_enc")]),
        ("encode", [[72, 0xE9], _f("utf16_enc"), True]),
        ("encode", [[72, -1, 3], _f("utf8_enc")]),
        ("encode", [[0x2591, 65], _f("cp437_enc")]),
        ("transcode", ["h\xc3\xa9", _f("utf8_dec"), _f("utf16_enc"), None, True]),
        ("transcode", ["\xb0\xb1", _f("cp437_dec"), _f("utf8_enc")]),
        ("chardet", ["\xff\xfeab"]),
        ("chardet", ["\xfe\xff"]),
        ("chardet", ["\xef\xbb\xbfx"]),
        ("chardet", ["a" * 200 + "\xff"]),
        ("chardet", ["a" * 200 + "\xff", 300]),
        ("chardet", ["ab\x00"]),
        ("chardet", ["a\xc3\xa9\xff"]),
    ]
    compare("unicode", unicode, calls)
