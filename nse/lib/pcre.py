"""``require "pcre"``: nmap's PCRE binding (nse_pcrelib.cc, from lrexlib) on Python ``re``.

API (measured on nmap 7.93): ``pcre.new(pattern, flags, locale)`` returns a
``pcre_regex_handle`` userdata with ``match``, ``exec`` and ``gmatch``; ``pcre.flags()``
is PCRE 8.39's option table; ``pcre.version()`` its version string.

* ``r:match(s, init, ef)`` -> ``start, end, captures`` (1-based, end inclusive; captures
  hold the substrings, ``false`` for groups that did not take part, plus ``name = value``
  for named groups); no match returns *nothing*.  ``init`` is 1-based, negative counts
  from the end, past the end gives no match.
* ``r:exec(s, init, ef)`` -> ``start, end, {s1, e1, s2, e2, ...}`` (``false, false`` for
  unset groups, no names).
* ``r:gmatch(s, f, n, ef)`` calls ``f(match, captures)`` for up to ``n`` matches (all when
  ``n`` is nil or not positive), stops when ``f`` returns true, returns the count.

Translation PCRE -> Python ``re`` (subjects are bytes held as latin-1 ``str``; ``re.ASCII``
gives PCRE's C-locale ``\\w \\d \\s`` and caseless matching):

* rewritten: ``(?<name>``/``(?'name'`` -> ``(?P<name>``; ``\\k<name>``/``\\k'name'``/
  ``\\k{name}``/``\\g{name}`` -> ``(?P=name)``; ``\\g{N}``/``\\gN`` -> ``\\N``; ``\\Z`` ->
  ``(?=\\n?\\Z)``, ``\\z`` -> ``\\Z``; ``\\Q...\\E`` quoted; ``\\x{hh}``, ``\\o{}``, ``\\e``,
  ``\\cX``, ``\\h``, ``\\v``, ``\\N``; POSIX ``[:class:]``; a ``{`` that is not a PCRE
  quantifier is literal; an unknown escape of a letter is the letter; option settings
  ``(?i)`` in mid-pattern are scoped to the rest of their alternative as PCRE scopes them;
  flags CASELESS, MULTILINE, DOTALL, EXTENDED, ANCHORED, DOLLAR_ENDONLY, UNGREEDY,
  NO_AUTO_CAPTURE, NO_UTF8_CHECK; exec flags ANCHORED, NOTBOL, NOTEOL.
* rejected with ``unsupported by this PCRE emulation: ...``: recursion and subroutine
  calls (``(?R)``, ``(?1)``, ``(?&n)``), ``\\K``, ``\\G``, ``\\R``, ``\\X``, ``\\p``/``\\P``,
  ``\\C``, backtracking verbs ``(*...)``, branch reset ``(?|``, callouts, ``(?J)``/``(?X)``/
  ``(?U)`` inline options, flags UTF8, NOTEMPTY, PARTIAL, DFA_*, FIRSTLINE, DUPNAMES,
  AUTO_CALLOUT, NEWLINE_* other than LF, BSR_*.
* Compile errors read ``<message> (pattern offset: N)`` as in nmap; the message text is
  Python's, not PCRE's, except for the cases mapped in ``_PCRE_MESSAGES``.

Deliberate differences: nmap 7.93 (Debian build) fails every ``pcre.new`` without a
locale argument with ``PCRE compilation failed``; this follows the documentation (locale
optional).  A locale other than C/POSIX is accepted if the system has it, but matching
always uses C-locale character tables.  ``gmatch`` with a pattern that matches the empty
string advances past each empty match (nmap loops forever).
"""

from __future__ import annotations

import locale as _locale
import re
import threading
from typing import Any

from nse.lib._pcre_syntax import QuantifierSyntax
from nse.lib._util import LuaTable, Userdata, check_int, check_str, lua_error
from nse.lua import ops

__all__ = ["new", "flags", "version"]

_FLAGS = {
    "ANCHORED": 16, "AUTO_CALLOUT": 16384, "BSR_ANYCRLF": 8388608, "BSR_UNICODE": 16777216,
    "CASELESS": 1, "DFA_RESTART": 131072, "DFA_SHORTEST": 65536, "DOLLAR_ENDONLY": 32,
    "DOTALL": 4, "DUPNAMES": 524288, "EXTENDED": 8, "EXTRA": 64, "FIRSTLINE": 262144,
    "MULTILINE": 2, "NEWLINE_ANY": 4194304, "NEWLINE_ANYCRLF": 5242880, "NEWLINE_CR": 1048576,
    "NEWLINE_CRLF": 3145728, "NEWLINE_LF": 2097152, "NOTBOL": 128, "NOTEMPTY": 1024,
    "NOTEOL": 256, "NO_AUTO_CAPTURE": 4096, "NO_UTF8_CHECK": 8192, "PARTIAL": 32768,
    "UNGREEDY": 512, "UTF8": 2048,
}  # fmt: skip
_COMPILE_OK = 1 | 2 | 4 | 8 | 16 | 32 | 64 | 512 | 4096 | 8192 | 2097152
_EXEC_OK = 16 | 128 | 256 | 8192 | 2097152

_POSIX = {
    "alpha": "A-Za-z", "digit": "0-9", "alnum": "A-Za-z0-9", "upper": "A-Z", "lower": "a-z",
    "space": " \\t\\n\\v\\f\\r", "blank": " \\t", "punct": "!-/:-@\\[-`{-~",
    "xdigit": "0-9A-Fa-f", "word": "A-Za-z0-9_", "cntrl": "\\x00-\\x1f\\x7f",
    "print": " -~", "graph": "!-~", "ascii": "\\x00-\\x7f",
}  # fmt: skip

_PCRE_MESSAGES = [
    ("missing ), unterminated subpattern", "missing )"),
    ("unbalanced parenthesis", "unmatched parentheses"),
    ("bad character range", "range out of order in character class"),
    ("unterminated character set", "missing terminating ] for character class"),
    ("nothing to repeat", "nothing to repeat"),
    ("redefinition of group name", "two named subpatterns have the same name"),
    ("bad escape (end of pattern)", "\\ at end of pattern"),
    ("multiple repeat", "nothing to repeat"),
]


class _Unsupported(Exception):
    pass


class _Translator(QuantifierSyntax):
    """PCRE pattern -> Python ``re`` pattern (see the module docstring; quantifiers are
    read by :class:`~nse.lib._pcre_syntax.QuantifierSyntax`)."""

    def __init__(self, p: str, cflags: int, notbol: bool, noteol: bool) -> None:
        self.p = p
        self.i = 0
        self.out: list[str] = []
        self.extended = bool(cflags & 8)
        self.multiline = bool(cflags & 2)
        self.dollar_endonly = bool(cflags & 32)
        self.ungreedy = bool(cflags & 512)
        self.no_auto_capture = bool(cflags & 4096)
        self.notbol = notbol
        self.noteol = noteol
        # per open group: the "(?flags:" wrappers opened by option settings in it
        self.wraps: list[list[str]] = [[]]

    def error(self, what: str) -> Any:
        raise _Unsupported(what)

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.p[j] if j < len(self.p) else ""

    def run(self) -> str:
        p = self.p
        while self.i < len(p):
            c = p[self.i]
            if c == "\\":
                self.escape(in_class=False)
            elif c == "[":
                self.char_class()
            elif c == "(":
                self.group()
            elif c == ")":
                self.out.append(")" * len(self.wraps.pop()))
                if not self.wraps:
                    self.wraps.append([])  # unbalanced: let re report it
                self.out.append(")")
                self.i += 1
            elif c == "|":
                # an option setting also applies to the later alternatives of its group
                w = self.wraps[-1]
                self.out.append(")" * len(w) + "|" + "".join(w))
                self.i += 1
            elif c == "^":
                self.out.append(self.caret())
                self.i += 1
            elif c == "$":
                self.out.append(self.dollar())
                self.i += 1
            elif c == "{":
                self.brace()
            elif c in "*+?":
                self.out.append(c)
                self.i += 1
                self.quantifier_suffix()
            elif self.extended and c in " \t\n\v\f\r":
                self.i += 1
            elif self.extended and c == "#":
                while self.i < len(p) and p[self.i] != "\n":
                    self.i += 1
            else:
                self.out.append(re.escape(c) if c in "&~-#" or c.isspace() else c)
                self.i += 1
        self.out.append(")" * sum(len(w) for w in self.wraps))
        return "".join(self.out)

    # ---------------------------------------------------------------- anchors/quantifiers
    def caret(self) -> str:
        if self.notbol:
            return "(?<=\\n)" if self.multiline else "(?!)"
        return "^"

    def dollar(self) -> str:
        if self.noteol:
            return "(?=\\n)" if self.multiline else "(?!)"
        if self.dollar_endonly and not self.multiline:
            return "\\Z"
        return "$"

    # ---------------------------------------------------------------- groups
    def group(self) -> None:
        p = self.p
        if p.startswith("(*", self.i):
            self.error("backtracking verbs (*...)")
        if not p.startswith("(?", self.i):
            self.out.append("(?:" if self.no_auto_capture else "(")
            self.i += 1
            self.wraps.append([])
            return
        rest = p[self.i + 2 :]
        m = re.match(r"<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'|P<([A-Za-z_]\w*)>", rest)
        if m:
            name = m.group(1) or m.group(2) or m.group(3)
            self.out.append(f"(?P<{name}>")
            self.i += 2 + m.end()
            self.wraps.append([])
            return
        m = re.match(r"P=([A-Za-z_]\w*)\)|P>([A-Za-z_]\w*)\)|&", rest)
        if m and m.group(1):
            self.out.append(f"(?P={m.group(1)})")
            self.i += 2 + m.end()
            return
        if m:
            self.error("subroutine calls")
        if rest[:1] in ":=!>" or rest[:2] in ("<=", "<!"):
            k = 1 if rest[:1] in ":=!>" else 2
            self.out.append("(?" + rest[:k])
            self.i += 2 + k
            self.wraps.append([])
            return
        if rest[:1] == "#":
            j = p.find(")", self.i)
            self.i = len(p) if j < 0 else j + 1
            return
        if rest[:1] == "(":
            self.out.append("(?(")
            self.i += 3
            self.wraps.append([])
            m = re.match(r"<([A-Za-z_]\w*)>\)|'([A-Za-z_]\w*)'\)", p[self.i :])
            if m:
                self.out.append((m.group(1) or m.group(2)) + ")")
                self.i += m.end()
            elif p[self.i : self.i + 1] in ("R", "?") or p[self.i : self.i + 6] == "DEFINE":
                self.error("recursion/assertion conditions")
            return
        if rest[:1] in "R0123456789+-" and re.match(r"(R|[+-]?\d+)\)", rest):
            self.error("recursion (?R)/(?N)")
        if rest[:1] in "|C":
            self.error("branch reset (?| / callouts (?C")
        m = re.match(r"([imsxJUX]*)(?:-([imsxJUX]*))?([:)])", rest)
        if m:
            on, off, end = m.group(1), m.group(2) or "", m.group(3)
            if set(on + off) & set("JUX"):
                self.error("inline options (?J) (?U) (?X)")
            spec = on + ("-" + off if off else "")
            if "x" in on:
                self.extended = True  # approximation: until the end, not the group
            if not spec:
                self.out.append("(?:" if end == ":" else "")
            else:
                self.out.append(f"(?{spec}:")
            self.i += 2 + m.end()
            if end == ":":
                self.wraps.append([])
            elif spec:
                self.wraps[-1].append(f"(?{spec}:")
            return
        self.error(f"group syntax (?{rest[:1]}")

    # ---------------------------------------------------------------- escapes
    def escape(self, in_class: bool) -> None:
        p = self.p
        c = self.peek(1)
        self.i += 2
        out = self.out
        if c == "":
            raise re.error("bad escape (end of pattern)", p, len(p) - 1)
        if c in "dDwWsS":
            out.append("\\" + c)
        elif c == "h":
            out.append("[ \\t\\xa0]" if not in_class else " \\t\\xa0")
        elif c == "H":
            out.append("[^ \\t\\xa0]" if not in_class else self.error("\\H in a class"))
        elif c == "v":
            out.append("[\\n\\v\\f\\r\\x85]" if not in_class else "\\n\\v\\f\\r\\x85")
        elif c == "V":
            out.append("[^\\n\\v\\f\\r\\x85]" if not in_class else self.error("\\V in a class"))
        elif c == "N" and not in_class:
            out.append("[^\\n]")
        elif c in "bB" and not in_class:
            out.append("\\" + c)
        elif c == "b":
            out.append("\\x08")
        elif c == "A" and not in_class:
            out.append("\\A")
        elif c == "Z" and not in_class:
            out.append("(?=\\n?\\Z)")
        elif c == "z" and not in_class:
            out.append("\\Z")
        elif c in "KGRXpPC":
            self.error(f"\\{c}")
        elif c == "Q":
            j = p.find("\\E", self.i)
            lit = p[self.i :] if j < 0 else p[self.i : j]
            out.append("".join(self.lit(ch, in_class) for ch in lit))
            self.i = len(p) if j < 0 else j + 2
        elif c == "E":
            pass
        elif c == "x":
            m = re.match(r"\{([0-9A-Fa-f]+)\}|([0-9A-Fa-f]{0,2})", p[self.i :])
            assert m is not None
            v = int(m.group(1) or m.group(2) or "0", 16)
            self.i += m.end()
            if v > 0xFF:
                raise re.error("character value in \\x{} or \\o{} is too large", p, self.i)
            out.append(self.lit(chr(v), in_class))
        elif c == "o" and p[self.i : self.i + 1] == "{":
            j = p.find("}", self.i)
            v = int(p[self.i + 1 : j] or "0", 8)
            self.i = j + 1
            out.append(self.lit(chr(v & 0xFF), in_class))
        elif c == "e":
            out.append("\\x1b")
        elif c in "afnrt":
            out.append("\\" + c)
        elif c == "c":
            ch = self.peek()
            self.i += 1
            out.append(self.lit(chr(ord(ch.upper()) ^ 0x40), in_class))
        elif c == "0":
            m = re.match(r"[0-7]{0,2}", p[self.i :])
            assert m is not None
            self.i += m.end()
            out.append(self.lit(chr(int("0" + m.group(), 8)), in_class))
        elif c.isdigit():
            m = re.match(r"\d*", p[self.i :])
            assert m is not None
            digits = c + m.group()
            if in_class:
                o = re.match(r"[0-7]{1,3}", digits)
                self.i += (len(o.group()) - 1) if o else 0
                out.append(self.lit(chr(int(o.group(), 8) & 0xFF) if o else c, True))
            else:
                self.i += len(digits) - 1
                out.append(f"(?:\\{digits})")
        elif c == "g":
            m = re.match(r"\{(-?\d+)\}|(-?\d+)|\{([A-Za-z_]\w*)\}|<|'", p[self.i :])
            if not m or m.group() in ("<", "'"):
                self.error("\\g subroutine calls")
            assert m is not None
            self.i += m.end()
            if m.group(3):
                out.append(f"(?P={m.group(3)})")
            else:
                n = int(m.group(1) or m.group(2))
                if n < 0:
                    self.error("relative back references")
                out.append(f"(?:\\{n})")
        elif c == "k":
            m = re.match(r"<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'|\{([A-Za-z_]\w*)\}", p[self.i :])
            if not m:
                raise re.error("\\k is not followed by a name", p, self.i)
            self.i += m.end()
            out.append(f"(?P={m.group(1) or m.group(2) or m.group(3)})")
        elif c.isalnum():
            out.append(self.lit(c, in_class))  # PCRE: an unknown letter escape is literal
        else:
            out.append(self.lit(c, in_class))

    @staticmethod
    def lit(ch: str, in_class: bool) -> str:
        if ch.isalnum() or ch == "_":
            return ch
        return "\\x%02x" % ord(ch) if ord(ch) < 256 else re.escape(ch)

    # ---------------------------------------------------------------- classes
    def char_class(self) -> None:
        p = self.p
        self.i += 1
        out = ["["]
        if self.peek() == "^":
            out.append("^")
            self.i += 1
        first = True
        saved = self.out
        while True:
            if self.i >= len(p):
                raise re.error("unterminated character set", p, self.i)
            c = p[self.i]
            if c == "]" and not first:
                self.i += 1
                break
            first = False
            if c == "[":
                m = re.match(r"\[:(\^?)([a-z]+):\]", p[self.i :])
                if m:
                    name = m.group(2)
                    if name not in _POSIX:
                        raise re.error("unknown POSIX class name", p, self.i)
                    if m.group(1):
                        out.append(_complement(_POSIX[name]))
                    else:
                        out.append(_POSIX[name])
                    self.i += m.end()
                    continue
                out.append("\\[")
                self.i += 1
            elif c == "\\":
                self.out = out
                self.escape(in_class=True)
                self.out = saved
            elif c in "&~|":
                out.append("\\" + c)
                self.i += 1
            elif c == "-" and p[self.i + 1 : self.i + 2] == "-":
                out.append("\\-")
                self.i += 1
            else:
                out.append(c)
                self.i += 1
        out.append("]")
        self.out.append("".join(out))


def _complement(ranges: str) -> str:
    """The bytes not in a class body made of ``_POSIX`` items, as ``\\xNN-\\xNN`` ranges."""
    members = {c for c in map(chr, range(256)) if re.fullmatch(f"[{ranges}]", c)}
    out = []
    c = 0
    while c < 256:
        if chr(c) in members:
            c += 1
            continue
        start = c
        while c < 256 and chr(c) not in members:
            c += 1
        out.append("\\x%02x-\\x%02x" % (start, c - 1))
    return "".join(out)


def _translate(pattern: str, cflags: int, notbol: bool = False, noteol: bool = False) -> str:
    return _Translator(pattern, cflags, notbol, noteol).run()


def _py_flags(cflags: int) -> int:
    f = re.ASCII
    if cflags & 1:
        f |= re.IGNORECASE
    if cflags & 2:
        f |= re.MULTILINE
    if cflags & 4:
        f |= re.DOTALL
    return f


def _compile_error(msg: str, pos: int | None, pattern: str) -> Any:
    # PCRE reports the offset where it noticed the error (often just after the item);
    # the common cases are placed as PCRE places them, others at Python's position
    off = (pos or 0) + 1
    if msg.startswith(("missing )", "bad escape (end of pattern)")):
        off = len(pattern) + 1
    elif msg.startswith("bad character range"):
        rng = msg.rsplit(" ", 1)[-1]
        k = pattern.find(rng)
        off = k + len(rng) if k >= 0 else off
    elif msg.startswith("redefinition of group name"):
        m = re.search(r"redefinition of group name '(\w+)'", msg)
        if m:
            hits = [h.end() for h in re.finditer(r"\(\?P?[<']" + m.group(1) + "[>']", pattern)]
            off = hits[1] if len(hits) > 1 else off
    for py, pc in _PCRE_MESSAGES:
        if msg.startswith(py):
            msg = pc
            break
    return lua_error(f"{msg} (pattern offset: {off})")


class Regex(Userdata):
    """A compiled pattern (``pcre_regex_handle``)."""

    _lua_typename = "pcre_regex_handle"
    _lua_methods = ("match", "exec", "gmatch")

    def __init__(self, pattern: str, cflags: int) -> None:
        self.pattern = pattern
        self.cflags = cflags
        self._variants: dict[tuple[bool, bool], re.Pattern[str]] = {}
        self._lock = threading.Lock()
        self.re = self.variant(False, False)

    @classmethod
    def _extra_meta(cls) -> dict[str, Any]:
        return {
            "__tostring": lambda r=None, *_: f"pcre_regex_handle: 0x{id(r):012x}",
            "__gc": lambda *_: (),
        }

    def variant(self, notbol: bool, noteol: bool) -> re.Pattern[str]:
        key = (notbol, noteol)
        rx = self._variants.get(key)
        if rx is None:
            try:
                src = _translate(self.pattern, self.cflags, notbol, noteol)
            except _Unsupported as e:
                lua_error(f"unsupported by this PCRE emulation: {e}")
            except re.error as e:
                _compile_error(str(e.msg), e.pos, self.pattern)
            try:
                rx = re.compile(src, _py_flags(self.cflags))
            except re.error as e:
                # positions refer to the translation; report at the end when unsure
                pos = len(self.pattern) if e.pos is None else min(e.pos, len(self.pattern))
                _compile_error(str(e.msg), pos, self.pattern)
            self._variants[key] = rx  # type: ignore[assignment]
        return rx  # type: ignore[return-value]

    def _run(self, s: Any, init: Any, ef: Any, fname: str) -> re.Match[str] | None:
        # argument numbers count self as #1, as in the C binding
        subj = check_str(s, 2, fname)
        st = 0 if init is None else check_int(init, 3, fname)
        eflags = 0 if ef is None else check_int(ef, 4, fname)
        if eflags & ~_EXEC_OK:
            lua_error(f"unsupported by this PCRE emulation: exec flags {eflags & ~_EXEC_OK}")
        n = len(subj)
        if st > 0:
            st -= 1
        elif st < 0:
            st = max(st + n, 0)
        if st > n:
            return None
        rx = self.variant(bool(eflags & 128), bool(eflags & 256))
        if (eflags | self.cflags) & 16:
            return rx.match(subj, st)
        return rx.search(subj, st)

    def _captures(self, m: re.Match[str]) -> LuaTable:
        t = LuaTable()
        for i in range(1, (self.re.groups or 0) + 1):
            g = m.group(i)
            t[i] = False if g is None else g
        for name, idx in self.re.groupindex.items():
            g = m.group(idx)
            t[name] = False if g is None else g
        return t

    def match(self, s: Any = None, init: Any = None, ef: Any = None, *_: Any) -> Any:
        m = self._run(s, init, ef, "match")
        if m is None:
            return ()
        return m.start() + 1, m.end(), self._captures(m)

    def exec(self, s: Any = None, init: Any = None, ef: Any = None, *_: Any) -> Any:
        m = self._run(s, init, ef, "exec")
        if m is None:
            return ()
        offs = LuaTable()
        k = 1
        for i in range(1, (self.re.groups or 0) + 1):
            a, b = m.span(i)
            offs[k], offs[k + 1] = (False, False) if a < 0 else (a + 1, b)
            k += 2
        return m.start() + 1, m.end(), offs

    def gmatch(
        self, s: Any = None, func: Any = None, n: Any = None, ef: Any = None, *_: Any
    ) -> int:
        subj = check_str(s, 2, "gmatch")
        limit = None if n is None else check_int(n, 4, "gmatch")
        if limit is not None and limit <= 0:
            limit = None
        eflags = 0 if ef is None else check_int(ef, 5, "gmatch")
        count = 0
        pos = 0
        while limit is None or count < limit:
            m = self._run(subj, pos + 1, eflags, "gmatch") if pos < len(subj) + 1 else None
            if m is None:
                break
            count += 1
            r = ops.first(ops.call(func, m.group(), self._captures(m)))
            if ops.truth(r):
                break
            pos = m.end() if m.end() > m.start() else m.end() + 1
        return count


def _check_locale(loc: str) -> None:
    if loc in ("", "C", "POSIX"):
        return
    old = _locale.setlocale(_locale.LC_CTYPE)
    try:
        _locale.setlocale(_locale.LC_CTYPE, loc)
    except _locale.Error:
        lua_error("cannot set locale")
    finally:
        _locale.setlocale(_locale.LC_CTYPE, old)


def new(pattern: Any = None, flags_: Any = None, locale: Any = None, *_: Any) -> Regex:
    """Compile ``pattern`` with PCRE option bits ``flags`` (see :func:`flags`)."""
    p = check_str(pattern, 1, "pcre.new")
    cflags = 0 if flags_ is None else check_int(flags_, 2, "pcre.new")
    if locale is not None:
        _check_locale(check_str(locale, 3, "pcre.new"))
    bad = cflags & ~_COMPILE_OK
    if bad:
        names = [k for k, v in _FLAGS.items() if v & bad and v & ~_COMPILE_OK == v]
        lua_error(f"unsupported by this PCRE emulation: flags {', '.join(names) or bad}")
    return Regex(p, cflags)


def flags(*_: Any) -> LuaTable:
    """PCRE's option names (without ``PCRE_``) and values."""
    return LuaTable.from_dict(_FLAGS)


def version(*_: Any) -> str:
    """The PCRE version nmap 7.93 reports (the emulated one)."""
    return "8.39 2016-06-14"
