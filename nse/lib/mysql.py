"""nselib ``mysql``: the MySQL/MariaDB handshake (nmap 7.93's API, our code).

``receiveGreeting(socket) -> true, info | false, message`` reads the server's initial
handshake packet (protocol 10: version, thread id, salt, capability flags, status,
auth plugin name; protocol 9: auth data).  ``loginRequest(socket, params, user,
password, salt)`` sends a protocol-4.1 handshake response with the
``mysql_native_password`` scramble (SHA1(pw) XOR SHA1(salt + SHA1(SHA1(pw))))
and returns ``true, {affectedrows...} | false, message``.  ``Capabilities``,
``ExtCapabilities``, ``Charset``, ``ServerStatus`` are the flag tables.

Not here yet: ``sqlQuery``, ``decodeQueryResponse``, ``formatResultset``.

The packet layout: a 3-byte little-endian length, a sequence number, the payload
(MySQL internals manual, "Protocol::Packet" and "Protocol::HandshakeV10").
"""

from __future__ import annotations

import hashlib
import struct
from typing import Any

from nse.lua.luatable import LuaTable

__all__ = ["Capabilities", "ExtCapabilities", "Charset", "ServerStatus", "receiveGreeting",
           "loginRequest"]

HEADER_SIZE = 4
#: the biggest greeting we accept (a real one is about 100 bytes)
_MAX_PACKET = 65536

Capabilities = LuaTable.from_dict({
    "LongPassword": 0x1, "FoundRows": 0x2, "LongColumnFlag": 0x4,
    "ConnectWithDatabase": 0x8, "DontAllowDatabaseTableColumn": 0x10,
    "SupportsCompression": 0x20, "ODBCClient": 0x40, "SupportsLoadDataLocal": 0x80,
    "IgnoreSpaceBeforeParenthesis": 0x100, "Speaks41ProtocolNew": 0x200,
    "InteractiveClient": 0x400, "SwitchToSSLAfterHandshake": 0x800,
    "IgnoreSigpipes": 0x1000, "SupportsTransactions": 0x2000,
    "Speaks41ProtocolOld": 0x4000, "Support41Auth": 0x8000,
})
ExtCapabilities = LuaTable.from_dict({
    "SupportsMultipleStatments": 0x1, "SupportsMultipleResults": 0x2,
    "SupportsAuthPlugins": 0x8,
})
Charset = LuaTable.from_dict({"latin1_COLLATE_latin1_swedish_ci": 0x8})
ServerStatus = LuaTable.from_dict({
    "InTransaction": 0x1, "AutoCommit": 0x2, "MoreResults": 0x4, "MultiQuery": 0x8,
    "BadIndexUsed": 0x10, "NoIndexUsed": 0x20, "CursorExists": 0x40, "LastRowSebd": 0x80,
})


def _mv(v: Any) -> tuple[Any, ...]:
    return v if isinstance(v, tuple) else (v,)


def _read_packet(socket: Any) -> tuple[bool, Any, int]:
    """One packet: (ok, payload latin-1 str or error, sequence number)."""
    r = _mv(socket.receive_bytes(HEADER_SIZE))
    if not r[0]:
        socket.close()
        return False, r[1] if len(r) > 1 else None, 0
    data = r[1].encode("latin-1")
    length = data[0] | data[1] << 8 | data[2] << 16
    seq = data[3]
    if length > _MAX_PACKET:
        socket.close()
        return False, "packet too large", seq
    while len(data) - HEADER_SIZE < length:
        r = _mv(socket.receive_bytes(length - len(data) + HEADER_SIZE))
        if not r[0]:
            socket.close()
            return False, r[1] if len(r) > 1 else None, seq
        data += r[1].encode("latin-1")
    return True, data[HEADER_SIZE:HEADER_SIZE + length].decode("latin-1"), seq


def _cstring(b: bytes, pos: int) -> tuple[bytes, int]:
    end = b.find(b"\0", pos)
    if end < 0:
        raise ValueError("unterminated string")
    return b[pos:end], end + 1


def receiveGreeting(socket: Any = None, *_: Any) -> Any:  # noqa: N802 - nselib's name
    """Read the initial handshake: ``true, info`` or ``false, message``."""
    ok, payload, seq = _read_packet(socket)
    if not ok:
        return False, payload
    b = payload.encode("latin-1")
    info = LuaTable.from_dict({"len": len(b), "number": seq})
    try:
        if b[0] == 0xFF:  # ERR packet: too many connections, host not allowed...
            info["errorcode"] = struct.unpack_from("<H", b, 1)[0]
            info["errormsg"] = b[3:].decode("latin-1")
            return False, info["errormsg"]
        info["proto"] = b[0]
        version, pos = _cstring(b, 1)
        info["version"] = version.decode("latin-1")
        info["threadid"] = struct.unpack_from("<I", b, pos)[0]
        pos += 4
        if b[0] == 10:
            salt = b[pos:pos + 8]
            info["capabilities"] = struct.unpack_from("<H", b, pos + 9)[0]
            pos += 11
            if pos < len(b):
                charset, status, ext, plugin_len = struct.unpack_from("<BHHB", b, pos)
                pos += 6 + 10  # 10 reserved bytes
                info["charset"], info["status"], info["extcapabilities"] = \
                    charset, status, ext
                if info["capabilities"] & 0x8000:
                    n = max(13, plugin_len - 8) - 1
                    salt += b[pos:pos + n]
                    pos += n + 1
                if ext & 0x8:
                    name, pos = _cstring(b, pos)
                    info["auth_plugin_name"] = name.decode("latin-1")
            info["salt"] = salt.decode("latin-1")
        elif b[0] == 9:
            data, pos = _cstring(b, pos)
            info["auth_plugin_data"] = data.decode("latin-1")
    except (IndexError, ValueError, struct.error):
        return False, "malformed greeting"
    info["errorcode"] = 0
    return True, info


def _scramble(password: str, salt: str) -> bytes:
    pw = password.encode("latin-1")
    h1 = hashlib.sha1(pw).digest()
    h2 = hashlib.sha1(h1).digest()
    h3 = hashlib.sha1(salt.encode("latin-1") + h2).digest()
    return bytes(a ^ b for a, b in zip(h1, h3, strict=True))


def loginRequest(socket: Any = None, params: Any = None, username: Any = None,  # noqa: N802
                 password: Any = None, salt: Any = None, *_: Any) -> Any:
    """Log in (protocol 4.1, mysql_native_password): ``true, info`` or ``false, msg``."""
    version = params["authversion"] if isinstance(params, LuaTable) else None
    version = version or "post41"
    if version != "post41":
        return False, "Unsupported authentication version: " + str(version)
    caps = 0x1 | 0x4 | 0x80 | 0x200 | 0x400 | 0x2000 | 0x8000
    ext = 0x1 | 0x2
    auth = _scramble(password, salt or "") if password else b""
    body = (struct.pack("<HHIB", caps, ext, 0x1000000, 0x8) + b"\0" * 23
            + str(username or "").encode("latin-1") + b"\0"
            + bytes([len(auth)]) + auth)
    packet = struct.pack("<I", len(body) | 1 << 24) + body
    r = _mv(socket.send(packet.decode("latin-1")))
    if not r[0]:
        socket.close()
        return False, r[1] if len(r) > 1 else None
    ok, payload, seq = _read_packet(socket)
    if not ok:
        return False, payload
    b = payload.encode("latin-1")
    info = LuaTable.from_dict({"len": len(b), "number": seq})
    if b and b[0] > 0:
        info["errorcode"] = struct.unpack_from("<H", b, 1)[0] if len(b) >= 3 else 0
        pos = 3
        if len(b) > 3 and b[3] == 0x23:  # '#': a SQL state follows
            info["sqlstate"] = b[4:9].decode("latin-1")
            pos = 9
        msg = b[pos:].split(b"\0", 1)[0].decode("latin-1")
        info["errormessage"] = msg
        return False, msg
    info["errorcode"] = 0
    if len(b) >= 6:
        info["affectedrows"], info["serverstatus"], info["warnings"] = \
            struct.unpack_from("<BHH", b, 1)
    return True, info
