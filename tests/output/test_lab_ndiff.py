"""Issue 5 acceptance 1 on the scanner's lab: for the same -sS scan of the lab /24, our -oX is
valid against nmap.dtd, python-libnmap reads it, and ndiff between it and nmap's own XML shows no
difference in hosts, ports, states or services."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from tools.lab.lab import Lab, default_hosts, have_root  # noqa: E402

NMAP = shutil.which("nmap")
NDIFF = shutil.which("ndiff")
XMLLINT = shutil.which("xmllint")
DTD = "/usr/share/nmap/nmap.dtd"

pytestmark = [
    pytest.mark.root,
    pytest.mark.lab,
    pytest.mark.nmap,
    pytest.mark.skipif(not have_root(), reason="needs root, ip and nft"),
    pytest.mark.skipif(not (NMAP and NDIFF and XMLLINT and os.path.exists(DTD)),
                       reason="needs nmap, ndiff, xmllint and nmap.dtd"),
]


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    with Lab(default_hosts(8), tag="x") as lab:
        yield lab


def test_lab_syn_scan_xml_equals_nmaps(lab: Lab, tmp_path: str) -> None:
    ours, theirs = os.path.join(tmp_path, "ours.xml"), os.path.join(tmp_path, "nmap.xml")
    args = ["-sS", "-p1-2000", "-n", "10.213.0.0/24"]
    r = lab.run_in_scanner([sys.executable, "-m", "nse.cli", "scan", *args, "-oX", ours],
                           timeout=240, env={**os.environ, "PYTHONPATH": ROOT})
    assert r.returncode == 0, r.stderr
    r = lab.run_in_scanner([NMAP, *args, "-oX", theirs], timeout=240)  # type: ignore[list-item]
    assert r.returncode == 0, r.stderr

    v = subprocess.run([XMLLINT, "--noout", "--dtdvalid", DTD, ours], capture_output=True,
                       text=True, timeout=60)
    assert v.returncode == 0, v.stderr

    d = subprocess.run([NDIFF, theirs, ours], capture_output=True, text=True, timeout=60)
    # ndiff exits 0 when the scans are the same, 1 when they differ; its text names what
    # differs (hosts, ports, states, services). Only the header lines may differ.
    assert d.returncode == 0, d.stdout + d.stderr

    parser = pytest.importorskip("libnmap.parser")
    report = parser.NmapParser.parse_fromfile(ours)
    theirs_report = parser.NmapParser.parse_fromfile(theirs)
    ours_up = {h.address: sorted((p, s) for p, s in h.get_open_ports()) for h in report.hosts
               if h.is_up()}
    theirs_up = {h.address: sorted((p, s) for p, s in h.get_open_ports())
                 for h in theirs_report.hosts if h.is_up()}
    assert ours_up == theirs_up
