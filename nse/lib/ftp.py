"""nselib ``ftp``: FTP control-connection helpers (nmap 7.93's API, our code).

``connect(host, port, opts) -> socket, code, message, buffer`` (the banner is read as the
first reply; SSL is tried when the port looks like it), ``read_reply(buffer) -> code,
message`` (multi-line replies joined with ``\\n``), ``auth``, ``starttls``, ``pasv``,
``close``.  ``buffer`` is a :func:`stdnse.make_buffer` line reader over the socket.
Failures keep nselib's shape: ``nil, message`` (``auth``: ``nil, code, message``).
"""

from __future__ import annotations

import re
from typing import Any

from nse.lib import comm, ipOps, nmap, stdnse
from nse.lua.luatable import LuaTable

__all__ = ["connect", "read_reply", "close", "starttls", "auth", "pasv"]

#: what nselib reports for each comm.tryssl failure
_ERRORS = {"EOF": "connection closed", "TIMEOUT": "connection timed out",
           "ERROR": "failed to receive data"}
_CRLF = "\r?\n"


def _mv(v: Any) -> tuple[Any, ...]:
    return v if isinstance(v, tuple) else (v,)


def _at(t: tuple[Any, ...], i: int) -> Any:
    return t[i] if len(t) > i else None


def connect(host: Any = None, port: Any = None, opts: Any = None, *_: Any) -> Any:
    """Connect and read the banner reply: ``socket, code, message, buffer``."""
    opts = opts if isinstance(opts, LuaTable) else LuaTable()
    opts["recv_before"] = True
    r = _mv(comm.tryssl(host, port, "", opts))
    sock, first = _at(r, 0), _at(r, 3)
    if sock is None or sock is False:
        return sock, _ERRORS.get(first, "unspecified error") \
            if isinstance(first, str) else "unspecified error"
    buffer = stdnse.make_buffer(sock, _CRLF)
    # the data comm already read holds the start of the banner: serve its lines first
    pending = re.split(r"\r?\n", first or "")

    def lines(*_: Any) -> Any:
        if len(pending) > 1:
            return pending.pop(0)
        if pending:
            rest = pending.pop()
            more = _mv(buffer())
            if more[0] is None:
                return rest if rest else more
            return rest + more[0]
        return buffer()

    code, message = (_mv(read_reply(lines)) + (None, None))[:2]
    return sock, code, message, buffer


def _next_line(buffer: Any) -> tuple[Any, Any]:
    """One line from the buffer function: ``line, nil`` or ``nil, err``."""
    r = _mv(buffer())
    return r[0], _at(r, 1)


def read_reply(buffer: Any = None, *_: Any) -> Any:
    """One reply (RFC 959 4.2): ``code, message``; ``nil, err`` on a socket error."""
    line, err = _next_line(buffer)
    if line is None:
        return line, err
    m = re.match(r"(\d\d\d) (.*)\Z", line, re.S)
    if m:
        return int(m.group(1)), m.group(2)
    m = re.match(r"(\d\d\d)-(.*)\Z", line, re.S)
    if not m:
        return None, "Unparseable response: " + _quote(line)
    message = m.group(2)
    while True:
        line, err = _next_line(buffer)
        if line is None:
            return line, err
        # the reply ends at a line "ddd text" (any code, as nselib accepts)
        end = re.match(r"\d\d\d (.*)\Z", line, re.S)
        if end:
            return int(m.group(1)), message + "\n" + end.group(1)
        message += "\n" + line


def _quote(s: str) -> str:
    """``string.format("%q", s)`` (Lua 5.4 manual 6.4: a string quoted for Lua)."""
    from nse.lua.strformat import quote_string

    return quote_string(s)


def close(socket: Any = None, *_: Any) -> Any:
    """Send QUIT and close."""
    socket.send("QUIT\r\n")
    socket.close()
    return ()


def starttls(socket: Any = None, buffer: Any = None, *_: Any) -> Any:
    """AUTH TLS: ``true`` when the server answered 234, then the message."""
    r = _mv(socket.send("AUTH TLS\r\n"))
    if not r[0]:
        return None, _at(r, 1)
    code, result = (_mv(read_reply(buffer)) + (None, None))[:2]
    return code == 234, result


def _wants_ssl(code: Any, message: Any) -> bool:
    if not isinstance(code, int) or code < 400:
        return False
    text = (message or "").lower()
    return code in (421, 530, 534, 550) and any(
        w in text for w in ("ssl", "tls", "secure", "encrypt")) or code == 534


def _is_ssl(socket: Any) -> bool:
    try:
        return socket.get_ssl_certificate() is not None
    except Exception:
        return False


def auth(socket: Any = None, buffer: Any = None, username: Any = None, password: Any = None,
         acct: Any = None, *_: Any) -> Any:
    """USER/PASS (and ACCT): ``true, code, message`` on a 2xx, else ``nil, code, message``.

    When the server refuses plain-text login asking for TLS, AUTH TLS is tried once."""
    already_ssl = _is_ssl(socket)
    while True:
        r = _mv(socket.send(f"USER {username}\r\n"))
        if not r[0]:
            return None, _at(r, 1)
        code, message = (_mv(read_reply(buffer)) + (None, None))[:2]
        if code == 331:
            r = _mv(socket.send(f"PASS {password}\r\n"))
            if not r[0]:
                return None, _at(r, 1)
            code, message = (_mv(read_reply(buffer)) + (None, None))[:2]
        if code == 332:
            r = _mv(socket.send(f"ACCT {acct or username}\r\n"))
            if not r[0]:
                return None, _at(r, 1)
            code, message = (_mv(read_reply(buffer)) + (None, None))[:2]
            if code == 331:
                socket.send(f"PASS {password}\r\n")
                code, message = (_mv(read_reply(buffer)) + (None, None))[:2]
        if isinstance(code, int) and 200 <= code < 300:
            return True, code, message
        if not already_ssl and _wants_ssl(code, message):
            ok = _mv(starttls(socket, buffer))[0]
            if not ok or not _mv(socket.reconnect_ssl())[0]:
                return None
            already_ssl = True
            continue
        return None, code, message


def pasv(socket: Any = None, buffer: Any = None, *_: Any) -> Any:
    """Open the data connection: EPSV for IPv6 peers, PASV otherwise; the data socket."""
    info = _mv(socket.get_info())
    if not info[0]:
        return None, f"Can't determine remote host IP: {_at(info, 1)}"
    rhost = _at(info, 3)
    epsv = ":" in str(rhost)
    while True:
        cmd = "EPSV" if epsv else "PASV"
        r = _mv(socket.send(cmd + "\r\n"))
        if not r[0]:
            return r[0], _at(r, 1)
        code, message = (_mv(read_reply(buffer)) + (None, None))[:2]
        if epsv:
            if code is None:
                return None, f"EPSV failed: socket {message}"
            m = re.search(r"\((.)\1\1(\d+)\1\)", message or "") if code == 229 else None
            if not m:
                epsv = False
                continue
            dport = int(m.group(2))
        else:
            if code is None or code >= 300:
                return None, f"PASV failed: {code or 'socket'} {message}"
            m = re.search(r"\((\d+,\d+,\d+,\d+),(\d+),(\d+)\)", message or "")
            if not m:
                return None, "Can't parse PASV response: " + _quote(message or "")
            ip = m.group(1).replace(",", ".")
            if not (_mv(ipOps.compare_ip(ip, "eq", rhost))[0]
                    or _mv(ipOps.compare_ip(ip, "eq", "0.0.0.0"))[0]):
                return None, f"PASV IP {ip} is not the same as {rhost}"
            dport = int(m.group(2)) * 256 + int(m.group(3))
        data = nmap.new_socket()
        r = _mv(data.connect(rhost, dport, "tcp"))
        if not r[0]:
            return r[0], _at(r, 1)
        return data
