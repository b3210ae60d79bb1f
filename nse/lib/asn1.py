"""The ``asn1`` library: nselib's small BER encoder and decoder (used by snmp, ldap,
the Kerberos and SMB libraries).

The two "classes" are Lua tables, as in nselib, so that scripts can subclass them and
register their own tag decoders/encoders: ``ASN1Decoder:new()`` returns a table whose
metatable is ``ASN1Decoder`` (with ``__index`` pointing back at it).  Every method here
reaches other methods and the per-type tables *through* ``self`` (``self:decode``,
``self.decodeLength``, ``self.decoder[tag]``) so an override in a subclass or instance is
honoured exactly where nselib would honour it.

Numbers follow nselib's arithmetic: the decoder reads integers with ``string.unpack``
(">iN", so lengths 1..16, and an error for a value that does not fit 64 bits); the encoder
builds negative integers with float arithmetic (``256^i``), which is exact for the 64-bit
range nselib's callers use.
"""

from __future__ import annotations

import math
from typing import Any

from nse.lua.errors import PRE_ADJUSTED_MODULES, LuaError
from nse.lua.luatable import LuaTable
from nse.lua.ops import call, index, invoke, type_
from nse.lua.strpack import str_pack, str_unpack

# This module calls string.unpack/pack as plain functions (never as methods), so their
# argument errors count from #1 even when a script reached us through a method call.
PRE_ADJUSTED_MODULES.add(__name__)

__all__ = ["BERCLASS", "ASN1Decoder", "ASN1Encoder", "BERtoInt", "intToBER"]

BERCLASS = LuaTable.from_dict(
    {"Universal": 0, "Application": 64, "ContextSpecific": 128, "Private": 192}
)


def _debug(level: int, fmt: str, *args: Any) -> None:
    from nse.lib import _host

    _host.debug(level, fmt, *args)


def _new_object(cls: LuaTable, o: Any) -> LuaTable:
    # setmetatable(o, self); self.__index = self  (the Lua "class" idiom)
    if o is None:
        o = LuaTable()
    if not isinstance(o, LuaTable):
        raise LuaError("bad argument #1 to 'setmetatable' (table expected, got " + type_(o) + ")")
    o.meta = cls
    cls["__index"] = cls
    return o


# ---------------------------------------------------------------------------- decoder


def _dec_new(self: Any = None, o: Any = None, *_: Any) -> LuaTable:
    """ASN1Decoder:new([o]): an object inheriting from the decoder table."""
    return _new_object(self, o)


def _dec_set_stop_on_error(self: Any = None, val: Any = None, *_: Any) -> tuple[()]:
    """decoder:setStopOnError(val): stop a sequence at the first undecodable element."""
    self["stoponerror"] = val
    return ()


def _d_boolean(
    self: Any = None, enc: Any = None, elen: Any = None, pos: Any = None, *_: Any
) -> Any:
    # string.byte past the end is nil, and nil ~= 0 is true (as nselib)
    val = ord(enc[pos - 1]) if isinstance(pos, int) and 1 <= pos <= len(enc) else None
    return val != 0, pos + 1


def _d_integer(
    self: Any = None, enc: Any = None, elen: Any = None, pos: Any = None, *_: Any
) -> Any:
    return call(index(self, "decodeInt"), enc, elen, pos)


def _d_octets(self: Any = None, enc: Any = None, elen: Any = None, pos: Any = None, *_: Any) -> Any:
    return str_unpack("c" + _num(elen), enc, pos)


def _d_null(self: Any = None, enc: Any = None, elen: Any = None, pos: Any = None, *_: Any) -> Any:
    return False, pos


def _d_oid(self: Any = None, enc: Any = None, elen: Any = None, pos: Any = None, *_: Any) -> Any:
    return invoke(self, "decodeOID", enc, elen, pos)


def _d_seq(self: Any = None, enc: Any = None, elen: Any = None, pos: Any = None, *_: Any) -> Any:
    return invoke(self, "decodeSeq", enc, elen, pos)


def _num(v: Any) -> str:
    from nse.lua.ops import tostring

    return tostring(v)


def _dec_register_base(self: Any = None, *_: Any) -> tuple[()]:
    """decoder:registerBaseDecoders(): BOOLEAN, INTEGER, OCTET STRING, NULL, OID, SEQUENCE."""
    self["decoder"] = LuaTable.from_dict(
        {
            "\x01": _d_boolean,
            "\x02": _d_integer,
            "\x04": _d_octets,
            "\x05": _d_null,
            "\x06": _d_oid,
            "\x30": _d_seq,
        }
    )
    return ()


def _register_tags(self: Any, base: str, field: str, extra: Any) -> tuple[()]:
    # the decoder's and the encoder's registerTag* are one rule: register the base
    # functions, then add (or override with) the caller's
    invoke(self, base)
    table = index(self, field)
    for k, v in extra.items():
        table[k] = v
    return ()


def _dec_register_tags(self: Any = None, tag_decoders: Any = None, *_: Any) -> tuple[()]:
    """decoder:registerTagDecoders(t): the base decoders plus ``t`` (tag byte -> function)."""
    return _register_tags(self, "registerBaseDecoders", "decoder", tag_decoders)


def _dec_decode(self: Any = None, enc: Any = None, pos: Any = None, *_: Any) -> Any:
    """decoder:decode(encStr, pos) -> value, next position (nil, pos for an unknown tag)."""
    etype, newpos = str_unpack("c1", enc, pos)
    elen, newpos = _first2(call(index(self, "decodeLength"), enc, newpos))
    fn = index(index(self, "decoder"), etype)
    if fn is not None and fn is not False:
        return call(fn, self, enc, elen, newpos)
    _debug(1, "no decoder for etype: %s", "%02x" % ord(etype))
    return None, newpos


def _first2(r: Any) -> tuple[Any, Any]:
    r = r if type(r) is tuple else (r,)
    return (r + (None, None))[0], (r + (None, None))[1]


def _dec_length(enc: Any = None, pos: Any = None, *_: Any) -> Any:
    """ASN1Decoder.decodeLength(encStr, pos) -> length, next position (short or long form;
    0x80, the indefinite form, reads as length 128 as in nselib)."""
    elen, newpos = str_unpack("B", enc, pos)
    if elen > 128:
        calc = 0
        for _i in range(elen - 128):
            calc *= 256
            nxt, newpos = str_unpack("B", enc, newpos)
            calc += nxt
        elen = calc
    return elen, newpos


def _dec_seq(
    self: Any = None, enc: Any = None, length: Any = None, pos: Any = None, *_: Any
) -> Any:
    """decoder:decodeSeq(encStr, len, pos) -> table of elements, next position."""
    seq = LuaTable()
    spos = 1
    sstr, newpos = str_unpack("c" + _num(length), enc, pos)
    while spos < length:
        item, spos = _first2(invoke(self, "decode", sstr, spos))
        if (item is None or item is False) and _truthy(index(self, "stoponerror")):
            break
        # table.insert(seq, nil) appends nothing
        if item is not None:
            seq.append(item)
    return seq, newpos


def _truthy(v: Any) -> bool:
    return v is not None and v is not False


def _dec_oid_component(enc: Any = None, pos: Any = None, *_: Any) -> Any:
    """ASN1Decoder.decode_oid_component(encStr, pos) -> number, next position (base-128)."""
    n = 0
    while True:
        octet, pos = str_unpack("B", enc, pos)
        n = n * 128 + (0x7F & octet)
        if octet < 128:
            return n, pos


def _dec_oid(
    self: Any = None, enc: Any = None, length: Any = None, pos: Any = None, *_: Any
) -> Any:
    """decoder:decodeOID(encStr, len, pos) -> {arcs..., _snmp="\\x06"}, next position."""
    oid = LuaTable()
    last = pos + length - 1
    if pos <= last:
        oid["_snmp"] = "\x06"
        octet, pos = str_unpack("B", enc, pos)
        # math.fmod(octet, 40) then (octet - that) // 40: the first two arcs
        oid[2] = octet % 40
        oid[1] = (octet - octet % 40) // 40
    comp = index(self, "decode_oid_component")
    while pos <= last:
        c, pos = _first2(call(comp, enc, pos))
        oid[len(oid) + 1] = c
    return oid, pos


def _dec_int(enc: Any = None, length: Any = None, pos: Any = None, *_: Any) -> Any:
    """ASN1Decoder.decodeInt(encStr, len, pos) -> integer, next position."""
    if length > 16:
        _debug(2, "asn1: Unable to decode %d-byte integer at %d", length, pos)
        return None, pos
    return str_unpack(">i" + _num(length), enc, pos)


ASN1Decoder = LuaTable.from_dict(
    {
        "new": _dec_new,
        "setStopOnError": _dec_set_stop_on_error,
        "registerBaseDecoders": _dec_register_base,
        "registerTagDecoders": _dec_register_tags,
        "decode": _dec_decode,
        "decodeLength": _dec_length,
        "decodeSeq": _dec_seq,
        "decode_oid_component": _dec_oid_component,
        "decodeOID": _dec_oid,
        "decodeInt": _dec_int,
    }
)


# ---------------------------------------------------------------------------- encoder


def _enc_new(self: Any = None, *_: Any) -> LuaTable:
    """ASN1Encoder:new(): an encoder object with the base encoders registered."""
    o = _new_object(self, None)
    invoke(o, "registerBaseEncoders")
    return o


def _enc_seq(self: Any = None, seq_data: Any = None, *_: Any) -> str:
    """encoder:encodeSeq(data): a SEQUENCE (0x30) around already-encoded elements."""
    return "\x30" + call(index(self, "encodeLength"), len(seq_data)) + seq_data


def _enc_encode(self: Any = None, val: Any = None, *_: Any) -> Any:
    """encoder:encode(val): the encoding chosen by the Lua type of ``val`` (nil if none)."""
    fn = index(index(self, "encoder"), type_(val))
    if fn is not None and fn is not False:
        return call(fn, self, val)
    return None


def _enc_register_tags(self: Any = None, tag_encoders: Any = None, *_: Any) -> tuple[()]:
    """encoder:registerTagEncoders(t): the base encoders plus ``t`` (type name -> function)."""
    return _register_tags(self, "registerBaseEncoders", "encoder", tag_encoders)


def _e_boolean(self: Any = None, val: Any = None, *_: Any) -> str:
    return "\x01\x01\xff" if _truthy(val) else "\x01\x01\x00"


def _e_table(self: Any = None, val: Any = None, *_: Any) -> str:
    from nse.lib import stdnse

    if not isinstance(val, LuaTable):
        raise LuaError("val is not a table")
    t = val["type"]
    if not (isinstance(t, str) and len(t) > 0):
        if t is None:
            raise LuaError("attempt to get length of a nil value (field 'type')")
        raise LuaError("Table is missing the type field")
    v = val["value"]
    if v is None:
        raise LuaError("Table is missing the value field")
    tag = stdnse.fromhex(t)
    tag = tag[0] if type(tag) is tuple else tag
    if tag is None:
        raise LuaError("attempt to concatenate a nil value")
    return tag + call(index(self, "encodeLength"), len(v)) + v


def _e_number(self: Any = None, val: Any = None, *_: Any) -> str:
    ival = call(index(self, "encodeInt"), val)
    return "\x02" + call(index(self, "encodeLength"), len(ival)) + ival


def _e_string(self: Any = None, val: Any = None, *_: Any) -> str:
    return "\x04" + call(index(self, "encodeLength"), len(val)) + val


def _e_nil(self: Any = None, val: Any = None, *_: Any) -> str:
    return "\x05\x00"


def _enc_register_base(self: Any = None, *_: Any) -> tuple[()]:
    """encoder:registerBaseEncoders(): boolean, table ({type=hex, value=bytes}), number,
    string (OCTET STRING) and nil (NULL)."""
    self["encoder"] = LuaTable.from_dict(
        {
            "boolean": _e_boolean,
            "table": _e_table,
            "number": _e_number,
            "string": _e_string,
            "nil": _e_nil,
        }
    )
    return ()


def _enc_oid_component(n: Any = None, *_: Any) -> str:
    """ASN1Encoder.encode_oid_component(n): base-128 with continuation bits."""
    parts = [chr(n % 128)]
    while n >= 128:
        n >>= 7
        parts.append(chr(n % 128 + 0x80))
    return "".join(reversed(parts))


def _byte(v: int | float) -> str:
    return str_pack("B", v)


def _enc_int(val: Any = None, *_: Any) -> str:
    """ASN1Encoder.encodeInt(val): minimal big-endian two's complement content octets."""
    if val > 0:
        out = []
        lsb: int | float = 0
        while val > 0:
            lsb = math.fmod(val, 256) if isinstance(val, float) else val % 256
            out.append(_byte(lsb))
            # math.floor(val/256): '/' is float division in Lua (§3.4.1)
            val = _lua_floor(val / 256)
        if lsb > 127:  # the sign bit would read as negative: add a zero octet
            out.append("\0")
        return "".join(reversed(out))
    if val < 0:
        # nselib works on val + 256 and adds 255*256^i until the top bit is set, in
        # floats (256^i is always a float in Lua, §3.4.1)
        i = 1
        tcval: int | float = val + 256
        while tcval <= 127:
            tcval = tcval + 256.0**i * 255
            i += 1
        out = []
        while tcval > 0:
            lsb = math.fmod(tcval, 256) if isinstance(tcval, float) else tcval % 256
            out.append(_byte(lsb))
            tcval = _lua_floor(tcval / 256)
        return "".join(reversed(out))
    return "\0"


def _lua_floor(x: float) -> int | float:
    # math.floor returns an integer when the result fits one (§6.7)
    f = math.floor(x)
    return int(f) if -(2**63) <= f < 2**63 else float(f)


def _enc_length(length: Any = None, *_: Any) -> str:
    """ASN1Encoder.encodeLength(len): short form below 128, else 0x80|n and n octets."""
    if length < 128:
        return chr(length)
    parts = []
    while length > 0:
        parts.append(chr(length % 256))
        length >>= 8
    if len(parts) >= 128:
        raise LuaError("assertion failed!")
    return chr(len(parts) + 0x80) + "".join(reversed(parts))


ASN1Encoder = LuaTable.from_dict(
    {
        "new": _enc_new,
        "encodeSeq": _enc_seq,
        "encode": _enc_encode,
        "registerTagEncoders": _enc_register_tags,
        "registerBaseEncoders": _enc_register_base,
        "encode_oid_component": _enc_oid_component,
        "encodeInt": _enc_int,
        "encodeLength": _enc_length,
    }
)


# ---------------------------------------------------------------------------- tag numbers


def BERtoInt(class_: Any = None, constructed: Any = None, number: Any = None, *_: Any) -> Any:  # noqa: N802
    """The identifier octet for a class (BERCLASS value), constructed flag and tag number."""
    from nse.lua.ops import add

    t = add(class_, number)
    if constructed is True:
        t = add(t, 32)
    return t


def intToBER(i: Any = None, *_: Any) -> LuaTable:  # noqa: N802
    """The class/constructed/number fields of an identifier octet (nselib's order of
    tests: Application, then ContextSpecific, then Private)."""
    from nse.lua.ops import band, sub

    ber = LuaTable()
    if band(i, 64) == 64:
        ber["class"] = 64
    elif band(i, 128) == 128:
        ber["class"] = 128
    elif band(i, 192) == 192:
        ber["class"] = 192
    else:
        ber["class"] = 0
    if band(i, 32) == 32:
        ber["constructed"] = True
        ber["number"] = sub(sub(i, ber["class"]), 32)
    else:
        ber["primitive"] = True
        ber["number"] = sub(i, ber["class"])
    return ber
