"""Ctrl-C in the middle of a scan: every requested output file is complete, well-formed
and holds the hosts finished so far, marked incomplete."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from output_scenarios import DOCS, DTD, HERE

ROOT = os.path.dirname(os.path.dirname(HERE))


@pytest.fixture()
def port() -> Iterator[int]:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    try:
        yield s.getsockname()[1]
    finally:
        s.close()


def test_sigint_midway_leaves_complete_files(tmp_path: str, port: int) -> None:
    base = os.path.join(tmp_path, "scan")
    p = subprocess.Popen([sys.executable, os.path.join(HERE, "interrupt_driver.py"), base,
                          str(port), "40"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env={**os.environ, "PYTHONPATH": ROOT}, cwd=ROOT)
    try:
        assert p.stdout is not None
        for _ in range(3):  # let three hosts finish, then interrupt
            assert p.stdout.readline().strip() == "host"
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 130, err
    assert "done" not in out


    with open(base + ".xml", encoding="utf-8") as f:
        xml_text = f.read()
    root = ET.fromstring(xml_text)  # well-formed
    written = len(root.findall("host"))
    assert 3 <= written <= 4  # the three seen, and one more if it finished meanwhile
    fin = root.find("runstats/finished")
    assert fin is not None and fin.get("exit") == "error"
    assert fin.get("errormsg") == "interrupted by the user (SIGINT)"
    hosts = root.find("runstats/hosts")
    assert hosts is not None and hosts.get("total") == str(written)
    for port_el in root.iter("port"):
        assert port_el.get("portid") == str(port)
        state = port_el.find("state")
        assert state is not None and state.get("state") == "open"
    if shutil.which("xmllint") and os.path.exists(DTD):
        r = subprocess.run(["xmllint", "--noout", "--dtdvalid", DTD, base + ".xml"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr

    with open(base + ".json", encoding="utf-8") as f:
        doc = json.load(f)  # well-formed
    assert doc["incomplete"] is True and len(doc["hosts"]) == written
    try:
        import jsonschema
    except ImportError:
        pass
    else:
        with open(os.path.join(DOCS, "json-schema.json"), encoding="utf-8") as f:
            jsonschema.validate(doc, json.load(f))

    with open(base + ".gnmap", encoding="utf-8") as f:
        lines = f.read().splitlines()
    assert lines[0].startswith("# nse 0.1.0 scan initiated ")
    assert sum(1 for x in lines if re.fullmatch(rf"Host: 127\.0\.0\.1 \(\)\tPorts: {port}/open/tcp/+", x)) == written
    assert lines[-2] == "# Scan incomplete: interrupted by the user (SIGINT)"
    assert re.fullmatch(rf"# Nmap done at .* -- {written} IP addresses \({written} hosts up\) "
                        r"scanned in \d+\.\d\d seconds", lines[-1])

    with open(base + ".nmap", encoding="utf-8") as f:
        normal = f.read()
    assert normal.count("Nmap scan report for 127.0.0.1") == written
    assert normal.endswith(f"# Scan incomplete: interrupted by the user (SIGINT)\n"
                           f"# Nmap done at {fin.get('timestr')} -- {written} IP addresses "
                           f"({written} hosts up) scanned in {fin.get('elapsed')} seconds\n")
