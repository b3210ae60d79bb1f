"""Script results: the text nmap prints and the structure its XML/JSON writers use.

An ``action`` returns up to two values (nse_main.lua ``Thread:set_output``):

* ``r1, r2`` both given: ``r1`` is the structured value, ``tostring(r2)`` the text;
* a string: text only;
* ``nil``: no output at all;
* anything else (a table, ``stdnse.output_table()``): structured only, and the text is
  made from it by ``format_table``: array items first (``ipairs``), then string keys in
  ``pairs`` order (an output_table's ``__pairs`` gives insertion order) as ``key: value``;
  every item starts on a new line, nested tables indent two more spaces, a table with a
  ``__tostring`` metamethod is printed with it.

Normal output (nmap's output.cc ``formatScriptOutput``) splits the text at ``\\n`` (one
final newline makes no extra line), prefixes every line with ``| `` and the last with
``|_``, the first line carrying ``id: ``, and escapes non-printable bytes (tab aside) as
``\\xHH`` (:func:`escape_normal`).  A table result therefore prints
``| id: `` (trailing space) and its items on the following lines.

XML (``format_xml``): integer keys become ``<elem>``/``<table>`` without ``key``, string
keys with ``key=``, in the same order; :class:`XmlNode` holds that tree so that writers in
``nse/output`` do not need Lua.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from nse.lib._util import lua_tostring
from nse.lua.luatable import LuaTable

__all__ = [
    "XmlNode",
    "ScriptOutput",
    "make_output",
    "format_table",
    "format_script_output",
    "escape_normal",
    "FAILED_TEXT",
    "to_xml_nodes",
    "nodes_to_json",
    "lua_pairs",
    "lua_ipairs",
]


@dataclass
class XmlNode:
    """``<elem key=..>text</elem>`` (``kind="elem"``) or ``<table key=..>...</table>``."""

    kind: str
    key: str | None
    text: str = ""
    children: list[XmlNode] = field(default_factory=list)


@dataclass
class ScriptOutput:
    """One script's result for one phase/host/port."""

    id: str
    text: str  # what normal output shows after "id: " (may hold newlines)
    structured: list[XmlNode] | None = None  # None: the script returned text only
    raw: Any = None  # the Lua value returned as structured output (for Python callers)
    #: "ok"; "error" when the script raised an error (text: nmap's "ERROR: Script
    #: execution failed (use -d to debug)", or "" with -d, where nmap puts the error in
    #: the debug log only); "timed-out" when --script-timeout/--host-timeout ended it
    #: (text "": nmap prints nothing).  Writers that record states (XML/JSON) use it;
    #: normal output prints nothing for an empty text.
    state: str = "ok"

    def __post_init__(self) -> None:
        # nmap prints this text only for a script that failed: an output built with it
        # (by hand, in writers' tests) is an error even when the state was left out
        if self.state == "ok" and self.text == FAILED_TEXT:
            self.state = "error"


#: nse_main.lua's output for a script that raised an error (without -d)
FAILED_TEXT = "ERROR: Script execution failed (use -d to debug)"


# -- Lua-level table access honouring metamethods (Lua 5.4 manual §2.4, §6.1) ------------


def _meta(obj: Any, name: str) -> Any:
    mt = obj.meta if isinstance(obj, LuaTable) else None
    return None if mt is None else mt.rawget(name)


def _first(v: Any) -> Any:
    if type(v) is tuple:
        return v[0] if v else None
    return v


def _index(t: Any, k: Any) -> Any:
    """``t[k]`` with the ``__index`` chain (§2.4 "__index")."""
    for _ in range(100):  # Lua limits the chain too (MAXTAGLOOP)
        v = t.rawget(k)
        if v is not None:
            return v
        h = _meta(t, "__index")
        if h is None:
            return None
        if isinstance(h, LuaTable):
            t = h
            continue
        return _first(h(t, k))
    raise RuntimeError("'__index' chain too long; possible loop")


def lua_ipairs(t: LuaTable) -> Iterator[tuple[int, Any]]:
    """``ipairs(t)``: 1, 2, ... until the first nil, reading through ``__index`` (§6.1)."""
    i = 1
    while True:
        v = _index(t, i)
        if v is None:
            return
        yield i, v
        i += 1


def lua_pairs(t: LuaTable) -> Iterator[tuple[Any, Any]]:
    """``pairs(t)``: the ``__pairs`` metamethod when there is one, else ``next`` (§6.1)."""
    h = _meta(t, "__pairs")
    if h is None:
        yield from list(t.items())
        return
    r = h(t)
    r = r if type(r) is tuple else (r,)
    f, s, ctl = (tuple(r) + (None, None, None))[:3]
    call: Callable[..., Any] = f
    while True:
        res = call(s, ctl)
        res = res if type(res) is tuple else (res,)
        if not res or res[0] is None:
            return
        ctl = res[0]
        yield res[0], (res[1] if len(res) > 1 else None)


def _tostring(v: Any) -> str:
    h = _meta(v, "__tostring")
    if h is not None:
        return str(_first(h(v)))
    return lua_tostring(v)


def format_table(obj: Any, indent: str = "  ") -> str:
    """nse_main.lua ``format_table``: the text of a structured result."""
    if isinstance(obj, LuaTable):
        if _meta(obj, "__tostring") is not None:
            return _tostring(obj)
        parts: list[str] = []
        for _, v in lua_ipairs(obj):
            parts += ["\n", indent, format_table(v, indent + "  ")]
        for k, v in lua_pairs(obj):
            if isinstance(k, str):
                parts += ["\n", indent, k, ": ", format_table(v, indent + "  ")]
        return "".join(parts)
    return _tostring(obj)


def to_xml_nodes(obj: Any) -> list[XmlNode]:
    """nse_main.lua ``format_xml``: the children of ``<script>`` for a structured value."""
    if not isinstance(obj, LuaTable):
        return [XmlNode("text", None, _tostring(obj))]
    nodes: list[XmlNode] = []

    def elem(v: Any, key: str | None) -> XmlNode:
        if isinstance(v, LuaTable):
            return XmlNode("table", key, children=to_xml_nodes(v))
        return XmlNode("elem", key, text=_tostring(v))

    for _, v in lua_ipairs(obj):
        nodes.append(elem(v, None))
    for k, v in lua_pairs(obj):
        if isinstance(k, str):
            nodes.append(elem(v, k))
    return nodes


def nodes_to_json(nodes: list[XmlNode]) -> Any:
    """A JSON-friendly value: keyless children make a list, keyed ones an ordered dict
    (a table mixing both keeps the keyless ones under ``""`` as a list)."""
    if len(nodes) == 1 and nodes[0].kind == "text":
        return nodes[0].text

    def val(n: XmlNode) -> Any:
        return nodes_to_json(n.children) if n.kind == "table" else n.text

    keyless = [val(n) for n in nodes if n.key is None]
    keyed = {n.key: val(n) for n in nodes if n.key is not None}
    if not keyed:
        return keyless
    if keyless:
        return {"": keyless, **keyed}
    return keyed


def make_output(script_id: str, r1: Any = None, r2: Any = None) -> ScriptOutput | None:
    """Turn an action's return values into a :class:`ScriptOutput` (``Thread:set_output``)."""
    if r2 is not None:
        tab, text = r1, _tostring(r2)
    elif isinstance(r1, str):
        tab, text = None, r1
    elif r1 is None:
        return None
    else:
        tab, text = r1, None
    structured = None if tab is None else to_xml_nodes(tab)
    if text is None:
        text = format_table(tab)
    return ScriptOutput(script_id, text, structured, tab)


def format_script_output(out: ScriptOutput) -> str:
    """The ``| id: ...`` / ``|_...`` lines of normal output (no final newline).

    ``""`` when the text is empty: nmap prints no line then (only
    ``Bug in <id>: no string output.`` on stderr) while XML still has the element."""
    text = out.text
    if text == "":
        return ""
    lines = text.split("\n")
    if lines[-1] == "":  # strchr loop: a final "\n" does not start a new line
        lines.pop()
    if not lines:
        lines = [""]
    res = []
    for i, line in enumerate(lines):
        prefix = "| " if i < len(lines) - 1 else "|_"
        if i == 0:
            prefix += out.id + ": "
        res.append(prefix + escape_normal(line))
    return "\n".join(res)


def escape_normal(line: str) -> str:
    """nmap's escaping of one line of script output in normal output: every byte outside
    printable ASCII (0x20-0x7E) except tab becomes ``\\xHH`` (upper-case hex), so a raw
    ``\\r`` prints as ``\\x0D``; backslashes are left alone.  Checked against nmap 7.93
    with a script returning all 256 byte values (tests/engine/test_followups.py).  (XML
    keeps tab, CR and LF as character references instead: nse/output/xml.py.)"""
    if line.isascii() and line.isprintable():
        return line  # the common case, and str.isprintable() is False for "\t"
    out: list[str] = []
    for ch in line:
        b = ord(ch)
        if b > 0xFF:  # a Python string that is not a Lua string: its UTF-8 bytes
            out.extend(f"\\x{x:02X}" for x in ch.encode("utf-8"))
        elif 0x20 <= b <= 0x7E or b == 9:
            out.append(ch)
        else:
            out.append(f"\\x{b:02X}")
    return "".join(out)
