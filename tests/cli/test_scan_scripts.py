"""`nse scan` end to end with scripts: the same screen output as nmap for the same
loopback servers and scripts (pre-scan, port, host and post-scan results), output files
that nmap's DTD accepts, and -oA's three files.

Only 127.0.0.x addresses and ports these tests open are scanned.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NMAP = shutil.which("nmap")
XMLLINT = shutil.which("xmllint")
DTD = "/usr/share/nmap/nmap.dtd"
BANNER = b"SSH-2.0-nse_cli_test_1.0\r\n"

needs_nmap = pytest.mark.skipif(NMAP is None, reason="needs nmap")

#: A script with a rule for every phase, so that the order and layout of every section
#: of normal output can be compared with nmap's.
PHASES_NSE = """\
description = [[Prints something in every phase.]]
categories = {"safe"}
prerule = function() return true end
hostrule = function(host) return true end
portrule = function(host, port) return port.state == "open" end
postrule = function() return true end
action = function(host, port)
  if SCRIPT_TYPE == "prerule" then return "pre one\\npre two" end
  if SCRIPT_TYPE == "postrule" then return "post done" end
  if port then return "port " .. port.number .. "/" .. port.protocol end
  return "host " .. host.ip
end
"""


def nse_scan(args: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``nse scan ARGS`` in a child process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "nse.cli", "scan", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": ROOT})


def nmap(args: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    assert NMAP is not None
    return subprocess.run([NMAP, *args], capture_output=True, text=True, timeout=timeout)


def normalise(text: str) -> list[str]:
    """Screen output without what differs between runs and programs: the start line,
    latencies and the total time."""
    out = []
    for line in text.splitlines():
        if line.startswith(("Starting Nmap ", "Starting nse ")):
            continue
        line = re.sub(r" \(\d+\.\d+s latency\)", " (LAT latency)", line)
        line = re.sub(r"scanned in \d+\.\d+ seconds", "scanned in T seconds", line)
        out.append(line)
    return out


@pytest.fixture(scope="module")
def banner_port() -> Iterator[int]:
    """A loopback server that greets every connection with :data:`BANNER`."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    stop = threading.Event()

    def serve() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                c, _ = srv.accept()
            except (TimeoutError, OSError):
                continue
            try:
                c.sendall(BANNER)
            except OSError:
                pass
            finally:
                c.close()

    th = threading.Thread(target=serve, daemon=True)
    th.start()
    try:
        yield srv.getsockname()[1]
    finally:
        stop.set()
        th.join(5)
        srv.close()


@pytest.fixture(scope="module")
def phases_script(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("scripts") / "phases.nse"
    path.write_text(PHASES_NSE)
    return str(path)


def test_banner_script_output_equals_nmaps(banner_port: int) -> None:
    args = ["-Pn", "-p", str(banner_port), "--script", "banner", "127.0.0.1"]
    ours = nse_scan(args)
    assert ours.returncode == 0, ours.stderr
    assert "|_banner: SSH-2.0-nse_cli_test_1.0" in ours.stdout.splitlines()
    if NMAP is None:
        pytest.skip("nmap is not installed: only our own output was checked")
    theirs = nmap(args)
    assert normalise(ours.stdout) == normalise(theirs.stdout)


@needs_nmap
@pytest.mark.nmap
def test_every_script_phase_prints_where_nmap_prints_it(banner_port: int,
                                                        phases_script: str) -> None:
    # one script only: nmap lists the scripts of one port in the order they finished,
    # ours by id (nse.engine.api), so two scripts could print in either order
    args = ["-Pn", "-p", str(banner_port), "--script", phases_script, "127.0.0.1"]
    ours, theirs = nse_scan(args), nmap(args)
    assert ours.returncode == 0, ours.stderr
    assert normalise(ours.stdout) == normalise(theirs.stdout)
    assert "Host script results:" in ours.stdout and "Post-scan script results:" in \
        ours.stdout


@needs_nmap
@pytest.mark.nmap
def test_script_only_run_without_port_scan(phases_script: str) -> None:
    """-sn --script: host scripts (and pre/post) but no port table, as nmap."""
    args = ["-sn", "--script", phases_script, "127.0.0.1", "127.0.0.2"]
    ours, theirs = nse_scan(args), nmap(args)
    assert ours.returncode == 0, ours.stderr
    assert normalise(ours.stdout) == normalise(theirs.stdout)
    assert "|_phases: host 127.0.0.2" in ours.stdout


def _xmllint(path: str) -> None:
    if XMLLINT is None or not os.path.exists(DTD):
        pytest.skip("needs xmllint and nmap.dtd")
    r = subprocess.run([XMLLINT, "--noout", "--dtdvalid", DTD, path], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_xml_output_is_valid_and_holds_every_script(tmp_path: str, banner_port: int,
                                                   phases_script: str) -> None:
    xml_path = os.path.join(tmp_path, "out.xml")
    r = nse_scan(["-Pn", "-p", str(banner_port), "--script", f"banner,{phases_script}",
                  "-oX", xml_path, "127.0.0.1"])
    assert r.returncode == 0, r.stderr
    _xmllint(xml_path)
    root = ET.parse(xml_path).getroot()
    pre = root.find("prescript/script")
    assert pre is not None and pre.get("output") == "pre one\npre two"
    post = root.find("postscript/script")
    assert post is not None and post.get("output") == "post done"
    port_scripts = {s.get("id"): s.get("output")
                    for s in root.findall("host/ports/port/script")}
    assert port_scripts == {"banner": BANNER.decode().strip(),
                            "phases": f"port {banner_port}/tcp"}
    host_script = root.find("host/hostscript/script")
    assert host_script is not None and host_script.get("output") == "host 127.0.0.1"
    fin = root.find("runstats/finished")
    assert fin is not None and fin.get("exit") == "success"


def test_xml_to_stdout_replaces_the_screen_output(banner_port: int) -> None:
    r = nse_scan(["-Pn", "-p", str(banner_port), "--script", "banner", "-oX", "-",
                  "127.0.0.1"])
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("<?xml ")
    assert "Nmap scan report" not in r.stdout
    root = ET.fromstring(r.stdout)
    assert root.find("host/ports/port/script[@id='banner']") is not None


def test_oA_writes_three_files_with_the_same_hosts(tmp_path: str, banner_port: int) -> None:
    base = os.path.join(tmp_path, "scan")
    r = nse_scan(["-Pn", "-p", str(banner_port), "--script", "banner", "-oA", base,
                  "-oJ", base + ".json", "127.0.0.1"])
    assert r.returncode == 0, r.stderr
    for ext in ("nmap", "xml", "gnmap", "json"):
        assert os.path.getsize(f"{base}.{ext}") > 0, ext
    with open(base + ".nmap", encoding="utf-8") as f:
        normal = f.read()
    # the file holds what the screen showed, between nmap's comment lines
    screen = [x for x in r.stdout.splitlines() if not x.startswith("Starting nse ")]
    body = normal.splitlines()[1:-1]
    assert normalise("\n".join(body)) == normalise("\n".join(screen[:-1]))
    assert normal.startswith("# nse ") and "# Nmap done at " in normal
    _xmllint(base + ".xml")
    with open(base + ".gnmap", encoding="utf-8") as f:
        gnmap = f.read()
    assert f"Ports: {banner_port}/open/tcp//" in gnmap
    with open(base + ".json", encoding="utf-8") as f:
        doc = json.load(f)
    assert doc["incomplete"] is False and len(doc["hosts"]) == 1
    schema_path = os.path.join(ROOT, "docs", "json-schema.json")
    try:
        import jsonschema
    except ImportError:
        return
    with open(schema_path, encoding="utf-8") as f:
        jsonschema.validate(doc, json.load(f))


def test_script_help_and_bad_selection() -> None:
    r = nse_scan(["--script-help", "banner"])
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Starting nse ")
    assert lines[1:4] == ["", "banner", lines[3]] and lines[3].startswith("Categories: ")
    assert "discovery" in lines[3].split()
    r = nse_scan(["-Pn", "-p1", "--script", "no-such-script-xyz", "127.0.0.1"])
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "no-such-script-xyz" in r.stderr


@pytest.fixture()
def openssh_port() -> Iterator[int]:
    """A loopback server greeting like OpenSSH (nmap-service-probes matches it at once)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    stop = threading.Event()

    def serve() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                c, _ = srv.accept()
            except (TimeoutError, OSError):
                continue
            try:
                c.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u1\r\n")
            except OSError:
                pass
            finally:
                c.close()

    th = threading.Thread(target=serve, daemon=True)
    th.start()
    try:
        yield srv.getsockname()[1]
    finally:
        stop.set()
        th.join(5)
        srv.close()


@needs_nmap
@pytest.mark.nmap
def test_version_scan_alone_prints_no_script_results(openssh_port: int) -> None:
    """-sV runs the "version" scripts (nmap's -sV does) but, as nmap, prints no script
    results: only the VERSION column."""
    args = ["-sV", "-Pn", "-p", str(openssh_port), "127.0.0.1"]
    ours, theirs = nse_scan(args), nmap(args)
    assert ours.returncode == 0, ours.stderr
    assert not any(x.startswith("|") for x in ours.stdout.splitlines())
    # nmap's closing "Service detection performed." line included (nse.output.normal)
    assert normalise(ours.stdout) == normalise(theirs.stdout)


@needs_nmap
@pytest.mark.nmap
def test_script_updatedb_writes_nmaps_database(tmp_path: str, phases_script: str) -> None:
    """--script-updatedb with --datadir: the same script.db nmap writes there."""
    scripts = os.path.join(tmp_path, "scripts")
    os.mkdir(scripts)
    shutil.copy(phases_script, scripts)
    shutil.copy(phases_script, os.path.join(scripts, "second.nse"))
    r = nse_scan(["--script-updatedb", "--datadir", str(tmp_path)])
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1:3] == ["NSE: Updating rule database.",
                                          "NSE: Script Database updated successfully."]
    with open(os.path.join(scripts, "script.db"), "rb") as f:
        ours = f.read()
    os.unlink(os.path.join(scripts, "script.db"))
    theirs_run = nmap(["--script-updatedb", "--datadir", str(tmp_path)])
    assert normalise(r.stdout) == normalise(theirs_run.stdout)
    with open(os.path.join(scripts, "script.db"), "rb") as f:
        assert ours == f.read()


@needs_nmap
@pytest.mark.nmap
def test_scripts_without_targets_run_pre_and_post_scan(phases_script: str) -> None:
    """nmap --script X with no target: pre-scan and post-scan scripts, 0 hosts."""
    args = ["--script", phases_script]
    ours, theirs = nse_scan(args), nmap(args)
    assert ours.returncode == 0, ours.stderr
    assert normalise(ours.stdout) == normalise(theirs.stdout)
    assert ours.stderr == theirs.stderr == \
        "WARNING: No targets were specified, so 0 hosts scanned.\n"


def test_stats_every_prints_progress_lines(tmp_path: str, banner_port: int) -> None:
    script = os.path.join(tmp_path, "slow.nse")
    with open(script, "w") as f:
        f.write('local stdnse = require "stdnse"\ncategories = {"safe"}\n'
                "hostrule = function() return true end\n"
                'action = function() stdnse.sleep(0.4) return "ok" end\n')
    r = nse_scan(["-Pn", "-n", "-p", str(banner_port), "--max-hostgroup", "1",
                  "--script", script, "--stats-every", "100ms", "127.0.0.1-3"])
    assert r.returncode == 0, r.stderr
    stats = [x for x in r.stdout.splitlines() if x.startswith("Stats: ")]
    assert stats, r.stdout
    assert all(re.fullmatch(r"Stats: 0:00:\d\d elapsed; [0-3] hosts completed \([0-3] up\)"
                            r"(, 1 undergoing (Connect Scan|Script Scan))?", x)
               for x in stats), stats
    # the 0.4 s scripts are seen running, as nmap's "1 undergoing Script Scan"
    assert any(x.endswith(", 1 undergoing Script Scan") for x in stats), stats


@needs_nmap
@pytest.mark.nmap
def test_failed_script_and_script_timeout_as_nmap(tmp_path: str) -> None:
    """A script raising an error prints nmap's ERROR line; one cut by --script-timeout
    prints nothing."""
    err = os.path.join(tmp_path, "err.nse")
    with open(err, "w") as f:
        f.write('categories = {"safe"}\nhostrule = function() return true end\n'
                'action = function() error("boom") end\n')
    slow = os.path.join(tmp_path, "late.nse")
    with open(slow, "w") as f:
        f.write('local stdnse = require "stdnse"\ncategories = {"safe"}\n'
                "hostrule = function() return true end\n"
                'action = function() stdnse.sleep(5) return "late" end\n')
    args = ["-sn", "--script", f"{err},{slow}", "--script-timeout", "1s", "127.0.0.1"]
    ours, theirs = nse_scan(args), nmap(args)
    assert ours.returncode == 0, ours.stderr
    assert normalise(ours.stdout) == normalise(theirs.stdout)
    assert "|_err: ERROR: Script execution failed (use -d to debug)" in ours.stdout
    assert "late" not in ours.stdout


@needs_nmap
@pytest.mark.nmap
def test_host_timeout_report_as_nmap_and_exit_1() -> None:
    """A host cut short by --host-timeout: nmap's "Skipping host" report; the scan ran
    but failed for that target, so the exit status is 1 (nmap exits 0)."""
    # 50 ms between probes: 201 ports cannot finish within the 300 ms host timeout
    args = ["-Pn", "-p", "40000-40200", "--scan-delay", "50ms", "--host-timeout", "300ms",
            "127.0.0.1"]
    ours, theirs = nse_scan(args), nmap(args)
    assert ours.returncode == 1, ours.stderr
    assert "Skipping host localhost (127.0.0.1) due to host timeout" in ours.stdout.splitlines()
    assert normalise(ours.stdout) == normalise(theirs.stdout)
