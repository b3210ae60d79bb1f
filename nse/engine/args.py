"""``--script-args`` / ``--script-args-file`` parsing, in nmap's syntax exactly.

nmap (nse_main.lua) joins the file's contents (trailing commas stripped) and the command
line value with ``","``, wraps the result in ``{`` ``}`` and matches this LPeg grammar
(``space`` is C ``isspace``; ``hws`` is space but not newline)::

    top      = space* table space*          -- NOT anchored: text after the table is ignored
    table    = "{" space* fieldlst? space* "}"
    fieldlst = field (hws* [\\n,] space* field)*
    field    = kv / av
    kv       = string hws* "=" hws* value    -- t[key] = value (rawset)
    av       = value                         -- table.insert(t, value)
    value    = table / string
    string   = qstring / uqstring
    qstring  = '"' ... '"' / "'" ... "'"     -- backslash escapes only the quote and itself
    uqstring = hws* C((!(hws* [\\n,{}=]) .)*) hws*

PEG choices are ordered and repetitions are greedy without backtracking, which gives a few
quirks that we reproduce on purpose because scripts see them: ``uqstring`` may match the
empty string, so ``a={}`` yields ``a = {""}`` and ``a,,b`` has three entries; keys are
always strings (``1=x`` sets ``t["1"]``).  This module is a hand-written recursive-descent
parser that follows the grammar rule by rule, so each function below is one rule.
"""

from __future__ import annotations

import os
from typing import Any

from nse.lua.luatable import LuaTable

__all__ = ["ScriptArgsError", "parse_script_args", "load_script_args"]

# C isspace() in the "C" locale.
_SPACE = frozenset(" \t\n\v\f\r")
_HWS = _SPACE - {"\n"}
_UQ_STOP = frozenset("\n,{}=")


class ScriptArgsError(ValueError):
    """The arguments did not parse (nmap: ``arguments did not parse!``)."""


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.n = len(text)

    # space* / hws*
    def skip(self, pos: int, chars: frozenset[str]) -> int:
        s, n = self.s, self.n
        while pos < n and s[pos] in chars:
            pos += 1
        return pos

    def table(self, pos: int) -> tuple[LuaTable, int] | None:
        s = self.s
        if pos >= self.n or s[pos] != "{":
            return None
        t = LuaTable()
        p = self.skip(pos + 1, _SPACE)
        # fieldlst?  (a failed optional pattern consumes nothing)
        r = self.field(p, t)
        if r is not None:
            p = r
            while True:
                q = self.skip(p, _HWS)
                if q < self.n and s[q] in "\n,":
                    q = self.skip(q + 1, _SPACE)
                    r = self.field(q, t)
                    if r is not None:
                        p = r
                        continue
                break
        p = self.skip(p, _SPACE)
        if p < self.n and s[p] == "}":
            return t, p + 1
        return None

    def field(self, pos: int, t: LuaTable) -> int | None:
        # kv
        r = self.string(pos)
        if r is not None:
            key, p = r
            p = self.skip(p, _HWS)
            if p < self.n and self.s[p] == "=":
                p = self.skip(p + 1, _HWS)
                v = self.value(p)
                if v is not None:
                    t.rawset(key, v[0])
                    return v[1]
        # av
        v = self.value(pos)
        if v is not None:
            t.append(v[0])  # table.insert(t, v): at #t + 1
            return v[1]
        return None

    def value(self, pos: int) -> tuple[Any, int] | None:
        r = self.table(pos)
        if r is not None:
            return r
        return self.string(pos)

    def string(self, pos: int) -> tuple[str, int] | None:
        r = self.qstring(pos, '"')
        if r is None:
            r = self.qstring(pos, "'")
        if r is None:
            r = self.uqstring(pos)
        return r

    def qstring(self, pos: int, quote: str) -> tuple[str, int] | None:
        # lpeg-utility escaped_quote(quote, "\\"): a backslash before the quote or another
        # backslash is dropped; before any other character it is kept with it.
        s, n = self.s, self.n
        if pos >= n or s[pos] != quote:
            return None
        out: list[str] = []
        p = pos + 1
        while p < n:
            c = s[p]
            if c == quote:
                return "".join(out), p + 1
            if c == "\\":
                if p + 1 < n and s[p + 1] in (quote, "\\"):
                    out.append(s[p + 1])
                    p += 2
                    continue
                if p + 1 < n:
                    out.append(c + s[p + 1])
                    p += 2
                    continue
                return None
            out.append(c)
            p += 1
        return None

    def _uq_stops(self, pos: int) -> bool:
        p = self.skip(pos, _HWS)
        return p < self.n and self.s[p] in _UQ_STOP

    def uqstring(self, pos: int) -> tuple[str, int]:
        p = self.skip(pos, _HWS)
        start = p
        while p < self.n and not self._uq_stops(p):
            p += 1
        text = self.s[start:p]
        return text, self.skip(p, _HWS)


def parse_script_args(text: str) -> LuaTable:
    """Parse the joined ``--script-args`` text (without the surrounding braces).

    Returns the table that becomes ``nmap.registry.args``.  An empty text gives an empty
    table (nmap does not run the parser then).  Raises :class:`ScriptArgsError` when nmap
    would stop with ``arguments did not parse!``.
    """
    if text == "":
        return LuaTable()
    parser = _Parser("{" + text + "}")
    p = parser.skip(0, _SPACE)
    r = parser.table(p)
    if r is None:
        raise ScriptArgsError(f"arguments did not parse! (args = {text})")
    return r[0]


def _strip_trailing_commas(text: str) -> str:
    # nse_main.lua: read "*a" then gsub(",*$", "")
    end = len(text)
    while end > 0 and text[end - 1] == ",":
        end -= 1
    return text[:end]


def load_script_args(args: str | None = None, args_file: str | None = None) -> LuaTable:
    """Combine ``--script-args-file`` (read first) and ``--script-args`` as nmap does."""
    parts: list[str] = []
    if args_file is not None:
        if not os.path.isfile(args_file):
            raise ScriptArgsError(f"{args_file} is not a file")
        with open(args_file, "rb") as fh:
            parts.append(_strip_trailing_commas(fh.read().decode("latin-1")))
    if args is not None:
        parts.append(args)
    return parse_script_args(",".join(parts))
