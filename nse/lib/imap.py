"""nselib ``imap``: a small IMAP4 client (nmap 7.93's API, our code).

``imap.Helper:new(host, port, opts)`` with ``connect``, ``login(user, pw, mech)``,
``capabilities`` and ``close``; ``imap.IMAP`` is the lower layer (``send(cmd, params)``
with tags ``A0001``..., ``receive`` up to the tagged or continuation line).

As nselib does, ``receive`` joins the lines it reads *without* separators, and
``capabilities`` takes every ``[A-Za-z0-9+=-]+`` word after ``* CAPABILITY`` in that
text, so the words of the tagged OK line (and a capability glued to the tag, such as
``STARTTLSA0001``) are part of the result.  nmap's imap-capabilities prints exactly that,
so we keep it: the outputs must match.
"""

from __future__ import annotations

import base64 as _b64
import hashlib
import hmac
import re
from typing import Any

from nse.lib import comm
from nse.lib.nmap import MAX_BUFFER
from nse.lua.luatable import LuaTable

__all__ = ["IMAP", "Helper"]

#: the longest line we accept from a server
_MAX_LINE = 1024


def _mv(v: Any) -> tuple[Any, ...]:
    return v if isinstance(v, tuple) else (v,)


def _new_class(methods: dict[str, Any]) -> LuaTable:
    cls = LuaTable.from_dict(methods)
    cls["__index"] = cls
    return cls


def _imap_new(cls: Any = None, host: Any = None, port: Any = None, options: Any = None,
              *_: Any) -> LuaTable:
    o = LuaTable.from_dict({"host": host, "port": port, "counter": 1,
                            "timeout": (options["timeout"] if isinstance(options, LuaTable)
                                        else None) or 10000})
    o.meta = cls
    return o


def _tag(n: int) -> str:
    return f"A{n:04d}"


def _imap_receive(self: Any = None, *_: Any) -> Any:
    """Lines up to the tagged answer of the last command (or a ``+`` continuation)."""
    parts: list[str] = []
    size = 0
    tag = _tag(self["counter"] - 1)
    while True:
        r = _mv(self["socket"].receive_buf(_line_end, False))
        if not r[0]:
            return False, r[1] if len(r) > 1 else None
        line = r[1]
        parts.append(line)
        if line.startswith(tag) or line.startswith("+"):
            return True, "".join(parts)
        size += len(line)
        if size > MAX_BUFFER:
            # nselib keeps every untagged line until the tagged answer; a server that
            # never sends it (a flood of lines) would grow this without end.  Same bound
            # as the socket's own line buffer.
            return False, "ERROR"


def _line_end(buf: str, *_: Any) -> Any:
    """receive_buf delimiter: CRLF, or a cut after _MAX_LINE bytes of a line."""
    i = buf.find("\r\n")
    if i >= 0 and i <= _MAX_LINE:
        return i + 1, i + 2
    if len(buf) > _MAX_LINE:
        return _MAX_LINE + 1, _MAX_LINE
    return None


def _imap_send(self: Any = None, cmd: Any = None, params: Any = None, *_: Any) -> Any:
    line = f"{_tag(self['counter'])} {cmd}" + (f" {params}" if params else "") + "\r\n"
    r = _mv(self["socket"].send(line))
    if not r[0]:
        return False, r[1] if len(r) > 1 else None
    self["counter"] = self["counter"] + 1
    return True


def _imap_connect(self: Any = None, *_: Any) -> Any:
    r = _mv(comm.tryssl(self["host"], self["port"], "", LuaTable.from_dict(
        {"request_timeout": self["timeout"], "recv_before": True})))
    if not r[0] or len(r) < 2 or not r[1]:
        return False, "ERROR: Failed to connect to server"
    self["socket"] = r[0]
    return True, r[1]


def _exchange(self: Any, cmd: str, params: Any) -> tuple[bool, Any]:
    """Send a command and read up to its answer: ``True, text``, or ``False`` and the
    message nselib's login and authenticate return."""
    if not _mv(_imap_send(self, cmd, params))[0]:
        return False, "ERROR: Failed to send data"
    r = _mv(_imap_receive(self))
    if not r[0]:
        return False, "ERROR: Failed to receive data"
    return True, r[1]


def _login_result(self: Any, text: str) -> Any:
    """``true`` when ``text`` is the tagged OK of the last command, else nselib's error."""
    if text.startswith(f"{_tag(self['counter'] - 1)} OK"):
        return True
    return False, "Login failed"


def _imap_login(self: Any = None, username: Any = None, password: Any = None,
                *_: Any) -> Any:
    ok, text = _exchange(self, "LOGIN", f'"{username}" "{password}"')
    if not ok:
        return False, text
    return _login_result(self, text)


def _imap_authenticate(self: Any = None, username: Any = None, password: Any = None,
                       mech: Any = None, *_: Any) -> Any:
    mech = str(mech or "").upper()
    user, pw = str(username), str(password)
    if mech == "PLAIN":
        steps = [_b64.b64encode(f"\0{user}\0{pw}".encode("latin-1")).decode()]
    elif mech == "LOGIN":
        steps = [_b64.b64encode(s.encode("latin-1")).decode() for s in (user, pw)]
    elif mech != "CRAM-MD5":
        return False, "Unsupported authentication mechanism"
    else:
        steps = []
    ok, text = _exchange(self, "AUTHENTICATE", mech)
    if not ok:
        return False, text
    if mech == "CRAM-MD5":
        m = re.match(r"\+ (\S+)", text)
        if not m:
            return False, "Failed to authenticate"
        digest = hmac.new(pw.encode("latin-1"), _b64.b64decode(m.group(1)),
                          hashlib.md5).hexdigest()
        steps = [_b64.b64encode(f"{user} {digest}".encode("latin-1")).decode()]
    for s in steps:
        if not text.startswith("+"):
            break
        self["socket"].send(s + "\r\n")
        r = _mv(_imap_receive(self))
        if not r[0]:
            return False, "ERROR: Failed to receive data"
        text = r[1]
    return _login_result(self, text)


def _imap_capabilities(self: Any = None, *_: Any) -> Any:
    capas = LuaTable()
    r = _mv(_imap_send(self, "CAPABILITY"))
    if not r[0]:
        return False, r[1] if len(r) > 1 else None
    r = _mv(_imap_receive(self))
    if not r[0]:
        capas["CAPABILITY"] = False
        return True, capas
    status, text = r[0], r[1]
    while status:
        m = re.match(r"\*\s+CAPABILITY", text)
        if m:
            for word in re.findall(r"[0-9A-Za-z+=-]+", text[m.end():]):
                capas[word] = True
            break
        r = _mv(self["socket"].receive())
        status, text = r[0], (r[1] if len(r) > 1 else None)
    return True, capas


def _imap_close(self: Any = None, *_: Any) -> Any:
    return self["socket"].close()


IMAP = _new_class({"new": _imap_new, "receive": _imap_receive, "send": _imap_send,
                   "connect": _imap_connect, "login": _imap_login,
                   "authenticate": _imap_authenticate, "capabilities": _imap_capabilities,
                   "close": _imap_close})


def _helper_new(cls: Any = None, host: Any = None, port: Any = None, options: Any = None,
                *_: Any) -> LuaTable:
    o = LuaTable.from_dict({"client": _imap_new(IMAP, host, port, options)})
    o.meta = cls
    return o


def _helper_login(self: Any = None, username: Any = None, password: Any = None,
                  mech: Any = None, *_: Any) -> Any:
    if not mech or mech == "LOGIN":
        return _imap_login(self["client"], username, password)
    return _imap_authenticate(self["client"], username, password, mech)


Helper = _new_class({
    "new": _helper_new,
    "connect": lambda self=None, *_: _imap_connect(self["client"]),
    "login": _helper_login,
    "capabilities": lambda self=None, *_: _imap_capabilities(self["client"]),
    "close": lambda self=None, *_: _imap_close(self["client"]),
})
