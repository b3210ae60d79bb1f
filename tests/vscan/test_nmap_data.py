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

    # TCP servers that hard-match: UDP probes on ephemeral ports and soft-matched
    # services wait out one timeout per probe in both scanners (the real-daemon test
    # covers those on their usual ports; the benchmark runs the whole zoo)
    c = compare_zoo(daemons=False, udp_too=False,
                    names=["http-nginx", "http-apache", "https-nginx", "ssh", "ftp-vsftpd",
                           "smtp-postfix", "redis", "mysql-mariadb", "vnc", "tcpwrapped"])
    print(c.report())
    for d in c.differences():
        print("DIFFERENCE", d)
    assert len(c.rows) == 10
    assert c.agree / len(c.rows) >= 0.95, c.differences()

