"""Scans of 127.0.0.1 / ::1 inside a private network namespace, compared with nmap.

Needs root (a namespace of our own: the host's loopback has listeners that are not ours).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from tools.lab.report import parse_normal, summarize  # noqa: E402

pytestmark = [pytest.mark.root,
              pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("ip"),
                                 reason="needs root and ip")]

TCP = [22, 631, 1999, 8080]
NMAP = shutil.which("nmap")
NSE = [sys.executable, "-m", "nse.cli", "scan"]


@pytest.fixture(scope="module")
def ns() -> Iterator[str]:
    name = f"nl{os.getpid()}-loc"
    subprocess.run(["ip", "netns", "add", name], check=True)
    procs: list[subprocess.Popen[str]] = []
    try:
        ex = ["ip", "netns", "exec", name]
        subprocess.run(ex + ["ip", "link", "set", "lo", "up"], check=True)
        subprocess.run(ex + ["sysctl", "-qw", "net.ipv4.icmp_ratelimit=0"], check=True)
        p = subprocess.Popen(ex + [sys.executable, os.path.join(ROOT, "tools/lab/listener.py"),
                                   "--tcp", ",".join(map(str, TCP)), "--udp", "5353",
                                   "--bind", "127.0.0.1"], stdout=subprocess.PIPE, text=True)
        procs.append(p)
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        code = ("import socket,time;s=socket.socket(socket.AF_INET6);"
                "s.bind(('::1',8086));s.listen();print('ready',flush=True);time.sleep(600)")
        p6 = subprocess.Popen(ex + [sys.executable, "-c", code], stdout=subprocess.PIPE,
                              text=True)
        procs.append(p6)
        assert p6.stdout is not None and p6.stdout.readline().strip() == "ready"
        yield name
    finally:
        for p in procs:
            p.kill()
            p.wait()
            if p.stdout:
                p.stdout.close()
        subprocess.run(["ip", "netns", "del", name], check=False)


def run(ns: str, args: list[str], nmap: bool = False) -> subprocess.CompletedProcess[str]:
    cmd = ["ip", "netns", "exec", ns] + ([NMAP] if nmap else NSE) + args  # type: ignore
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PYTHONPATH": ROOT})
    assert r.returncode == 0, r.stderr
    return r


def ports(r: subprocess.CompletedProcess[str], ip: str = "127.0.0.1"
          ) -> dict[tuple[int, str], str]:
    return summarize(parse_normal(r.stdout))[ip]


@pytest.mark.parametrize("scan", ["-sS", "-sT"])
def test_tcp_scans_of_loopback_match_nmap(ns: str, scan: str) -> None:
    args = [scan, "-p1-10000", "-n", "127.0.0.1"]
    got = ports(run(ns, args))
    assert got == {(p, "tcp"): "open" for p in TCP}
    if NMAP:
        assert ports(run(ns, args, nmap=True)) == got


def test_udp_scan_of_loopback(ns: str) -> None:
    got = ports(run(ns, ["-sU", "-p5300-5400", "-n", "127.0.0.1"]))
    assert got == {(5353, "udp"): "open"}


def test_ipv6_connect_scan(ns: str) -> None:
    r = run(ns, ["-6", "-sT", "-p8000-8100", "-n", "::1"])
    assert ports(r, "::1") == {(8086, "tcp"): "open"}


def test_port_and_target_options(ns: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    targets = tmp_path / "targets"
    targets.write_text("127.0.0.1\n127.0.0.2 # second\n127.0.0.3\n")
    out = tmp_path / "scan.nmap"
    r = run(ns, ["-sS", "-p1-2000", "--exclude-ports", "22", "-r", "-n", "-iL", str(targets),
                 "--exclude", "127.0.0.3", "-oN", str(out), "--reason"])
    parsed = summarize(parse_normal(r.stdout))
    assert set(parsed) == {"127.0.0.1", "127.0.0.2"}
    assert parsed["127.0.0.1"] == {(631, "tcp"): "open", (1999, "tcp"): "open"}
    assert re.search(r"^631/tcp +open +ipp +syn-ack ttl 64$", r.stdout, re.M)
    assert "Not shown: 1997 closed tcp ports (reset)" in r.stdout
    # -oN goes through the output writers: nmap's "# Nmap ... scan initiated ... as: ..."
    # header and "# Nmap done ... -- 2 IP addresses (2 hosts up)" footer.
    text = out.read_text()
    first_line = text.splitlines()[0]
    assert "scan initiated" in first_line and "as: nse scan -sS" in first_line
    assert "-- 2 IP addresses (2 hosts up)" in text


def test_ping_scan_of_loopback_and_top_ports(ns: str) -> None:
    r = run(ns, ["-sn", "127.0.0.1"])
    assert "Host is up" in r.stdout and "PORT" not in r.stdout
    r = run(ns, ["--top-ports", "50", "-n", "127.0.0.1"])
    assert "Not shown: 50 closed tcp ports (reset)" in r.stdout or "22/tcp" in r.stdout


@pytest.mark.nmap
@pytest.mark.slow
def test_version_scan_is_handed_to_vscan(ns: str) -> None:
    """-sV: the open ports go to nse.scan.vscan and the VERSION column shows its result."""
    ex = ["ip", "netns", "exec", ns]
    http = subprocess.Popen(ex + [sys.executable, "-m", "http.server", "8000", "--bind",
                                  "127.0.0.1"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        import time

        for _ in range(50):  # until it listens
            if run(ns, ["-sT", "-p8000", "-n", "127.0.0.1"]).stdout.count("open"):
                break
            time.sleep(0.1)
        r = run(ns, ["-sV", "-p8000,22", "-n", "127.0.0.1"])
        assert re.search(r"^PORT +STATE +SERVICE +VERSION$", r.stdout, re.M)
        assert re.search(r"^8000/tcp +open +http +SimpleHTTPServer", r.stdout, re.M)
    finally:
        http.kill()
        http.wait()
