"""Translate the PCRE regular expressions of nmap-service-probes into Python ``re`` (bytes).

nmap compiles each ``m/.../`` with libpcre in its default (non-UTF, C locale) mode and runs it
on raw response bytes.  We compile the translated pattern as a **bytes** pattern: in bytes
mode Python's ``\\w``, ``\\d``, ``\\s``, ``\\b`` and case folding are ASCII-only, which is
what PCRE's default character tables give.  One pattern character is one byte (the file is
read as latin-1), so ``\\xff`` in a pattern matches the byte 0xFF.

What is rewritten, and why (PCRE 8.x man page ``pcrepattern``, Python ``re`` docs):

- ``\\xh`` / ``\\xhh`` / ``\\x{hhh}``: PCRE takes 0-2 hex digits (or braces); Python wants
  exactly two.  Values above 0xFF cannot occur in non-UTF mode: counted as unmappable.
- ``\\0``, ``\\0oo`` and ``\\ooo`` octal escapes; ``\\N`` backreferences (PCRE reads ``\\12``
  as a backreference only when that many groups exist, otherwise as octal).
- ``\\z`` -> ``\\Z`` (absolute end); PCRE ``\\Z`` (end or before a final newline) ->
  ``(?=\\n?\\Z)``; ``\\G`` at the start of a search -> ``\\A``.
- ``\\h``/``\\H`` (horizontal space), ``\\v``/``\\V`` (vertical space: PCRE's ``\\v`` is
  *not* the vertical-tab character), ``\\R`` (any newline sequence), ``\\N`` (not newline),
  ``\\e`` (escape), ``\\cX`` (control-X), ``\\Q...\\E`` (quoted literal).
- An unknown ``\\<letter>`` is the letter itself in PCRE (without PCRE_EXTRA); Python
  rejects it, so it becomes the literal letter.
- Character classes are rebuilt item by item with every byte written as ``\\xHH``: this
  maps POSIX classes (``[:alpha:]``, ``[:^digit:]``), PCRE's literal ``-`` after a class
  shorthand (``[\\w-.]``), a leading ``]``, and avoids Python's nested-set warnings.
- ``(?<name>...)`` / ``(?'name'...)`` -> ``(?P<name>...)``; ``\\k<name>``, ``\\k{name}``,
  ``\\g{n}``, ``\\g{-n}`` -> Python backreferences.
- Possessive quantifiers (``*+``) and atomic groups (``(?>...)``) are kept: Python 3.11
  implements both.  ``{,n}`` is a literal in PCRE but a quantifier in Python: escaped.
- Inline option settings in the middle of a pattern (``(?i)``): Python 3.11 only accepts
  them at the start, so they become scoped groups ``(?i:...)`` that are closed and
  reopened at each ``|`` of the enclosing group, which keeps PCRE's reach (to the end of
  the enclosing group, across its alternatives).  ``(?U)`` (ungreedy) swaps greediness of
  the quantifiers that follow.

Anything else (recursion, ``\\K``, ``\\p{..}``, conditionals, branch reset) raises
:class:`PcreError`; the caller counts those patterns as unmappable.
"""

from __future__ import annotations

import re

from nse.lib._pcre_syntax import QuantifierSyntax

__all__ = ["PcreError", "translate", "compile_pcre"]


class PcreError(ValueError):
    """A PCRE construct we cannot express with Python's ``re``."""


_POSIX: dict[str, set[int]] = {}


def _rng(a: int, b: int) -> set[int]:
    return set(range(a, b + 1))


def _init_posix() -> None:
    up, lo, dg = _rng(65, 90), _rng(97, 122), _rng(48, 57)
    _POSIX.update({
        "alpha": up | lo, "upper": up, "lower": lo, "digit": dg, "alnum": up | lo | dg,
        "xdigit": dg | _rng(65, 70) | _rng(97, 102), "space": {9, 10, 11, 12, 13, 32},
        "blank": {9, 32}, "cntrl": _rng(0, 31) | {127}, "print": _rng(32, 126),
        "graph": _rng(33, 126), "word": up | lo | dg | {95}, "ascii": _rng(0, 127),
        "punct": _rng(33, 47) | _rng(58, 64) | _rng(91, 96) | _rng(123, 126),
    })


_init_posix()

_HSPACE = {9, 32, 0xA0}
_VSPACE = {10, 11, 12, 13, 0x85}
_SHORT = {"d": _POSIX["digit"], "w": _POSIX["word"], "s": _POSIX["space"],
          "h": _HSPACE, "v": _VSPACE}
_SIMPLE_ESC = {"a": 7, "e": 27, "f": 12, "n": 10, "r": 13, "t": 9}
_HEX = "0123456789abcdefABCDEF"
_OCT = "01234567"


def _byte(v: int) -> str:
    return f"\\x{v:02x}"


def _set_text(values: set[int], negate: bool = False) -> str:
    """A Python class for a set of byte values (ranges compressed)."""
    vals = sorted(values)
    parts: list[str] = []
    i = 0
    while i < len(vals):
        j = i
        while j + 1 < len(vals) and vals[j + 1] == vals[j] + 1:
            j += 1
        parts.append(_byte(vals[i]) if i == j else f"{_byte(vals[i])}-{_byte(vals[j])}")
        i = j + 1
    if not parts:
        return "[^\\x00-\\xff]" if not negate else "[\\x00-\\xff]"
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


class _Translator(QuantifierSyntax):
    # quantifiers are read by nse.lib._pcre_syntax.QuantifierSyntax (shared with nse.lib.pcre)

    def __init__(self, pat: str) -> None:
        self.p = pat
        self.i = 0
        self.out: list[str] = []
        self.ngroups = _count_groups(pat)
        # One entry per open group: how many scoped-flag groups we opened inside it, and
        # the flag text to reopen after a '|'.
        self.stack: list[list[str]] = [[]]
        self.ungreedy = False

    def error(self, msg: str) -> PcreError:
        return PcreError(f"{msg} at offset {self.i}")

    def run(self) -> str:
        p = self.p
        n = len(p)
        while self.i < n:
            c = p[self.i]
            if c == "\\":
                self.escape()
            elif c == "[":
                self.char_class()
            elif c == "(":
                self.group()
            elif c == ")":
                self.close_scoped()
                if len(self.stack) > 1:
                    self.stack.pop()
                self.out.append(")")
                self.i += 1
            elif c == "|":
                scoped = self.stack[-1]
                self.out.append(")" * len(scoped) + "|" + "".join(f"(?{f}:" for f in scoped))
                self.i += 1
            elif c == "{":
                self.brace()
            elif c in "*+?":
                self.out.append(c)
                self.i += 1
                self.quantifier_suffix()
            else:
                self.out.append(re.escape(c) if c in "#&~ \t\n\r\x0b\x0c" else c)
                self.i += 1
        self.close_scoped()
        return "".join(self.out)

    def close_scoped(self) -> None:
        scoped = self.stack[-1]
        self.out.append(")" * len(scoped))
        scoped.clear()

    # -- escapes -------------------------------------------------------------------------
    def read_escape(self, in_class: bool) -> tuple[str, object]:
        """Parse one escape at self.i (a backslash).  Returns (kind, value):
        ("byte", int), ("set", set[int]), ("neg", set[int]) or ("raw", python_text)."""
        p = self.p
        self.i += 1
        if self.i >= len(p):
            raise self.error("\\ at end of pattern")
        c = p[self.i]
        self.i += 1
        if c == "x":
            if self.i < len(p) and p[self.i] == "{":
                j = p.find("}", self.i)
                if j < 0:
                    raise self.error("unterminated \\x{")
                v = int(p[self.i + 1:j] or "0", 16)
                self.i = j + 1
            else:
                j = self.i
                while j < len(p) and j < self.i + 2 and p[j] in _HEX:
                    j += 1
                v = int(p[self.i:j] or "0", 16)
                self.i = j
            if v > 0xFF:
                raise self.error("character value above 0xff in non-UTF mode")
            return "byte", v
        if c == "0":
            j = self.i
            while j < len(p) and j < self.i + 2 and p[j] in _OCT:
                j += 1
            v = int("0" + p[self.i:j], 8)
            self.i = j
            return "byte", v
        if c.isdigit():
            j = self.i
            while j < len(p) and p[j].isdigit():
                j += 1
            num = int(p[self.i - 1:j])
            if not in_class and (num < 10 or num <= self.ngroups):
                self.i = j
                return "raw", f"(?:\\{num})"
            # octal: up to three octal digits
            j = self.i - 1
            k = j
            while k < len(p) and k < j + 3 and p[k] in _OCT:
                k += 1
            if k == j:  # \8 or \9: literal digit
                return "byte", ord(c)
            self.i = k
            return "byte", int(p[j:k], 8) & 0xFF
        if c in _SIMPLE_ESC:
            return "byte", _SIMPLE_ESC[c]
        if c == "b" and in_class:
            return "byte", 8
        if c == "c":
            if self.i >= len(p):
                raise self.error("\\c at end of pattern")
            v = ord(p[self.i].upper()) ^ 0x40
            self.i += 1
            return "byte", v
        if c.lower() in _SHORT:
            s = _SHORT[c.lower()]
            return ("neg" if c.isupper() else "set"), s
        if c == "N" and not in_class:
            return "neg", {10}
        if in_class:
            if c.isalnum():
                if c in "ABGZzQEKRXCkgpPo":
                    raise self.error(f"\\{c} in a character class")
                return "byte", ord(c)
            return "byte", ord(c)
        if c in "AbB":
            return "raw", "\\" + c
        if c == "z":
            return "raw", "\\Z"
        if c == "Z":
            return "raw", "(?=\\n?\\Z)"
        if c == "G":
            return "raw", "\\A"
        if c == "R":
            return "raw", "(?:\\r\\n|[\\n\\x0b\\x0c\\r\\x85])"
        if c == "Q":
            j = p.find("\\E", self.i)
            lit = p[self.i:] if j < 0 else p[self.i:j]
            self.i = len(p) if j < 0 else j + 2
            return "raw", "".join(_byte(ord(ch)) for ch in lit)
        if c == "E":
            return "raw", ""
        if c == "k":
            m = re.compile(r"<(\w+)>|'(\w+)'|\{(\w+)\}").match(p, self.i)
            if m is None:
                raise self.error("bad \\k")
            self.i = m.end()
            return "raw", f"(?P={m.group(1) or m.group(2) or m.group(3)})"
        if c == "g":
            m = re.compile(r"\{(-?\d+)\}|(-?\d+)|\{(\w+)\}").match(p, self.i)
            if m is None:
                raise self.error("bad \\g")
            self.i = m.end()
            if m.group(3):
                return "raw", f"(?P={m.group(3)})"
            num = int(m.group(1) or m.group(2))
            if num < 0:
                num = _count_groups(p[:self.i]) + 1 + num
            return "raw", f"(?:\\{num})"
        if c in "KpPXCo":
            raise self.error(f"\\{c} is not supported")
        if c.isalnum():  # unknown letter escape: the letter itself
            return "byte", ord(c)
        return "byte", ord(c)

    def escape(self) -> None:
        kind, val = self.read_escape(False)
        if kind == "byte":
            assert isinstance(val, int)
            self.out.append(_byte(val))
        elif kind == "raw":
            assert isinstance(val, str)
            self.out.append(val)
        else:
            assert isinstance(val, set)
            self.out.append(_set_text(val, kind == "neg"))

    # -- classes -------------------------------------------------------------------------
    def char_class(self) -> None:
        p = self.p
        self.i += 1
        negate = False
        if self.i < len(p) and p[self.i] == "^":
            negate = True
            self.i += 1
        values: set[int] = set()
        first = True
        prev: int | None = None  # last single byte, for ranges
        while True:
            if self.i >= len(p):
                raise self.error("missing ]")
            c = p[self.i]
            if c == "]" and not first:
                self.i += 1
                break
            first = False
            if c == "[" and p.startswith("[:", self.i):
                m = re.compile(r"\[:(\^?)([a-z]+):\]").match(p, self.i)
                if m and m.group(2) in _POSIX:
                    s = _POSIX[m.group(2)]
                    values |= (set(range(256)) - s) if m.group(1) else s
                    self.i = m.end()
                    prev = None
                    continue
            if c == "-" and prev is not None and self.i + 1 < len(p) and p[self.i + 1] != "]":
                # a range prev-hi, unless hi is a shorthand class (then '-' is literal)
                save = self.i
                self.i += 1
                hi_kind, hi = self._class_atom()
                if hi_kind == "byte":
                    assert isinstance(hi, int)
                    if hi < prev:
                        raise self.error("range out of order in character class")
                    values |= _rng(prev, hi)
                    prev = None
                    continue
                self.i = save + 1
                values.add(ord("-"))
                prev = None
                continue
            kind, val = self._class_atom()
            if kind == "byte":
                assert isinstance(val, int)
                values.add(val)
                prev = val
            else:
                assert isinstance(val, set)
                values |= (set(range(256)) - val) if kind == "neg" else val
                prev = None
        self.out.append(_set_text(values, negate))

    def _class_atom(self) -> tuple[str, object]:
        c = self.p[self.i]
        if c == "\\":
            kind, val = self.read_escape(True)
            if kind == "raw":
                raise self.error("unsupported escape in class")
            return kind, val
        self.i += 1
        return "byte", ord(c)

    # -- groups --------------------------------------------------------------------------
    def group(self) -> None:
        p = self.p
        if not p.startswith("(?", self.i) and not p.startswith("(*", self.i):
            self.out.append("(")
            self.i += 1
            self.stack.append([])
            return
        if p.startswith("(*", self.i):
            raise self.error("PCRE verbs are not supported")
        rest = p[self.i + 2:]
        if rest.startswith("#"):
            j = p.find(")", self.i)
            if j < 0:
                raise self.error("unterminated comment")
            self.i = j + 1
            return
        for opener in (":", "=", "!", "<=", "<!", ">"):
            if rest.startswith(opener):
                self.out.append("(?" + opener)
                self.i += 2 + len(opener)
                self.stack.append([])
                return
        m = re.compile(r"\(\?(?:P?<(\w+)>|'(\w+)')").match(p, self.i)
        if m:
            self.out.append(f"(?P<{m.group(1) or m.group(2)}>")
            self.i = m.end()
            self.stack.append([])
            return
        if rest.startswith("P="):
            j = p.find(")", self.i)
            self.out.append(p[self.i:j + 1])
            self.i = j + 1
            return
        m = re.compile(r"\(\?([imsxUJ]*)(?:-([imsxUJ]*))?([:)])").match(p, self.i)
        if m is None:
            raise self.error("unsupported group syntax")
        on, off, end = m.group(1), m.group(2) or "", m.group(3)
        if "J" in on + off:
            raise self.error("(?J) is not supported")
        if "U" in on or "U" in off:
            if end == ":":
                raise self.error("scoped (?U:) is not supported")
            self.ungreedy = "U" in on
            on, off = on.replace("U", ""), off.replace("U", "")
        flags = on + (f"-{off}" if off else "")
        self.i = m.end()
        if end == ":":
            self.out.append(f"(?{flags}:" if flags else "(?:")
            self.stack.append([])
            return
        if not flags:
            return
        if not self.out and len(self.stack) == 1 and not off:
            self.out.append(f"(?{flags})")  # global flags at the very start are fine
            return
        self.out.append(f"(?{flags}:")
        self.stack[-1].append(flags)


def _count_groups(p: str) -> int:
    """Capturing groups in a PCRE pattern (for telling backreferences from octal)."""
    n = 0
    i = 0
    in_class = False
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if p.startswith("[]", i) or p.startswith("[^]", i):
                i += 2 if p[i + 1] == "]" else 3
                continue
        elif c == "(":
            if not p.startswith("(?", i) or re.match(r"\(\?(P?<\w|')", p[i:]):
                n += 1
        i += 1
    return n


def translate(pattern: str) -> str:
    """The Python ``re`` text (compile it as bytes after latin-1 encoding) for a PCRE
    pattern given as latin-1 text.  Raises :class:`PcreError`."""
    return _Translator(pattern).run()


def compile_pcre(pattern: str, flags: str = "") -> re.Pattern[bytes]:
    """Compile a PCRE pattern (latin-1 text) with nmap's ``i``/``s`` options to a bytes
    regex.  Raises :class:`PcreError` for anything untranslatable or rejected by ``re``."""
    py = translate(pattern)
    f = 0
    if "i" in flags:
        f |= re.IGNORECASE
    if "s" in flags:
        f |= re.DOTALL
    try:
        return re.compile(py.encode("latin-1"), f)
    except (re.error, OverflowError, RecursionError) as e:
        raise PcreError(f"Python re rejects the translation: {e}") from None
