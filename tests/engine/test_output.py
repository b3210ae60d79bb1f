"""Script output formatting, compared with what nmap prints for the same return values."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nse.engine.output import (
    ScriptOutput,
    XmlNode,
    format_script_output,
    make_output,
    nodes_to_json,
)
from nse.lua.luatable import LuaTable

from .nmaprun import HAVE_NMAP, run_nmap

L = LuaTable.from_list


def D(**kw: object) -> LuaTable:
    return LuaTable.from_dict(kw)


def tostring_table() -> LuaTable:
    t = LuaTable()
    t.meta = D(__tostring=lambda self: "TS")
    return t


def with_keys(items: list, **kw: object) -> LuaTable:
    t = L(items)
    for k, v in kw.items():
        t[k] = v
    return t


# (Lua expression returned by the action, the same value built in Python)
CASES: list[tuple[str, tuple]] = [
    ('"plain"', ("plain",)),
    ('"two\\nlines\\n"', ("two\nlines\n",)),
    ('"a\\n\\nb"', ("a\n\nb",)),
    ('"\\n"', ("\n",)),
    ('{"a", {"b", "c", {"d"}}}', (L(["a", L(["b", "c", L(["d"])])]),)),
    ('{"v1", sub = {x = "y"}}', (with_keys(["v1"], sub=D(x="y")),)),
    ('{n = 3}', (D(n=3),)),
    ('{f = 1.5}', (D(f=1.5),)),
    ('{t = true}', (D(t=True),)),
    ('{1, 2.0, false}', (L([1, 2.0, False]),)),
    ('{ts = setmetatable({}, {__tostring = function() return "TS" end})}',
     (D(ts=tostring_table()),)),
    ('{"x"}, "text wins"', (L(["x"]), "text wins")),
    ('{k = {}}', (D(k=LuaTable()),)),
    ('{}', (LuaTable(),)),
    ('nil', (None,)),
    ('{{}, {"deep", {"er"}}}', (L([LuaTable(), L(["deep", L(["er"])])]),)),
]


def test_formatting_examples() -> None:
    out = make_output("s", L(["a", L(["b"])]))
    assert out is not None
    assert format_script_output(out) == "| s: \n|   a\n|   \n|_    b"
    assert format_script_output(make_output("s", "x\n")) == "|_s: x"  # type: ignore[arg-type]
    assert make_output("s", None) is None
    assert format_script_output(ScriptOutput("s", "")) == ""
    t = with_keys(["a"], k=L(["b"]))
    out = make_output("s", t)
    assert out is not None and out.structured is not None
    assert nodes_to_json(out.structured) == {"": ["a"], "k": ["b"]}
    assert out.structured == [XmlNode("elem", None, "a"),
                              XmlNode("table", "k", children=[XmlNode("elem", None, "b")])]


def _xml_to_nodes(el: ET.Element) -> list[XmlNode]:
    nodes = []
    for c in el:
        if c.tag == "elem":
            nodes.append(XmlNode("elem", c.get("key"), c.text or ""))
        else:
            nodes.append(XmlNode("table", c.get("key"), children=_xml_to_nodes(c)))
    return nodes


@pytest.mark.nmap
@pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")
def test_same_as_nmap(tmp_path: Path) -> None:
    scripts = []
    for i, (lua, _) in enumerate(CASES):
        p = tmp_path / f"out{i:02d}.nse"
        p.write_text('description = "d"\ncategories = {"safe"}\n'
                     'prerule = function() return true end\n'
                     f"action = function() return {lua} end\n")
        scripts.append(str(p))
    xml_path = tmp_path / "o.xml"
    text = run_nmap("-sn", "-Pn", "-n", "--script", ",".join(scripts), "-oX", str(xml_path),
                    "127.0.0.1")
    block = text[text.index("Pre-scan script results:\n") + 25:text.index("Nmap scan report")]
    # nmap prints the scripts in id order
    got_blocks = re.split(r"\n(?=\|[ _]out\d\d: )", block.rstrip("\n"))
    got = {re.match(r"\|[ _](out\d\d): ", b).group(1): b for b in got_blocks}  # type: ignore[union-attr]
    xml = {s.get("id"): s for s in ET.parse(xml_path).getroot().iter("script")}
    for i, (_, values) in enumerate(CASES):
        sid = f"out{i:02d}"
        out = make_output(sid, *values)
        if out is None:
            assert sid not in got and sid not in xml
            continue
        if out.text == "":
            # nmap prints no line (and "Bug in sid: no string output." on stderr)
            assert sid not in got and format_script_output(out) == ""
        else:
            assert format_script_output(out) == got[sid]
        assert xml[sid].get("output") == out.text
        if out.structured is not None:
            assert _xml_to_nodes(xml[sid]) == out.structured
        else:
            assert len(xml[sid]) == 0
