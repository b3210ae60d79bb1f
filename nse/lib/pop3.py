"""nselib ``pop3``: POP3 helpers (nmap 7.93's API, our code).

``capabilities(host, port)`` connects, checks the ``+OK`` greeting and sends CAPA
(RFC 2449): a table ``{CAPABILITY = {args...}}`` (``APOP = {}`` when the greeting carries
a timestamp, ``capa = false`` when CAPA is refused), or ``nil, reason``.  ``stat(line)``
tells an ``+OK`` line; ``login_user``, ``login_apop``, ``login_sasl_plain``,
``login_sasl_login``, ``login_sasl_crammd5`` log in: ``true, status`` or ``false, err``.
"""

from __future__ import annotations

import base64 as _b64
import hashlib
import hmac
import re
from typing import Any

from nse.lib import comm
from nse.lua.luatable import LuaTable

__all__ = ["err", "stat", "capabilities", "login_user", "login_apop", "login_sasl_plain",
           "login_sasl_login", "login_sasl_crammd5"]

#: nselib's error codes
err = LuaTable.from_dict({"none": 0, "userError": 1, "pwError": 2, "informationMissing": 3,
                          "OpenSSLMissing": 4})

#: a CAPA answer larger than this is not a POP3 server's
_MAX_CAPA = 2048


def _mv(v: Any) -> tuple[Any, ...]:
    return v if isinstance(v, tuple) else (v,)


def stat(line: Any = None, *_: Any) -> Any:
    """``"+OK"`` when the line holds it, else nil."""
    return "+OK" if isinstance(line, str) and "+OK" in line else None


def capabilities(host: Any = None, port: Any = None, *_: Any) -> Any:
    """The server's CAPA list as a table of argument lists (see the module doc)."""
    r = _mv(comm.tryssl(host, port, "", LuaTable.from_dict(
        {"request_timeout": 10000, "recv_before": True})))
    sock = r[0]
    if not sock:
        return None, "Could Not Connect"
    greeting = r[3] if len(r) > 3 else None
    if not stat(greeting):
        return None, "No Response"
    capas = LuaTable()
    if re.search(r"<[!-~]+>", str(greeting)):  # RFC 1939 7: APOP timestamp in the banner
        capas["APOP"] = LuaTable()
    if not _mv(sock.send("CAPA\r\n"))[0]:
        return None, "Failed to send"
    data = ""
    # nselib reads up to the first "." anywhere (the list ends with a line holding a
    # single "." (RFC 2449 5), but a "-ERR ... ." answer stops there too), at most 2 kB
    while "." not in data and len(data) < _MAX_CAPA:
        rr = _mv(sock.receive())
        if not rr[0]:
            if not data:
                return None, "Failed to receive"
            break
        data += rr[1]
    sock.close()
    lines = data.split("\r\n")
    if not stat(lines.pop(0)):
        capas["capa"] = False
        return capas
    for line in lines:
        if line in ("", "."):
            if line == ".":
                break
            continue
        m = re.search(r"[0-9A-Za-z-]+", line)
        if not m:
            continue
        name = m.group(0)
        rest = line[m.start() + len(name) + 1:]
        capas[name] = LuaTable.from_list(rest.split(" ")) if rest else LuaTable()
    return capas


def _cmd(socket: Any, line: str) -> tuple[bool, Any]:
    r = _mv(socket.send(line + "\r\n"))
    if not r[0]:
        return False, r[1] if len(r) > 1 else None
    r = _mv(socket.receive_lines(1))
    if not r[0]:
        return False, r[1] if len(r) > 1 else None
    return True, r[1]


def _b64s(s: str) -> str:
    return _b64.b64encode(s.encode("latin-1")).decode("ascii")


def login_user(socket: Any = None, user: Any = None, pw: Any = None, *_: Any) -> Any:
    """USER/PASS (RFC 1939 7)."""
    ok, line = _cmd(socket, f"USER {user}")
    if not ok or not stat(line):
        return False, err["userError"]
    ok, line = _cmd(socket, f"PASS {pw}")
    return (True, err["none"]) if ok and stat(line) else (False, err["pwError"])


def login_apop(socket: Any = None, user: Any = None, pw: Any = None, challenge: Any = None,
               *_: Any) -> Any:
    """APOP with the greeting's timestamp (RFC 1939 7)."""
    if not isinstance(challenge, str) or not challenge:
        return False, err["informationMissing"]
    digest = hashlib.md5((challenge + str(pw)).encode("latin-1")).hexdigest()
    ok, line = _cmd(socket, f"APOP {user} {digest}")
    return (True, err["none"]) if ok and stat(line) else (False, err["pwError"])


def login_sasl_plain(socket: Any = None, user: Any = None, pw: Any = None, *_: Any) -> Any:
    """AUTH PLAIN (RFC 5034)."""
    ok, line = _cmd(socket, "AUTH PLAIN " + _b64s(f"{user}\0{user}\0{pw}"))
    return (True, err["none"]) if ok and stat(line) else (False, err["pwError"])


def login_sasl_login(socket: Any = None, user: Any = None, pw: Any = None, *_: Any) -> Any:
    """AUTH LOGIN."""
    ok, line = _cmd(socket, "AUTH LOGIN")
    if not ok or not str(line).startswith("+"):
        return False, err["userError"]
    ok, line = _cmd(socket, _b64s(str(user)))
    if not ok or not str(line).startswith("+"):
        return False, err["userError"]
    ok, line = _cmd(socket, _b64s(str(pw)))
    return (True, err["none"]) if ok and stat(line) else (False, err["pwError"])


def login_sasl_crammd5(socket: Any = None, user: Any = None, pw: Any = None, *_: Any) -> Any:
    """AUTH CRAM-MD5 (RFC 2195)."""
    ok, line = _cmd(socket, "AUTH CRAM-MD5")
    m = re.match(r"\+ (\S+)", str(line or ""))
    if not ok or not m:
        return False, err["userError"]
    digest = hmac.new(str(pw).encode("latin-1"), _b64.b64decode(m.group(1)),
                      hashlib.md5).hexdigest()
    ok, line = _cmd(socket, _b64s(f"{user} {digest}"))
    return (True, err["none"]) if ok and stat(line) else (False, err["pwError"])
