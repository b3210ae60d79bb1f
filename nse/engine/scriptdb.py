"""The script database ``script.db`` in nmap's format.

nmap writes one line per script, sorted by path, categories sorted and lower-cased::

    Entry { filename = "banner.nse", categories = { "discovery", "safe", } }

and reads the file back by running it as Lua with an ``Entry`` function.  We read the
same file with a small tokenizer that accepts any Lua table-constructor spelling of those
lines (either quote, ``;`` or ``,`` separators, comments), which covers files written by
nmap, by us, or by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DbEntry", "ScriptDbError", "read_script_db", "parse_script_db", "format_script_db",
           "write_script_db"]


class ScriptDbError(ValueError):
    """The database is corrupt (nmap: ``script database appears corrupt``)."""


@dataclass(frozen=True)
class DbEntry:
    """One ``Entry { filename = ..., categories = {...} }``."""

    filename: str
    categories: tuple[str, ...] = field(default=())


_TOKEN = re.compile(
    r"""\s+|--\[(=*)\[.*?\]\1\]|--[^\n]*|(?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[{}=,;()])""",
    re.DOTALL,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
            "\\": "\\", '"': '"', "'": "'", "\n": "\n"}


def _unquote(tok: str) -> str:
    body = tok[1:-1]
    return re.sub(r"\\(\d{1,3}|.)", lambda m: chr(int(m.group(1))) if m.group(1).isdigit()
                  else _ESCAPES.get(m.group(1), m.group(1)), body, flags=re.DOTALL)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ScriptDbError(f"script database appears corrupt near {text[pos:pos + 30]!r}")
        pos = m.end()
        if m.group("str") is not None:
            out.append(("str", _unquote(m.group("str"))))
        elif m.group("name") is not None:
            out.append(("name", m.group("name")))
        elif m.group("punct") is not None:
            out.append(("punct", m.group("punct")))
    return out


def parse_script_db(text: str) -> list[DbEntry]:
    """Parse the text of a script.db; entries in file order."""
    toks = _tokens(text)
    i = 0
    entries: list[DbEntry] = []

    def expect(kind: str, value: str | None = None) -> str:
        nonlocal i
        if i >= len(toks) or toks[i][0] != kind or (value is not None and toks[i][1] != value):
            got = toks[i][1] if i < len(toks) else "end of file"
            raise ScriptDbError(f"script database appears corrupt: expected {value or kind}, "
                                f"got {got!r}")
        i += 1
        return toks[i - 1][1]

    def at(kind: str, value: str) -> bool:
        return i < len(toks) and toks[i] == (kind, value)

    while i < len(toks):
        expect("name", "Entry")
        paren = at("punct", "(")
        if paren:
            i += 1
        expect("punct", "{")
        filename: str | None = None
        categories: list[str] | None = None
        while not at("punct", "}"):
            key = expect("name")
            expect("punct", "=")
            if key == "filename":
                filename = expect("str")
            elif key == "categories":
                expect("punct", "{")
                categories = []
                while not at("punct", "}"):
                    categories.append(expect("str"))
                    if at("punct", ",") or at("punct", ";"):
                        i += 1
                expect("punct", "}")
            else:
                raise ScriptDbError(f"script database appears corrupt: unknown field {key!r}")
            if at("punct", ",") or at("punct", ";"):
                i += 1
        expect("punct", "}")
        if paren:
            expect("punct", ")")
        if filename is None or categories is None:
            raise ScriptDbError("script database appears corrupt, try `nse script updatedb`")
        entries.append(DbEntry(filename, tuple(categories)))
    return entries


def read_script_db(path: str | Path) -> list[DbEntry]:
    """Read a script.db file (latin-1, one byte per character as everywhere in nse)."""
    return parse_script_db(Path(path).read_bytes().decode("latin-1"))


def _lua_quote(s: str) -> str:
    # nmap writes the names raw between double quotes; escape only what would break the
    # Lua string so a strange filename cannot corrupt the file.
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def format_script_db(entries: Iterable[DbEntry]) -> str:
    """nmap's --script-updatedb output: sorted by filename, categories sorted, lower-cased."""
    lines = []
    for e in sorted(entries, key=lambda e: e.filename.encode("latin-1")):
        cats = "".join(f' "{_lua_quote(c.lower())}",' for c in sorted(e.categories))
        lines.append(f'Entry {{ filename = "{_lua_quote(e.filename)}", categories = {{{cats} }} }}\n')
    return "".join(lines)


def write_script_db(path: str | Path, entries: Iterable[DbEntry]) -> None:
    """Write ``format_script_db(entries)`` to ``path``."""
    Path(path).write_bytes(format_script_db(entries).encode("latin-1"))
