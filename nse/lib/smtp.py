"""nselib ``smtp``: SMTP client helpers (nmap 7.93's API, our code).

``connect(host, port, opts) -> socket, greeting``; ``query(socket, cmd, data, lines)``
sends one command and reads at least ``lines`` lines (as nselib, whatever has arrived
beyond them comes along); ``ehlo``, ``help``, ``mail``, ``recipient``, ``datasend``,
``reset``, ``verify``, ``starttls``, ``quit``; ``check_reply(cmd, reply)`` accepts the
success codes of RFC 5321 per command; ``get_domain(host)``, ``get_auth_mech(ehlo)``,
``login(socket, user, password, mech)`` (PLAIN, LOGIN, CRAM-MD5).
Failures are ``false, "SMTP: CMD reply"`` or ``nil, message`` as in nselib.
"""

from __future__ import annotations

import base64 as _b64
import hashlib
import hmac
import re
from typing import Any

from nse.lib import comm, stdnse
from nse.lua.luatable import LuaTable

__all__ = ["get_domain", "get_auth_mech", "check_reply", "query", "connect", "starttls",
           "ehlo", "help", "mail", "recipient", "datasend", "reset", "verify", "quit",
           "login"]
__lua_names__: dict[str, str] = {}

_ERRORS = {"EOF": "connection closed", "TIMEOUT": "connection timeout",
           "ERROR": "failed to receive data"}

#: RFC 5321 4.2 / 4.3.2: the replies that mean the command succeeded
_SUCCESS: dict[str, frozenset[int]] = {
    "EHLO": frozenset({250}), "HELP": frozenset({211, 214}), "AUTH": frozenset({334}),
    "MAIL": frozenset({250}), "RCPT": frozenset({250, 251}), "DATA": frozenset({250, 354}),
    "STARTTLS": frozenset({220}), "RSET": frozenset({200, 250}),
    "VRFY": frozenset({250, 251, 252}), "EXPN": frozenset({250, 251, 252}),
}


def _mv(v: Any) -> tuple[Any, ...]:
    return v if isinstance(v, tuple) else (v,)


def _at(t: tuple[Any, ...], i: int) -> Any:
    return t[i] if len(t) > i else None


def get_domain(host: Any = None, *_: Any) -> Any:
    """The domain for EHLO: ``smtp.domain``, the target's name, or nmap.scanme.org."""
    result = stdnse.script_arg("smtp.domain")
    if not result and isinstance(host, LuaTable):
        if host["targetname"]:
            result = host["targetname"]
        elif isinstance(host["name"], str) and host["name"]:
            result = host["name"]
    return result or "nmap.scanme.org"


def get_auth_mech(response: Any = None, *_: Any) -> Any:
    """The mechanisms of the ``250-AUTH`` line of an EHLO reply (nil when none)."""
    for line in re.split(r"\r?\n", response or ""):
        m = re.search(r"\d+-AUTH\s(.*)$", line)
        if m:
            return LuaTable.from_list(m.group(1).split())
    return None


def check_reply(cmd: Any = None, reply: Any = None, *_: Any) -> Any:
    """``true, reply`` when ``reply``'s code means success for ``cmd``."""
    m = re.match(r"(\d+)", reply or "")
    if m and int(m.group(1)) in _SUCCESS.get(str(cmd).upper(), frozenset()):
        return True, reply
    return False, f"SMTP: {cmd} {reply}"


def query(socket: Any = None, cmd: Any = None, data: Any = None, lines: Any = None,
          *_: Any) -> Any:
    """Send ``cmd [data]`` and read the reply: ``true, reply`` or ``false, message``."""
    if data:
        cmd = f"{cmd} {data}"
    r = _mv(socket.send(f"{cmd}\r\n"))
    if not r[0]:
        socket.close()
        return r[0], f"SMTP failed to send {cmd} request."
    r = _mv(socket.receive_lines(lines or 1))
    if not r[0]:
        socket.close()
        return r[0], f"SMTP {cmd}: failed to receive data: " \
            f"{_ERRORS.get(_at(r, 1), 'unspecified error')}"
    return r[0], r[1]


def connect(host: Any = None, port: Any = None, opts: Any = None, *_: Any) -> Any:
    """Connect (``opts.ssl``: try SSL as well) and read the greeting: ``socket, greeting``."""
    opts = opts if isinstance(opts, LuaTable) else LuaTable()
    if opts["ssl"]:
        r = _mv(comm.tryssl(host, port, "", opts))
        sock, ret = r[0], _at(r, 3)
    else:
        r = _mv(comm.opencon(host, port, None, opts))
        sock, ret = r[0], _at(r, 2)
    if not sock:
        return sock, _ERRORS.get(ret, "unspecified error") if isinstance(ret, str) \
            else "unspecified error"
    return sock, ret


def _command(socket: Any, name: str, data: Any = None) -> Any:
    r = _mv(query(socket, name, data))
    if not r[0]:
        return r[0], _at(r, 1)
    ok = _mv(check_reply(name, r[1]))
    if not ok[0]:
        quit(socket)
        return ok[0], ok[1]
    return r[0], r[1]


def starttls(socket: Any = None, *_: Any) -> Any:
    """STARTTLS then the TLS handshake: ``true, reply``."""
    r = _mv(_command(socket, "STARTTLS"))
    if not r[0]:
        return r
    s = _mv(socket.reconnect_ssl())
    if not s[0]:
        socket.close()
        return s[0], _at(s, 1)
    return True, r[1]


def ehlo(socket: Any = None, domain: Any = None, *_: Any) -> Any:
    """EHLO domain: ``true, reply``."""
    return _command(socket, "EHLO", domain)


def help(socket: Any = None, *_: Any) -> Any:  # noqa: A001 - nselib's name
    """HELP: ``true, reply``."""
    return _command(socket, "HELP")


def mail(socket: Any = None, address: Any = None, esmtp_opts: Any = None, *_: Any) -> Any:
    """MAIL FROM:<address> [options]."""
    data = f"FROM:<{address}>"
    if isinstance(esmtp_opts, LuaTable):
        for k, v in esmtp_opts.items():
            data += f" {str(k).upper()}={v}"
    return _command(socket, "MAIL", data)


def recipient(socket: Any = None, address: Any = None, *_: Any) -> Any:
    """RCPT TO:<address>."""
    return _command(socket, "RCPT", f"TO:<{address}>")


def datasend(socket: Any = None, data: Any = None, *_: Any) -> Any:
    """DATA, the message, then the lone dot."""
    r = _mv(_command(socket, "DATA"))
    if not r[0]:
        return r
    if data:
        s = _mv(socket.send(data))
        if not s[0]:
            return False, "SMTP: failed to send data"
    return _command(socket, "\r\n.")


def reset(socket: Any = None, *_: Any) -> Any:
    """RSET."""
    return _command(socket, "RSET")


def verify(socket: Any = None, mailbox: Any = None, *_: Any) -> Any:
    """VRFY mailbox: the raw ``status, reply`` of the query."""
    return query(socket, "VRFY", mailbox)


def quit(socket: Any = None, *_: Any) -> Any:  # noqa: A001 - nselib's name
    """QUIT and close."""
    socket.send("QUIT\r\n")
    socket.close()
    return ()


def _b64s(s: str) -> str:
    return _b64.b64encode(s.encode("latin-1")).decode("ascii")


def login(socket: Any = None, username: Any = None, password: Any = None, mech: Any = None,
          *_: Any) -> Any:
    """AUTH with PLAIN, LOGIN or CRAM-MD5: ``true, reply`` or ``false, message``."""
    mech = str(mech or "").upper()
    user, pw = str(username or ""), str(password or "")
    if mech == "PLAIN":
        r = _mv(query(socket, "AUTH", "PLAIN " + _b64s(f"\0{user}\0{pw}")))
    elif mech == "LOGIN":
        r = _mv(query(socket, "AUTH", "LOGIN"))
        for part in (user, pw):
            if not r[0] or not str(r[1]).startswith("334"):
                return False, f"SMTP: AUTH {r[1] if len(r) > 1 else ''}"
            r = _mv(query(socket, _b64s(part)))
    elif mech == "CRAM-MD5":
        r = _mv(query(socket, "AUTH", "CRAM-MD5"))
        m = re.match(r"334 (\S+)", str(_at(r, 1) or ""))
        if not r[0] or not m:
            return False, f"SMTP: AUTH {_at(r, 1)}"
        challenge = _b64.b64decode(m.group(1))
        digest = hmac.new(pw.encode("latin-1"), challenge, hashlib.md5).hexdigest()
        r = _mv(query(socket, _b64s(f"{user} {digest}")))
    else:
        return False, f"Unsupported authentication mechanism ({mech})"
    if not r[0]:
        return False, _at(r, 1)
    if str(r[1]).startswith("235"):
        return True, r[1]
    return False, f"SMTP: AUTH {r[1]}"
