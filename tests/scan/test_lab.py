"""Scans of the namespace lab (tools/lab), compared with the lab's ground truth and nmap.

Needs root (network namespaces, raw sockets); skipped elsewhere.  Acceptance checks of
issue 4: -sn finds exactly the live hosts and -sS -p1-2000 exactly the lab's port states,
10 runs in a row, with and without 5 % packet loss; nmap on the same lab agrees; -sU finds
dnsmasq and snmpd; an unprivileged run falls back to a connect scan with the same result.
Runs of nmap are fewer here than in tools/bench/scan/acceptance.py (time budget).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from tools.lab.lab import SCANNER_IP, Lab, default_hosts, have_root  # noqa: E402
from tools.lab.report import parse_normal, summarize  # noqa: E402

pytestmark = [
    pytest.mark.root,
    pytest.mark.lab,
    pytest.mark.skipif(not have_root(), reason="needs root, ip and nft"),
]

NSE = [sys.executable, "-m", "nse.cli", "scan"]
RUNS = int(os.environ.get("NSE_LAB_RUNS", "10"))
NMAP = shutil.which("nmap")


def expected_tcp(lab: Lab) -> dict[str, dict[tuple[int, str], str]]:
    exp = {ip: {(p, "tcp"): s for p, s in t["tcp"].items()} for ip, t in lab.truth().items()}
    exp[SCANNER_IP] = {}  # our own address: up, nothing listening
    return exp


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    with Lab(default_hosts(8), tag="a") as lab:
        yield lab


@pytest.fixture(scope="module")
def lossy_lab() -> Iterator[Lab]:
    with Lab(default_hosts(8, seed=7, loss=5), tag="b") as lab:
        yield lab


def scan(lab: Lab, args: list[str], nmap: bool = False, user: str | None = None
         ) -> dict[str, dict[tuple[int, str], str]]:
    cmd = ([NMAP] if nmap else NSE) + args  # type: ignore[list-item]
    r = lab.run_in_scanner(cmd, timeout=240, user=user,
                           env={**os.environ, "PYTHONPATH": ROOT})
    assert r.returncode == 0, r.stderr
    return summarize(parse_normal(r.stdout))


@pytest.mark.parametrize("which", ["lab", "lossy_lab"])
def test_ping_scan_finds_exactly_the_live_hosts(which: str, request: pytest.FixtureRequest
                                                ) -> None:
    lab: Lab = request.getfixturevalue(which)
    live = {h.ip for h in lab.hosts} | {SCANNER_IP}
    for _ in range(RUNS):
        assert set(scan(lab, ["-sn", "-n", "10.213.0.0/24"])) == live
    if NMAP:
        assert set(scan(lab, ["-sn", "-n", "10.213.0.0/24"], nmap=True)) == live


@pytest.mark.parametrize("which", ["lab", "lossy_lab"])
def test_syn_scan_finds_exactly_the_lab_ports(which: str, request: pytest.FixtureRequest
                                             ) -> None:
    lab: Lab = request.getfixturevalue(which)
    exp = expected_tcp(lab)
    for i in range(RUNS):
        got = scan(lab, ["-sS", "-p1-2000", "-n", "10.213.0.0/24"])
        assert got == exp, f"run {i + 1}"
    if NMAP:
        # nmap itself misses now and then under loss (measured 9/10 runs exact at 5 % in
        # one session, 1/3 in another): every try of a closed port lost, reported
        # filtered (its retry cap, see nse.scan.ultra._allowed_tries).  It gets up to
        # three runs to agree exactly; failing that, its last run may differ from the
        # truth by that miss only, and nothing else.
        for _ in range(1 if which == "lab" else 3):
            nmap_got = scan(lab, ["-sS", "-p1-2000", "-n", "-T4", "10.213.0.0/24"], nmap=True)
            if nmap_got == exp:
                break
        if which == "lab" or nmap_got == exp:
            assert nmap_got == exp
        else:
            assert set(nmap_got) == set(exp)
            misses = []
            for ip, ports in exp.items():
                for k in set(ports) | set(nmap_got[ip]):
                    truth, seen = ports.get(k, "closed"), nmap_got[ip].get(k, "closed")
                    if seen != truth:
                        assert seen == "filtered", (ip, k, truth, seen)
                        misses.append((ip, k, truth))
            assert len(misses) <= 3, misses
            print(f"nmap under loss reported filtered: {misses}")


def test_other_tcp_scans_on_one_host(lab: Lab) -> None:
    h = lab.hosts[0]
    ports = ",".join(str(p) for p in h.tcp + h.filtered_tcp) + ",1-40"
    target = ["-p", ports, "-n", h.ip]
    ack = scan(lab, ["-sA"] + target)[h.ip]
    assert ack == {(p, "tcp"): "filtered" for p in h.filtered_tcp}
    for flag in ("-sF", "-sN", "-sX"):
        got = scan(lab, [flag] + target)[h.ip]
        assert got == {(p, "tcp"): "open|filtered" for p in h.tcp + h.filtered_tcp}, flag
        if NMAP:
            assert scan(lab, [flag] + target, nmap=True)[h.ip] == got


def test_udp_scan_of_lab_hosts(lab: Lab) -> None:
    h = lab.hosts[1]
    ports = ",".join(str(p) for p in h.udp) + ",1-30"
    got = scan(lab, ["-sU", "-p", ports, "-n", h.ip])[h.ip]
    assert got == {(p, "udp"): "open" for p in h.udp}  # closed ones are "Not shown"


def test_udp_scan_finds_dnsmasq_and_snmpd() -> None:
    if not (shutil.which("dnsmasq") and shutil.which("snmpd")):
        pytest.skip("dnsmasq / snmpd not installed")
    with Lab([], daemons=True, tag="d") as lab:
        r = lab.run_in(lab.daemon_ns, NSE + ["-sU", "-p53,161,162,1-20", "-n", "--reason",
                                             "127.0.0.1"],
                       env={**os.environ, "PYTHONPATH": ROOT}, timeout=60)
        assert r.returncode == 0, r.stderr
        got = parse_normal(r.stdout)["127.0.0.1"]["ports"]
        assert got[(53, "udp")] == "open" and got[(161, "udp")] == "open"
        assert all(got[(p, "udp")] == "closed" for p in [162, *range(1, 21)])
        assert "53/udp  open   domain      udp-response" in r.stdout


def test_unprivileged_falls_back_to_connect_scan(lab: Lab) -> None:
    targets = [h.ip for h in lab.hosts]
    r = lab.run_in_scanner(NSE + ["-p1-2000", "-n"] + targets, user="65534",
                           env={**os.environ, "PYTHONPATH": ROOT}, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "connect scan" in r.stderr
    got = summarize(parse_normal(r.stdout))
    exp = expected_tcp(lab)
    del exp[SCANNER_IP]
    assert got == exp


@pytest.mark.parametrize("probes", [["-PE"], ["-PS22,443"], ["-PA80"], ["-PP"],
                                    ["-PU40125"]])
def test_ip_discovery_probes_without_arp(lab: Lab, probes: list[str]) -> None:
    live = {h.ip for h in lab.hosts}
    got = set(scan(lab, ["-sn", "-n", "--disable-arp-ping", *probes,
                         "10.213.0.0/25", "10.213.0.128/25"]))
    assert got == live | {SCANNER_IP}


@pytest.mark.slow
def test_udp_scan_slows_down_for_icmp_rate_limiting() -> None:
    """A host that keeps Linux's ICMP rate limit (1 error/s after a burst): the closed
    ports are still found closed, because the scan delay adapts (about 1 s per port)."""
    from tools.lab.lab import HostSpec

    with Lab([HostSpec("10.213.0.5", udp=[7], icmp_ratelimit=True)], tag="r") as lab:
        got = scan(lab, ["-sU", "-p1-12", "-n", "10.213.0.5"])["10.213.0.5"]
        assert got == {(p, "udp"): "open" if p == 7 else "closed" for p in range(1, 13)}


def _lab_namespaces(prefix: str) -> list[str]:
    import subprocess

    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.startswith(prefix)]


def test_failed_build_leaves_nothing_behind() -> None:
    from tools.lab.lab import HostSpec

    lab = Lab([HostSpec("10.213.0.5", tcp=[22]), HostSpec("10.213.0.999")], tag="f")
    with pytest.raises(RuntimeError):
        lab.up()
    assert _lab_namespaces(lab.prefix + "-") == []


def test_stale_lab_of_a_dead_process_is_removed() -> None:
    import subprocess

    from tools.lab.lab import cleanup_stale

    dead = next(p for p in range(4_000_000, 3_000_000, -1) if not os.path.exists(f"/proc/{p}"))
    name = f"nl{dead}-sw"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        assert name in cleanup_stale()
        assert _lab_namespaces(name) == []
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True)
