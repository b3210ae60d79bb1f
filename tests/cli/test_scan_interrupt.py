"""Ctrl-C (and SIGTERM) in the middle of a multi-host `nse scan` with scripts: the
process ends with 130 (143), and every output file is complete, well-formed and marked
incomplete, holding the hosts finished so far.  Loopback only (127.0.0.1-40)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DTD = "/usr/share/nmap/nmap.dtd"

#: a host script that takes a while, so that the scan is still running when signalled
SLOW_NSE = """\
local stdnse = require "stdnse"
description = [[Sleeps, then names the host.]]
categories = {"safe"}
hostrule = function(host) return true end
action = function(host)
  stdnse.sleep(0.3)
  return "slept " .. host.ip
end
"""


@pytest.fixture()
def port() -> Iterator[int]:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    try:
        yield s.getsockname()[1]
    finally:
        s.close()


def _interrupt(tmp_path: str, port: int, sig: int) -> tuple[int, str, str]:
    script = os.path.join(tmp_path, "slow.nse")
    with open(script, "w") as f:
        f.write(SLOW_NSE)
    base = os.path.join(tmp_path, "scan")
    cmd = [sys.executable, "-m", "nse.cli", "scan", "-Pn", "-n", "--max-hostgroup", "1",
           "-p", str(port), "--script", script, "-oA", base, "-oJ", base + ".json",
           "127.0.0.1-40"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": ROOT})
    try:
        assert p.stdout is not None
        seen = 0
        while seen < 3:  # three host reports on the screen, then the signal
            line = p.stdout.readline()
            assert line, "the scan ended before three hosts were reported"
            seen += line.startswith("Nmap scan report for ")
        p.send_signal(sig)
        _out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    return p.returncode, base, err


def _check_files(base: str, reason: str) -> None:
    with open(base + ".xml", encoding="utf-8") as f:
        root = ET.fromstring(f.read())  # well-formed
    hosts = root.findall("host")
    assert 3 <= len(hosts) < 40
    fin = root.find("runstats/finished")
    assert fin is not None and fin.get("exit") == "error"
    assert fin.get("errormsg") == reason
    for h in hosts:  # every host written is whole: its host script is there
        hs = h.find("hostscript/script[@id='slow']")
        assert hs is not None and hs.get("output", "").startswith("slept 127.0.0.")
    if shutil.which("xmllint") and os.path.exists(DTD):
        r = subprocess.run(["xmllint", "--noout", "--dtdvalid", DTD, base + ".xml"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
    with open(base + ".json", encoding="utf-8") as f:
        doc = json.load(f)
    assert doc["incomplete"] is True and len(doc["hosts"]) == len(hosts)
    with open(base + ".nmap", encoding="utf-8") as f:
        normal = f.read().splitlines()
    assert normal[-2] == f"# Scan incomplete: {reason}"
    assert normal[-1].startswith("# Nmap done at ")
    assert sum(x.startswith("Nmap scan report for ") for x in normal) == len(hosts)
    with open(base + ".gnmap", encoding="utf-8") as f:
        gnmap = f.read().splitlines()
    assert gnmap[-1].startswith("# Nmap done at ")
    assert sum(x.endswith("Status: Up") for x in gnmap) == len(hosts)


def test_sigint_midway_closes_every_file_marked_incomplete(tmp_path: str, port: int) -> None:
    rc, base, err = _interrupt(str(tmp_path), port, signal.SIGINT)
    assert rc == 130, err
    assert "Traceback" not in err
    _check_files(base, "interrupted by the user (SIGINT)")


def test_sigterm_midway_closes_every_file_marked_incomplete(tmp_path: str, port: int) -> None:
    rc, base, err = _interrupt(str(tmp_path), port, signal.SIGTERM)
    assert rc == 143, err
    assert "Traceback" not in err
    _check_files(base, "terminated (SIGTERM)")
