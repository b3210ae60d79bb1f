"""Lua scripts (.nse, converted on the fly) through the engine, compared with nmap
running the very same scripts (prerule and hostrule scripts: nmap -sn -Pn -n 127.0.0.1
probes no port)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from nse.engine.api import EngineOptions, run_scripts
from nse.engine.datadir import DataDirs
from nse.engine.output import format_script_output
from nse.testing import fake_host

from .nmaprun import HAVE_NMAP, NMAP_DATA, run_nmap

pytest.importorskip("nse.lua.baselib")

DATA = Path(__file__).parent / "data" / "lua"
SCRIPTS = sorted(DATA.glob("*.nse"))
ARGS = "l_table.k=v,flag"


def _ours(debugging: int = 0, **kw: object) -> tuple[dict[str, str], str]:
    log: list[str] = []
    dd = DataDirs([str(NMAP_DATA)]) if HAVE_NMAP else DataDirs([])
    r = run_scripts(",".join(map(str, SCRIPTS)), [fake_host("127.0.0.1")], args=ARGS,
                    options=EngineOptions(datadirs=dd, debugging=debugging, log=log.append,
                                          **kw))  # type: ignore[arg-type]
    outs = r.pre + r.hosts["127.0.0.1"].host
    return {o.id: format_script_output(o) for o in outs}, "".join(log)


def _blocks(section: str) -> dict[str, str]:
    # a block starts at "| id: " or "|_id: " for one of our script ids only (script
    # text may hold lines that look like that, e.g. "| udp connect: true")
    ids = "|".join(re.escape(p.stem) for p in SCRIPTS)
    parts = re.split(rf"\n(?=\|[ _](?:{ids}): )", section.strip("\n"))
    return {re.match(r"\|[ _]([\w.-]+): ", p).group(1): p  # type: ignore[union-attr]
            for p in parts if p}


def test_lua_outputs() -> None:
    ours, _ = _ours()
    assert ours["l_globals"] == "|_l_globals: counter=1 before=nil type=hostrule name=l_globals"
    assert ours["l_workers"] == "|_l_workers: 1,2,3,4 dead,dead,dead,dead"
    assert ours["l_strict"] == "|_l_strict: ERROR: Script execution failed (use -d to debug)"
    assert "l_try" not in ours


@pytest.mark.nmap
@pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")
def test_same_output_as_nmap() -> None:
    out = run_nmap("-sn", "-Pn", "-n", "--script", ",".join(map(str, SCRIPTS)),
                   "--script-args", ARGS, "127.0.0.1")
    pre = out[out.index("Pre-scan script results:\n") + 25:out.index("Nmap scan report")]
    host = out[out.index("Host script results:\n") + 21:out.index("Nmap done")]
    want = {**_blocks(pre), **_blocks(host)}
    ours, _ = _ours()
    assert ours == want


@pytest.mark.nmap
@pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")
def test_error_messages_as_nmap() -> None:
    # with -d both print "<script> threw an error!" and the same Lua error message
    out = run_nmap("-d", "-sn", "-Pn", "-n", "--script",
                   ",".join(str(DATA / f"{n}.nse") for n in ("l_error", "l_strict", "l_try")),
                   "127.0.0.1")
    _, log = _ours(debugging=1)
    for name in ("l_error", "l_strict"):
        want = re.search(rf"NSE: {name} threw an error!\n(.*)\n", out).group(1)  # type: ignore[union-attr]
        assert f"NSE: {name} threw an error!\n{want}\nstack traceback:\n\t{DATA}/{name}.nse:" \
            in log
    assert "NSE: Finished l_try. Reason: went wrong\n\n" in out
    assert "NSE: Finished l_try. Reason: went wrong\n\n" in log


def test_timeout_inside_coroutine_and_stuck_script(tmp_path: Path) -> None:
    (tmp_path / "slow.nse").write_text(textwrap.dedent("""
        local stdnse = require "stdnse"
        description = "sleeps in a coroutine past the timeout"
        categories = {"safe"}
        prerule = function() return true end
        action = function()
          local co = coroutine.create(function() stdnse.sleep(30) return "late" end)
          local ok, v = coroutine.resume(co)
          return "resumed " .. tostring(v)
        end
    """))
    (tmp_path / "quick.nse").write_text(textwrap.dedent("""
        local stdnse = require "stdnse"
        description = "quick"
        categories = {"safe"}
        prerule = function() return true end
        action = function() stdnse.sleep(0.1) return "done" end
    """))
    r = run_scripts(f"{tmp_path}/", [], options=EngineOptions(
        datadirs=DataDirs([str(NMAP_DATA)]) if HAVE_NMAP else DataDirs([]),
        script_timeout=0.5))
    assert {o.id: (o.text, o.state) for o in r.pre} == {
        "quick": ("done", "ok"), "slow": ("", "timed-out")}


def test_converted_python_twin_runs_like_the_lua_script(tmp_path: Path) -> None:
    # scripts_py/ holds `nse convert` output: a module with chunk(_ENV); it runs as Lua
    from transpiler import to_python_source

    src = (DATA / "l_table.nse").read_bytes().decode("latin-1")
    twin = tmp_path / "l_table.py"
    twin.write_text(to_python_source(src, "l_table.nse"))
    dd = DataDirs([str(NMAP_DATA)]) if HAVE_NMAP else DataDirs([])
    a = run_scripts(str(DATA / "l_table.nse"), [], args=ARGS, options=EngineOptions(datadirs=dd))
    b = run_scripts(str(twin), [], args=ARGS, options=EngineOptions(datadirs=dd))
    assert [o.text for o in b.pre] == [o.text for o in a.pre]
    assert b.scripts[0].kind == "lua"


def test_missing_module_error_says_where_it_looked(tmp_path: Path) -> None:
    from nse.engine.api import EngineError

    p = tmp_path / "needs.nse"
    p.write_text('local m = require "nosuchmod"\ndescription = "x"\ncategories = {"safe"}\n'
                 "prerule = function() return true end\naction = function() end\n")
    dd = DataDirs([str(NMAP_DATA)]) if HAVE_NMAP else DataDirs([])
    with pytest.raises(EngineError) as ei:
        run_scripts(str(p), [], options=EngineOptions(datadirs=dd))
    msg = str(ei.value)
    assert f"Failed to load {p}:\n" in msg
    assert "module 'nosuchmod' not found:" in msg
    assert "no field package.preload['nosuchmod']" in msg
    assert "no Python module 'nse.lib.nosuchmod'" in msg
    assert "NSE failed to find nselib/nosuchmod.lua in search paths" in msg
