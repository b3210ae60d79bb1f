"""base64, base32 and bits against nmap's nselib (run under lua5.4) and literal values."""

from __future__ import annotations

import random

import pytest
from libref import compare, needs_nselib

from nse.lib import base32, base64, bits, lua_module
from nse.lib._util import LuaError


def _samples() -> list[str]:
    rng = random.Random(7)
    out = ["", "\x00", "\x01", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff" * 7]
    out += ["".join(chr(rng.randrange(256)) for _ in range(n)) for n in range(1, 40)]
    return out


def test_base64_literals() -> None:
    assert base64.enc("\x00\x01\x02\x03") == "AAECAw=="
    assert base64.dec(" AAEC A\r\nw==") == "\x00\x01\x02\x03"
    # nselib fails on a non-string with a Lua runtime error; ours is an argument error
    for f in (base64.enc, base64.dec, base32.enc, base32.dec):
        with pytest.raises(
            LuaError, match=r"bad argument #1 to '(enc|dec)' \(string expected, got (nil|number)\)"
        ):
            f(None if f is base64.enc else 3.5)


def test_base32_literals() -> None:
    assert base32.enc("foobar") == "MZXW6YTBOI======"
    assert base32.enc("foobar", True) == "CPNMUOJ1E8======"
    assert base32.dec("MZXW6YQ=") == "foob"


def test_lua_module_table() -> None:
    t = lua_module("base64")
    assert t["enc"] is base64.enc and t["dec"] is base64.dec
    assert lua_module("base64") is t


@needs_nselib
def test_base64_vs_nmap() -> None:
    calls: list[tuple[str, list[object]]] = []
    for s in _samples():
        calls.append(("enc", [s]))
        calls.append(("dec", [base64.enc(s)]))
    bad = [
        "A",
        "AB=C",
        "A===",
        "AA==AAAA",
        "AA=A",
        "A*AA",
        "\x00AAA",
        "AAA=",
        " Q Q = = ",
        "=AAA",
        "====",
        "AAAA\x0b",
        "QR==",
        "QUJ=",
        "QUJD///+",
        "/w==",
    ]
    calls += [("dec", [b]) for b in bad]
    compare("base64", base64, calls)


@needs_nselib
def test_base32_vs_nmap() -> None:
    calls: list[tuple[str, list[object]]] = []
    for s in _samples():
        for hx in (None, True):
            calls.append(("enc", [s, hx]))
            calls.append(("dec", [base32.enc(s, hx), hx]))
    bad = [
        "MZXW6YQ",
        "MZ======",
        "MZX=====",
        "MZXW====",
        "MZXW6===",
        "MZXW6Y==",
        "MZXW6YT=",
        "MZ=W6YTB",
        "M=======",
        "mzxw6ytb",
        "MZXW6YQ=MZXW6YQ=",
        "MZXW6YT1",
        "========",
    ]
    calls += [("dec", [b]) for b in bad] + [("dec", [b, True]) for b in bad]
    compare("base32", base32, calls)


@needs_nselib
def test_bits_vs_nmap() -> None:
    vals = [0, 1, 2, 0x80, 0xFF, 0x1234, 0xDEADBEEF, -1, -2, -3, -255, 2**62, -(2**63)]
    calls: list[tuple[str, list[object]]] = []
    for v in vals:
        calls += [("reverse", [v]), ("reverse", [v, 8]), ("reverse", [v, 32])]
        for s in (0, 1, 3, 8, 31, 63):
            calls.append(("arshift", [v, s]))
    calls += [("reverse", [1, 16]), ("reverse", [1, "x"])]
    compare("bits", bits, calls)
