"""nmap's own nmap-service-probes (read at run time from /usr/share/nmap): every line
parses and every regex maps onto Python ``re``; loopback services are named as nmap -sV
names them."""

from __future__ import annotations

import os
import shutil
import warnings

import pytest

from nse.scan.vscan.probes import load_probe_file

NMAP_PROBES = "/usr/share/nmap/nmap-service-probes"

pytestmark = pytest.mark.nmap


@pytest.mark.skipif(not os.path.exists(NMAP_PROBES), reason="no nmap data directory")
def test_whole_nmap_probe_file_parses_and_compiles() -> None:
    db = load_probe_file(NMAP_PROBES)
    matches = db.all_matches()
    assert db.null_probe is not None
    assert len(db.probes) > 100 and len(matches) > 11000
    bad = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a FutureWarning from re would mean a sloppy mapping
        for m in matches:
            if m.compile() is None:
                bad.append(f"line {m.line}: {m._bad}")
    print(f"{len(matches)} match lines, {len(bad)} unmappable")
    assert bad == []
    # spot checks against known lines of the file
    get = db.probe("GetRequest", "tcp")
    assert get is not None and get.payload == b"GET / HTTP/1.0\r\n\r\n" and get.rarity == 1
    r, _ = get.test_with_fallbacks(b"HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n\r\n")
    assert r is not None and r.service == "http" and r.fields.get("product") == "nginx"
    assert r.fields.get("version") == "1.22.1"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("nmap") is None or os.geteuid() != 0,
                    reason="needs nmap and root (nmap -sS/-sU)")
def test_loopback_zoo_agrees_with_nmap() -> None:
    from tools.bench.version.compare import compare_zoo

    c = compare_zoo()
    print(c.report())
    for d in c.differences():
        print("DIFFERENCE", d)
    assert len(c.rows) >= 10
    assert c.agree / len(c.rows) >= 0.95, c.differences()


@pytest.mark.slow
@pytest.mark.root
@pytest.mark.lab
@pytest.mark.skipif(shutil.which("nmap") is None or os.geteuid() != 0
                    or shutil.which("ip") is None, reason="needs nmap, root and ip netns")
def test_real_daemons_agree_with_nmap() -> None:
    """Issue 7 acceptance 1: real Debian daemons (whichever are installed) in a private
    namespace; service name, product and version equal nmap -sV's on >= 95% of ports."""
    import json
    import subprocess
    import sys
    import tempfile

    from tools.bench.version.daemons import ROOT

    out = tempfile.mktemp(suffix=".json")
    r = subprocess.run([sys.executable, "-m", "tools.bench.version.daemons", "--json", out],
                       cwd=ROOT, capture_output=True, text=True, timeout=900)
    print(r.stdout)
    assert r.returncode == 0, r.stderr
    with open(out) as f:
        data = json.load(f)
    rows = data["rows"]
    if len(rows) < 5:
        pytest.skip("fewer than 5 daemons installed")
    for row in rows:
        if not row["same"]:
            print("DIFFERENCE", row["port"], "nmap", row["nmap"], "ours", row["ours"])
    assert sum(1 for row in rows if row["same"]) / len(rows) >= 0.95
