"""Lua 5.4 patterns (manual §6.4.1) over byte strings held as ``str`` (one char = one byte).

Two engines behind one interface (:func:`compile_pattern` returns either):

``_ReProg``
    The pattern translated to an exactly equivalent Python ``re`` expression.  Lua patterns
    are a strict subset of backtracking regular expressions: every quantifier applies to a
    single character class, ``*``/``+``/``?`` try the longest choice first and ``-`` the
    shortest (``*?``), and both engines explore alternatives in the same order, so the first
    match found at a position, and its captures, are the same.  Classes become explicit
    byte sets (C locale), ``.`` matches any byte including ``\\n``, a final ``$`` becomes
    ``\\Z``, ``()`` becomes an empty group whose start is the position, ``%f[set]`` becomes a
    look-behind/look-ahead pair (with ``\\0`` standing for "before the start" and "at the
    end", as in ``lstrlib.c``), and ``%1``-``%9`` become back-references when they refer to
    a closed string capture.  Only well-formed patterns that cannot raise at match time are
    translated; the tests in ``tests/lua/test_string_patterns.py`` compare both engines with
    ``lua5.4`` on the same cases.

``_Backtrack``
    A direct port of ``lstrlib.c``'s recursive ``match`` for everything else: ``%b``,
    malformed patterns (Lua reports those lazily, only when the matcher reaches the bad
    item, e.g. ``string.find("abc", "x[")`` is ``nil``), back-references to position or
    open captures, unfinished captures, more than 32 captures, and patterns that could hit
    the ``MAXCCALLS`` (200) recursion limit ("pattern too complex").

Both engines return matches as ``(start, end, caps)`` with 0-based ``start``/``end`` and
``caps`` the tuple of capture values: ``str`` for string captures, ``int`` (1-based) for
position captures, :data:`UNFINISHED` for a capture still open when the pattern ended (Lua
raises "unfinished capture" only when such a capture is *used*).
"""

from __future__ import annotations

import re
from typing import Any

from nse.lua.errors import LuaError, where

__all__ = [
    "UNFINISHED",
    "compile_pattern",
    "class_set",
    "get_onecapture",
    "push_captures",
    "SPECIALS",
]

#: lstrlib.c SPECIALS: a pattern without any of these is searched as plain text by find.
SPECIALS = "^$*+?.([%-"

#: lstrlib.c MAXCCALLS: maximum nesting of the recursive matcher.
MAXCCALLS = 200
#: LUA_MAXCAPTURES
MAXCAPTURES = 32

_CAP_UNFINISHED = -1
_CAP_POSITION = -2


class _Unfinished:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNFINISHED"


#: Value of a capture that was still open when the match ended.
UNFINISHED: Any = _Unfinished()


def _error(msg: str) -> Any:
    # luaL_error from a C library function: position of the calling Lua code.
    raise LuaError(where(1) + msg)


# --------------------------------------------------------------------------- classes
# The C locale's <ctype.h> classes; bytes >= 128 belong to none of them.
def _ctype(pred: Any) -> frozenset[int]:
    return frozenset(c for c in range(256) if pred(c))


_CLASSES: dict[str, frozenset[int]] = {
    "a": _ctype(lambda c: 65 <= c <= 90 or 97 <= c <= 122),
    "c": _ctype(lambda c: c < 32 or c == 127),
    "d": _ctype(lambda c: 48 <= c <= 57),
    "g": _ctype(lambda c: 33 <= c <= 126),
    "l": _ctype(lambda c: 97 <= c <= 122),
    "p": _ctype(lambda c: 33 <= c <= 47 or 58 <= c <= 64 or 91 <= c <= 96 or 123 <= c <= 126),
    "s": _ctype(lambda c: 9 <= c <= 13 or c == 32),
    "u": _ctype(lambda c: 65 <= c <= 90),
    "w": _ctype(lambda c: 48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122),
    "x": _ctype(lambda c: 48 <= c <= 57 or 65 <= c <= 70 or 97 <= c <= 102),
    "z": frozenset({0}),  # deprecated %z, still accepted by 5.4
}
_ALL = frozenset(range(256))


def class_set(cl: str) -> frozenset[int]:
    """Bytes matched by ``%`` followed by ``cl`` (lstrlib.c ``match_class``): a class
    letter, its upper-case complement, or any other byte standing for itself."""
    low = cl.lower() if "A" <= cl <= "Z" or "a" <= cl <= "z" else cl
    s = _CLASSES.get(low)
    if s is None:
        return frozenset({ord(cl)})
    return s if cl == low else _ALL - s


def _classend(p: str, i: int) -> int:
    """Index just past the single-char class starting at ``p[i]`` (lstrlib.c ``classend``);
    raises Lua's "malformed pattern" errors."""
    n = len(p)
    c = p[i]
    i += 1
    if c == "%":
        if i >= n:
            _error("malformed pattern (ends with '%')")
        return i + 1
    if c == "[":
        if i < n and p[i] == "^":
            i += 1
        while True:  # look for a ']' (the first char of the set is never the end)
            if i >= n:
                _error("malformed pattern (missing ']')")
            c = p[i]
            i += 1
            if c == "%" and i < n:
                i += 1  # skip escapes (e.g. '%]')
            if i < n and p[i] == "]":
                return i + 1
    return i


def _bracket_set(p: str, i: int, ec: int) -> frozenset[int]:
    """Bytes matched by the set ``p[i:ec+1]`` (``[`` at i, ``]`` at ec), as
    lstrlib.c ``matchbracketclass`` scans it."""
    sig = True
    if p[i + 1] == "^":
        sig = False
        i += 1
    acc: set[int] = set()
    i += 1
    while i < ec:
        c = p[i]
        if c == "%":
            i += 1
            acc |= class_set(p[i])
        elif i + 2 < ec and p[i + 1] == "-":
            acc.update(range(ord(c), ord(p[i + 2]) + 1))
            i += 2
        else:
            acc.add(ord(c))
        i += 1
    return frozenset(acc) if sig else _ALL - acc


def _single_set(p: str, i: int, ep: int) -> frozenset[int]:
    """Bytes matched by the single-char class ``p[i:ep]``."""
    c = p[i]
    if c == ".":
        return _ALL
    if c == "%":
        return class_set(p[i + 1])
    if c == "[":
        return _bracket_set(p, i, ep - 1)
    return frozenset({ord(c)})


# --------------------------------------------------------------------------- re engine
def _re_set(cs: frozenset[int]) -> str:
    """A Python ``re`` atom matching exactly the bytes of ``cs``."""
    if len(cs) == 1:
        (c,) = cs
        return "\\x%02x" % c
    if not cs:
        return "[^\\x00-\\xff]"  # matches nothing in a byte string
    parts = []
    codes = sorted(cs)
    start = prev = codes[0]
    for c in codes[1:] + [-2]:
        if c != prev + 1:
            if start == prev:
                parts.append("\\x%02x" % start)
            else:
                parts.append("\\x%02x-\\x%02x" % (start, prev))
            start = c
        prev = c
    return "[" + "".join(parts) + "]"


class _Untranslatable(Exception):
    pass


def _translate(p: str) -> tuple[str, tuple[int, ...], int, int]:
    """Translate the (anchor-free) pattern ``p`` to a Python regex.

    Returns (regex, position-capture group numbers, number of captures, minimum length
    of a match).  Raises
    :class:`_Untranslatable` for anything the backtracking port must handle (see module
    docstring); malformed-pattern errors are left to that port so they stay lazy.
    """
    out: list[str] = []
    n = len(p)
    i = 0
    ncap = 0
    open_caps: list[int] = []  # capture numbers (1-based) of open string captures
    closed: set[int] = set()
    poscaps: list[int] = []
    calls = 1  # upper bound of nested match() calls (lstrlib.c MAXCCALLS)
    minlen = 0  # back-references count as 0: a lower bound is enough
    try:
        while i < n:
            c = p[i]
            if c == "(":
                ncap += 1
                calls += 1
                if i + 1 < n and p[i + 1] == ")":
                    poscaps.append(ncap)
                    out.append("()")
                    i += 2
                else:
                    open_caps.append(ncap)
                    out.append("(")
                    i += 1
                continue
            if c == ")":
                if not open_caps:
                    raise _Untranslatable  # "invalid pattern capture"
                closed.add(open_caps.pop())
                calls += 1
                out.append(")")
                i += 1
                continue
            if c == "$" and i + 1 == n:
                out.append("\\Z")
                i += 1
                continue
            if c == "%" and i + 1 < n:
                d = p[i + 1]
                if d == "b":
                    raise _Untranslatable
                if d == "f":
                    i += 2
                    if i >= n or p[i] != "[":
                        raise _Untranslatable
                    ep = _classend(p, i)
                    cs = _bracket_set(p, i, ep - 1)
                    # previous byte not in set ('\0' before the subject's start)
                    if 0 in cs:
                        out.append("(?<=%s)" % _re_set(_ALL - cs))
                    else:
                        out.append("(?<!%s)" % _re_set(cs))
                    # current byte in set ('\0' at the end)
                    if 0 in cs:
                        out.append("(?=%s|\\Z)" % _re_set(cs))
                    else:
                        out.append("(?=%s)" % _re_set(cs))
                    i = ep
                    continue
                if "0" <= d <= "9":
                    k = ord(d) - ord("0")
                    if k not in closed:
                        raise _Untranslatable  # error or position capture: port
                    out.append("(?:\\%d)" % k)
                    i += 2
                    continue
            ep = _classend(p, i)
            atom = _re_set(_single_set(p, i, ep))
            q = p[ep] if ep < n else ""
            if q == "*" or q == "+" or q == "?":
                out.append(atom + q)
                calls += 1
                ep += 1
                if q == "+":
                    minlen += 1
            elif q == "-":
                out.append(atom + "*?")
                calls += 1
                ep += 1
            else:
                out.append(atom)
                minlen += 1
            i = ep
    except LuaError:
        raise _Untranslatable from None
    if open_caps or ncap > MAXCAPTURES or calls > MAXCCALLS:
        raise _Untranslatable
    return "".join(out), tuple(poscaps), ncap, minlen


class _ReProg:
    """A pattern compiled to a Python regex (exactly equivalent, see module docstring)."""

    __slots__ = ("rx", "poscaps", "ncap", "source", "nonempty")

    def __init__(
        self, source: str, regex: str, poscaps: tuple[int, ...], ncap: int, minlen: int = 0
    ) -> None:
        #: True when no match can be empty: then Lua's gsub/gmatch iteration (5.4
        #: ``lastmatch`` rule) and Python's ``re.sub``/``finditer`` visit the same matches.
        self.nonempty = minlen > 0
        self.source = source
        self.rx = re.compile(regex)
        self.poscaps = poscaps
        self.ncap = ncap

    def _caps(self, m: re.Match[str]) -> tuple[Any, ...]:
        caps = m.groups()
        if self.poscaps:
            lst = list(caps)
            for g in self.poscaps:
                lst[g - 1] = m.start(g) + 1
            caps = tuple(lst)
        return caps

    def search(self, s: str, pos: int) -> tuple[int, int, tuple[Any, ...]] | None:
        """First match starting at or after ``pos`` (Lua's unanchored scan)."""
        m = self.rx.search(s, pos)
        if m is None:
            return None
        return m.start(), m.end(), self._caps(m)

    def match(self, s: str, pos: int) -> tuple[int, int, tuple[Any, ...]] | None:
        """The match starting exactly at ``pos``, if any."""
        m = self.rx.match(s, pos)
        if m is None:
            return None
        return pos, m.end(), self._caps(m)


# --------------------------------------------------------------------------- port
class _Backtrack:
    """lstrlib.c's matcher, kept structurally identical so errors, their order and the
    recursion limit behave as in Lua (one Python frame per C ``match`` call)."""

    __slots__ = (
        "p", "plen", "_cls", "source", "s", "slen", "level", "cinit", "clen", "depth", "first",
    )

    def __init__(self, p: str) -> None:
        self.source = p
        self.p = p
        self.plen = len(p)
        self._cls: dict[int, tuple[int, frozenset[str], re.Pattern[str]]] = {}
        # match state (lstrlib.c MatchState), saved and restored around each run
        self.s = ""
        self.slen = 0
        self.level = 0
        self.cinit: list[int] = []
        self.clen: list[int] = []
        self.depth = MAXCCALLS
        fs = self._first_set()
        #: finds the next position where a match can start (None: any position)
        self.first = None if fs is None else re.compile(_re_set(fs))

    def _first_set(self) -> frozenset[int] | None:
        """The bytes a match must start with, when that is known statically *and* no
        position skipped because of it could have raised an error in Lua (so skipping it
        changes nothing): captures (at most 32) then one consuming item."""
        p = self.p
        n = self.plen
        i = 0
        opened = 0
        while i < n and p[i] == "(":
            opened += 1
            i += 2 if p[i + 1 : i + 2] == ")" else 1
        if i >= n or opened > MAXCAPTURES or p[i] == ")" or (p[i] == "$" and i + 1 == n):
            return None
        if p[i] == "%" and i + 1 < n and p[i + 1] in "bf0123456789":
            if p[i + 1] == "b" and i + 3 < n:
                return frozenset({ord(p[i + 2])})
            return None
        try:
            ep = _classend(p, i)
        except LuaError:
            return None
        if ep < n and p[ep] in "*?-":
            return None
        return _single_set(p, i, ep)

    def _class(self, i: int) -> tuple[int, frozenset[str], re.Pattern[str]]:
        r = self._cls.get(i)
        if r is None:
            ep = _classend(self.p, i)  # raises on malformed items, like Lua, when reached
            cs = _single_set(self.p, i, ep)
            run = re.compile(_re_set(cs) + "*")
            r = (ep, frozenset(chr(c) for c in cs), run)
            self._cls[i] = r
        return r

    def _bracket(self, i: int) -> tuple[int, frozenset[str]]:
        ep = _classend(self.p, i)
        return ep, frozenset(chr(c) for c in _bracket_set(self.p, i, ep - 1))

    def _match(self, si: int, pi: int) -> int:
        """lstrlib.c ``match``: end of the match of ``p[pi:]`` at ``s[si:]``, or -1."""
        if self.depth == 0:
            _error("pattern too complex")
        self.depth -= 1
        try:
            p = self.p
            plen = self.plen
            s = self.s
            while True:  # 'goto init' of lstrlib.c
                if pi == plen:
                    return si
                c = p[pi]
                if c == "(":
                    if pi + 1 < plen and p[pi + 1] == ")":
                        return self._start_capture(si, pi + 2, _CAP_POSITION)
                    return self._start_capture(si, pi + 1, _CAP_UNFINISHED)
                if c == ")":
                    return self._end_capture(si, pi + 1)
                if c == "$" and pi + 1 == plen:
                    return si if si == self.slen else -1
                if c == "%" and pi + 1 < plen:
                    d = p[pi + 1]
                    if d == "b":
                        si = self._matchbalance(si, pi + 2)
                        if si == -1:
                            return -1
                        pi += 4
                        continue
                    if d == "f":
                        pi += 2
                        if pi >= plen or p[pi] != "[":
                            _error("missing '[' after '%f' in pattern")
                        ep, cs = self._bracket(pi)
                        prev = s[si - 1] if si > 0 else "\0"
                        cur = s[si] if si < self.slen else "\0"
                        if prev not in cs and cur in cs:
                            pi = ep
                            continue
                        return -1
                    if "0" <= d <= "9":
                        si = self._match_capture(si, ord(d))
                        if si == -1:
                            return -1
                        pi += 2
                        continue
                # default: single char class plus optional suffix
                ep, cs, run = self._class(pi)
                q = p[ep] if ep < plen else ""
                if si >= self.slen or s[si] not in cs:
                    if q == "*" or q == "?" or q == "-":
                        pi = ep + 1
                        continue
                    return -1
                if q == "?":
                    res = self._match(si + 1, ep + 1)
                    if res != -1:
                        return res
                    pi = ep + 1
                    continue
                if q == "+" or q == "*":
                    # max_expand: longest run first, then give back one byte at a time
                    rm = run.match(s, si)  # "[set]*" always matches
                    i = rm.end() if rm is not None else si
                    while i >= si + (1 if q == "+" else 0):
                        res = self._match(i, ep + 1)
                        if res != -1:
                            return res
                        i -= 1
                    return -1
                if q == "-":
                    # min_expand: shortest first
                    while True:
                        res = self._match(si, ep + 1)
                        if res != -1:
                            return res
                        if si < self.slen and s[si] in cs:
                            si += 1
                        else:
                            return -1
                si += 1
                pi = ep
        finally:
            self.depth += 1

    def _matchbalance(self, si: int, pi: int) -> int:
        p = self.p
        if pi >= self.plen - 1:
            _error("malformed pattern (missing arguments to '%b')")
        s = self.s
        if si >= self.slen or s[si] != p[pi]:
            return -1
        b = p[pi]
        e = p[pi + 1]
        cont = 1
        si += 1
        while si < self.slen:
            ch = s[si]
            if ch == e:
                cont -= 1
                if cont == 0:
                    return si + 1
            elif ch == b:
                cont += 1
            si += 1
        return -1

    def _start_capture(self, si: int, pi: int, what: int) -> int:
        level = self.level
        if level >= MAXCAPTURES:
            _error("too many captures")
        self.cinit[level] = si
        self.clen[level] = what
        self.level = level + 1
        res = self._match(si, pi)
        if res == -1:
            self.level -= 1
        return res

    def _end_capture(self, si: int, pi: int) -> int:
        lv = self.level - 1
        while lv >= 0 and self.clen[lv] != _CAP_UNFINISHED:
            lv -= 1
        if lv < 0:
            _error("invalid pattern capture")
        self.clen[lv] = si - self.cinit[lv]
        res = self._match(si, pi)
        if res == -1:
            self.clen[lv] = _CAP_UNFINISHED
        return res

    def _match_capture(self, si: int, d: int) -> int:
        lv = d - ord("1")
        if lv < 0 or lv >= self.level or self.clen[lv] == _CAP_UNFINISHED:
            _error("invalid capture index %%%d" % (lv + 1))
        ln = self.clen[lv]
        if ln < 0:  # position capture: (size_t)-2 never fits
            return -1
        init = self.cinit[lv]
        if self.slen - si >= ln and self.s[si : si + ln] == self.s[init : init + ln]:
            return si + ln
        return -1

    def _caps(self) -> tuple[Any, ...]:
        out: list[Any] = []
        s = self.s
        for lv in range(self.level):
            ln = self.clen[lv]
            init = self.cinit[lv]
            if ln == _CAP_POSITION:
                out.append(init + 1)
            elif ln == _CAP_UNFINISHED:
                out.append(UNFINISHED)
            else:
                out.append(s[init : init + ln])
        return tuple(out)

    def _run(self, s: str, pos: int, anchored: bool) -> tuple[int, int, tuple[Any, ...]] | None:
        # re-entrancy: a gsub replacement function may use the same pattern
        saved = (self.s, self.slen, self.level, self.cinit, self.clen, self.depth)
        self.s = s
        self.slen = len(s)
        self.cinit = [0] * MAXCAPTURES
        self.clen = [0] * MAXCAPTURES
        first = None if anchored else self.first
        try:
            si = pos
            while True:
                if first is not None:
                    fm = first.search(s, si)
                    if fm is None:
                        return None
                    si = fm.start()
                self.level = 0
                self.depth = MAXCCALLS
                e = self._match(si, 0)
                if e != -1:
                    return si, e, self._caps()
                si += 1
                if anchored or si > self.slen:
                    return None
        finally:
            self.s, self.slen, self.level, self.cinit, self.clen, self.depth = saved

    def search(self, s: str, pos: int) -> tuple[int, int, tuple[Any, ...]] | None:
        """First match starting at or after ``pos``."""
        return self._run(s, pos, False)

    def match(self, s: str, pos: int) -> tuple[int, int, tuple[Any, ...]] | None:
        """The match starting exactly at ``pos``, if any."""
        return self._run(s, pos, True)


# --------------------------------------------------------------------------- API
_cache: dict[str, _ReProg | _Backtrack] = {}

#: Tests set this to run every pattern through the backtracking port.
FORCE_BACKTRACK = False


def compile_pattern(p: str, force_backtrack: bool = False) -> _ReProg | _Backtrack:
    """Compile the Lua pattern ``p`` (without a leading anchor: the caller strips a ``^``
    where it means one).  Results are cached by pattern text."""
    force_backtrack = force_backtrack or FORCE_BACKTRACK
    if not force_backtrack:
        prog = _cache.get(p)
        if prog is not None:
            return prog
    prog2: _ReProg | _Backtrack
    if force_backtrack:
        return _Backtrack(p)
    try:
        regex, poscaps, ncap, minlen = _translate(p)
        prog2 = _ReProg(p, regex, poscaps, ncap, minlen)
    except (_Untranslatable, re.error):
        prog2 = _Backtrack(p)
    if len(_cache) > 4096:
        _cache.clear()
    _cache[p] = prog2
    return prog2


def get_onecapture(i: int, s: str, st: int, e: int, caps: tuple[Any, ...]) -> Any:
    """Capture ``i`` (0-based) of a match, lstrlib.c ``get_onecapture``: the whole match
    when the pattern has no captures and ``i == 0``."""
    if i >= len(caps):
        if i != 0:
            _error("invalid capture index %%%d" % (i + 1))
        return s[st:e]
    v = caps[i]
    if v is UNFINISHED:
        _error("unfinished capture")
    return v


def push_captures(s: str, st: int, e: int, caps: tuple[Any, ...], whole: bool) -> tuple[Any, ...]:
    """All captures as Lua results (lstrlib.c ``push_captures``); with ``whole`` the
    whole match stands in for a pattern without captures."""
    if not caps:
        return (s[st:e],) if whole else ()
    if UNFINISHED in caps:
        _error("unfinished capture")
    return caps
