"""nselib ``mysql``: the MySQL/MariaDB handshake (nmap 7.93's API, our code).

``receiveGreeting(socket) -> true, info | false, message`` reads the server's initial
handshake packet (protocol 10: version, thread id, salt, capability flags, status,
auth plugin name; protocol 9: auth data).  ``loginRequest(socket, params, user,
password, salt)`` sends a protocol-4.1 handshake response with the
``mysql_native_password`` scramble (SHA1(pw) XOR SHA1(salt + SHA1(SHA1(pw))))
and returns ``true, {affectedrows...} | false, message``.  ``Capabilities``,
``ExtCapabilities``, ``Charset``, ``ServerStatus``, ``Command`` are the flag tables.

``sqlQuery(socket, query)`` sends COM_QUERY and reads the text-protocol answer
("Protocol::COM_QUERY_Response"): ``true, {cols = {field...}, rows = {{"v1", ...}...}}``
or ``false, message``.  A field is ``{catalog, database, table, orig_table, name,
orig_name, length, type}`` with ``type`` the 6 raw bytes after the length (type, flags,
decimals, filler), as nselib gives it.  ``formatResultset(rs, {noheaders=})`` lays the
result out with ``tab``.  nselib's lower-level steps are here too:
``decodeQueryResponse(socket)`` (raw ``header``/``fields``/``data`` blocks),
``decodeResultSetHeader``, ``decodeField``, ``decodeFieldPackets``,
``decodeDataPackets``; ``sqlQuery`` itself streams (bounded) rather than buffering
the blocks.  Where nselib 7.93 misreads the wire we read it right, on
purpose (each case below was tried against MariaDB with nmap 7.93):

* nselib keeps only the low byte of a packet's length (``tmp & 255``), so any packet
  of 256 bytes or more (a long ``show variables`` value) derails its parse; we read the
  3-byte length.
* a NULL column (0xFB) makes nselib's ``s1`` unpack read 251 bytes (usually a Lua
  error); we give the string ``"NULL"``, as the ``mysql`` client prints it.
* a statement without a result set (an OK packet: ``SET``, ``DO``, ``USE``) leaves
  nselib waiting for field packets until the socket times out (an uncaught ``try``:
  no output); we return ``true`` with empty ``cols`` and ``rows`` plus the OK packet's
  ``affectedrows``, ``insertid``, ``serverstatus``, ``warnings``.
* an ERR packet in place of a row (a query killed mid-way) ends the result with
  ``false, message``; nselib decodes it as a row.

The error message of a refused query is what nselib returns: the text after the
SQL state (or after the error code for a pre-4.1 error packet).

The packet layout: a 3-byte little-endian length, a sequence number, the payload
(MySQL internals manual, "Protocol::Packet" and "Protocol::HandshakeV10").
"""

from __future__ import annotations

import hashlib
import struct
from typing import Any

from nse.lib._util import lua_error
from nse.lua.luatable import LuaTable

__all__ = ["Capabilities", "ExtCapabilities", "Charset", "ServerStatus", "Command",
           "receiveGreeting", "loginRequest", "sqlQuery", "formatResultset",
           "decodeQueryResponse", "decodeResultSetHeader", "decodeField",
           "decodeFieldPackets", "decodeDataPackets"]

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
    "DatabaseDropped": 0x100, "NoBackslashEscapes": 0x200,
})
Command = LuaTable.from_dict({"Query": 3})


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


# -- COM_QUERY --------------------------------------------------------------------------

#: a whole query answer may not grow past this (a hostile server could stream forever)
_MAX_RESPONSE = 16 * 1024 * 1024
#: a packet of 0xFFFFFF bytes announces a continuation packet; one row that big is
#: beyond what a scan needs, so it is refused rather than reassembled
_MAX_QUERY_PACKET = 0xFFFFFF - 1


class _QueryError(Exception):
    """Ends a query read: the message sqlQuery returns after ``false``.  ``fatal``: the
    connection is unusable afterwards (socket error, oversized or torn packet)."""

    def __init__(self, message: str, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


class _Reader:
    """Packets from a socket, keeping what one read brought beyond the current packet
    (``receive_bytes`` hands over everything buffered, often several packets)."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.buf = b""
        self.total = 0
        self.raw = b""  # the last packet with its 4-byte header

    def _fill(self, n: int) -> None:
        while len(self.buf) < n:
            r = _mv(self.socket.receive_bytes(n - len(self.buf)))
            if not r[0]:
                raise _QueryError(r[1] if len(r) > 1 and r[1] is not None else "ERROR", True)
            self.buf += r[1].encode("latin-1")

    def packet(self) -> bytes:
        self._fill(HEADER_SIZE)
        length = self.buf[0] | self.buf[1] << 8 | self.buf[2] << 16
        if length > _MAX_QUERY_PACKET:
            raise _QueryError("packet too large", True)
        self.total += length + HEADER_SIZE
        if self.total > _MAX_RESPONSE:
            raise _QueryError("response too large", True)
        self._fill(HEADER_SIZE + length)
        self.raw = self.buf[:HEADER_SIZE + length]
        payload = self.buf[HEADER_SIZE:HEADER_SIZE + length]
        self.buf = self.buf[HEADER_SIZE + length:]
        return payload


def _lenenc_int(b: bytes, pos: int) -> tuple[int | None, int]:
    """A length-encoded integer ("Protocol::LengthEncodedInteger"); None for 0xFB (NULL)."""
    first = b[pos]
    if first < 0xFB:
        return first, pos + 1
    if first == 0xFB:
        return None, pos + 1
    size = {0xFC: 2, 0xFD: 3, 0xFE: 8}.get(first)
    if size is None or pos + 1 + size > len(b):
        raise _QueryError("malformed length-encoded integer")
    return int.from_bytes(b[pos + 1:pos + 1 + size], "little"), pos + 1 + size


def _lenenc_str(b: bytes, pos: int) -> tuple[str | None, int]:
    n, pos = _lenenc_int(b, pos)
    if n is None:
        return None, pos
    if pos + n > len(b):
        raise _QueryError("malformed length-encoded string")
    return b[pos:pos + n].decode("latin-1"), pos + n


def _is_eof(p: bytes) -> bool:
    # an EOF packet starts with 0xFE and is short; a row may also start with 0xFE (an
    # 8-byte length prefix) but is then at least 9 bytes long
    return len(p) > 0 and p[0] == 0xFE and len(p) < 9


def _error_message(p: bytes) -> str:
    # ERR packet: 0xFF, code (2), then "#" and a 5-char SQL state (4.1+), then the text
    if len(p) > 3 and p[3] == 0x23:
        return p[9:].decode("latin-1")
    return p[3:].decode("latin-1")


def _decode_field(p: bytes, pos: int = 0) -> tuple[LuaTable, int]:
    """One column definition ("Protocol::ColumnDefinition41") at ``pos``: the field and
    the offset after it."""
    field = LuaTable()
    try:
        for key in ("catalog", "database", "table", "orig_table", "name", "orig_name"):
            field[key], pos = _lenenc_str(p, pos)
        _fixed_len, pos = _lenenc_int(p, pos)  # always 0x0c
        _charset, field["length"] = struct.unpack_from("<HI", p, pos)
    except (IndexError, struct.error) as e:
        raise _QueryError("malformed field packet") from e
    if pos + 12 > len(p):
        raise _QueryError("malformed field packet")
    field["type"] = p[pos + 6:pos + 12].decode("latin-1")
    return field, pos + 12


def _decode_row(p: bytes, count: int) -> LuaTable:
    """One text-protocol row ("ProtocolText::ResultsetRow"): ``count`` strings."""
    row = LuaTable()
    pos = 0
    try:
        for i in range(1, count + 1):
            value, pos = _lenenc_str(p, pos)
            row[i] = "NULL" if value is None else value
    except IndexError as e:
        raise _QueryError("malformed row packet") from e
    return row


def _ok_result(p: bytes) -> LuaTable:
    rs = LuaTable.from_dict({"cols": LuaTable(), "rows": LuaTable()})
    try:
        rs["affectedrows"], pos = _lenenc_int(p, 1)
        rs["insertid"], pos = _lenenc_int(p, pos)
        rs["serverstatus"], rs["warnings"] = struct.unpack_from("<HH", p, pos)
    except (IndexError, struct.error):
        pass  # a short OK packet still says OK
    return rs


def _read_resultset(reader: _Reader) -> LuaTable:
    first = reader.packet()
    if not first:
        raise _QueryError("Result set header was incorrect")
    if first[0] == 0xFF:
        raise _QueryError(_error_message(first))
    if first[0] == 0x00:
        return _ok_result(first)
    if first[0] == 0xFB:
        raise _QueryError("LOCAL INFILE requests are not supported")
    try:
        count, _ = _lenenc_int(first, 0)
    except IndexError as e:
        raise _QueryError("Result set header was incorrect") from e
    if not count:
        raise _QueryError("Field count was less than one, aborting")
    cols = LuaTable()
    for i in range(1, count + 1):
        p = reader.packet()
        if p and p[0] == 0xFF:
            raise _QueryError(_error_message(p))
        cols[i], _ = _decode_field(p)
    rows = LuaTable()
    p = reader.packet()
    if _is_eof(p):  # the end of the column definitions (absent with DEPRECATE_EOF)
        p = reader.packet()
    n = 0
    while not _is_eof(p):
        if p and p[0] == 0xFF:
            raise _QueryError(_error_message(p))
        n += 1
        rows[n] = _decode_row(p, count)
        p = reader.packet()
    return LuaTable.from_dict({"cols": cols, "rows": rows})


def _packets(block: bytes) -> list[bytes]:
    """The payloads of a run of packets (each with its 4-byte header)."""
    out = []
    pos = 0
    while pos < len(block):
        if pos + HEADER_SIZE > len(block):
            raise _QueryError("truncated packet")
        length = int.from_bytes(block[pos:pos + 3], "little")
        out.append(block[pos + HEADER_SIZE:pos + HEADER_SIZE + length])
        pos += HEADER_SIZE + length
    return out


def _bytes_arg(v: Any, n: int, fname: str) -> bytes:
    if not isinstance(v, str):
        lua_error(f"bad argument #{n} to '{fname}' (string expected, got "
                  f"{'nil' if v is None else type(v).__name__})")
    return v.encode("latin-1")


def decodeQueryResponse(socket: Any = None, *_: Any) -> Any:  # noqa: N802 - nselib's name
    """Read a query's answer as raw blocks: ``true, {header=, fields=, data=}`` (the result
    set header packet, the column definition packets and the row packets, each packet with
    its 4-byte header, the EOF packets left out) or ``false, message``.  An OK packet
    gives ``header`` alone (``fields`` and ``data`` empty)."""
    reader = _Reader(socket)
    try:
        first = reader.packet()
        rs = LuaTable.from_dict({"header": reader.raw.decode("latin-1"), "fields": "",
                                 "data": ""})
        if first and first[0] == 0xFF:
            return False, _error_message(first)
        if first and first[0] == 0x00:
            return True, rs
        for key in ("fields", "data"):
            block = b""
            while not _is_eof(p := reader.packet()):
                if p and p[0] == 0xFF:
                    return False, _error_message(p)
                block += reader.raw
            rs[key] = block.decode("latin-1")
        return True, rs
    except _QueryError as e:
        if e.fatal:
            socket.close()
        return False, str(e)


def decodeResultSetHeader(data: Any = None, *_: Any) -> Any:  # noqa: N802
    """The column count of a result set header packet (with its 4-byte header):
    ``true, count`` or ``false, "Result set header was incorrect"``."""
    b = _bytes_arg(data, 1, "decodeResultSetHeader")[HEADER_SIZE:]
    try:
        count, end = _lenenc_int(b, 0)
    except (IndexError, _QueryError):
        count, end = None, 0
    if count is None or end != len(b) or b[0] in (0x00, 0xFF):
        return False, "Result set header was incorrect"
    return True, count


def decodeField(data: Any = None, pos: Any = None, *_: Any) -> Any:  # noqa: N802
    """Decode the column definition at Lua index ``pos`` (just after the packet header):
    ``pos_after, field``."""
    b = _bytes_arg(data, 1, "decodeField")
    start = int(pos or 1) - 1
    try:
        field, end = _decode_field(b, start)
    except _QueryError as e:
        lua_error(str(e))
    return end + 1, field


def decodeFieldPackets(data: Any = None, count: Any = None, *_: Any) -> Any:  # noqa: N802
    """``count`` column definitions from a block of packets: ``true, fields`` or
    ``false, message``."""
    b = _bytes_arg(data, 1, "decodeFieldPackets")
    n = int(count or 0)
    if n < 1:
        return False, "Field count was less than one, aborting"
    fields = LuaTable()
    try:
        for i, p in enumerate(_packets(b)[:n], 1):
            fields[i], _ = _decode_field(p)
    except _QueryError as e:
        return False, str(e)
    return True, fields


def decodeDataPackets(data: Any = None, count: Any = None, *_: Any) -> Any:  # noqa: N802
    """Rows of ``count`` columns from a block of row packets: ``true, rows`` (a NULL
    column reads ``"NULL"``) or ``false, message``."""
    b = _bytes_arg(data, 1, "decodeDataPackets")
    rows = LuaTable()
    try:
        for i, p in enumerate(_packets(b), 1):
            rows[i] = _decode_row(p, int(count or 0))
    except _QueryError as e:
        return False, str(e)
    return True, rows


def sqlQuery(socket: Any = None, query: Any = None, *_: Any) -> Any:  # noqa: N802
    """Run ``query``: ``true, {cols = fields, rows = rows}`` or ``false, message``.

    On a socket error the socket is closed, as nselib's ``try`` catch does."""
    q = str(query or "")
    packet = struct.pack("<IB", len(q) + 1, 3).decode("latin-1") + q  # sequence number 0
    r = _mv(socket.send(packet))
    if not r[0]:
        socket.close()
        return False, r[1] if len(r) > 1 else None
    reader = _Reader(socket)
    try:
        return True, _read_resultset(reader)
    except _QueryError as e:
        if e.fatal:
            socket.close()  # as nselib's try() catch: nothing usable may follow
        return False, str(e)


def formatResultset(rs: Any = None, options: Any = None, *_: Any) -> Any:  # noqa: N802
    """``rs`` (from :func:`sqlQuery`) as an aligned text table: a header line of column
    names unless ``options.noheaders``, one line per row; nil without cols/rows."""
    from nse.lib import tab

    if not isinstance(rs, LuaTable):
        return ()  # nselib's bare ``return``: no value at all
    cols, rows = rs["cols"], rs["rows"]
    if not isinstance(cols, LuaTable) or not isinstance(rows, LuaTable):
        return ()
    noheaders = isinstance(options, LuaTable) and options["noheaders"] not in (None, False)
    t = tab.new(len(cols))
    if not noheaders:
        tab.addrow(t, *(cols[i]["name"] for i in range(1, len(cols) + 1)))
    for r in range(1, len(rows) + 1):
        row = rows[r]
        tab.addrow(t, *(row[i] for i in range(1, len(row) + 1)))
    return tab.dump(t)
