"""Lua 5.4 lexer, modelled on ``llex.c`` so that literals and error messages are exact.

Why not luaparser's tokens: its string values are not byte-exact and its numerals are not
Lua's (see DESIGN.md "Transpiler shape").  Here every literal is decoded from the raw
source text, which is a latin-1 ``str`` (one character = one byte).

A token is a tuple ``(kind, value, line, raw)``:

* ``kind`` is ``"<name>"``, ``"<string>"``, ``"<number>"``, ``"<eof>"``, or the keyword /
  symbol itself (``"end"``, ``"=="``, ...);
* ``value`` is the decoded value (identifier, string, int or float);
* ``line`` is the line where the token ends (``ls->linenumber`` in ``llex.c``, which is
  what luac prints in error messages);
* ``raw`` is the token text as luac prints it in "near 'xxx'" messages.
"""

from __future__ import annotations

import re

__all__ = ["LexError", "tokenize", "str2number", "KEYWORDS"]

KEYWORDS = frozenset(
    "and break do else elseif end false for function goto if in local nil not or "
    "repeat return then true until while".split()
)

Token = tuple  # (kind, value, line, raw)


class LexError(Exception):
    """A lexical or syntax error: ``line`` and the luac-style message (without position)."""

    def __init__(self, line: int, msg: str) -> None:
        super().__init__(msg)
        self.line = line
        self.msg = msg


_SYMBOLS3 = ("...",)
_SYMBOLS2 = ("==", "~=", "<=", ">=", "//", "::", "<<", ">>", "..")
_SYMBOLS1 = set("+-*/%^#&~|<>=(){}[];:,.")

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPACE = re.compile(r"[ \t\f\v\r]+")
_LONG_OPEN = re.compile(r"\[(=*)\[")
_DIGITS = re.compile(r"[0-9]")
_HEXNUM = re.compile(r"[0-9a-fA-F]")
# llex.c read_numeral: hex digits and '.', exponent markers followed by an optional sign,
# then one more alphanumeric "to force an error" (e.g. "3x").
_NUM_DEC = re.compile(r"(?:[eE][-+]?|[0-9a-fA-F.])*[A-Za-z_]?")
_NUM_HEX = re.compile(r"(?:[pP][-+]?|[0-9a-fA-F.])*[A-Za-z_]?")
_DEC_INT = re.compile(r"[0-9]+\Z")
_HEX_INT = re.compile(r"0[xX]([0-9a-fA-F]+)\Z")
_DEC_FLT = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_HEX_FLT = re.compile(r"0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][-+]?[0-9]+)?\Z")

_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
            "\\": "\\", '"': '"', "'": "'"}


def str2number(s: str) -> int | float | None:
    """A Lua numeral (no sign, no spaces) to its value, as ``luaO_str2num`` does.

    Decimal integers that overflow become floats; hexadecimal integers wrap around
    modulo 2^64 (Lua 5.4 manual section 3.1).
    """
    if _DEC_INT.match(s):
        v = int(s)
        if v < 2**63:
            return v
        return float(s)
    m = _HEX_INT.match(s)
    if m:
        v = int(m.group(1), 16) & 0xFFFFFFFFFFFFFFFF
        return v - 2**64 if v >= 2**63 else v
    if _DEC_FLT.match(s):
        try:
            return float(s)
        except (ValueError, OverflowError):  # pragma: no cover - regex guards this
            return None
    if _HEX_FLT.match(s):
        body = s
        if "p" not in s and "P" not in s:
            body = s + "p0"
        try:
            return float.fromhex(body)
        except OverflowError:
            return float("inf")
        except ValueError:
            return None
    return None


def _utf8(cp: int) -> str:
    """Lua's ``luaO_utf8esc``: up to 6-byte sequences for values up to 2^31."""
    if cp < 0x80:
        return chr(cp)
    out = []
    mfb = 0x3F  # maximum that fits in the first byte
    while cp > mfb:
        out.append(0x80 | (cp & 0x3F))
        cp >>= 6
        mfb >>= 1
    out.append(((~mfb << 1) & 0xFF) | cp)
    return bytes(reversed(out)).decode("latin-1")


def tokenize(src: str, lazy_errors: bool = False) -> list[Token]:
    """Split a latin-1 decoded Lua source into tokens; raise :class:`LexError`.

    With ``lazy_errors`` a lexical error ends the list with an ``("<error>", LexError,
    line, "")`` token instead: llex.c reads a token only when the parser asks for it, so
    a syntax error before the bad token is the one reported (the parser raises the
    stored error when it reaches the token)."""
    toks: list[Token] = []
    try:
        _tokenize(src, toks)
    except LexError as e:
        if not lazy_errors:
            raise
        toks.append(("<error>", e, e.line, ""))
    return toks


def _tokenize(src: str, toks: list[Token]) -> list[Token]:
    append = toks.append
    n = len(src)
    i = 0
    line = 1
    # (A first line starting with '#' and a UTF-8 BOM are skipped by the file loader,
    # luaL_loadfilex, not by the lexer: see nse.lua.baselib.chunk_text.)
    name_match = _NAME.match
    space_match = _SPACE.match
    while True:
        if i >= n:
            append(("<eof>", None, line, "<eof>"))
            return toks
        c = src[i]
        if c == "\n" or c == "\r":
            # "\n\r" and "\r\n" count as one line break (llex.c inclinenumber)
            if i + 1 < n and src[i + 1] in "\n\r" and src[i + 1] != c:
                i += 1
            i += 1
            line += 1
            continue
        if c in " \t\f\v":
            i = space_match(src, i).end()  # type: ignore[union-attr]
            continue
        if c == "-" and src.startswith("--", i):
            i += 2
            if i < n and src[i] == "[":
                m = _LONG_OPEN.match(src, i)
                if m:
                    _, i, line = _long_bracket(src, m, line, "comment")
                    continue
            while i < n and src[i] not in "\r\n":
                i += 1
            continue
        m = name_match(src, i)
        if m:
            w = m.group()
            i = m.end()
            if w in KEYWORDS:
                append((w, w, line, w))
            else:
                append(("<name>", w, line, w))
            continue
        if c in "0123456789" or (c == "." and i + 1 < n and src[i + 1] in "0123456789"):
            if src.startswith(("0x", "0X"), i):
                m = _NUM_HEX.match(src, i + 2)
            else:
                m = _NUM_DEC.match(src, i)
            assert m is not None  # both patterns match the empty string
            raw = src[i : m.end()]
            i = m.end()
            v = str2number(raw)
            if v is None:
                raise LexError(line, f"malformed number near '{raw}'")
            append(("<number>", v, line, raw))
            continue
        if c == '"' or c == "'":
            s, j, line2 = _short_string(src, i, line)
            append(("<string>", s, line2, src[i:j]))
            i = j
            line = line2
            continue
        if c == "[":
            m = _LONG_OPEN.match(src, i)
            if m:
                s, j, line = _long_bracket(src, m, line, "string")
                append(("<string>", s, line, src[i:j]))
                i = j
                continue
            if src.startswith("[=", i):
                raise LexError(line, "invalid long string delimiter near '[='")
        three = src[i : i + 3]
        if three in _SYMBOLS3:
            append((three, three, line, three))
            i += 3
            continue
        two = src[i : i + 2]
        if two in _SYMBOLS2:
            append((two, two, line, two))
            i += 2
            continue
        if c in _SYMBOLS1:
            append((c, c, line, c))
            i += 1
            continue
        # llex.c: any other single character is returned as itself; the parser then
        # reports "unexpected symbol near 'c'".  Control characters print as '<\N>'.
        raw = c if c.isprintable() and ord(c) < 128 else f"<\\{ord(c)}>"
        append((c, c, line, raw))
        i += 1


def _long_bracket(src: str, m: re.Match[str], line: int, what: str) -> tuple[str, int, int]:
    """Read ``[==[ ... ]==]``; return (contents, end index, line after)."""
    level = len(m.group(1))
    start_line = line
    i = m.end()
    n = len(src)
    # "a long bracket... skips the first line break" (manual section 3.1)
    if i < n and src[i] in "\r\n":
        if i + 1 < n and src[i + 1] in "\r\n" and src[i + 1] != src[i]:
            i += 1
        i += 1
        line += 1
    close = "]" + "=" * level + "]"
    j = src.find(close, i)
    if j < 0:
        raise LexError(
            _count_lines(src, i, n, line),
            f"unfinished long {what} (starting at line {start_line}) near <eof>",
        )
    body = src[i:j]
    if "\r" in body:
        # Every line-break sequence becomes "\n" (llex.c read_long_string).
        body = re.sub(r"\n\r|\r\n|\r|\n", "\n", body)
        line += _count_breaks(src[i:j])
    else:
        line += body.count("\n")
    return body, j + len(close), line


def _count_breaks(s: str) -> int:
    return len(re.findall(r"\n\r|\r\n|\r|\n", s))


def _count_lines(src: str, i: int, j: int, line: int) -> int:
    return line + _count_breaks(src[i:j])


def _short_string(src: str, i: int, line: int) -> tuple[str, int, int]:
    """Read a quoted string starting at ``src[i]``; return (value, end index, line)."""
    q = src[i]
    n = len(src)
    j = i + 1
    out: list[str] = []
    while True:
        k = j
        # fast path: a run of ordinary characters
        while k < n and src[k] not in "\\\r\n" and src[k] != q:
            k += 1
        if k > j:
            out.append(src[j:k])
            j = k
        if j >= n:
            raise LexError(line, "unfinished string near <eof>")
        c = src[j]
        if c == q:
            return "".join(out), j + 1, line
        if c in "\r\n":
            raise LexError(line, f"unfinished string near '{src[i:j]}'")
        # escape sequence
        j += 1
        if j >= n:
            raise LexError(line, "unfinished string near <eof>")
        e = src[j]
        if e in _ESCAPES:
            out.append(_ESCAPES[e])
            j += 1
        elif e in "\r\n":
            out.append("\n")
            if j + 1 < n and src[j + 1] in "\r\n" and src[j + 1] != e:
                j += 1
            j += 1
            line += 1
        elif e == "x":
            h = src[j + 1 : j + 3]
            for idx, hc in enumerate(h):
                if not _HEXNUM.match(hc):
                    raise LexError(line, f"hexadecimal digit expected near '{src[i:j + 2 + idx]}'")
            if len(h) < 2:
                raise LexError(line, "unfinished string near <eof>")
            out.append(chr(int(h, 16)))
            j += 3
        elif e == "z":
            j += 1
            while j < n and src[j] in " \t\f\v\r\n":
                if src[j] in "\r\n":
                    if j + 1 < n and src[j + 1] in "\r\n" and src[j + 1] != src[j]:
                        j += 1
                    line += 1
                j += 1
        elif e in "0123456789":
            k = j
            while k < j + 3 and k < n and src[k] in "0123456789":
                k += 1
            v = int(src[j:k])
            if v > 255:
                raise LexError(line, f"decimal escape too large near '{src[i:k + 1]}'")
            out.append(chr(v))
            j = k
        elif e == "u":
            k = j + 1
            if k >= n or src[k] != "{":
                raise LexError(line, f"missing '{{' near '{src[i:k + 1]}'")
            k += 1
            v = 0
            start = k
            while k < n and _HEXNUM.match(src[k]):
                v = v * 16 + int(src[k], 16)
                if v > 0x7FFFFFFF:
                    raise LexError(line, f"UTF-8 value too large near '{src[i:k + 1]}'")
                k += 1
            if k == start:
                raise LexError(line, f"hexadecimal digit expected near '{src[i:k + 1]}'")
            if k >= n or src[k] != "}":
                raise LexError(line, f"missing '}}' near '{src[i:k + 1]}'")
            out.append(_utf8(v))
            j = k + 1
        else:
            raise LexError(line, f"invalid escape sequence near '{src[i:j + 1]}'")
