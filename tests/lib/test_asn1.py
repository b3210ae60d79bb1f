"""asn1: the BER decoder/encoder compared call by call with nmap's asn1.lua under lua5.4."""

from __future__ import annotations

import types
from typing import Any

from libref import compare, needs_nselib

from nse.lib import asn1
from nse.lua.luatable import LuaTable
from nse.lua.ops import invoke

# Wrappers defined identically on both sides: the Lua ones go into M through the prelude.
PRELUDE = """
M.t_decode = function(s, pos, stop)
  local d = M.ASN1Decoder:new()
  d:registerBaseDecoders()
  if stop then d:setStopOnError(true) end
  return d:decode(s, pos or 1)
end
M.t_encode = function(v)
  local e = M.ASN1Encoder:new()
  return e:encode(v)
end
M.t_seq = function(...)
  local e = M.ASN1Encoder:new()
  local parts = {}
  for _, v in ipairs({...}) do parts[#parts + 1] = e:encode(v) end
  return e:encodeSeq(table.concat(parts))
end
M.t_custom = function(s)
  local d = M.ASN1Decoder:new()
  d:registerTagDecoders({["\\x41"] = function(self, enc, len, pos)
    return "app1:" .. len, pos + len end})
  return d:decode(s, 1)
end
M.t_int = M.ASN1Encoder.encodeInt
M.t_len = M.ASN1Encoder.encodeLength
M.t_oidc = M.ASN1Encoder.encode_oid_component
M.t_declen = M.ASN1Decoder.decodeLength
"""


def _t_decode(s: Any = None, pos: Any = None, stop: Any = None) -> Any:
    d = invoke(asn1.ASN1Decoder, "new")
    invoke(d, "registerBaseDecoders")
    if stop:
        invoke(d, "setStopOnError", True)
    return invoke(d, "decode", s, pos or 1)


def _t_encode(v: Any = None) -> Any:
    return invoke(invoke(asn1.ASN1Encoder, "new"), "encode", v)


def _t_seq(*vals: Any) -> Any:
    e = invoke(asn1.ASN1Encoder, "new")
    parts = []
    for v in vals:
        if v is None:
            break  # ipairs stops at the first nil
        parts.append(invoke(e, "encode", v))
    return invoke(e, "encodeSeq", "".join(parts))


def _t_custom(s: Any = None) -> Any:
    d = invoke(asn1.ASN1Decoder, "new")

    def app1(self: Any, enc: Any, ln: Any, pos: Any, *_: Any) -> Any:
        return f"app1:{ln}", pos + ln

    invoke(d, "registerTagDecoders", LuaTable.from_dict({"\x41": app1}))
    return invoke(d, "decode", s, 1)


PY = types.SimpleNamespace(
    __all__=[
        "BERtoInt",
        "intToBER",
        "t_decode",
        "t_encode",
        "t_seq",
        "t_custom",
        "t_int",
        "t_len",
        "t_oidc",
        "t_declen",
    ],
    BERtoInt=asn1.BERtoInt,
    intToBER=asn1.intToBER,
    t_decode=_t_decode,
    t_encode=_t_encode,
    t_seq=_t_seq,
    t_custom=_t_custom,
    t_int=asn1.ASN1Encoder["encodeInt"],
    t_len=asn1.ASN1Encoder["encodeLength"],
    t_oidc=asn1.ASN1Encoder["encode_oid_component"],
    t_declen=asn1.ASN1Decoder["decodeLength"],
)

DECODE = [
    "\x01\x01\x00",
    "\x01\x01\x01",
    "\x01\x01\xff",
    "\x02\x01\x01",
    "\x02\x02\xff\xff",
    "\x02\x03\x01\x00\x02",
    "\x02\x08\x7f\xff\xff\xff\xff\xff\xff\xff",
    "\x02\x09\x00\xff\xff\xff\xff\xff\xff\xff\xff",
    "\x02\x09\x01\x00\x00\x00\x00\x00\x00\x00\x00",
    "\x02\x11" + "\x00" * 17,
    "\x02\x00",
    "\x04\x04nmap",
    "\x04\x05nmap",
    "\x05\x00",
    "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x09\x04",
    "\x06\x03\x55\x04\x03",
    "\x06\x00",
    "\x30\x09\x02\x01\x01\x02\x01\xff\x02\x01\x42",
    "\x30\x06\x04\x01a\x09\x01\x00",
    "\x30\x81\x03\x04\x01z",
    "\x04\x82\x00\x03abc",
    "\x09\x00",
    "",
    "\x30\x03\x04\x01",
    "\x30\x08\x30\x03\x02\x01\x05\x05\x00\x01",
]


@needs_nselib
def test_decoder_vs_nmap() -> None:
    calls: list[tuple[str, list[Any]]] = [("t_decode", [s]) for s in DECODE]
    calls += [("t_decode", ["\x30\x06\x04\x01a\x09\x01\x00", 1, True])]
    calls += [("t_decode", ["xx\x02\x01\x07", 3])]
    calls += [("t_custom", [s]) for s in ("\x41\x03abc", "\x30\x05\x41\x03abc", "\x42\x00")]
    calls += [("t_declen", [s, 1]) for s in ("\x05", "\x80", "\x81\xff", "\x83\x01\x00\x00")]
    compare("asn1", PY, calls, PRELUDE)


@needs_nselib
def test_encoder_vs_nmap() -> None:
    ints = [
        0,
        1,
        127,
        128,
        255,
        256,
        65535,
        65536,
        2**31,
        2**40 + 7,
        -1,
        -127,
        -128,
        -129,
        -255,
        -256,
        -257,
        -65536,
        -(2**31),
        3.0,
        -3.0,
        2**53,
    ]
    calls: list[tuple[str, list[Any]]] = [("t_encode", [v]) for v in ints]
    calls += [("t_int", [v]) for v in ints]
    calls += [("t_encode", [v]) for v in ["", "abc", "x" * 200, True, False, None]]
    calls += [
        ("t_encode", [{"type": "a1", "value": "\x05\x00"}]),
        ("t_encode", [{"type": "", "value": "x"}]),
        ("t_encode", [{"type": "30"}]),
    ]
    calls += [("t_len", [n]) for n in (0, 127, 128, 255, 256, 65535, 65536, 2**24)]
    calls += [("t_oidc", [n]) for n in (0, 127, 128, 840, 113549, 2**28)]
    calls += [("t_seq", [1, "ab", True]), ("t_seq", ["y" * 300])]
    calls += [
        ("BERtoInt", [c, k, n])
        for c in (0, 64, 128, 192)
        for k in (True, False)
        for n in (0, 3, 16)
    ]
    calls += [("intToBER", [i]) for i in (0x02, 0x30, 0x41, 0x61, 0x80, 0xA3, 0xC1, 0xE5, 0xFF)]
    compare("asn1", PY, calls, PRELUDE)


def test_roundtrip_python() -> None:
    # an SNMP-like message built and read back with a subclass decoder
    e = invoke(asn1.ASN1Encoder, "new")
    msg = invoke(e, "encodeSeq", invoke(e, "encode", 1) + invoke(e, "encode", "public"))
    assert msg == "\x30\x0b\x02\x01\x01\x04\x06public"
    seq, pos = _t_decode(msg)
    assert seq.to_list() == [1, "public"] and pos == len(msg) + 1
