"""`nse scan`'s screen output with -v, -vv, -d, --reason, --open, -sV, -sU and script
scans, line by line against nmap 7.93's for the same scan of the same private network
(a namespace made here: a web server on its loopback, and a veth pair to a second
namespace for ARP discovery and a host that is down).  Times, durations, latencies and
the counts that depend on them are normalised; nothing else is.

Known differences are normalised too and listed in ``_normalise`` (nmap's pcap details,
its DNS servers, the host group size, the Lua version, the packets nmap captures of its
own on loopback)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NSE = [sys.executable, "-m", "nse.cli", "scan"]
ENV = {**os.environ, "PYTHONPATH": ROOT, "TZ": "UTC"}
NMAP = shutil.which("nmap")
READY = (os.geteuid() == 0 and shutil.which("ip") is not None and NMAP is not None
         and os.path.isfile("/usr/share/nmap/nmap-services"))

pytestmark = [pytest.mark.root, pytest.mark.nmap,
              pytest.mark.skipif(not READY, reason="needs root, ip and nmap 7.93")]

HTTP = 8080  # the web server's port inside the namespace; 8081 stays closed
HERE = "10.99.0.1"
PEER = "10.99.0.2"  # answers ARP; .3 is down


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)


@pytest.fixture(scope="module")
def netns(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """``ip netns exec NS`` for a namespace with a web server on 127.0.0.1:8080 and a
    veth link to a peer namespace (10.99.0.2); both deleted afterwards."""
    ns, peer = f"nsevp{os.getpid()}", f"nsevq{os.getpid()}"
    _ip("netns", "add", ns)
    _ip("netns", "add", peer)
    server = None
    try:
        _ip("-n", ns, "link", "set", "lo", "up")
        _ip("link", "add", "vpa", "netns", ns, "type", "veth", "peer", "name", "vpb",
            "netns", peer)
        _ip("-n", ns, "addr", "add", f"{HERE}/24", "dev", "vpa")
        _ip("-n", peer, "addr", "add", f"{PEER}/24", "dev", "vpb")
        _ip("-n", ns, "link", "set", "vpa", "up")
        _ip("-n", peer, "link", "set", "vpb", "up")
        www = tmp_path_factory.mktemp("www")
        (www / "index.html").write_text("<html><title>Parity page</title></html>\n")
        server = subprocess.Popen(
            ["ip", "netns", "exec", ns, sys.executable, "-m", "http.server", str(HTTP),
             "--bind", "127.0.0.1"], cwd=www, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ss = subprocess.run(["ip", "netns", "exec", ns, "ss", "-ltnH"],
                                capture_output=True, text=True, timeout=10).stdout
            if f"127.0.0.1:{HTTP}" in ss:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the web server did not start")
        # the veth link: wait until the peer's address is usable (DAD is not done on v4,
        # but the link takes a moment to come up)
        time.sleep(0.3)
        yield ["ip", "netns", "exec", ns]
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=10)
        subprocess.run(["ip", "netns", "del", peer], capture_output=True, timeout=10)


_SUBS = [
    # the first line: program, version, date
    (r"^Starting (Nmap 7\.93 \( https://nmap\.org \)|nse \S+) at .*$", "Starting X at DATE"),
    (r"\b\d\d:\d\d:\d\d\b", "HH:MM:SS"),
    (r"\b\d\d:\d\d\b", "HH:MM"),
    (r"\d{4}-\d\d-\d\d", "DATE"),
    (r"\d+\.\d+s elapsed", "T elapsed"),
    (r"scanned in \d+\.\d+ seconds", "scanned in T seconds"),
    (r"for \d+s$", "for Ns"),
    (r"\((\d+\.\d+)s latency\)", "(L latency)"),
    (r"srtt: -?\d+ rttvar: -?\d+  to: \d+", "srtt: N rttvar: N  to: N"),
    (r"Overall sending rates: [\d.]+ packets / s", "Overall sending rates: R packets / s"),
    (r"packets / s, [\d.]+ bytes / s", "packets / s, R bytes / s"),
    # nmap's own probes come back to its pcap on loopback (and it sees no kernel RST);
    # ours are filtered out before they reach us: the received counts differ, truly
    (r"Rcvd: \d+ \(\S+\)", "Rcvd: N"),
    # nmap grows host groups up to 100000 hosts, ours are 256 at most
    (r"hostgroups: min 1, max \d+", "hostgroups: min 1, max N"),
    # nmap 7.93 embeds Lua 5.3; our runtime has Lua 5.4's semantics
    (r"^NSE: Using Lua 5\.\d\.$", "NSE: Using Lua 5.x."),
]

#: nmap's lines about its pcap filter and its DNS servers (we have neither)
_NMAP_ONLY = re.compile(r"^(Packet capture filter|mass_rdns: Using DNS server)")


def _normalise(text: str, sent_too: bool = False) -> list[str]:
    out = []
    for line in text.splitlines():
        if _NMAP_ONLY.match(line):
            continue
        for pat, rep in _SUBS:
            line = re.sub(pat, rep, line)
        if sent_too:
            line = re.sub(r"Raw packets sent: \d+ \(\S+\)", "Raw packets sent: N", line)
        # nmap names its data directory from where its program is (/usr/bin/../share/nmap)
        line = re.sub(r"^(Read data files from: |Read from )(/\S+?)(:|$)",
                      lambda m: m.group(1) + os.path.normpath(m.group(2)) + m.group(3), line)
        out.append(line)
    return out


def _both(netns: list[str], args: list[str]) -> tuple[subprocess.CompletedProcess[str],
                                                      subprocess.CompletedProcess[str]]:
    theirs = subprocess.run(netns + [NMAP or "nmap", *args], capture_output=True, text=True,
                            env=ENV, timeout=40)
    ours = subprocess.run(netns + NSE + args, capture_output=True, text=True, env=ENV,
                          timeout=40)
    assert theirs.returncode == 0, theirs.stderr
    assert ours.returncode == 0, ours.stderr
    return theirs, ours


# (args, whether the sent count differs: our UDP payloads are not nmap's)
CASES = [
    # NSE's per-run-level "Initiating NSE" lines around pre-scan, host and post-scan
    # phases; the -Pn warning; the raw packet counts
    (["-v", "-Pn", "-p", str(HTTP), "--script", "http-title", "127.0.0.1"], False),
    # -d: the timing report, NSE's start-up lines, run levels, thread lines, the
    # sending rates, reasons, final times, "Read from DIR: nmap-services."
    (["-d", "-Pn", "-p", str(HTTP), "--script", "http-title", "127.0.0.1"], False),
    # -d: nmap's lines about the script arguments and timeout
    (["-d", "-Pn", "-p", str(HTTP), "--script", "http-title", "--script-args",
      "http.useragent=parity", "--script-timeout", "30", "127.0.0.1"], False),
    # two hosts: "Scanning 2 hosts [2 ports/host]", "NSE: Script scanning 2 hosts."
    (["-v", "-n", "-Pn", "-p", f"{HTTP},8081", "--script", "http-title", "127.0.0.1",
      "127.0.0.2"], False),
    # -sn with scripts: no data file read, no port table, the packets line with 0
    (["-v", "-sn", "--script", "http-title", "127.0.0.1"], False),
    (["-d", "-sn", "127.0.0.1"], False),
    # a connect scan without discovery: no raw packets line
    (["-v", "-sT", "-Pn", "-p", f"{HTTP},8081", "127.0.0.1"], False),
    # -d: a connect scan's sending rate is in packets only
    (["-d", "-sT", "-Pn", "-p", f"{HTTP},8081", "127.0.0.1"], False),
    (["-vv", "--reason", "--open", "-Pn", "-p", f"{HTTP}-8082", "127.0.0.1"], False),
    # ARP discovery, a host down listed after the one up, its reason with -d; the MAC
    # vendor list read
    (["-v", "-sn", "-n", f"{PEER}-3"], False),
    (["-d", "-sn", "-n", f"{PEER}-3"], False),
    # reports in target order, down ones among them, loopback in a group of its own
    (["-v", "-sn", "-n", "10.99.0.3", PEER, "10.99.0.4", "127.0.0.1"], False),
    (["-v", "-sU", "-Pn", "-p", "53", "127.0.0.1"], True),
    # -sV runs the version scripts: two run levels, no pre-/post-scan lines
    (["-v", "-sV", "-Pn", "-p", str(HTTP), "127.0.0.1"], False),
]


@pytest.mark.parametrize("args,sent_differs", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_screen_matches_nmap(netns: list[str], args: list[str], sent_differs: bool) -> None:
    theirs, ours = _both(netns, args)
    assert _normalise(ours.stdout, sent_differs) == _normalise(theirs.stdout, sent_differs)
    assert _normalise(ours.stderr) == _normalise(theirs.stderr)


def test_raw_packet_counts_are_the_wire(netns: list[str]) -> None:
    """The packets line counts what went out: one 44-byte SYN per port (20 bytes of IP,
    24 of TCP with the MSS option), the same as nmap's sent count."""
    theirs, ours = _both(netns, ["-v", "-Pn", "-n", "-p", f"{HTTP}-8084", "127.0.0.1"])
    line = re.compile(r"^ {11}Raw packets sent: (\d+) \((\d+)B\) \| Rcvd: (\d+) \((\d+)B\)$",
                      re.M)
    m_ours, m_theirs = line.search(ours.stdout), line.search(theirs.stdout)
    assert m_ours is not None and m_theirs is not None, (ours.stdout, theirs.stdout)
    assert m_ours.group(1, 2) == m_theirs.group(1, 2) == ("5", "220")
    # replies: a SYN-ACK (44 bytes), four RSTs (40), and the kernel's RST to the SYN-ACK
    assert m_ours.group(3, 4) == ("6", str(44 + 4 * 40 + 40))
    assert ours.stdout.endswith(m_ours.group(0) + "\n")


@pytest.mark.parametrize("level", ["-v", "-d"])
def test_normal_file_matches_nmap(netns: list[str], tmp_path: os.PathLike[str],
                                  level: str) -> None:
    """-oN holds what nmap's holds: with -d the timing report but not the screen-only
    lines (phases, NSE run levels, "Final times for host", the raw packets line)."""
    theirs_f, ours_f = os.path.join(tmp_path, "n.nmap"), os.path.join(tmp_path, "o.nmap")
    args = [level, "-Pn", "-p", str(HTTP), "--script", "http-title", "127.0.0.1"]
    subprocess.run(netns + [NMAP or "nmap", *args, "-oN", theirs_f], capture_output=True,
                   env=ENV, timeout=40, check=True)
    subprocess.run(netns + NSE + [*args, "-oN", ours_f], capture_output=True, env=ENV,
                   timeout=40, check=True)

    def lines(path: str) -> list[str]:
        with open(path) as f:
            text = f.read()
        # the first line names the program and its command line; the last one the time
        body = _normalise(text)[1:]
        return [re.sub(r"^# Nmap done at .* -- ", "# Nmap done at DATE -- ", x) for x in body]

    assert lines(ours_f) == lines(theirs_f)
