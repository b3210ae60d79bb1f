"""imap's response reader keeps untagged lines until the tagged answer (as nselib's
does), but no more than nmap.MAX_BUFFER of them: a server that floods untagged lines and
never answers must not grow a script's memory without end."""

from __future__ import annotations

from typing import Any

from nse.lib import imap
from nse.lib.nmap import MAX_BUFFER
from nse.lua.luatable import LuaTable


class FloodSocket:
    """receive_buf gives untagged lines forever (and counts them)."""

    def __init__(self, tagged_after: int | None = None) -> None:
        self.calls = 0
        self.tagged_after = tagged_after

    def receive_buf(self, *_: Any) -> tuple[bool, str]:
        self.calls += 1
        if self.tagged_after is not None and self.calls > self.tagged_after:
            return True, "A0001 OK done\r\n"
        return True, "* FLOOD " + "x" * 90 + "\r\n"


def _helper(sock: FloodSocket) -> LuaTable:
    return LuaTable.from_dict({"socket": sock, "counter": 2})


def test_untagged_flood_is_cut_at_max_buffer() -> None:
    sock = FloodSocket()
    ok, err = imap._imap_receive(_helper(sock))
    assert (ok, err) == (False, "ERROR")
    line = 100
    assert MAX_BUFFER // line <= sock.calls <= MAX_BUFFER // line + 2


def test_untagged_lines_then_tag_are_returned_whole() -> None:
    sock = FloodSocket(tagged_after=50)
    ok, data = imap._imap_receive(_helper(sock))
    assert ok is True
    assert data.count("* FLOOD ") == 50 and data.endswith("A0001 OK done\r\n")
