"""nse.lib._http_wire against endless input: reading stops at MAX_HEADER, never holds 100 MB."""

from __future__ import annotations

from typing import Any

from nse.lib import _http_wire as wire


class Endless:
    """An NSE-like socket whose receive() returns ``chunk`` forever (after ``first``)."""

    def __init__(self, chunk: str, first: str = "") -> None:
        self.chunk = chunk
        self.first = first
        self.reads = 0

    def receive(self) -> Any:
        self.reads += 1
        if self.first:
            data, self.first = self.first, ""
            return True, data
        return True, self.chunk


class Chunks:
    """receive() hands out the given pieces, then EOF."""

    def __init__(self, *pieces: str) -> None:
        self.pieces = list(pieces)

    def receive(self) -> Any:
        if self.pieces:
            return True, self.pieces.pop(0)
        return None, "EOF"


def test_line_without_end_stops_at_limit() -> None:
    s = Endless("x" * 65536)
    line, err = wire.recv_line(s, "SSH-2.0-")
    assert line is None and err == f"line longer than {wire.MAX_HEADER} bytes"
    # it read just past the limit, not the 100 MB the server would send
    assert s.reads == wire.MAX_HEADER // 65536  # 8 + 16 * 65536 bytes: past the limit


def test_line_split_over_many_receives() -> None:
    s = Chunks("HTTP/1.1 2", "00", " OK\r", "\nServer: a\r\n")
    line, rest = wire.recv_line(s, "")
    assert (line, rest) == ("HTTP/1.1 200 OK\r\n", "Server: a\r\n")
    # a line end already in partial is used without reading
    assert wire.recv_line(Chunks(), "a\nb\nc") == ("a\n", "b\nc")
    assert wire.recv_line(Chunks("abc"), "") == (None, "EOF")


def test_endless_header_block_is_an_error() -> None:
    s = Endless("X-Flood: " + "a" * 1000 + "\r\n")
    resp, err, partial_resp = wire.next_response(s, "GET", "HTTP/1.1 200 OK\r\n", 2 << 20,
                                                 True)
    assert resp is None and err == f"header longer than {wire.MAX_HEADER} bytes"
    assert partial_resp["status"] == 200
    assert s.reads < wire.MAX_HEADER // 1000 + 5


def test_endless_chunk_size_line_is_an_error() -> None:
    head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    s = Endless("f" * 4096, first=head)
    resp, err, _ = wire.next_response(s, "GET", "", 2 << 20, True)
    assert resp is None
    assert err == f"Chunk size not received; line longer than {wire.MAX_HEADER} bytes"


def test_normal_response_unchanged() -> None:
    s = Chunks("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n", "\r\nhel", "lo")
    resp, rest = wire.next_response(s, "GET", "", 2 << 20, False)
    assert (resp["status"], resp["body"], resp["header"]["x-a"], rest) == (200, "hello",
                                                                          "b", "")
