"""nselib ``ssh2``: enough of the SSH transport (RFC 4253) to read a server's host key
and algorithm lists (nmap 7.93's API, our code).

``fetch_host_key(host, port, key_type)`` runs version exchange, KEXINIT and a
Diffie-Hellman exchange (groups 1, 14, 16 of RFC 2409/3526, or group exchange, RFC
4419) offering only ``key_type``, and returns the host key from KEXDH_REPLY:
``{key (base64), key_type, fp_input (raw blob), bits, full_key, algorithm,
fingerprint (MD5), fp_sha256}``, or nothing.  ``transport`` holds the packet
helpers (``build``, ``payload``, ``receive_packet``, ``kex_init``,
``parse_kex_init``, ``kexdh_init``, ``kexdh_gex_init``, ``pack_mpint``);
``SSH2`` the message numbers.

Packets bigger than 35000 bytes (RFC 4253 6.1's minimum every implementation handles)
are refused rather than buffered, so a hostile server cannot make us hold more.
"""

from __future__ import annotations

import base64 as _b64
import hashlib
import os
import secrets
import struct
from typing import Any

from nse.lib import nmap
from nse.lib._util import from_bytes as _s
from nse.lib._util import to_bytes as _b
from nse.lua.luatable import LuaTable

__all__ = ["transport", "fetch_host_key", "check_packet_length", "SSH2"]

MAX_PACKET = 35000

SSH2 = LuaTable.from_dict({
    "SSH_MSG_DISCONNECT": 1, "SSH_MSG_IGNORE": 2, "SSH_MSG_UNIMPLEMENTED": 3,
    "SSH_MSG_DEBUG": 4, "SSH_MSG_SERVICE_REQUEST": 5, "SSH_MSG_SERVICE_ACCEPT": 6,
    "SSH_MSG_KEXINIT": 20, "SSH_MSG_NEWKEYS": 21, "SSH_MSG_KEXDH_INIT": 30,
    "SSH_MSG_KEXDH_REPLY": 31, "SSH_MSG_KEX_DH_GEX_REQUEST_OLD": 30,
    "SSH_MSG_KEX_DH_GEX_REQUEST": 34, "SSH_MSG_KEX_DH_GEX_GROUP": 31,
    "SSH_MSG_KEX_DH_GEX_INIT": 32, "SSH_MSG_KEX_DH_GEX_REPLY": 33,
})

# MODP groups: RFC 2409 6.2 (group 2, "group1" in SSH), RFC 3526 3 and 5 (14, 16).
_PI_PREFIX = ("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B2"
              "2514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E"
              "7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651EC")
_GROUP1 = int(_PI_PREFIX + "E65381FFFFFFFFFFFFFFFF", 16)
_G14_BODY = (_PI_PREFIX + "E45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C"
             "62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE"
             "3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA"
             "956AE515D2261898FA051015728E5A8AA")
_GROUP14 = int(_G14_BODY + "CAA68FFFFFFFFFFFFFFFF", 16)
_GROUP16 = int(
    _G14_BODY + "AC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB"
    "3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87"
    "602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5"
    "BFCE0FD108E4B82D120A92108011A723C12A787E6D788719A10BDBA5B2699C327186AF4E23C1A94683"
    "4B6150BDA2583E9CA2AD44CE8DBBBC2DB04DE8EF92E8EFC141FBECAA6287C59474E6BC05D99B2964FA"
    "090C3A2233BA186515BE7ED1F612970CEE2D7AFB81BDD762170481CD0069127D5B05AA993B4EA988D8"
    "FDDC186FFB7DC90A6C08F4DF435C934063199FFFFFFFFFFFFFFFF", 16)

_KEX_OFFER = ("diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,"
              "diffie-hellman-group14-sha256,diffie-hellman-group16-sha512,"
              "diffie-hellman-group-exchange-sha1,diffie-hellman-group-exchange-sha256")


def _mv(v: Any) -> tuple[Any, ...]:
    return v if isinstance(v, tuple) else (v,)


def check_packet_length(buffer: Any = None, *_: Any) -> Any:
    """receive_buf delimiter: the end of one binary packet (RFC 4253 6).  A length
    beyond MAX_PACKET ends the read at once with what is buffered."""
    if len(buffer) < 4:
        return None
    n = struct.unpack(">I", _b(buffer[:4]))[0]
    if n > MAX_PACKET:
        return len(buffer) + 1, len(buffer)
    if n + 4 > len(buffer):
        return None
    return n + 4, n + 4


def _receive_packet(socket: Any = None, *_: Any) -> Any:
    return socket.receive_buf(check_packet_length, True)


def _pack_mpint(bn: Any = None, *_: Any) -> str:
    """An mpint (RFC 4251 5) of a bignum or a Python int."""
    n = bn if isinstance(bn, int) else int(bn.todec())
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    if body and body[0] & 0x80:
        body = b"\0" + body
    return _s(struct.pack(">I", len(body)) + body)


def _build(payload: Any = None, *_: Any) -> str:
    """A binary packet around ``payload`` (no MAC, no encryption)."""
    p = _b(payload)
    pad = 8 - (len(p) + 5) % 8
    if pad < 4:
        pad += 8
    return _s(struct.pack(">IB", len(p) + pad + 1, pad) + p + os.urandom(pad))


def _payload(packet: Any = None, *_: Any) -> Any:
    """The payload of a binary packet (nil when the length does not match)."""
    b = _b(packet or "")
    if len(b) < 5:
        return None
    n, pad = struct.unpack(">IB", b[:5])
    if n != len(b) - 4 or pad + 1 > n:
        return None
    return _s(b[5:5 + n - pad - 1])


def _name_list(s: str) -> bytes:
    b = _b(s)
    return struct.pack(">I", len(b)) + b


def _kex_init(options: Any = None, *_: Any) -> str:
    """A KEXINIT payload (RFC 4253 7.1) with the given (or nselib's default) lists."""
    o = options if isinstance(options, LuaTable) else LuaTable()
    enc = o["encryption_algorithms"] or ("aes128-cbc,3des-cbc,blowfish-cbc,aes192-cbc,"
                                         "aes256-cbc,aes128-ctr,aes192-ctr,aes256-ctr")
    mac = o["mac_algorithms"] or "hmac-md5,hmac-sha1,hmac-ripemd160"
    comp = o["compression_algorithms"] or "none"
    lang = o["languages"] or ""
    cookie = _b(o["cookie"]) if o["cookie"] else secrets.token_bytes(16)
    body = bytes([20]) + cookie
    for field in (o["kex_algorithms"] or "diffie-hellman-group1-sha1",
                  o["host_key_algorithms"] or "ssh-dss,ssh-rsa",
                  enc, enc, mac, mac, comp, comp, lang, lang):
        body += _name_list(field)
    return _s(body + b"\0" + b"\0\0\0\0")


_KEXINIT_FIELDS = ["kex_algorithms", "server_host_key_algorithms",
                   "encryption_algorithms_client_to_server",
                   "encryption_algorithms_server_to_client",
                   "mac_algorithms_client_to_server", "mac_algorithms_server_to_client",
                   "compression_algorithms_client_to_server",
                   "compression_algorithms_server_to_client",
                   "languages_client_to_server", "languages_server_to_client"]


def _strings(b: bytes, pos: int, count: int) -> tuple[list[bytes], int]:
    out = []
    for _ in range(count):
        (n,) = struct.unpack_from(">I", b, pos)
        pos += 4
        if pos + n > len(b):
            raise ValueError("string past the end")
        out.append(b[pos:pos + n])
        pos += n
    return out, pos


def _parse_kex_init(payload: Any = None, *_: Any) -> LuaTable:
    """The name lists of a KEXINIT payload (empty table when it is not one)."""
    b = _b(payload or "")
    t = LuaTable()
    if not b or b[0] != 20:
        return t
    try:
        t["cookie"] = _s(b[1:17])
        values, _end = _strings(b, 17, len(_KEXINIT_FIELDS))
    except (ValueError, struct.error):
        return t
    for name, v in zip(_KEXINIT_FIELDS, values, strict=True):
        t[name] = _s(v)
    return t


def _kexdh_init(e: Any = None, *_: Any) -> str:
    return chr(30) + _pack_mpint(e)


def _kexdh_gex_init(e: Any = None, *_: Any) -> str:
    return chr(32) + _pack_mpint(e)


transport = LuaTable.from_dict({
    "receive_packet": _receive_packet, "pack_mpint": _pack_mpint, "build": _build,
    "payload": _payload, "kexdh_init": _kexdh_init, "kexdh_gex_init": _kexdh_gex_init,
    "kex_init": _kex_init, "parse_kex_init": _parse_kex_init,
})


def _key_bits(key_type: str, blob: bytes) -> tuple[str | None, Any]:
    """(algorithm, bits) from the public key blob (RFC 4253 6.6, RFC 5656, RFC 8709)."""
    try:
        if key_type == "ssh-dss":
            (_name, p), _ = _strings(blob, 0, 2)
            return "DSA", int.from_bytes(p, "big").bit_length()
        if key_type == "ssh-rsa":
            (_name, _e, n), _ = _strings(blob, 0, 3)
            return "RSA", int.from_bytes(n, "big").bit_length()
    except (ValueError, struct.error):
        return None, None
    fixed = {"ecdsa-sha2-nistp256": ("ECDSA", "256"), "ecdsa-sha2-nistp384": ("ECDSA", "384"),
             "ecdsa-sha2-nistp521": ("ECDSA", "521"), "ssh-ed25519": ("ED25519", "256")}
    return fixed.get(key_type, (None, None))


def _exchange(sock: Any, key_type: str) -> bytes | None:
    """Version exchange, KEXINIT and DH up to KEXDH_REPLY; the host key blob."""
    if not _mv(sock.receive_lines(1))[0]:
        return None
    if not _mv(sock.send("SSH-2.0-Nmap-SSH2-Hostkey\r\n"))[0]:
        return None
    kexinit = LuaTable.from_dict({"host_key_algorithms": key_type,
                                  "kex_algorithms": _KEX_OFFER})
    if not _mv(sock.send(_build(_kex_init(kexinit))))[0]:
        return None
    r = _mv(_receive_packet(sock))
    if not r[0]:
        return None
    server = _parse_kex_init(_payload(r[1]))
    if key_type not in str(server["server_host_key_algorithms"]):
        return None
    kex = str(server["kex_algorithms"])
    gex = False
    if "diffie-hellman-group1-" in kex:
        p, qbits = _GROUP1, 1024
    elif "diffie-hellman-group14-" in kex:
        p, qbits = _GROUP14, 2048
    elif "diffie-hellman-group16-" in kex:
        p, qbits = _GROUP16, 4096
    elif "diffie-hellman-group-exchange-" in kex:
        sock.send(_build(_s(struct.pack(">BIII", 34, 1024, 1024, 8192))))
        r = _mv(_receive_packet(sock))
        pl = _payload(r[1]) if r[0] else None
        if not pl or ord(pl[0]) != 31:
            return None
        try:
            (pb, gb), _ = _strings(_b(pl), 1, 2)
        except (ValueError, struct.error):
            return None
        p, qbits, gex = int.from_bytes(pb, "big"), 1024, True
        g = int.from_bytes(gb, "big")
    else:
        return None
    if not gex:
        g = 2
    e = pow(g, secrets.randbits(qbits) | 1 << (qbits - 1), p)
    sock.send(_build(_kexdh_gex_init(e) if gex else _kexdh_init(e)))
    r = _mv(_receive_packet(sock))
    pl = _payload(r[1]) if r[0] else None
    if not pl or ord(pl[0]) != (33 if gex else 31):
        return None
    try:
        (blob,), _ = _strings(_b(pl), 1, 1)
    except (ValueError, struct.error):
        return None
    return blob


def fetch_host_key(host: Any = None, port: Any = None, key_type: Any = None,
                   *_: Any) -> Any:
    """The server's host key of type ``key_type`` (see the module doc), or nothing."""
    sock = nmap.new_socket()
    if not _mv(sock.connect(host, port))[0]:
        return ()
    try:
        blob = _exchange(sock, str(key_type))
    finally:
        sock.close()
    if blob is None:
        return ()
    algorithm, bits = _key_bits(str(key_type), blob)
    b64 = _b64.b64encode(blob).decode("ascii")
    return LuaTable.from_dict({
        "key": b64, "key_type": key_type, "fp_input": _s(blob), "bits": bits,
        "full_key": f"{key_type} {b64}", "algorithm": algorithm,
        "fingerprint": _s(hashlib.md5(blob).digest()),
        "fp_sha256": _s(hashlib.sha256(blob).digest()),
    })
