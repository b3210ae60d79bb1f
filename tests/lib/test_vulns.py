"""vulns: a Lua script of ours using vulns.Report / format_vuln prints, under our engine,
exactly what it prints under nmap 7.93 (stdout of the script and the normal output)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nse.lib import vulns
from nse.lua.luatable import LuaTable

NSE = str(Path(sys.executable).with_name("nse"))

# Every vulnerability has at most one reference link: nmap lists links in Lua hash order.
SCRIPT = r"""
local vulns = require "vulns"
description = "vulns probe"
categories = {"safe"}
hostrule = function() return true end
action = function(host)
  local r = vulns.Report:new(SCRIPT_NAME, host)
  local v1 = {
    title = "Test vuln one", state = vulns.STATE.VULN, IDS = {CVE = "CVE-2020-1234"},
    risk_factor = "High", scores = {CVSSv2 = "7.5"}, description = "Line one\nline two",
    dates = {disclosure = {year = 2020, month = 1, day = 2}},
    check_results = {"checked a\r\nchecked b", "c"}, exploit_results = "pwned",
    extra_info = {"x1", "x2"},
  }
  local v2 = {title = "Second", state = vulns.STATE.DoS, references = {"http://example.com/a"}}
  local v3 = {title = "Not", state = vulns.STATE.NOT_VULN, IDS = {BID = 42}}
  local v4 = {title = "Bad", state = 99}
  local v5 = {title = "BadRisk", state = vulns.STATE.VULN, risk_factor = "huge"}
  local v6 = {title = "Likely", state = vulns.STATE.LIKELY_VULN, IDS = {OSVDB = "77"},
              check_results = "one\ntwo"}
  print("ADD", r:add_vulns(v4, v5))
  local t, s = r:make_output(v1, v2, v3, v4, v6)
  print("OUT[" .. s .. "]")
  print("STATE", v2.state, v3.IDS.BID, math.type(v3.IDS.BID), type(v1.description))
  print("FV1[" .. tostring(vulns.format_vuln(v1)) .. "]")
  print("FV3[" .. tostring((vulns.format_vuln(v3))) .. "]")
  print("FV3all[" .. tostring(vulns.format_vuln(v3, true)) .. "]")
  print("LINK", vulns.get_popular_link("cve", "X"), vulns.get_popular_link("FOO", "1"))
  print("REG", vulns.register_popular_id("foo", function(id) return "http://foo/" .. id end),
        vulns.register_popular_id(1))
  print("LINK2", vulns.get_popular_link("Foo", "1"))
  local r2 = vulns.Report:new(SCRIPT_NAME, host)
  print("EMPTY", select("#", vulns.format_vuln(v3)), r2:make_output())
  local keys = {}
  for k, v in pairs(t) do keys[#keys+1] = k .. "=" .. v.state .. "=" .. v.title end
  table.sort(keys)
  print("T", table.concat(keys, ","))
  return s
end
"""


def _run(cmd: list[str], script: Path, args: str | None) -> str:
    extra = ["--script-args", args] if args else []
    p = subprocess.run(
        [*cmd, "-sn", "-Pn", "-n", "--script", str(script), *extra, "127.0.0.1"],
        capture_output=True,
        timeout=120,
    )
    lines = p.stdout.decode("latin-1").split("\n")
    # drop the banner and the timing line, which name the program and the time
    return "\n".join(ln for ln in lines if not ln.startswith(("Starting ", "Nmap done")))


@pytest.mark.nmap
@pytest.mark.skipif(shutil.which("nmap") is None, reason="needs the nmap binary")
@pytest.mark.parametrize("args", [None, "vulns.showall", "vulns.short"])
def test_report_output_equals_nmap(tmp_path: Path, args: str | None) -> None:
    script = tmp_path / "vprobe.nse"
    script.write_text(SCRIPT)
    want = _run(["nmap"], script, args)
    assert "VULNERABLE" in want and "Host script results" in want
    assert _run([NSE, "scan"], script, args) == want


REGISTRY_SCRIPT = r"""
local vulns = require "vulns"
local nmap = require "nmap"
description = "vulns registry probe"
categories = {"safe"}
prerule = function() return true end
hostrule = function() return true end
postrule = function() return true end
action = function(host)
  if SCRIPT_TYPE == "prerule" then
    nmap.registry.fid_all = vulns.save_reports()
    nmap.registry.fid_cve = vulns.save_reports(function(v) return v.IDS.CVE ~= nil end)
    vulns.add_ids(nmap.registry.fid_all, "cve")
    return
  elseif SCRIPT_TYPE == "hostrule" then
    local r = vulns.Report:new(SCRIPT_NAME, host, {number = 80, protocol = "tcp", service = "http"})
    r:add_vulns({title = "Web hole", state = vulns.STATE.VULN, IDS = {CVE = "CVE-2021-1"},
                 risk_factor = "Medium", description = "bad"})
    r:add_vulns({title = "Web hole again", state = vulns.STATE.EXPLOIT, IDS = {CVE = "CVE-2021-1"},
                 exploit_results = "done"})
    r:add_vulns({title = "Other", state = vulns.STATE.LIKELY_VULN, IDS = {OSVDB = "9"}})
    r:add_vulns({title = "Fine", state = vulns.STATE.NOT_VULN, IDS = {BID = "5"}})
    vulns.add(SCRIPT_NAME, {title = "Net fine", state = vulns.STATE.NOT_VULN})
    print("ADD", vulns.add(SCRIPT_NAME, {title = "Net wide", state = vulns.STATE.VULN}))
    print("ADDNONE", vulns.add(nil, {title = "x", state = 4}))
    return
  end
  local fa, fc = nmap.registry.fid_all, nmap.registry.fid_cve
  print("LOOKUP", vulns.lookup_id(fa, "CVE", "CVE-2021-1"), vulns.lookup_id(fc, "osvdb", "9"),
        vulns.lookup_id(fa, "OSVDB", "9"))
  local found = vulns.find(fa)
  print("FIND", #found)
  local byid = vulns.find_by_id(fa, "cve", "CVE-2021-1")
  print("BYID", #byid, byid[1].title, byid[1].state, byid[1].scripts and #byid[1].scripts)
  print("FILT", #(vulns.find(fa, {state = vulns.STATE.LIKELY_VULN}) or {}),
        vulns.find(fc, {risk_factor = "low"}))
  print("OUTC[" .. tostring(vulns.make_output(fc)) .. "]")
  return vulns.make_output(fa)
end
"""


@pytest.mark.nmap
@pytest.mark.skipif(shutil.which("nmap") is None, reason="needs the nmap binary")
@pytest.mark.parametrize("args", [None, "vulns.showall"])
def test_registry_database_equals_nmap(tmp_path: Path, args: str | None) -> None:
    # save_reports in the prerule, Report:add_vulns/add per host, find/make_output after
    script = tmp_path / "vreg.nse"
    script.write_text(REGISTRY_SCRIPT)
    want = _run(["nmap"], script, args)
    assert "Vulnerability report for 127.0.0.1" in want and "Post-scan" in want
    assert _run([NSE, "scan"], script, args) == want


def _vuln(**fields: object) -> LuaTable:
    return LuaTable.from_dict(dict(fields))


def test_format_vuln_python_api() -> None:
    v = _vuln(title="T", state=vulns.STATE["EXPLOIT"], IDS=LuaTable.from_dict({"CVE": "C-1"}))
    r = vulns.Report["new"](vulns.Report, "s", LuaTable.from_dict({"ip": "10.0.0.1"}))
    assert vulns.Report["add_vulns"](r, v, _vuln(title="x", state=3)) == (True, 1)
    # EXPLOIT alone becomes EXPLOIT|VULN
    assert v["state"] == 0x14
    assert vulns.format_vuln(v) == (
        "Target:  (10.0.0.1)\nT\n  State: VULNERABLE (Exploitable)\n  IDs:  CVE:C-1\n"
        "  References:\n    https://cve.mitre.org/cgi-bin/cvename.cgi?name=C-1"
    )
    assert vulns.format_vuln(_vuln(title="n", state=2)) == ()


def _sorted_refs(text: str) -> str:
    """Sort the link lines under each "References:" (nmap prints them in Lua's seeded
    hash order); the last line's "|_" marker is moved to the end of the block."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        if lines[i].strip("|_ ") == "References:":
            j = i + 1
            while j < len(lines) and lines[j][2:].startswith("    "):
                j += 1
            links = sorted(ln[2:] for ln in lines[i + 1 : j])
            out += ["| " + ln for ln in links]
            if j == len(lines) and out[-1].startswith("| "):
                out[-1] = "|_" + out[-1][2:]
            i = j
            continue
        i += 1
    return "\n".join(out)


@pytest.mark.nmap
@pytest.mark.skipif(shutil.which("nmap") is None, reason="needs the nmap binary")
def test_nmap_http_vuln_script_equals_nmap() -> None:
    # nmap's own http-vuln-cve2015-1635 (Report:make_output with a VULN entry)
    from nse.testing import tcp_server

    body = b"<h1>Requested Range Not Satisfiable</h1>"
    resp = (
        b"HTTP/1.1 416 Requested Range Not Satisfiable\r\nServer: Microsoft-IIS/8.5\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    with tcp_server(respond=lambda data: resp) as port:
        cmd = ["-n", "-Pn", "-p", str(port), "--script", "+http-vuln-cve2015-1635", "127.0.0.1"]

        def run(prog: list[str]) -> str:
            p = subprocess.run([*prog, *cmd], capture_output=True, timeout=120)
            lines = p.stdout.decode("latin-1").split("\n")
            return _sorted_refs("\n".join(ln for ln in lines if ln.startswith("|")))

        want = run(["nmap"])
        assert "State: VULNERABLE" in want and "CVE:CVE-2015-1635" in want
        assert run([NSE, "scan"]) == want
