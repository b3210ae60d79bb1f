"""nselib ``snmp``: SNMP v1/v2c messages in BER, and a client helper (nmap 7.93's API,
our code).

Values as nselib represents them: integers are numbers, OCTET STRINGs strings, NULL is
``false``, an OID a table of numbers with ``_snmp = "\\x06"``; IpAddress (``\\x40``),
Counter32 (``\\x41``), Gauge32 (``\\x42``), TimeTicks (``\\x43``), Opaque (``\\x44``),
Counter64 (``\\x46``) are one-element tables tagged the same way; a SEQUENCE or PDU is
an array table with ``_snmp`` set to its tag byte (``"\\x30"``, ``"\\xa0"``...).

``encode(value)`` / ``decode(data, pos) -> value, pos``; ``buildPacket(pdu, version,
community)``; ``buildGetRequest(options, oid...)``, ``buildGetNextRequest``,
``buildSetRequest(options, oid, value)``; ``fetchResponseValues(response)`` -> an array
of ``{value, "1.3.6...", oid}``; ``str2oid``/``oid2str``/``str2ip``/``ip2str``.
``Helper:new(host, port, community, options)`` with ``connect``, ``get``,
``getnext``, ``set``, ``walk`` (community: argument, then ``creds`` script arguments,
then "public"; version from ``snmp.version``: v1 (default) or v2c).

The BER rules are X.690 8.1-8.19 (definite lengths only); SNMP's application types
come from RFC 2578 7.1 and the PDUs from RFC 3416 3.
"""

from __future__ import annotations

from typing import Any

from nse.lib import creds, nmap, stdnse
from nse.lua.luatable import LuaTable

__all__ = ["encode", "decode", "buildPacket", "buildGetRequest", "buildGetNextRequest",
           "buildSetRequest", "str2oid", "oid2str", "ip2str", "str2ip",
           "fetchResponseValues", "Helper"]

_APP_NUMBERS = {0x41, 0x42, 0x43, 0x46}  # Counter32, Gauge32, TimeTicks, Counter64
#: deepest nesting accepted when decoding (an SNMP message needs 5)
_MAX_DEPTH = 16


def _mv(v: Any) -> tuple[Any, ...]:
    return v if isinstance(v, tuple) else (v,)


def _len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def _tlv(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _len(len(body)) + body


def _int_body(n: int, unsigned: bool = False) -> bytes:
    if unsigned:
        b = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big")
    else:
        b = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True)
    return b


def _oid_body(parts: list[int]) -> bytes:
    if len(parts) < 2:
        parts = parts + [0] * (2 - len(parts))
    out = bytearray()
    for i, n in enumerate([parts[0] * 40 + parts[1], *parts[2:]]):
        del i
        chunk = [n & 0x7F]
        n >>= 7
        while n:
            chunk.append(0x80 | (n & 0x7F))
            n >>= 7
        out += bytes(reversed(chunk))
    return bytes(out)


def _items(t: LuaTable) -> list[Any]:
    out = []
    i = 1
    while (v := t[i]) is not None:
        out.append(v)
        i += 1
    return out


def _enc(val: Any) -> bytes:
    if isinstance(val, bool):
        return b"\x05\x00" if val is False else b"\x01\x01\xff"
    if isinstance(val, int):
        return _tlv(0x02, _int_body(val))
    if isinstance(val, str):
        return _tlv(0x04, val.encode("latin-1"))
    if val is None:
        return b"\x05\x00"
    if isinstance(val, LuaTable):
        tag = val["_snmp"]
        t = ord(tag) if isinstance(tag, str) and tag else 0x30
        items = _items(val)
        if t == 0x06:
            return _tlv(0x06, _oid_body([int(x) for x in items]))
        if t == 0x40:
            return _tlv(0x40, bytes(int(x) & 0xFF for x in items[:4]))
        if t in _APP_NUMBERS:
            return _tlv(t, _int_body(int(items[0]), unsigned=True))
        if t == 0x44:
            return _tlv(0x44, str(items[0]).encode("latin-1"))
        return _tlv(t, b"".join(_enc(x) for x in items))
    raise ValueError(f"cannot encode a {type(val).__name__}")


def encode(val: Any = None, *_: Any) -> str:
    """BER encoding of an SNMP value (see the module doc for the representation)."""
    return _enc(val).decode("latin-1")


def _tagged(tag: int, values: list[Any]) -> LuaTable:
    t = LuaTable.from_list(values)
    t["_snmp"] = chr(tag)
    return t


def _dec(b: bytes, pos: int, depth: int = 0) -> tuple[Any, int]:
    if depth > _MAX_DEPTH:
        raise ValueError("nested too deep")
    tag = b[pos]
    n = b[pos + 1]
    pos += 2
    if n & 0x80:
        k = n & 0x7F
        if k == 0 or k > 4:
            raise ValueError("unsupported length")
        n = int.from_bytes(b[pos:pos + k], "big")
        pos += k
    body = b[pos:pos + n]
    if len(body) < n:
        raise ValueError("value past the end")
    end = pos + n
    if tag == 0x02:
        return int.from_bytes(body, "big", signed=True), end
    if tag == 0x04:
        return body.decode("latin-1"), end
    if tag == 0x05:
        return False, end
    if tag == 0x01:
        return body != b"\0", end
    if tag == 0x06:
        parts: list[int] = []
        v = 0
        for c in body:
            v = v << 7 | (c & 0x7F)
            if not c & 0x80:
                parts.append(v)
                v = 0
        if parts:
            first = parts.pop(0)
            parts[:0] = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
        return _tagged(0x06, parts), end
    if tag == 0x40:
        return _tagged(0x40, list(body)), end
    if tag in _APP_NUMBERS:
        return _tagged(tag, [int.from_bytes(body, "big")]), end
    if tag == 0x44:
        return _tagged(0x44, [body.decode("latin-1")]), end
    if tag == 0x30 or 0xA0 <= tag <= 0xA8:
        items = []
        p = pos
        while p < end:
            v, p = _dec(b, p, depth + 1)
            items.append(v)
        return _tagged(tag, items), end
    # noSuchObject/noSuchInstance/endOfMibView (0x80-0x82) and anything else: raw
    return body.decode("latin-1"), end


def decode(encStr: Any = None, pos: Any = None, *_: Any) -> Any:  # noqa: N803
    """Decode one value at ``pos`` (1-based): ``value, next position``."""
    b = str(encStr or "").encode("latin-1")
    p = int(pos or 1) - 1
    try:
        v, end = _dec(b, p)
    except (IndexError, ValueError):
        return None, p + 1
    return v, end + 1


def _version(v: Any, default: int) -> int:
    if v in ("v1", 0):
        return 0
    if v in ("v2c", "v2", 1):
        return 1
    return default


_DEFAULT_VERSION = 0


def buildPacket(PDU: Any = None, version: Any = None, commStr: Any = None,  # noqa: N802,N803
                *_: Any) -> LuaTable:
    """``{version, community, pdu}`` (a SEQUENCE)."""
    default = _version(stdnse.script_arg("snmp.version"), _DEFAULT_VERSION)
    return LuaTable.from_list([_version(version, default), commStr, PDU])


def _request(tag: int, options: Any, oids: tuple[Any, ...]) -> LuaTable:
    opts = options if isinstance(options, LuaTable) else LuaTable()
    if opts["reqId"] is None:
        opts["reqId"] = int(nmap.clock_ms()) % 65000
    binds = []
    for oid in oids:
        if isinstance(oid, str):
            oid = str2oid(oid)
        binds.append(LuaTable.from_list([oid, False]))
    return _tagged(tag, [opts["reqId"], opts["err"] or 0, opts["errIdx"] or 0,
                         LuaTable.from_list(binds)])


def buildGetRequest(options: Any = None, *oids: Any) -> LuaTable:  # noqa: N802
    """A GetRequest-PDU for the OIDs (strings or OID tables)."""
    return _request(0xA0, options, oids)


def buildGetNextRequest(options: Any = None, *oids: Any) -> LuaTable:  # noqa: N802
    """A GetNextRequest-PDU for the OIDs."""
    return _request(0xA1, options, oids)


def buildSetRequest(options: Any = None, oid: Any = None, value: Any = None,  # noqa: N802
                    *_: Any) -> LuaTable:
    """A SetRequest-PDU setting one OID."""
    pdu = _request(0xA3, options, (oid,))
    pdu[4][1][2] = value
    return pdu


def str2oid(oidStr: Any = None, *_: Any) -> LuaTable:  # noqa: N803
    """``"1.3.6.1"`` -> an OID table."""
    import re

    return _tagged(0x06, [int(x) for x in re.findall(r"\d+", str(oidStr or ""))])


def oid2str(oid: Any = None, *_: Any) -> str:
    """An OID table -> ``"1.3.6.1"``."""
    if not isinstance(oid, LuaTable):
        return "invalid oid"
    return ".".join(str(x) for x in _items(oid))


def ip2str(ip: Any = None, *_: Any) -> str:
    """An IpAddress table -> dotted quad."""
    if not isinstance(ip, LuaTable):
        return "invalid ip"
    return ".".join(str(x) for x in _items(ip))


def str2ip(ipStr: Any = None, *_: Any) -> LuaTable:  # noqa: N803
    """Dotted quad -> an IpAddress table."""
    import re

    return _tagged(0x40, [int(x) for x in re.findall(r"\d+", str(ipStr or ""))])


def fetchResponseValues(resp: Any = None, *_: Any) -> LuaTable:  # noqa: N802
    """The variable bindings of a GetResponse: ``{{value, oid string, oid}, ...}``."""
    if isinstance(resp, str):
        resp = _mv(decode(resp))[0]
    if not isinstance(resp, LuaTable):
        return LuaTable()
    binds = None
    if resp["_snmp"] == "\xa2":
        binds = resp[4]
    elif isinstance(resp[3], LuaTable) and resp[3]["_snmp"] == "\xa2":
        binds = resp[3][4]
    if not isinstance(binds, LuaTable):
        return LuaTable()
    out = []
    for vb in _items(binds):
        if not isinstance(vb, LuaTable):
            continue
        val = vb[2]
        if isinstance(val, LuaTable):
            tag = val["_snmp"]
            if tag == "\x40":
                val = ".".join(str(x) for x in _items(val)[:4])
            elif tag in ("\x41", "\x42", "\x43", "\x44"):
                val = val[1]
        out.append(LuaTable.from_list([val, oid2str(vb[1]), vb[1]]))
    return LuaTable.from_list(out)


# -- Helper ---------------------------------------------------------------------------

def _helper_new(cls: Any = None, host: Any = None, port: Any = None, community: Any = None,
                options: Any = None, *_: Any) -> LuaTable:
    o = LuaTable.from_dict({"host": host, "port": port, "community": community or "public"})
    o.meta = cls
    if community is None:
        store = creds.Credentials["new"](creds.Credentials, creds.ALL_DATA, host, port)
        for state in (creds.State["PARAM"], creds.State["VALID"]):
            it = _mv(creds.Credentials["getCredentials"](store, state))[0]
            account = _mv(it())[0]
            if isinstance(account, LuaTable):
                pw, user = account["pass"], account["user"]
                if pw and pw not in ("<empty>", ""):
                    o["community"] = pw
                    break
                if user:
                    o["community"] = user
                    break
    o["options"] = options if isinstance(options, LuaTable) else LuaTable.from_dict(
        {"timeout": 5000, "version": _version(stdnse.script_arg("snmp.version"),
                                              _DEFAULT_VERSION)})
    return o


def _helper_connect(self: Any = None, *_: Any) -> Any:
    sock = nmap.new_socket()
    self["socket"] = sock
    sock.set_timeout(self["options"]["timeout"])
    r = _mv(sock.connect(self["host"], self["port"]))
    if not r[0]:
        return False, r[1] if len(r) > 1 else None
    return True


def _helper_request(self: Any = None, message: Any = None, *_: Any) -> Any:
    payload = encode(buildPacket(message, self["options"]["version"], self["community"]))
    r = _mv(self["socket"].send(payload))
    if not r[0]:
        return False, r[1] if len(r) > 1 else None
    return self["socket"].receive_bytes(1)


def _values(self: Any, pdu: LuaTable) -> Any:
    r = _mv(_helper_request(self, pdu))
    if not r[0]:
        return r[0], r[1] if len(r) > 1 else None
    return r[0], fetchResponseValues(r[1])


def _helper_get(self: Any = None, options: Any = None, *oids: Any) -> Any:
    return _values(self, buildGetRequest(options or LuaTable(), *oids))


def _helper_getnext(self: Any = None, options: Any = None, *oids: Any) -> Any:
    return _values(self, buildGetNextRequest(options or LuaTable(), *oids))


def _helper_set(self: Any = None, options: Any = None, oid: Any = None, value: Any = None,
                *_: Any) -> Any:
    return _values(self, buildSetRequest(options or LuaTable(), oid, value))


def _helper_walk(self: Any = None, base_oid: Any = None, *_: Any) -> Any:
    result = LuaTable.from_dict({"baseoid": base_oid})
    oid = base_oid
    status, data = (_mv(_helper_getnext(self, LuaTable(), oid)) + (None,))[:2]
    n = 0
    while isinstance(data, LuaTable) and isinstance(data[1], LuaTable) \
            and data[1][1] is not None and data[1][2]:
        oid = data[1][2]
        if not str(oid).startswith(str(base_oid)) or oid == base_oid:
            break
        n += 1
        result[n] = LuaTable.from_dict({"oid": oid, "value": data[1][1]})
        data = (_mv(_helper_getnext(self, LuaTable(), oid)) + (None,))[1]
    return status, result


Helper = LuaTable.from_dict({"new": _helper_new, "connect": _helper_connect,
                             "request": _helper_request, "get": _helper_get,
                             "getnext": _helper_getnext, "set": _helper_set,
                             "walk": _helper_walk})
Helper["__index"] = Helper
