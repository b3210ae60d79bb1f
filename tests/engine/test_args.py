"""Script-args parsing: compared with nmap's own parser (nse_main.lua) byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from nse.engine.args import ScriptArgsError, load_script_args, parse_script_args
from nse.lua.luatable import LuaTable

from .nmaprun import HAVE_NMAP, run_nmap

# A prerule-only script: nmap runs it without probing anything, it prints the args table.
DUMP_SCRIPT = r'''
description = "print args"
categories = {"safe"}
prerule = function() return true end
local function dump(t, ind)
  local keys = {}
  for k in pairs(t) do keys[#keys+1] = k end
  table.sort(keys, function(a,b) return tostring(a) < tostring(b) end)
  local out = {}
  for _, k in ipairs(keys) do
    local v = t[k]
    if type(v) == "table" then
      out[#out+1] = ind .. type(k)..":"..string.format("%q", k) .. " = {\n" .. dump(v, ind.."  ") .. ind .. "}\n"
    else
      out[#out+1] = ind .. type(k)..":"..string.format("%q", k) .. " = " .. string.format("%q", v) .. "\n"
    end
  end
  return table.concat(out)
end
action = function() io.write("ARGS<<\n" .. dump(nmap.registry.args, "") .. ">>\n") end
'''


def _q(v: object) -> str:
    # string.format("%q") for the values these cases produce (Lua 5.4 §6.4.1: %q escapes
    # '"', '\\', newline as backslash-newline, '\r' as \r, '\0' as \0).
    if isinstance(v, int):
        return str(v)
    s = str(v)
    out = []
    for c in s:
        if c in '"\\':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\0":
            out.append("\\0")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def dump(t: LuaTable, ind: str = "") -> str:
    """The same text as the Lua ``dump`` above, for our parser's table."""
    keys = sorted(t.keys(), key=str)
    out = []
    for k in keys:
        v = t[k]
        kt = "number" if isinstance(k, int) else "string"
        if isinstance(v, LuaTable):
            out.append(f"{ind}{kt}:{_q(k)} = {{\n{dump(v, ind + '  ')}{ind}}}\n")
        else:
            out.append(f"{ind}{kt}:{_q(k)} = {_q(v)}\n")
    return "".join(out)


CASES = [
    "a=1",
    "a=1,b=2",
    "a={}",
    "b= x y ,c=\"q\\\"u\"",
    "d={1,2,{e=f}}",
    "a,,b",
    "1=x,2=y",
    "=v",
    "a=",
    "a=1},b=2",
    "'single quoted'=\"dq,with=stuff{}\"",
    "p=a\\b,q=\"a\\\\b\\c\"",
    "userdb=/tmp/users.txt, passdb = /tmp/pass.txt",
    "http.useragent=Mozilla/5.0 (X11; Linux)",
    "a = {b = {c = {d = deep}}}, x",
    "a=1\nb=2\n c = 3",
    "vhosts={a.example, b.example},  port=80",
    "a b=c d",
    "a\t=\tb\t,",
    "x=1,x=2",
    "k={'q1', \"q2\", bare}",
    "a=b\"c\"d",
    "a={1,2}  ,  b",
]


def test_known_quirks() -> None:
    t = parse_script_args("a={},b= x y ,c=\"q\\\"u\",d={1,2,{e=f}}")
    assert dump(t) == (
        'string:"a" = {\n  number:1 = ""\n}\n'
        'string:"b" = "x y"\n'
        'string:"c" = "q\\"u"\n'
        'string:"d" = {\n  number:1 = "1"\n  number:2 = "2"\n'
        '  number:3 = {\n    string:"e" = "f"\n  }\n}\n'
    )
    # text after the closing brace is ignored, as with nmap's unanchored match
    assert dump(parse_script_args("a=1},b=2")) == 'string:"a" = "1"\n'
    assert parse_script_args("1=x")["1"] == "x"
    assert parse_script_args("1=x")[1] is None


@pytest.mark.parametrize("text", ["a={b}c", "a={", "a={b=1"])
def test_parse_failures(text: str) -> None:
    with pytest.raises(ScriptArgsError, match="arguments did not parse"):
        parse_script_args(text)


def test_args_file_joined_before_cli(tmp_path: Path) -> None:
    f = tmp_path / "args.txt"
    f.write_bytes(b"a=1\nb={x,y},,,")
    t = load_script_args("c=3", str(f))
    assert dump(t) == (
        'string:"a" = "1"\nstring:"b" = {\n  number:1 = "x"\n  number:2 = "y"\n}\n'
        'string:"c" = "3"\n'
    )


@pytest.fixture(scope="module")
def dump_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("nse") / "pargs.nse"
    p.write_text(DUMP_SCRIPT)
    return p


def _nmap_dump(script: Path, text: str) -> str | None:
    out = run_nmap("-sn", "-Pn", "-n", "--script", str(script), "--script-args", text,
                   "127.0.0.1")
    if "arguments did not parse" in out:
        return None
    start = out.index("ARGS<<\n") + len("ARGS<<\n")
    return out[start:out.index(">>\n", start)]


@pytest.mark.nmap
@pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")
@pytest.mark.parametrize("text", CASES + ["a={b}c", "a={", "a=\"unterminated", "a='x\\'y'"])
def test_same_as_nmap(dump_script: Path, text: str) -> None:
    expected = _nmap_dump(dump_script, text)
    try:
        got: str | None = dump(parse_script_args(text))
    except ScriptArgsError:
        got = None
    assert got == expected
