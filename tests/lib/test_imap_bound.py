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


class ScriptedSocket:
    """send records the lines; receive_buf gives the scripted answers, then fails."""

    def __init__(self, answers: list[str], send_ok: bool = True) -> None:
        self.answers = list(answers)
        self.sent: list[str] = []
        self.send_ok = send_ok

    def send(self, data: str) -> Any:
        self.sent.append(data)
        return True if self.send_ok else (False, "broken pipe")

    def receive_buf(self, *_: Any) -> tuple[bool, str]:
        return (True, self.answers.pop(0)) if self.answers else (False, "EOF")


def _client(sock: ScriptedSocket) -> LuaTable:
    return LuaTable.from_dict({"socket": sock, "counter": 1})


# CRAM-MD5 (RFC 2195): the challenge and the answer of its section 2 example
_CHALLENGE = "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"
_CRAM = "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"


def test_login_and_authenticate_results() -> None:
    cases: list[tuple[str, list[str], bool, Any, list[str]]] = [
        ("LOGIN", ["A0001 OK done\r\n"], True, True, ['A0001 LOGIN "tim" "pw"\r\n']),
        ("LOGIN", ["A0001 NO bad\r\n"], True, (False, "Login failed"),
         ['A0001 LOGIN "tim" "pw"\r\n']),
        ("LOGIN", [], False, (False, "ERROR: Failed to send data"),
         ['A0001 LOGIN "tim" "pw"\r\n']),
        ("LOGIN", [], True, (False, "ERROR: Failed to receive data"),
         ['A0001 LOGIN "tim" "pw"\r\n']),
        ("PLAIN", ["+ \r\n", "A0001 OK\r\n"], True, True,
         ["A0001 AUTHENTICATE PLAIN\r\n", "AHRpbQBwdw==\r\n"]),
        ("PLAIN", ["+ \r\n"], True, (False, "ERROR: Failed to receive data"),
         ["A0001 AUTHENTICATE PLAIN\r\n", "AHRpbQBwdw==\r\n"]),
        ("AUTH-LOGIN", ["+ \r\n", "+ \r\n", "A0001 NO\r\n"], True, (False, "Login failed"),
         ["A0001 AUTHENTICATE LOGIN\r\n", "dGlt\r\n", "cHc=\r\n"]),
        ("AUTH-LOGIN", ["A0001 NO no\r\n"], True, (False, "Login failed"),
         ["A0001 AUTHENTICATE LOGIN\r\n"]),
        ("CRAM-MD5", [f"+ {_CHALLENGE}\r\n", "A0001 OK\r\n"], True, True,
         ["A0001 AUTHENTICATE CRAM-MD5\r\n", _CRAM + "\r\n"]),
        ("CRAM-MD5", ["A0001 NO\r\n"], True, (False, "Failed to authenticate"),
         ["A0001 AUTHENTICATE CRAM-MD5\r\n"]),
        ("DIGEST-MD5", [], True, (False, "Unsupported authentication mechanism"), []),
    ]  # fmt: skip
    for mech, answers, send_ok, want, want_sent in cases:
        sock = ScriptedSocket(answers, send_ok)
        if mech == "LOGIN":
            got = imap._imap_login(_client(sock), "tim", "pw")
        else:
            password = "tanstaaftanstaaf" if mech == "CRAM-MD5" else "pw"
            got = imap._imap_authenticate(_client(sock), "tim", password,
                                          mech.removeprefix("AUTH-"))
        assert got == want, (mech, answers)
        assert sock.sent == want_sent, (mech, answers)
