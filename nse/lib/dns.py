"""nselib ``dns``: a DNS client (nmap 7.93's API for what scripts use, our code).

``query(dname, options) -> true, answer | false, message``: builds a query (RFC 1035
4.1; ``options.dtype`` name or number, ``class``, ``norecurse``, ``nsid``/``dnssec``
add an EDNS0 OPT record, RFC 6891 / RFC 5001), sends it over UDP (``sendCount`` tries,
default 2) or TCP (two-byte length prefix), decodes the answer and returns, like nselib:
the decoded packet (``retPkt``), every answer of the type asked (``retAll``), or the
first "nice" answer (an address for A/AAAA, the raw TXT data after its first length
byte, a name for NS/PTR/CNAME...).  No answer: ``false, "No Answers"``.

Decoded packets are tables ``{id, flags = {QR, OC1..4, AA, TC, RD, RA, Z1..3, RC1..4},
questions, answers, auth, add}``; each record ``{dname, dtype, class, ttl, data}`` plus
a type-specific field (``ip``, ``ipv6``, ``domain``, ``TXT = {text = {...}}``,
``OPT = {...}``).  ``types`` and ``CLASS`` are the number tables; ``encode``/``decode``
convert packets; ``newPacket``, ``addQuestion``, ``addOPT``, ``addNSID`` build them;
``reverse(ip)`` gives the in-addr.arpa / ip6.arpa name.

Not here: zone transfers, DNS UPDATE, server discovery from resolv.conf (``host``
must be given), following referrals to other servers.
"""

from __future__ import annotations

import ipaddress
import struct
from typing import Any

from nse.lib import nmap
from nse.lua.luatable import LuaTable

__all__ = ["types", "CLASS", "query", "reverse", "encode", "decode", "newPacket",
           "addQuestion", "addOPT", "addNSID"]

types = LuaTable.from_dict({
    "A": 1, "NS": 2, "SOA": 6, "CNAME": 5, "PTR": 12, "HINFO": 13, "MX": 15, "TXT": 16,
    "AAAA": 28, "SRV": 33, "OPT": 41, "SSHFP": 44, "NSEC": 47, "NSEC3": 50, "DS": 43,
    "RRSIG": 46, "DNSKEY": 48, "AXFR": 252, "ANY": 255,
})
CLASS = LuaTable.from_dict({"IN": 1, "CH": 3, "ANY": 255})

#: a UDP answer is at most this big (EDNS0 payload size we announce)
_UDP_SIZE = 4096
_FLAG_BITS = ["QR", "OC1", "OC2", "OC3", "OC4", "AA", "TC", "RD", "RA", "Z1", "Z2", "Z3",
              "RC1", "RC2", "RC3", "RC4"]


def _mv(v: Any) -> tuple[Any, ...]:
    return v if isinstance(v, tuple) else (v,)


def newPacket(*_: Any) -> LuaTable:  # noqa: N802 - nselib's name
    """An empty query packet (RD set, random id)."""
    import random

    return LuaTable.from_dict({
        "id": random.randint(0, 0xFFFF),
        "flags": LuaTable.from_dict({"RD": True}),
        "questions": LuaTable(), "answers": LuaTable(), "auth": LuaTable(),
        "additional": LuaTable(),
    })


def addQuestion(pkt: Any = None, dname: Any = None, dtype: Any = None,  # noqa: N802
                class_: Any = None, *_: Any) -> Any:
    """Add a question to ``pkt``."""
    qs = pkt["questions"]
    qs[len(qs) + 1] = LuaTable.from_dict({"dname": dname, "dtype": dtype,
                                          "class": class_ or 1})
    return pkt


def addOPT(pkt: Any = None, z: Any = None, opt: Any = None, *_: Any) -> Any:  # noqa: N802
    """Add an OPT record (RFC 6891 6.1.2): payload size 4096, DO bit from ``z.DO``."""
    ttl = 0x8000 if isinstance(z, LuaTable) and z["DO"] else 0
    add = pkt["additional"]
    add[len(add) + 1] = LuaTable.from_dict({"type": 41, "class": _UDP_SIZE, "ttl": ttl,
                                            "rdata": opt or ""})
    return pkt


def addNSID(pkt: Any = None, z: Any = None, *_: Any) -> Any:  # noqa: N802
    """Add an OPT record asking for the name server id (RFC 5001: option 3, empty)."""
    return addOPT(pkt, z, struct.pack(">HH", 3, 0).decode("latin-1"))


def _name(dname: str) -> bytes:
    out = b""
    for label in str(dname).split("."):
        if label:
            b = label.encode("latin-1")[:63]
            out += bytes([len(b)]) + b
    return out + b"\0"


def encode(pkt: Any = None, *_: Any) -> str:
    """The wire form of a packet table."""
    flags = pkt["flags"] if isinstance(pkt["flags"], LuaTable) else LuaTable()
    raw = flags["raw"]
    if not isinstance(raw, int):
        raw = 0
        for i, name in enumerate(_FLAG_BITS):
            if flags[name]:
                raw |= 1 << (15 - i)
    qs, add = pkt["questions"], pkt["additional"]
    out = struct.pack(">HHHHHH", pkt["id"] or 0, raw, len(qs), 0, 0, len(add))
    for i in range(1, len(qs) + 1):
        q = qs[i]
        out += _name(q["dname"]) + struct.pack(">HH", q["dtype"], q["class"])
    for i in range(1, len(add) + 1):
        r = add[i]
        rdata = str(r["rdata"] or "").encode("latin-1")
        out += b"\0" + struct.pack(">HHIH", r["type"], r["class"], r["ttl"], len(rdata)) \
            + rdata
    return out.decode("latin-1")


def _read_name(b: bytes, pos: int) -> tuple[str, int]:
    """A possibly compressed name (RFC 1035 4.1.4) and the position after it."""
    labels: list[str] = []
    end = None
    seen = 0
    while True:
        if pos >= len(b):
            raise ValueError("name past the end")
        n = b[pos]
        if n & 0xC0 == 0xC0:
            if pos + 1 >= len(b):
                raise ValueError("truncated pointer")
            if end is None:
                end = pos + 2
            pos = (n & 0x3F) << 8 | b[pos + 1]
            seen += 1
            if seen > 64:  # a pointer loop
                raise ValueError("compression loop")
            continue
        if n == 0:
            return ".".join(labels), end if end is not None else pos + 1
        labels.append(b[pos + 1:pos + 1 + n].decode("latin-1"))
        pos += 1 + n


def _rr(b: bytes, pos: int) -> tuple[LuaTable, int]:
    dname, pos = _read_name(b, pos)
    dtype, cls, ttl, rdlen = struct.unpack_from(">HHIH", b, pos)
    pos += 10
    data = b[pos:pos + rdlen]
    if len(data) < rdlen:
        raise ValueError("record past the end")
    rec = LuaTable.from_dict({"dname": dname, "dtype": dtype, "class": cls, "ttl": ttl,
                              "data": data.decode("latin-1")})
    try:
        if dtype == 1 and rdlen == 4:
            rec["ip"] = str(ipaddress.IPv4Address(data))
        elif dtype == 28 and rdlen == 16:
            rec["ipv6"] = str(ipaddress.IPv6Address(data))
        elif dtype in (2, 5, 12):
            rec["domain"] = _read_name(b, pos)[0]
        elif dtype == 15:
            rec["MX"] = LuaTable.from_dict({"pref": struct.unpack_from(">H", b, pos)[0],
                                            "server": _read_name(b, pos + 2)[0]})
        elif dtype == 16:
            texts, i = [], 0
            while i < len(data):
                n = data[i]
                texts.append(data[i + 1:i + 1 + n].decode("latin-1"))
                i += 1 + n
            rec["TXT"] = LuaTable.from_dict({"text": LuaTable.from_list(texts)})
        elif dtype == 41:
            opts, i = [], 0
            while i + 4 <= len(data):
                code, n = struct.unpack_from(">HH", data, i)
                opts.append(LuaTable.from_dict(
                    {"code": code, "data": data[i + 4:i + 4 + n].decode("latin-1")}))
                i += 4 + n
            rec["OPT"] = LuaTable.from_dict({"bufsize": cls, "rcode": ttl >> 24,
                                             "version": ttl >> 16 & 0xFF,
                                             "zflags": ttl & 0xFFFF,
                                             "options": LuaTable.from_list(opts)})
    except (ValueError, IndexError, struct.error):
        pass  # the record keeps its raw data
    return rec, pos + rdlen


def decode(data: Any = None, *_: Any) -> Any:
    """A packet table from wire data (nil when it is not a DNS message)."""
    b = str(data or "").encode("latin-1")
    try:
        pid, raw, qd, an, ns, ar = struct.unpack_from(">HHHHHH", b, 0)
        flags = LuaTable.from_dict({name: bool(raw >> (15 - i) & 1)
                                    for i, name in enumerate(_FLAG_BITS)})
        flags["raw"] = raw
        pkt = LuaTable.from_dict({"id": pid, "flags": flags})
        pos = 12
        qs = []
        for _q in range(qd):
            name, pos = _read_name(b, pos)
            dtype, cls = struct.unpack_from(">HH", b, pos)
            pos += 4
            qs.append(LuaTable.from_dict({"dname": name, "dtype": dtype, "class": cls}))
        pkt["questions"] = LuaTable.from_list(qs)
        for key, count in (("answers", an), ("auth", ns), ("add", ar)):
            recs = []
            for _r in range(count):
                rec, pos = _rr(b, pos)
                recs.append(rec)
            pkt[key] = LuaTable.from_list(recs)
    except (ValueError, IndexError, struct.error):
        return None
    return pkt


def _send_udp(data: str, host: Any, port: Any, timeout: Any, count: int) -> Any:
    sock = nmap.new_socket("udp")
    sock.set_timeout(timeout)
    sock.connect(host, port, "udp")
    try:
        for _ in range(count):
            if not _mv(sock.send(data))[0]:
                return None
            r = _mv(sock.receive())
            if r[0]:
                return r[1]
        return None
    finally:
        sock.close()


def _send_tcp(data: str, host: Any, port: Any, timeout: Any) -> Any:
    sock = nmap.new_socket()
    sock.set_timeout(timeout)
    try:
        if not _mv(sock.connect(host, port))[0]:
            return None
        sock.send(struct.pack(">H", len(data)).decode("latin-1") + data)
        r = _mv(sock.receive_bytes(2))
        if not r[0]:
            return None
        buf = r[1]
        want = struct.unpack(">H", buf[:2].encode("latin-1"))[0] + 2
        while len(buf) < want:
            r = _mv(sock.receive_bytes(want - len(buf)))
            if not r[0]:
                return None
            buf += r[1]
        return buf[2:want]
    finally:
        sock.close()


def _got_answer(pkt: LuaTable) -> bool:
    answers, qs = pkt["answers"], pkt["questions"]
    if len(answers) > 0:
        if len(qs) == 0 or qs[1]["dtype"] != 1:
            return True
        return any(answers[i]["dtype"] == 1 for i in range(1, len(answers) + 1))
    flags = pkt["flags"]
    return bool(flags["RC3"] and flags["RC4"])  # NXDOMAIN counts as an answer


_FIELD = {1: "ip", 28: "ipv6", 2: "domain", 5: "domain", 12: "domain"}


def _nice(dtype: int, pkt: LuaTable, ret_all: Any) -> Any:
    answers = [pkt["answers"][i] for i in range(1, len(pkt["answers"]) + 1)]
    if dtype == 16:
        if not ret_all:
            if answers and answers[0]["data"]:
                return True, answers[0]["data"][1:]
            return False, "No Answers"
        texts = [t for a in answers if isinstance(a["TXT"], LuaTable)
                 for t in a["TXT"]["text"].values()]
        return (True, LuaTable.from_list(texts)) if texts else (False, "No Answers")
    field = _FIELD.get(dtype)
    found = [a[field] if field else a["data"] for a in answers if a["dtype"] == dtype]
    found = [f for f in found if f is not None]
    if not found:
        return False, "No Answers"
    return (True, LuaTable.from_list(found)) if ret_all else (True, found[0])


def query(dname: Any = None, options: Any = None, *_: Any) -> Any:
    """Ask ``options.host`` about ``dname`` (see the module doc)."""
    opts = options if isinstance(options, LuaTable) else LuaTable()
    dtype = opts["dtype"]
    if isinstance(dtype, str):
        dtype = types[dtype]
    dtype = dtype or 1
    host, port = opts["host"], opts["port"] or 53
    proto = opts["proto"] or "udp"
    if isinstance(host, LuaTable) and not host["ip"]:
        host = host[1]
    if host is None:
        return False, "No Servers"
    timeout = opts["timeout"] if isinstance(opts["timeout"], int | float) else 5000
    pkt = newPacket()
    addQuestion(pkt, dname, dtype, opts["class"] or 1)
    if opts["norecurse"]:
        pkt["flags"]["RD"] = False
    z = LuaTable.from_dict({"DO": True}) if opts["dnssec"] else LuaTable()
    if opts["nsid"]:
        addNSID(pkt, z)
    elif opts["dnssec"]:
        addOPT(pkt, z)
    if opts["flags"] is not None:
        pkt["flags"]["raw"] = opts["flags"]
    if opts["id"] is not None:
        pkt["id"] = opts["id"]
    data = encode(pkt)
    if proto == "tcp":
        reply = _send_tcp(data, host, port, timeout)
    else:
        reply = _send_udp(data, host, port, timeout, int(opts["sendCount"] or 2))
    if reply is None:
        return False, "No Answers"
    rpkt = decode(reply)
    if rpkt is None:
        return False, "No Answers"
    if _got_answer(rpkt):
        return (True, rpkt) if opts["retPkt"] else _nice(dtype, rpkt, opts["retAll"])
    if opts["retPkt"]:
        return True, rpkt
    return False, "No Answers"


def reverse(ip: Any = None, *_: Any) -> Any:
    """``4.3.2.1.in-addr.arpa`` / nibble ``ip6.arpa`` name of an address."""
    try:
        return ipaddress.ip_address(str(ip)).reverse_pointer
    except ValueError:
        return None
