"""``require "json"``: JSON parse/generate exactly as nmap's json.lua.

Parsing follows nmap's LPeg grammar rule by rule (a PEG: ordered choice, possessive
repetition), including its liberties: any JSON value at top level, ``0x`` hexadecimal
numbers, spaces after a leading ``-``, unknown escapes ``\\x`` giving ``x``, raw control
characters inside strings.  Objects and arrays come back as tables marked through their
metatable (``{json = "object"}`` / ``{json = "array"}``, a fresh metatable each), ``null``
as the unique table :data:`NULL`.

Two evaluation times, as in LPeg: ``\\u`` escapes are decoded during matching (an error
there escapes the match at once, even if the document would have failed later), while
numbers are converted by a function capture evaluated only after the whole match
succeeded (``- 5`` parses, then ``tonumber`` fails: ``assertion failed!``).

``generate`` writes ``[a, b]`` and ``{"k": v}`` with ``", "`` separators, escapes only
``" \\ / \\b \\f \\n \\r \\t`` and formats numbers with Lua's ``tostring``.  Object member
order is the table's traversal order (ours: array part, then insertion order; Lua's own
hash order is not reproducible, so byte-equality with nmap holds for objects of one key or
whose order both sides agree on).
"""

from __future__ import annotations

from typing import Any

from nse.lib._util import LuaError, LuaTable, lua_error, lua_pairs, lua_str, typename
from nse.lua.numfmt import fmt_number, str2number

__all__ = ["NULL", "make_array", "make_object", "parse", "typeof", "generate"]

#: The value standing for JSON ``null`` (a unique empty table, as in nselib).
NULL = LuaTable()

_SPACE = frozenset(" \t\n\v\f\r")
_DIGIT = frozenset("0123456789")
_XDIGIT = frozenset("0123456789abcdefABCDEF")
_ALNUM_ = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SIMPLE_ESC = {'"': '"', "\\": "\\", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _getmetatable(t: LuaTable) -> Any:
    # getmetatable honours __metatable (Lua 5.4 manual §6.1 getmetatable)
    mt = t.meta
    if mt is not None:
        protected = mt["__metatable"]
        if protected is not None:
            return protected
    return mt


def _mark(t: Any, kind: str) -> Any:
    mt = _getmetatable(t) if isinstance(t, LuaTable) else None
    if mt is None:
        mt = LuaTable()
    if not isinstance(mt, LuaTable):
        # mt["json"] = ... on a non-table (a protected metatable string)
        lua_error(f"attempt to index a {typename(mt)} value (local 'mt')")
    mt["json"] = kind
    if not isinstance(t, LuaTable):
        from nse.lua.errors import type_error

        type_error(1, "setmetatable", "table", t)
    if t.meta is not None and t.meta["__metatable"] is not None:
        lua_error("cannot change a protected metatable")
    t.meta = mt
    return t


def make_array(t: Any = None, *_: Any) -> Any:
    """Mark table ``t`` as a JSON array (its metatable gets ``json = "array"``)."""
    return _mark(t, "array")


def make_object(t: Any = None, *_: Any) -> Any:
    """Mark table ``t`` as a JSON object (its metatable gets ``json = "object"``)."""
    return _mark(t, "object")


# --------------------------------------------------------------------------- parsing
class _Fail(Exception):
    """The PEG alternative did not match (not an error)."""


class _Deferred:
    """A number capture whose conversion failed: raised only if the match succeeds."""

    __slots__ = ("msg",)

    def __init__(self, msg: str) -> None:
        self.msg = msg


def _utf8(cp: int) -> str:
    return chr(cp).encode("utf-8", "surrogatepass").decode("latin-1")


class _Parser:
    def __init__(self, s: str) -> None:
        self.s = s
        self.n = len(s)
        self.deferred: list[str] = []

    def space(self, i: int) -> int:
        s, n = self.s, self.n
        while i < n and s[i] in _SPACE:
            i += 1
        return i

    def value(self, i: int) -> tuple[Any, int]:
        s = self.s
        c = s[i] if i < self.n else ""
        # value = string + number + object + array + K"true" + K"false" + K"null"
        if c == '"':
            try:
                return self.string(i)
            except _Fail:
                pass
        try:
            return self.number(i)
        except _Fail:
            pass
        if c == "{":
            try:
                return self.obj(i)
            except _Fail:
                pass
        if c == "[":
            try:
                return self.array(i)
            except _Fail:
                pass
        for word, v in (("true", True), ("false", False), ("null", NULL)):
            j = i + len(word)
            if s.startswith(word, i) and (j >= self.n or s[j] not in _ALNUM_):
                return v, j
        raise _Fail

    def string(self, i: int) -> tuple[str, int]:
        s, n = self.s, self.n
        i += 1
        out: list[str] = []
        while i < n:
            c = s[i]
            if c == '"':
                return "".join(out), i + 1
            if c == "\\" and i + 1 < n:
                e = s[i + 1]
                if e in _SIMPLE_ESC:
                    out.append(_SIMPLE_ESC[e])
                    i += 2
                    continue
                if e == "u" and i + 6 <= n and all(h in _XDIGIT for h in s[i + 2 : i + 6]):
                    txt, i = self.unicode16(s[i + 2 : i + 6], i + 6)
                    out.append(txt)
                    continue
                out.append(e)  # P[[\]] * C(1)
                i += 2
                continue
            out.append(c)  # includes a lone trailing backslash
            i += 1
        raise _Fail

    def unicode16(self, hexd: str, pos: int) -> tuple[str, int]:
        cp = int(hexd, 16)
        if cp < 0xD800 or cp > 0xDFFF:
            return _utf8(cp), pos
        if cp >= 0xDC00:
            lua_error("Not a Unicode character: U+%04X" % cp)
        s = self.s
        low = s[pos + 2 : pos + 6]
        if not (s.startswith("\\u", pos) and len(low) == 4 and all(h in _XDIGIT for h in low)):
            lua_error(f"Bad unicode escape \\u{hexd} (missing low surrogate)")
        cp2 = int(low, 16)
        if not 0xDC00 <= cp2 <= 0xDFFF:
            lua_error(f"Bad unicode escape \\u{hexd}\\u{low} (bad low surrogate)")
        cp = 0x10000 + (cp & 0x3FF) * 0x400 + (cp2 & 0x3FF)
        return _utf8(cp), pos + 6

    def number(self, i: int) -> tuple[Any, int]:
        s, n = self.s, self.n
        start = i
        if i < n and s[i] == "-":
            i = self.space(i + 1)
        j = self._numeral(i)
        if j is None:
            raise _Fail
        text = s[start:j]
        v = str2number(text)
        if v is None:
            self.deferred.append("assertion failed!")
            return _Deferred("assertion failed!"), j
        return v, j

    def _numeral(self, i: int) -> int | None:
        s, n = self.s, self.n

        def digits(k: int, chars: frozenset[str] = _DIGIT) -> int:
            while k < n and s[k] in chars:
                k += 1
            return k

        def exponent(k: int) -> int:
            if k < n and s[k] in "eE":
                m = k + 1
                if m < n and s[m] in "+-":
                    m += 1
                e = digits(m)
                if e > m:
                    return e
            return k

        # hexadecimal = "0x" xdigit^1
        if s.startswith("0x", i):
            k = digits(i + 2, _XDIGIT)
            if k > i + 2:
                return k
        # floating = (digit^1 "." digit^0 + digit^0 "." digit^1) exponent^-1
        k = digits(i)
        if k > i and k < n and s[k] == ".":
            return exponent(digits(k + 1))
        if k < n and s[k] == ".":
            m = digits(k + 1)
            if m > k + 1:
                return exponent(m)
        # integer = digit^1 exponent^-1
        if k > i:
            return exponent(k)
        return None

    def obj(self, i: int) -> tuple[LuaTable, int]:
        s = self.s
        t = LuaTable()
        i = self.space(i + 1)
        pairs: list[tuple[str, Any, int]] = []
        if i < self.n and s[i] == '"':
            try:
                pairs.append(self.pair(i))
                i = pairs[-1][2]
                while True:
                    j = self.space(i)
                    if j < self.n and s[j] == ",":
                        try:
                            p = self.pair(self.space(j + 1))
                        except _Fail:
                            break
                        pairs.append(p)
                        i = p[2]
                    else:
                        break
            except _Fail:
                pass
        i = self.space(i)
        if i < self.n and s[i] == "}":
            for k, v, _end in pairs:
                t[k] = v  # Cf(..., rawset): a repeated key keeps the last value
            return make_object(t), i + 1
        raise _Fail

    def pair(self, i: int) -> tuple[str, Any, int]:
        if i >= self.n or self.s[i] != '"':
            raise _Fail
        k, i = self.string(i)
        i = self.space(i)
        if i >= self.n or self.s[i] != ":":
            raise _Fail
        v, i = self.value(self.space(i + 1))
        return k, v, i

    def array(self, i: int) -> tuple[LuaTable, int]:
        s = self.s
        items: list[Any] = []
        i = self.space(i + 1)
        try:
            v, i = self.value(i)
            items.append(v)
            # elements = value space^0 ("," space^0 value)^0: only the FIRST element may
            # be followed by spaces before its comma ("[1 , 2 ,3]" is a syntax error)
            i = self.space(i)
            while i < self.n and s[i] == ",":
                try:
                    v, i = self.value(self.space(i + 1))
                except _Fail:
                    break
                items.append(v)
        except _Fail:
            pass
        i = self.space(i)
        if i < self.n and s[i] == "]":
            return make_array(LuaTable.from_list(items)), i + 1
        raise _Fail

    def document(self) -> Any:
        i = self.space(0)
        v, i = self.value(i)
        if self.space(i) != self.n:
            raise _Fail
        return v


def _has_deferred(v: Any, seen: set[int]) -> bool:
    if isinstance(v, _Deferred):
        return True
    if isinstance(v, LuaTable) and id(v) not in seen:
        seen.add(id(v))
        return any(_has_deferred(x, seen) for x in v.values())
    return False


def parse(data: Any = None, *_: Any) -> tuple[bool, Any]:
    """Parse a JSON document: ``true, value`` or ``false, message``."""
    if isinstance(data, int | float) and not isinstance(data, bool):
        data = fmt_number(data)  # lpeg's match takes numbers as strings
    if not isinstance(data, str):
        return False, f"bad argument #2 to 'lpeg.match' (string expected, got {typename(data)})"
    p = _Parser(lua_str(data))
    try:
        v = p.document()
    except _Fail:
        return False, "syntax error"
    except LuaError as e:
        return False, e.value
    except RecursionError:
        return False, "stack overflow"
    # number captures are evaluated only for the successful match (see module docstring)
    if p.deferred and _has_deferred(v, set()):
        return False, p.deferred[0]
    if v is False:
        # nselib tests the match result for truth: a document "false" is a syntax error
        return False, "syntax error"
    return True, v


# --------------------------------------------------------------------------- generating
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "/": "\\/",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}
_ESC_TABLE = str.maketrans(_ESCAPES)


def _escape(s: Any) -> str:
    if isinstance(s, int | float) and not isinstance(s, bool):
        s = fmt_number(s)
    if not isinstance(s, str):
        from nse.lua.errors import type_error

        type_error(1, "gsub", "string", s)
    return '"' + lua_str(s).translate(_ESC_TABLE) + '"'


def _length(t: LuaTable) -> Any:
    try:
        from nse.lua.ops import length
    except ImportError:  # runtime core without ops yet
        return len(t)
    return length(t)


def _index(t: LuaTable, k: Any) -> Any:
    try:
        from nse.lua.ops import index
    except ImportError:
        return t[k]
    return index(t, k)


def typeof(var: Any = None, *_: Any) -> str:
    """``"null"``, ``"array"``, ``"object"`` or the Lua type name of ``var``."""
    if var is NULL:
        return "null"
    if isinstance(var, LuaTable):
        mt = _getmetatable(var)
        mtval = mt["json"] if isinstance(mt, LuaTable) else None
        if mtval == "array" or (mtval != "object" and _length(var) > 0):
            return "array"
        return "object"
    return typename(var)


def generate(obj: Any = None, *_: Any) -> str:
    """Serialise a Lua value as JSON text, as nselib formats it."""
    if obj is NULL:
        return "null"
    if obj is False:
        return "false"
    if obj is True:
        return "true"
    if isinstance(obj, int | float):
        return fmt_number(obj)
    if isinstance(obj, str):
        return _escape(obj)
    if isinstance(obj, LuaTable):
        if typeof(obj) == "array":
            # ipairs: 1, 2, ... until the first nil, through __index (§6.1 ipairs)
            elems = []
            i = 1
            while True:
                v = _index(obj, i)
                if v is None:
                    break
                elems.append(generate(v))
                i += 1
            return "[" + ", ".join(elems) + "]"
        # pairs(obj): honours __pairs (outlib.sorted_by_key proxies, for instance)
        return "{" + ", ".join(_escape(k) + ": " + generate(v) for k, v in lua_pairs(obj)) + "}"
    return lua_error("Unknown data type in generate")
