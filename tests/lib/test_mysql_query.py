"""nselib ``mysql.sqlQuery`` / ``formatResultset`` on byte-level server answers.

A fake socket hands the answer over in chunks of a chosen size (``receive_bytes`` gives
everything buffered, as nsock does), so packet reassembly across and within reads is
exercised.  The wire layouts are MySQL's "Protocol::COM_QUERY_Response"; the same
queries against a real MariaDB, compared with nmap, are in tests/scripts/test_mysql_query.py.
"""

from __future__ import annotations

import struct
from typing import Any

import pytest
from libref import compare, needs_nselib

from nse.lib import mysql
from nse.lua.luatable import LuaTable


class FakeSocket:
    """receive_bytes/send/close over a canned byte string, ``chunk`` bytes per read."""

    def __init__(self, answer: bytes, chunk: int = 7) -> None:
        self.answer = answer
        self.chunk = chunk
        self.sent = b""
        self.closed = False
        self.reads = 0

    def send(self, data: str) -> Any:
        self.sent += data.encode("latin-1")
        return True

    def receive_bytes(self, n: int) -> Any:
        if not self.answer:
            return None, "TIMEOUT"
        self.reads += 1
        take = max(self.chunk, 1)
        data, self.answer = self.answer[:take], self.answer[take:]
        return True, data.decode("latin-1")

    def close(self) -> Any:
        self.closed = True
        return True


def pkt(seq: int, payload: bytes) -> bytes:
    return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload


def lenenc(b: bytes | None) -> bytes:
    if b is None:
        return b"\xfb"
    n = len(b)
    if n < 251:
        return bytes([n]) + b
    if n < 1 << 16:
        return b"\xfc" + struct.pack("<H", n) + b
    return b"\xfd" + struct.pack("<I", n)[:3] + b


def coldef(name: bytes) -> bytes:
    return (lenenc(b"def") + lenenc(b"db") + lenenc(b"t") + lenenc(b"t") + lenenc(name)
            + lenenc(name) + b"\x0c" + struct.pack("<HI", 8, 42) + b"\xfd\x01\x00\x1f\0\0")


EOF_PKT = b"\xfe\x00\x00\x02\x00"


def resultset(names: list[bytes], rows: list[list[bytes | None]]) -> bytes:
    out = [pkt(1, bytes([len(names)]))]
    seq = 2
    for n in names:
        out.append(pkt(seq, coldef(n)))
        seq += 1
    out.append(pkt(seq, EOF_PKT))
    seq += 1
    for r in rows:
        out.append(pkt(seq, b"".join(lenenc(v) for v in r)))
        seq += 1
    out.append(pkt(seq, EOF_PKT))
    return b"".join(out)


def rows_of(rs: LuaTable) -> list[list[str]]:
    return [[r[i] for i in range(1, len(r) + 1)] for r in rs["rows"].values()]


@pytest.mark.parametrize("chunk", [1, 5, 4096])
def test_resultset_decoded_whatever_the_read_sizes(chunk: int) -> None:
    long = b"x" * 300  # nselib 7.93 keeps only the low byte of this packet's length
    sock = FakeSocket(resultset([b"a", b"bb"], [[b"1", b"one"], [b"", None], [long, b"z"]]),
                      chunk)
    ok, rs = mysql.sqlQuery(sock, "select a, bb from t")
    assert ok is True
    assert sock.sent == struct.pack("<I", 20) + b"\x03select a, bb from t"
    cols = [rs["cols"][i] for i in range(1, 3)]
    assert [c["name"] for c in cols] == ["a", "bb"]
    assert cols[0]["catalog"] == "def" and cols[0]["database"] == "db"
    assert cols[0]["table"] == "t" and cols[0]["orig_name"] == "a" and cols[0]["length"] == 42
    assert cols[0]["type"] == "\xfd\x01\x00\x1f\0\0"  # nselib's raw 6 bytes (c6)
    assert rows_of(rs) == [["1", "one"], ["", "NULL"], ["x" * 300, "z"]]
    assert not sock.closed


def test_row_starting_with_0xfe_is_not_an_eof() -> None:
    # a value of 2**24 bytes or more has an 8-byte length after 0xFE; an EOF is < 9 bytes
    # long.  Here a 0xFE-prefixed length is faked with a small value to keep it small.
    body = b"\xfe" + struct.pack("<Q", 3) + b"abc"
    answer = (pkt(1, b"\x01") + pkt(2, coldef(b"c")) + pkt(3, EOF_PKT) + pkt(4, body)
              + pkt(5, EOF_PKT))
    ok, rs = mysql.sqlQuery(FakeSocket(answer), "q")
    assert ok is True and rows_of(rs) == [["abc"]]


def test_error_packet_message_as_nselib_gives_it() -> None:
    err41 = b"\xff" + struct.pack("<H", 1064) + b"#42000" + b"You have an error"
    sock = FakeSocket(pkt(1, err41))
    assert mysql.sqlQuery(sock, "selec") == (False, "You have an error")
    err40 = b"\xff" + struct.pack("<H", 1045) + b"Access denied"
    assert mysql.sqlQuery(FakeSocket(pkt(1, err40)), "x") == (False, "Access denied")


def test_error_in_place_of_a_row() -> None:
    err = b"\xff" + struct.pack("<H", 1317) + b"#70100Query execution was interrupted"
    answer = pkt(1, b"\x01") + pkt(2, coldef(b"c")) + pkt(3, EOF_PKT) + pkt(4, b"\x01a") \
        + pkt(5, err)
    assert mysql.sqlQuery(FakeSocket(answer), "q") == \
        (False, "Query execution was interrupted")


def test_ok_packet_gives_an_empty_result() -> None:
    ok_pkt = b"\x00" + b"\x03" + b"\x00" + struct.pack("<HH", 2, 1)
    ok, rs = mysql.sqlQuery(FakeSocket(pkt(1, ok_pkt)), "update t set a=1")
    assert ok is True
    assert len(rs["cols"]) == 0 and len(rs["rows"]) == 0
    assert (rs["affectedrows"], rs["insertid"], rs["serverstatus"], rs["warnings"]) == \
        (3, 0, 2, 1)


def test_socket_error_closes_and_reports() -> None:
    answer = pkt(1, b"\x01") + pkt(2, coldef(b"c"))  # then the server goes silent
    sock = FakeSocket(answer)
    assert mysql.sqlQuery(sock, "q") == (False, "TIMEOUT")
    assert sock.closed


def test_oversized_answer_is_refused_not_buffered() -> None:
    huge = struct.pack("<I", 0xFFFFFF)[:3] + b"\x01"  # a continuation-sized packet
    sock = FakeSocket(huge + b"\0" * 64)
    assert mysql.sqlQuery(sock, "q") == (False, "packet too large")
    assert sock.closed and sock.reads == 1


def test_endless_rows_stop_at_the_response_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mysql, "_MAX_RESPONSE", 4096)
    head = pkt(1, b"\x01") + pkt(2, coldef(b"c")) + pkt(3, EOF_PKT)
    sock = FakeSocket(head + pkt(4, lenenc(b"y" * 100)) * 1000, chunk=512)
    assert mysql.sqlQuery(sock, "q") == (False, "response too large")
    assert sock.closed and sock.reads < 20


def test_format_resultset() -> None:
    sock = FakeSocket(resultset([b"v", b"name"], [[b"10.11", b"x"], [b"1", None]]))
    _, rs = mysql.sqlQuery(sock, "q")
    assert mysql.formatResultset(rs) == "v      name\n10.11  x\n1      NULL\n"
    opts = LuaTable.from_dict({"noheaders": True})
    assert mysql.formatResultset(rs, opts) == "10.11  x\n1      NULL\n"
    assert mysql.formatResultset(None) == ()
    assert mysql.formatResultset(LuaTable.from_dict({"cols": LuaTable()})) == ()


# -- nselib's lower-level decoders, against nmap's own mysql.lua under lua5.4 ------------
# (inputs inside what nselib reads right: packets under 256 bytes, no NULL column)

def _s(b: bytes) -> str:
    return b.decode("latin-1")


_FIELDS = b"".join(pkt(i + 2, coldef(n)) for i, n in enumerate([b"a", b"name", b"x" * 40]))
_ROWS = b"".join(pkt(9, b"".join(lenenc(v) for v in r))
                 for r in [[b"1", b"", b"z"], [b"\xff\x00", b"two words", b"y" * 200]])


@needs_nselib
def test_decoders_equal_nselib() -> None:
    calls: list[tuple[str, list[Any]]] = [
        ("decodeResultSetHeader", [_s(pkt(1, b"\x03"))]),
        ("decodeResultSetHeader", [_s(pkt(1, b"\x03\x00"))]),
        ("decodeFieldPackets", [_s(_FIELDS), 3]),
        ("decodeFieldPackets", [_s(_FIELDS), 2]),
        ("decodeFieldPackets", [_s(_FIELDS), 0]),
        ("decodeField", [_s(_FIELDS), 5]),
        ("decodeDataPackets", [_s(_ROWS), 3]),
        ("decodeDataPackets", ["", 3]),
        ("formatResultset", [{"cols": [{"name": "a"}, {"name": "long name"}],
                              "rows": [["1", "x"], ["22222", ""]]}]),
        ("formatResultset", [{"cols": [{"name": "a"}], "rows": [["1"], ["2"]]},
                             {"noheaders": True}]),
        ("formatResultset", [{"cols": [{"name": "a"}]}]),
    ]
    compare("mysql", mysql, calls)


def test_decode_query_response_blocks() -> None:
    answer = resultset([b"a", b"bb"], [[b"1", b"one"], [b"x" * 300, None]])
    ok, rs = mysql.decodeQueryResponse(FakeSocket(answer, 9))
    assert ok is True
    assert mysql.decodeResultSetHeader(rs["header"]) == (True, 2)
    ok, fields = mysql.decodeFieldPackets(rs["fields"], 2)
    assert ok and [fields[i]["name"] for i in (1, 2)] == ["a", "bb"]
    ok, rows = mysql.decodeDataPackets(rs["data"], 2)
    assert ok and rows_of(LuaTable.from_dict({"rows": rows})) == \
        [["1", "one"], ["x" * 300, "NULL"]]
    err = b"\xff" + struct.pack("<H", 1064) + b"#42000" + b"bad"
    assert mysql.decodeQueryResponse(FakeSocket(pkt(1, err))) == (False, "bad")
