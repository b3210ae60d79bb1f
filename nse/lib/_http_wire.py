"""HTTP/1.x wire format for ``nse.lib.http``: reading responses off an NSE socket and
parsing status lines, header blocks, Set-Cookie values and content codings.

Everything here keeps nselib's observable behaviour (http.lua, nmap 7.93), including its
quirks, because scripts match on the exact fields: header values are the words of a field
joined by single spaces (folded lines unfolded), repeated fields are joined with ", ",
``rawheader`` is the header block split at line ends (so it ends with an empty string),
a body cut at the size limit keeps exactly ``max_body_size`` bytes, and error strings read
as nselib's ("Error in next_response function; EOF" is built from these).

A *socket* here is anything with ``receive() -> (true, data) | (nil, err)`` (an NSE socket).
Read functions take and return ``partial``: bytes already received but not yet consumed.
"""

from __future__ import annotations

import re
import zlib as _pyzlib
from typing import Any

from nse.lib import stringaux
from nse.lua.errors import LuaError
from nse.lua.luatable import LuaTable
from nse.lua.ops import tonumber, tostring
from nse.lua.strlib import str_find, str_gsub, str_match

__all__ = [
    "ERR_OVERSIZED_BODY",
    "recv_line",
    "recv_header",
    "recv_body",
    "parse_status_line",
    "parse_header",
    "parse_set_cookie",
    "decode_body",
    "next_response",
    "get_token",
]

ERR_OVERSIZED_BODY = "response body too large"

# RFC 2616 token characters as nselib's get_token accepts them (bytes >= 0x80 included)
_TOKEN = '^([^()<>@,;:\\"/%[%]?={} \x00\x01-\x1f\x7f]+)'


def _mv(r: Any) -> tuple[Any, ...]:
    if r is None:
        return ()
    return r if type(r) is tuple else (r,)


def _receive(s: Any) -> tuple[Any, Any]:
    r = _mv(s.receive()) + (None, None)
    return r[0], r[1]


def get_token(s: str, offset: int) -> tuple[int | None, str | None]:
    """(position after, token) for a token starting exactly at ``offset``, else (None, None)."""
    r = _mv(str_find(s, _TOKEN, offset))
    if r and r[0] is not None:
        return r[1] + 1, r[2]
    return None, None


def _skip_space(s: str, offset: int | None = None) -> int:
    r = _mv(str_find(s, "^([ \t]*)", offset))
    return int(r[1]) + 1


def _skip_lws(s: str, pos: int) -> int:
    # spaces, tabs and line folds (a line end followed by a space or tab)
    while True:
        while str_match(s, "^[ \t]", pos) is not None:
            pos += 1
        r = _mv(str_find(s, "^\r?\n[ \t]", pos))
        if not r or r[0] is None:
            return pos
        pos = r[1] + 1


# ----------------------------------------------------------------------------- reading


#: Longest status line, header block or chunk-size line read (bytes).  nselib has no limit
#: and holds whatever a server sends until the script times out; a hostile server sending
#: 100 MB of header must not cost 100 MB (acceptance 4), so reading stops here with an error.
MAX_HEADER = 1 << 20


def recv_line(s: Any, partial: str | None, limit: int = MAX_HEADER) -> tuple[Any, Any]:
    """(line with its "\\n", rest) or (nil, error) when the socket fails first or more
    than ``limit`` bytes arrive without a line end."""
    parts = [partial or ""]
    size = len(parts[0])
    e = parts[0].find("\n")
    while e < 0:
        if size > limit:
            return None, f"line longer than {limit} bytes"
        status, data = _receive(s)
        if not status:
            return status, data
        parts.append(data)
        size += len(data)
        # only the new data can hold the first line end: the search stays linear
        e = data.find("\n")
    joined = "".join(parts)
    e += size - len(parts[-1])
    return joined[: e + 1], joined[e + 1 :]


def _line_is_empty(line: str) -> bool:
    return line == "\r\n" or line == "\n"


def recv_header(s: Any, partial: str | None) -> tuple[Any, Any]:
    """(header block without the blank line, rest) or (nil, error); a block longer than
    ``MAX_HEADER`` is an error."""
    lines = []
    partial = partial or ""
    budget = MAX_HEADER
    while True:
        line, partial = recv_line(s, partial, budget)
        if not line:
            return line, partial
        if _line_is_empty(line):
            break
        lines.append(line)
        budget -= len(line)
        if budget < 0:
            return None, f"header longer than {MAX_HEADER} bytes"
    return "".join(lines), partial


def _over(parts: list[str], part: str, maxlen: int) -> tuple[None, str, str]:
    # nselib keeps exactly the bytes that fit: part:sub(1, maxlen - 1) with maxlen < 0
    parts.append(part[: len(part) + maxlen])
    return None, ERR_OVERSIZED_BODY, "".join(parts)


def recv_all(s: Any, partial: str | None, maxlen: int | None) -> tuple[Any, ...]:
    """Everything until the connection ends: (body, "") or (nil, err, fragment)."""
    parts: list[str] = []
    part = partial or ""
    while True:
        if maxlen is not None:
            maxlen -= len(part)
            if maxlen < 0:
                return _over(parts, part, maxlen)
        parts.append(part)
        status, part = _receive(s)
        if not status:
            return "".join(parts), ""


def recv_length(s: Any, recvlen: Any, partial: str | None, maxlen: int | None) -> tuple[Any, ...]:
    """Exactly ``recvlen`` bytes: (body, rest) or (nil, err, fragment)."""
    parts: list[str] = []
    part = partial or ""
    partial = ""
    n = _intlen(recvlen)
    while True:
        if len(part) > n:
            partial = part[n:]
            part = part[:n]
        if maxlen is not None:
            maxlen -= len(part)
            if maxlen < 0:
                return _over(parts, part, maxlen)
        parts.append(part)
        n -= len(part)
        if n == 0:
            return "".join(parts), partial
        status, part = _receive(s)
        if not status:
            return None, part, "".join(parts)


def _intlen(v: Any) -> int:
    if isinstance(v, float):
        if not v.is_integer():
            raise LuaError("bad argument #2 to 'sub' (number has no integer representation)")
        return int(v)
    return int(v)


def recv_chunked(s: Any, partial: str | None, maxlen: int | None) -> tuple[Any, ...]:
    """A chunked body (RFC 7230 §4.1; trailers are not read): (body, rest) or
    (nil, err, fragment)."""
    chunks: list[str] = []
    while True:
        line, partial = recv_line(s, partial)
        if not line:
            return None, "Chunk size not received; " + tostring(partial), "".join(chunks)
        pos = _skip_space(line)
        hexlen = str_match(line, "^%x+", pos)
        if hexlen is None:
            frag = line[pos - 1 : pos + 10]
            return (
                None,
                "Chunked encoding didn't find hex; got " + _q(frag) + ".",
                "".join(chunks),
            )
        chunklen = int(hexlen, 16)
        r = recv_length(s, chunklen, partial, maxlen)
        if r[0] is None:
            err = r[1]
            if err != ERR_OVERSIZED_BODY:
                err = "Incomplete chunk; " + tostring(err)
            chunks.append(r[2])
            return None, err, "".join(chunks)
        chunk, partial = r[0], r[1]
        chunks.append(chunk)
        if maxlen is not None:
            maxlen -= chunklen
        line, partial = recv_line(s, partial)
        if line and str_match(line, "^\r?\n") is None:
            return None, "Didn't find CRLF after chunk-data; got " + _q(line) + ".", "".join(chunks)
        if not line:
            from nse.lib import _host

            _host.debug(2, "Didn't find CRLF after chunk-data.")
        if chunklen == 0:
            return "".join(chunks), partial


def _q(s: str) -> str:
    from nse.lua.strformat import str_format

    return str_format("%q", s)  # type: ignore[no-any-return]


def _connection_tokens(value: Any) -> tuple[bool, bool]:
    # nselib reads tokens separated by exactly one character (so "a, close" stops after a)
    close = keepalive = False
    if isinstance(value, str):
        offset = 0
        while True:
            nxt, token = get_token(value, offset + 1)
            if nxt is None or token is None:
                break
            offset = nxt
            if token.lower() == "close":
                close = True
            elif token.lower() == "keep-alive":
                keepalive = True
    return close, keepalive


def recv_body(
    s: Any, response: LuaTable, method: str, partial: str | None, maxlen: int | None
) -> tuple[Any, ...]:
    """The body as the headers describe it (RFC 7230 §3.3.3 as nselib reads it)."""
    partial = partial or ""
    header = response["header"]
    close, keepalive = _connection_tokens(header["connection"])
    status = response["status"]
    if method.upper() == "HEAD" or 100 <= status <= 199 or status in (204, 304):
        if close or (response["version"] == "1.0" and not keepalive):
            return recv_all(s, partial, maxlen)
        return "", partial
    te = header["transfer-encoding"]
    if te is not None and te != "identity":
        return recv_chunked(s, partial, maxlen)
    tc = header["transfer-coding"]
    if tc is not None and tc != "identity":
        return recv_chunked(s, partial, maxlen)
    cl = header["content-length"]
    if cl is not None and te is None:
        n = tonumber(cl)
        if n is None:
            return None, "Content-Length " + _q(cl) + " is non-numeric"
        return recv_length(s, n, partial, maxlen)
    return recv_all(s, partial, maxlen)


# ----------------------------------------------------------------------------- parsing


def parse_status_line(status_line: str, response: LuaTable) -> tuple[Any, ...]:
    """Fill ``status-line``, ``version`` and ``status``: true or (nil, error)."""
    response["status-line"] = status_line
    r = _mv(str_match(status_line, "^HTTP/(%d+%.%d+) +(%d+)%f[ \r\n] *(.-)\r?\n$"))
    if not r or r[0] is None:
        return None, "Error parsing status-line " + _q(status_line) + "."
    response["version"] = r[0]
    response["status"] = tonumber(r[1])
    return (True,)


# The pieces of a header block as nselib's parse_header walks it (Lua patterns in
# http.lua; the same character classes as Python regexes, 0-based positions here)
_RE_TOKEN = re.compile(r'[^()<>@,;:\\"/\[\]?={} \x00-\x1f\x7f]+')
_RE_LWS = re.compile(r"(?:[ \t]|\r?\n[ \t])*")  # spaces, tabs, line folds
_RE_WORD = re.compile(r"(?:[^ \t\r\n]|\r(?!\n))+")  # up to a blank or a line end
_RE_EOL = re.compile(r"\r?\n")


def parse_header(header: str, response: LuaTable) -> tuple[Any, ...]:
    """Fill ``header`` (lower-case names), ``rawheader`` and ``cookies`` from a header
    block: true or (nil, error)."""
    fields = LuaTable()
    response["header"] = fields
    response["rawheader"] = stringaux.strsplit("\r?\n", header)
    cookies = response["cookies"]
    pos = 0
    n = len(header)
    while pos < n:
        name: str | None = None
        m = _RE_TOKEN.match(header, pos)
        if m is not None:
            e = m.end()
            name = m.group() if header[e : e + 1] == ":" else None
            pos = e + 1  # past the token and the character after it (":" or not)
        pos = _RE_LWS.match(header, pos).end()  # type: ignore[union-attr]
        words = []
        while pos < n and _RE_EOL.match(header, pos) is None:
            w = _RE_WORD.match(header, pos)
            if w is None:  # cannot happen after _RE_LWS; guards against looping
                break
            words.append(w.group())
            pos = _RE_LWS.match(header, w.end()).end()  # type: ignore[union-attr]
        if name is not None:
            name = name.lower()
            value = " ".join(words)
            old = fields[name]
            fields[name] = value if old is None else old + ", " + value
            if name == "set-cookie" and isinstance(cookies, LuaTable):
                cookie = _mv(parse_set_cookie(value))[0]
                if cookie is not None:
                    cookies[len(cookies) + 1] = cookie
        eol = _RE_EOL.match(header, pos)
        if eol is None:
            return None, "Header field named " + (
                _q(name) if name else "nil"
            ) + " didn't end with CRLF"
        pos = eol.end()
    return (True,)


def parse_set_cookie(s: Any = None, *_: Any) -> Any:
    """A Set-Cookie value as ``{name=, value=, <attribute lower-case>=value...}`` or
    (nil, "Can't get cookie name.")."""
    cookie = LuaTable()
    s = _mv(str_gsub(s, ";", "; "))[0]
    r = _mv(str_find(s, "^[ \t]*(.-)[ \t]*=[ \t]*(.-)[ \t]*%f[;\0]"))
    name = r[2] if r and r[0] is not None else None
    if not (name is not None and str_find(name, "^[^;]+$") is not None):
        return None, "Can't get cookie name."
    cookie["name"], cookie["value"] = r[2], r[3]
    pos = r[1] + 1
    while s[pos - 1 : pos] == ";":
        r = _mv(str_find(s, "[ \t]*(.-)[ \t]*%f[=;\0]", pos + 1))
        pos = r[1] + 1
        aname = r[2]
        if s[pos - 1 : pos] == "=":
            r = _mv(str_find(s, "[ \t]*(.-)[ \t]*%f[;\0]", pos + 1))
            pos = r[1] + 1
            value = r[2]
        else:
            value = ""
        aname = aname.lower()
        if aname not in ("", "name", "value"):
            cookie[aname] = value
    return cookie


def decode_body(body: Any, encodings: Any, maxlen: int | None) -> tuple[Any, ...]:
    """Undo Content-Encoding (identity and gzip, as nselib): (body, decoded, undecoded) or
    (nil, decoded, undecoded, error, partial body)."""
    if encodings is None or encodings is False:
        return (body,)
    if isinstance(encodings, str):
        encodings = stringaux.strsplit("%W+", encodings)
    undecoded = [v for _k, v in encodings.items() if isinstance(_k, int)]
    decoded = LuaTable()
    while undecoded:
        enc = undecoded[0].lower()
        if enc == "identity":
            decoded.append(undecoded.pop(0))
        elif enc == "gzip":
            try:
                d = _pyzlib.decompressobj(47)  # zlib or gzip header, as inflateInit2(.., 47)
                raw = body.encode("latin-1")
                limit = (maxlen + 1) if maxlen is not None else 0
                out = d.decompress(raw, limit)
            except (_pyzlib.error, AttributeError):
                return (
                    None,
                    decoded,
                    LuaTable.from_list(undecoded),
                    "Corrupted Content-Encoding: " + enc,
                    body,
                )
            decoded.append(undecoded.pop(0))
            newbody = out.decode("latin-1")
            if maxlen is not None and len(newbody) > maxlen:
                return (
                    None,
                    decoded,
                    LuaTable.from_list(undecoded),
                    ERR_OVERSIZED_BODY,
                    newbody[:maxlen],
                )
            body = newbody
        else:
            from nse.lib import _host

            _host.debug(1, "Unsupported Content-Encoding: %s", enc)
            break
    return body, decoded, LuaTable.from_list(undecoded)


def next_response(
    s: Any, method: str, partial: str | None, maxlen: int | None, truncated_ok: bool
) -> tuple[Any, ...]:
    """Read one response: (response, rest) or (nil, error, incomplete response)."""
    partial = partial or ""
    response = LuaTable.from_dict(
        {
            "header": LuaTable(),
            "rawheader": LuaTable(),
            "cookies": LuaTable(),
            "rawbody": "",
            "body": "",
        }
    )
    status_line, partial = recv_line(s, partial)
    if not status_line:
        return None, partial, response
    r = parse_status_line(status_line, response)
    if not r[0]:
        return None, r[1], response
    header, partial = recv_header(s, partial)
    if not header and header != "":
        return None, partial, response
    r = parse_header(header, response)
    if not r[0]:
        return None, r[1], response
    rb = recv_body(s, response, method, partial, maxlen) + (None, None, None)
    body, partial, fragment = rb[0], rb[1], rb[2]
    response["rawbody"] = body if body is not None else fragment
    response["body"] = response["rawbody"]
    if body is None:
        if partial != ERR_OVERSIZED_BODY:
            return None, partial, response
        response["truncated"] = True
        if not truncated_ok:
            return None, "Received " + ERR_OVERSIZED_BODY, response
    ce = response["header"]["content-encoding"]
    if ce is not None:
        d = decode_body(body, ce, maxlen) + (None, None, None, None, None)
        body, dcd, undcd, err, fragment = d[:5]
        response["body"] = body if body is not None else fragment
        response["decoded"] = dcd
        response["undecoded"] = undcd
        if body is None:
            if err != ERR_OVERSIZED_BODY:
                return None, err, response
            response["truncated"] = True
            if not truncated_ok:
                return None, "Decoded " + ERR_OVERSIZED_BODY, response
        elif response["header"]["content-length"] is not None:
            response["header"]["content-length"] = str(len(body))
        response["header"]["content-encoding"] = (
            ", ".join(undcd.to_list()) if isinstance(undcd, LuaTable) and len(undcd) > 0 else None
        )
    return response, partial
