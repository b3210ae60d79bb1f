"""Acceptance 2: ``nse scan -sC`` with NMAPDIR pointing to an empty folder gives useful
output for the services of the lab (fake services on their usual ports, in a private
network namespace made with ``unshare -n``; see lab_default.py)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

pytestmark = [pytest.mark.root, pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None, reason="needs root and unshare")]

#: the scripts -sC must run for each service (from scripts_py/, nmap absent)
EXPECTED = {
    "21/tcp": {"ftp-anon", "ftp-syst", "ftp-auth-tls"},
    "22/tcp": {"ssh-hostkey"},
    "25/tcp": {"smtp-commands"},
    "79/tcp": {"finger"},
    "80/tcp": {"http-title", "http-robots.txt"},
    "110/tcp": {"pop3-capabilities"},
    "143/tcp": {"imap-capabilities"},
    "443/tcp": {"ssl-cert", "ssl-date", "tls-alpn"},
    "3306/tcp": {"mysql-info", "mysql-ssl"},
    "5900/tcp": {"vnc-info"},
    "6379/tcp": {"redis-noauth"},
    "53/udp": {"dns-nsid", "dns-recursion"},
    "123/udp": {"ntp-info"},
    "161/udp": {"snmp-sysdescr"},
}


def _scripts_per_port(out: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    port = None
    for line in out.splitlines():
        m = re.match(r"^(\d+/(?:tcp|udp))\s+open", line)
        if m:
            port = m.group(1)
            found[port] = set()
        elif port and (m := re.match(r"^\|[ _]([\w.-]+): ", line)):
            found[port].add(m.group(1))
        elif not line.startswith("|"):
            port = None if not m else port
    return found


@pytest.fixture(scope="module")
def lab_output() -> str:
    proc = subprocess.run(["unshare", "-n", sys.executable, str(HERE / "lab_default.py")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_default_scripts_without_nmap_data(lab_output: str) -> None:
    found = _scripts_per_port(lab_output)
    missing = {p: sorted(want - found.get(p, set())) for p, want in EXPECTED.items()
               if want - found.get(p, set())}
    assert missing == {}, (missing, lab_output)


def test_each_script_prints_its_own_text(lab_output: str) -> None:
    assert "| vnc-info: \n|   Protocol version: 3.8" in lab_output, lab_output
