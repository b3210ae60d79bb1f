"""Issue 6 acc. 2 and issue 7 acc. 2, against real daemons, with no nmap data at all.

Every ``nse scan`` here runs from the daemon lab's client namespace (tools/lab/daemons.py)
inside a private mount namespace where ``/usr/share/nmap`` is covered by an empty
read-only tmpfs, with ``NMAPDIR`` pointing to an empty folder, ``HOME`` to another one
(no ``~/.nmap``) and the current directory empty.  The wrapper lists ``/usr/share/nmap``
inside that namespace and the test asserts it saw 0 entries, so a pass cannot come from
nmap's scripts, nselib, services table or probe file.

Runs (started together, each its own process; the UDP ports are scanned one per process
because a default-script scan of an unknown UDP port waits for shortport.ssl's two TLS
probes, about 14 s, exactly as nmap 7.93 does):

* ``-sC`` on every TCP port of the lab, and on 53/udp and 161/udp: per port, at least one
  of our scripts prints what that daemon really says.
* ``-sV`` on every port: service names and products from ``nse/data/nse-service-probes``.
* ``--script banner,redis-info,memcached-info`` on telnet, redis and memcached: nmap's
  default category has no script for telnet or memcached (nor has ours: same categories
  as nmap), so ``-sC`` prints no script output there, in nmap as in nse; these scripts of
  ours show those daemons are covered too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from tools.lab.daemons import daemon_lab_fixture  # noqa: E402

pytestmark = [pytest.mark.root, pytest.mark.lab, pytest.mark.skipif(
    shutil.which("unshare") is None, reason="needs unshare (util-linux)")]

SERVICES = ["ftp", "ssh", "telnet", "smtp", "http", "https", "http-alt", "pop3", "pop3s",
            "imap", "imaps", "mysql", "redis", "memcached", "dns", "snmp"]
UDP = {"dns", "snmp"}
EXTRA = ["telnet", "redis", "memcached"]

daemon_lab = daemon_lab_fixture(SERVICES)

# Hide nmap's installed data, prove it is hidden, then run the command.  Mounting needs
# a mount point: without nmap installed there is nothing to hide (and nothing to find).
WRAPPER = r"""
if [ -d /usr/share/nmap ]; then
  mount -t tmpfs -o ro,size=4k,mode=0755 nse-nodata /usr/share/nmap || exit 97
fi
n=$(ls -A /usr/share/nmap 2>/dev/null | wc -l)
echo "nodata-check: /usr/share/nmap holds $n entries" >&2
exec "$@"
"""

#: per service: (script, regex its output must match) -- what the daemon really says
SC_EXPECT: dict[str, list[tuple[str, str]]] = {
    "ftp": [("ftp-anon", r"Anonymous FTP login allowed \(FTP code 230\)"),
            ("ftp-syst", r"vsFTPd 3\.\d")],
    "ssh": [("ssh-hostkey", r"\n\|[ _] +\d+ [0-9a-f]{32} \((?:ECDSA|ED25519|RSA)\)")],
    "smtp": [("smtp-commands", r"lab\.test Hello .*STARTTLS"),
             ("ssl-cert", r"Subject: commonName=lab\.test")],
    "http": [("http-title", r"http-title: nse lab"),
             ("http-robots.txt", r"1 disallowed entry")],
    "https": [("http-title", r"http-title: nse lab"),
              ("ssl-cert", r"Subject: commonName=lab\.test"),
              ("tls-alpn", r"http/1\.1")],
    "http-alt": [("http-title", r"http-title: nse lab")],
    "pop3": [("pop3-capabilities", r"pop3-capabilities: .*\bUIDL\b.*\bSTLS\b")],
    "pop3s": [("pop3-capabilities", r"pop3-capabilities: .*\bUIDL\b"),
              ("ssl-cert", r"commonName=lab\.test")],
    "imap": [("imap-capabilities", r"imap-capabilities: .*\bIMAP4rev1\b.*\bSTARTTLS\b")],
    "imaps": [("imap-capabilities", r"imap-capabilities: .*\bIMAP4rev1\b"),
              ("ssl-cert", r"commonName=lab\.test")],
    "mysql": [("mysql-info", r"Version: 5\.5\.5-[\d.]+-MariaDB"),
              ("mysql-info", r"Auth Plugin Name: mysql_native_password")],
    "redis": [("redis-noauth", r"without authentication")],
    "dns": [("dns-nsid", r"bind\.version: dnsmasq-\d")],
    "snmp": [("snmp-sysdescr", r"snmp-sysdescr: Linux .*\n\|_  System uptime: ")],
}

EXTRA_EXPECT: dict[str, list[tuple[str, str]]] = {
    # telnetd opens with option negotiation: IAC DO / IAC WILL
    "telnet": [("banner", r"banner: .*\\xFF\\xF[BD]")],
    "redis": [("redis-info", r"Version: \d+\.\d+\.\d+"), ("redis-info", r"Role: master")],
    "memcached": [("memcached-info", r"Process ID: \d+"),
                  ("memcached-info", r"Authentication: no")],
}

#: -sV, with our own probe file: service name, product at the start of VERSION
SV_EXPECT: dict[str, tuple[str, str]] = {
    "ftp": ("ftp", "vsftpd"),
    "ssh": ("ssh", "OpenSSH"),
    "smtp": ("smtp", "Exim smtpd"),
    "http": ("http", "nginx"),
    "https": ("ssl/http", "nginx"),
    "http-alt": ("http", "lighttpd"),
    "mysql": ("mysql", "MariaDB"),
    "redis": ("redis", "Redis key-value store"),
    "memcached": ("memcached", "Memcached"),
    "pop3": ("pop3", "Dovecot pop3d"),
    "pop3s": ("ssl/pop3", "Dovecot pop3d"),
    "imap": ("imap", "Dovecot imapd"),
    "imaps": ("ssl/imap", "Dovecot imapd"),
    "telnet": ("telnet", ""),
    "dns": ("domain", "dnsmasq"),
    "snmp": ("snmp", "SNMPv1 server"),
}


def _port(lab: Any, svc: str) -> str:
    return f"{lab.ports[svc]}/{'udp' if svc in UDP else 'tcp'}"


def _portspec(lab: Any, services: list[str]) -> list[str]:
    tcp = sorted({lab.ports[s] for s in services if s not in UDP})
    udp = sorted({lab.ports[s] for s in services if s in UDP})
    scan = (["-sT"] if tcp else []) + (["-sU"] if udp else [])
    spec = ",".join(([f"T:{','.join(map(str, tcp))}"] if tcp else [])
                    + ([f"U:{','.join(map(str, udp))}"] if udp else []))
    return [*scan, "-p", spec]


@pytest.fixture(scope="module")
def runs(daemon_lab: Any) -> Iterator[dict[str, tuple[str, str, float]]]:
    """name -> (stdout, stderr, seconds) of every scan, all started at once."""
    lab = daemon_lab
    tcp = [s for s in SERVICES if s not in UDP]
    plans = {
        "sC-tcp": ["-sC", *_portspec(lab, tcp)],
        "sC-dns": ["-sC", *_portspec(lab, ["dns"])],
        "sC-snmp": ["-sC", *_portspec(lab, ["snmp"])],
        "sV": ["-sV", *_portspec(lab, SERVICES)],
        "extra": ["--script", "banner,redis-info,memcached-info", *_portspec(lab, EXTRA)],
    }
    with tempfile.TemporaryDirectory(prefix="nse-nodata-") as tmp:
        for d in ("empty-nmapdir", "home", "cwd"):
            os.mkdir(os.path.join(tmp, d))
        env = {k: v for k, v in os.environ.items() if k not in ("NMAPDIR", "PYTHONPATH")}
        env.update(NMAPDIR=os.path.join(tmp, "empty-nmapdir"), HOME=os.path.join(tmp, "home"),
                   PYTHONPATH=ROOT)
        procs = {}
        t0 = time.monotonic()
        for name, args in plans.items():
            cmd = ["ip", "netns", "exec", lab.client_ns,
                   "unshare", "--mount", "--propagation", "private",
                   "sh", "-c", WRAPPER, "nodata",
                   sys.executable, "-m", "nse.cli", "scan", "-Pn", "-n",
                   "--script-timeout", "20s", *args, lab.ip]
            procs[name] = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                           text=True, env=env, cwd=os.path.join(tmp, "cwd"))
        out: dict[str, tuple[str, str, float]] = {}
        try:
            for name, p in procs.items():
                so, se = p.communicate(timeout=max(1.0, 90 - (time.monotonic() - t0)))
                out[name] = (so, se, time.monotonic() - t0)
                assert p.returncode == 0, f"{name}: rc {p.returncode}\n{se[-3000:]}\n{so}"
            # shown with -s: the scans run side by side, the slowest decides
            print(f"nodata: {len(out)} scans done after {time.monotonic() - t0:.1f}s")
        finally:
            for p in procs.values():
                if p.poll() is None:
                    p.kill()
                    p.wait()
        yield out


def port_blocks(out: str) -> dict[str, str]:
    """``"21/tcp"`` -> that port's line and its script lines in a normal output."""
    blocks: dict[str, list[str]] = {}
    cur: list[str] | None = None
    for line in out.splitlines():
        m = re.match(r"^(\d+/(?:tcp|udp))\s+open\b", line)
        if m:
            cur = blocks.setdefault(m.group(1), [])
            cur.append(line)
        elif cur is not None and line.startswith("|"):
            cur.append(line)
        else:
            cur = None
    return {k: "\n".join(v) for k, v in blocks.items()}


def script_text(block: str, script: str) -> str:
    """The lines of ``script``'s output inside a port block."""
    lines = block.splitlines()
    for i, line in enumerate(lines):
        if re.match(rf"^\|_? ?{re.escape(script)}:", line):
            got = [line]
            if not line.startswith("|_"):
                for nxt in lines[i + 1:]:
                    got.append(nxt)
                    if nxt.startswith("|_"):
                        break
            return "\n".join(got)
    return ""


@pytest.mark.parametrize("name", ["sC-tcp", "sC-dns", "sC-snmp", "sV", "extra"])
def test_nmap_data_really_hidden(runs: dict[str, tuple[str, str, float]], name: str) -> None:
    """Inside each run's namespace /usr/share/nmap was empty, and nothing of nmap's was
    named or failed to load."""
    so, se, _ = runs[name]
    assert "nodata-check: /usr/share/nmap holds 0 entries" in se, se
    assert "/usr/share/nmap" not in se.replace("nodata-check: /usr/share/nmap", "")
    assert "Traceback" not in se, se
    assert "Nmap done: 1 IP address (1 host up)" in so, so


@pytest.mark.parametrize("service", sorted(SC_EXPECT))
def test_default_scripts_useful_without_nmap_data(
        runs: dict[str, tuple[str, str, float]], daemon_lab: Any, service: str) -> None:
    run = f"sC-{service}" if service in UDP else "sC-tcp"
    so = runs[run][0]
    block = port_blocks(so).get(_port(daemon_lab, service), "")
    assert block, so
    for script, rx in SC_EXPECT[service]:
        text = script_text(block, script)
        assert re.search(rx, text), f"{script} on {service}: {text!r}\n{block}"


@pytest.mark.parametrize("service", sorted(EXTRA_EXPECT))
def test_other_scripts_of_ours_cover_the_rest(
        runs: dict[str, tuple[str, str, float]], daemon_lab: Any, service: str) -> None:
    so = runs["extra"][0]
    block = port_blocks(so).get(_port(daemon_lab, service), "")
    for script, rx in EXTRA_EXPECT[service]:
        text = script_text(block, script)
        assert re.search(rx, text), f"{script} on {service}: {text!r}\n{so}"


@pytest.mark.parametrize("service", sorted(SV_EXPECT))
def test_version_detection_with_own_probe_file(
        runs: dict[str, tuple[str, str, float]], daemon_lab: Any, service: str) -> None:
    so = runs["sV"][0]
    block = port_blocks(so).get(_port(daemon_lab, service), "")
    line = block.splitlines()[0] if block else ""
    m = re.match(r"^\d+/\w+\s+open\s+(\S+)\s*(.*)$", line)
    assert m, so
    name, product = SV_EXPECT[service]
    assert m.group(1) == name, line
    assert m.group(2).startswith(product), line
    if product:
        assert len(m.group(2)) > len(product), line  # a version or extra info follows


def test_every_lab_service_is_covered() -> None:
    """No lab service is left without an assertion on useful output."""
    assert set(SC_EXPECT) | set(EXTRA_EXPECT) == set(SERVICES)
    assert set(SV_EXPECT) == set(SERVICES)


def test_port_blocks_and_script_text() -> None:
    out = ("PORT   STATE SERVICE\n21/tcp open  ftp\n| ftp-syst: \n|   STAT: \n"
           "|_End of status\n|_banner: 220 (vsFTPd 3.0.3)\n22/tcp open  ssh\n\nNmap done\n")
    b = port_blocks(out)
    assert sorted(b) == ["21/tcp", "22/tcp"]
    assert script_text(b["21/tcp"], "ftp-syst") == "| ftp-syst: \n|   STAT: \n|_End of status"
    assert script_text(b["21/tcp"], "banner") == "|_banner: 220 (vsFTPd 3.0.3)"
    assert script_text(b["22/tcp"], "banner") == ""
