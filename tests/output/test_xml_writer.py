"""-oX: valid against nmap.dtd, nmap's escaping, script states, read by python-libnmap."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from output_scenarios import DTD, SCENARIOS, write_scenario

from nse.engine.output import ScriptOutput, XmlNode
from nse.output.writers import OutputSpec
from nse.output.xml import escape, format_script

needs_dtd = pytest.mark.skipif(not (shutil.which("xmllint") and os.path.exists(DTD)),
                               reason="needs xmllint and nmap's nmap.dtd")

pytestmark = pytest.mark.usefixtures("own_services")


def _xml(tmp_path: str, name: str, **kw: object) -> str:
    path = os.path.join(tmp_path, f"{name}.xml")
    write_scenario(SCENARIOS[name](), OutputSpec(xml=path), **kw)  # type: ignore[arg-type]
    return path


def _dtd_errors(path: str) -> str:
    r = subprocess.run(["xmllint", "--noout", "--dtdvalid", DTD, path],
                       capture_output=True, text=True, timeout=60)
    return r.stderr if r.returncode else ""


@pytest.mark.nmap
@needs_dtd
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_valid_against_nmap_dtd(tmp_path: str, name: str) -> None:
    assert _dtd_errors(_xml(str(tmp_path), name)) == ""


@pytest.mark.nmap
@needs_dtd
def test_interrupted_document_is_valid(tmp_path: str) -> None:
    path = _xml(str(tmp_path), "full", incomplete="interrupted by the user (SIGINT)", upto=2)
    assert _dtd_errors(path) == ""
    root = ET.parse(path).getroot()
    assert len(root.findall("host")) == 2
    fin = root.find("runstats/finished")
    assert fin is not None and fin.get("exit") == "error"
    assert fin.get("errormsg") == "interrupted by the user (SIGINT)"


@pytest.mark.nmap
@needs_dtd
def test_dtd_check_can_fail(tmp_path: str) -> None:
    """An extra attribute on <script> (what nmap issue 2798 proposed) is invalid: the
    reason the state is a processing instruction."""
    path = _xml(str(tmp_path), "full")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace('<script id="broken"', '<script state="error" id="broken"'))
    assert "state" in _dtd_errors(path)


def test_escape_like_nmap() -> None:
    # nmap 7.93: -- never appears (comment safety), tab/LF/CR as character references
    assert escape("nmap --script a---b") == "nmap -&#45;script a-&#45;&#45;b"
    assert escape("<&\"'>\t\n\r") == "&lt;&amp;&quot;&apos;&gt;&#x9;&#xa;&#xd;"
    assert escape("a\x01b\x7f") == "a\\x01b\\x7F"


def test_script_states_are_processing_instructions(tmp_path: str) -> None:
    path = _xml(str(tmp_path), "full")
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_pis=True))
    root = ET.parse(path, parser).getroot()
    states = {}
    for script in root.iter("script"):
        pis = [c for c in script if c.tag is ET.ProcessingInstruction]
        assert len(pis) == 1 and pis[0].text is not None
        target, _, rest = pis[0].text.partition(" ")
        assert target == "nse-script"
        states[script.get("id")] = rest
    assert states == {"pre-one": 'state="ok"', "http-title": 'state="ok"',
                      "weird": 'state="ok"', "broken": 'state="error"',
                      "host-info": 'state="ok"', "slow": 'state="timed-out"',
                      "post-one": 'state="ok"'}
    # a plain parser (what tools use) does not see them: script content is unchanged
    plain = ET.parse(path).getroot()
    title = next(s for s in plain.iter("script") if s.get("id") == "http-title")
    assert title.text is None and [e.tag for e in title] == ["elem"]


def test_format_script_tree() -> None:
    out = ScriptOutput("t", "x", [XmlNode("table", None, children=[XmlNode("elem", "k", "v")]),
                                  XmlNode("elem", None, "w")])
    assert format_script(out) == ('<script id="t" output="x"><?nse-script state="ok"?>'
                                  '<table>\n<elem key="k">v</elem>\n</table>\n'
                                  "<elem>w</elem>\n</script>")


def test_python_libnmap_reads_it(tmp_path: str) -> None:
    parser = pytest.importorskip("libnmap.parser")
    report = parser.NmapParser.parse_fromfile(_xml(str(tmp_path), "full"))
    assert (report.hosts_total, report.hosts_up, report.hosts_down) == (3, 2, 1)
    first = report.hosts[0]
    assert first.address == "127.0.0.1" and first.is_up()
    assert first.hostnames == ["localhost", "localhost"]
    svc = {(s.port, s.protocol): s for s in first.services}
    assert sorted(svc) == [(45001, "tcp"), (45003, "tcp"), (45005, "tcp")]
    http = svc[(45003, "tcp")]
    assert (http.state, http.reason, http.service) == ("open", "syn-ack", "http")
    assert http.service_dict["product"] == "SimpleHTTPServer"
    assert http.cpelist[0].cpestring == "cpe:/a:python:simplehttpserver:0.6"
    scripts = {s["id"]: s for s in http.scripts_results}
    assert scripts["http-title"]["elements"] == {"title": "Directory listing for /"}
    assert svc[(45005, "tcp")].tunnel == "ssl"
    assert [s["id"] for s in first.scripts_results] == ["host-info", "slow"]
    assert report.hosts[2].status == "down"
