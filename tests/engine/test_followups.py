"""Engine fixes found while other parts were built on it, each compared with nmap 7.93
where the point is nmap's behaviour: forcing with ``+``, escaping of script output,
error/time-out states, unsupported socket methods, SNI after STARTTLS, result order."""

from __future__ import annotations

import re
import socket
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from nse.engine.api import EngineOptions, run_scripts
from nse.engine.datadir import DataDirs
from nse.engine.output import format_script_output
from nse.testing import fake_host, fake_port

from .nmaprun import HAVE_NMAP, run_nmap

NMAP = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")


def opts(**kw: object) -> EngineOptions:
    return EngineOptions(datadirs=DataDirs([]), **kw)  # type: ignore[arg-type]


@pytest.fixture()
def ports() -> Iterator[tuple[int, int]]:
    """(an open loopback port, a closed one)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    tmp = socket.socket()
    tmp.bind(("127.0.0.1", 0))
    closed = tmp.getsockname()[1]
    tmp.close()
    try:
        yield srv.getsockname()[1], closed
    finally:
        srv.close()


def _script_lines(nmap_out: str) -> list[str]:
    return [ln for ln in nmap_out.splitlines() if ln.startswith("|")]


# -- 1. "+" overrides a rule's answer only in the phases the script has a rule for ------

FORCED_PORTRULE = """
local nmap = require "nmap"
local stdnse = require "stdnse"
description = "portrule only, false; a worker signals a condvar"
categories = {"safe"}
portrule = function(host, port) return false end
action = function(host, port)
  local state = {done = false}
  local cv = nmap.condvar(state)
  stdnse.new_thread(function() state.done = true; cv "signal" end)
  while not state.done do cv "wait" end
  return "ran " .. host.ip .. ":" .. port.number
end
"""


def test_forced_portrule_script_runs_on_open_ports_only(
        tmp_path: Path, ports: tuple[int, int]) -> None:
    p = tmp_path / "fprt.nse"
    p.write_text(FORCED_PORTRULE)
    open_, closed = ports
    host = fake_host("127.0.0.1", [fake_port(open_), fake_port(closed, state="closed")])
    r = run_scripts("+" + str(p), [host], options=opts())
    assert r.pre == [] and r.post == []
    hs = r.hosts["127.0.0.1"]
    assert hs.host == []
    assert {k: [format_script_output(o) for o in v] for k, v in hs.ports.items()} == {
        ("tcp", open_): [f"|_fprt: ran 127.0.0.1:{open_}"]}


@pytest.mark.nmap
@NMAP
def test_forced_portrule_script_as_nmap(tmp_path: Path, ports: tuple[int, int]) -> None:
    p = tmp_path / "fprt.nse"
    p.write_text(FORCED_PORTRULE)
    open_, closed = ports
    out = run_nmap("-Pn", "-n", "-p", f"{open_},{closed}", "--script", "+" + str(p),
                   "127.0.0.1")
    assert "Pre-scan script results" not in out and "Post-scan" not in out
    assert "Host script results" not in out
    assert _script_lines(out) == [f"|_fprt: ran 127.0.0.1:{open_}"]


# -- 2./6. escaping of script output (normal and XML), non-table structured results -----

OUTPUT_SCRIPTS = {
    "allbytes": """
        description = "every byte value but LF on one line, CR LF at the end"
        categories = {"safe"}
        prerule = function() return true end
        action = function()
          local s = {}
          for i = 0, 255 do if i ~= 10 then s[#s + 1] = string.char(i) end end
          return "A" .. table.concat(s) .. "Z\\nline2\\r\\n"
        end
    """,
    "number": """
        description = "a structured result that is not a table"
        categories = {"safe"}
        prerule = function() return true end
        action = function() return 42 end
    """,
    "ctable": """
        local stdnse = require "stdnse"
        description = "control bytes in keys and values"
        categories = {"safe"}
        prerule = function() return true end
        action = function()
          local t = stdnse.output_table()
          t.k = "a\\rb\\1\\tc"
          t["k\\2"] = {"x\\255", true}
          return t
        end
    """,
}


def _write_output_scripts(d: Path) -> str:
    for name, body in OUTPUT_SCRIPTS.items():
        (d / f"{name}.nse").write_text(textwrap.dedent(body), encoding="latin-1")
    return ",".join(str(d / f"{n}.nse") for n in OUTPUT_SCRIPTS)


def _our_outputs(d: Path) -> dict[str, object]:
    r = run_scripts(_write_output_scripts(d), [], options=opts())
    return {o.id: o for o in r.pre}


def test_normal_output_escapes_nonprintables(tmp_path: Path) -> None:
    outs = _our_outputs(tmp_path)
    text = format_script_output(outs["allbytes"])  # type: ignore[arg-type]
    first, second = text.split("\n")
    assert second == "|_line2\\x0D"
    assert first.startswith("| allbytes: A\\x00\\x01")
    assert "\\x08\t\\x0B\\x0C\\x0D\\x0E" in first and "}~\\x7F\\x80" in first
    assert first.endswith("\\xFE\\xFFZ") and " !\"#" in first
    assert format_script_output(outs["ctable"]) == (  # type: ignore[arg-type]
        "| ctable: \n|   k: a\\x0Db\\x01\tc\n|   k\\x02: \n|     x\\xFF\n|_    true")


def test_xml_writes_text_of_a_non_table_result(tmp_path: Path) -> None:
    from nse.output.xml import format_script

    outs = _our_outputs(tmp_path)
    xml = re.sub(r"<\?nse-script [^?]*\?>", "", format_script(outs["number"]))
    assert xml == '<script id="number" output="42">42</script>'


def _nmap_xml_scripts(xml: str) -> dict[str, str]:
    return {m.group(1): m.group(0) for m in re.finditer(
        r'<script id="(\w+)" output="[^"]*"(?:/>|>.*?</script>)', xml, re.S)}


@pytest.mark.nmap
@NMAP
def test_output_escaping_and_xml_as_nmap(tmp_path: Path) -> None:
    from nse.output.xml import format_script

    sel = _write_output_scripts(tmp_path)
    xml_path = tmp_path / "n.xml"
    out = run_nmap("-sn", "-Pn", "-n", "--script", sel, "-oX", str(xml_path), "127.0.0.1")
    pre = out[out.index("Pre-scan script results:\n") + 25:out.index("Nmap scan report")]
    ids = "|".join(OUTPUT_SCRIPTS)
    blocks = re.split(rf"\n(?=\|[ _](?:{ids}): )", pre.strip("\n"))
    want_normal = {re.match(r"\|[ _](\w+): ", b).group(1): b  # type: ignore[union-attr]
                   for b in blocks}
    want_xml = _nmap_xml_scripts(xml_path.read_bytes().decode("latin-1"))
    ours = _our_outputs(tmp_path)
    assert {k: format_script_output(o) for k, o in ours.items()} == want_normal  # type: ignore[arg-type]
    got_xml = {}
    for k, o in ours.items():
        x = re.sub(r"<\?nse-script [^?]*\?>", "", format_script(o))
        got_xml[k] = re.sub(r"></script>$", "/>", x)  # nmap: empty element self-closed
    assert got_xml == want_xml
