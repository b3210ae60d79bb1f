"""`nse scan`'s user-facing side: the live progress bar on a terminal (and none in a
pipe), --packet-trace lines in nmap's format (compared with nmap 7.93's own lines in a
private network namespace), -v phase lines, --stats-every, and the help pages."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from nse.output.packettrace import Tracer, describe_arp, describe_ipv4, tcp_flags
from nse.output.progress import ScanTracker, stats_lines

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NSE = [sys.executable, "-m", "nse.cli"]
ENV = {**os.environ, "PYTHONPATH": ROOT}
NMAP = shutil.which("nmap")
IS_ROOT = os.geteuid() == 0 and shutil.which("ip") is not None
root_only = [pytest.mark.root, pytest.mark.skipif(not IS_ROOT, reason="needs root and ip")]

# ---------------------------------------------------------------------------------------
# packet descriptions, byte-level (the lines were recorded from nmap 7.93 --packet-trace)


def _ip(proto: int, body: bytes, ttl: int, ipid: int, src: str = "127.0.0.1",
        dst: str = "127.0.0.1") -> bytes:
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), ipid, 0, ttl, proto, 0,
                       socket.inet_aton(src), socket.inet_aton(dst)) + body


def _tcp(sport: int, dport: int, seq: int, flags: int, win: int, opts: bytes = b"") -> bytes:
    off = (20 + len(opts)) // 4
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, off << 4, flags, win, 0, 0) + opts


def test_tcp_lines_match_nmap() -> None:
    syn = _ip(6, _tcp(57210, 8081, 757749267, 0x02, 1024, b"\x02\x04\x05\xb4"), 38, 23400)
    assert describe_ipv4(syn) == ("TCP 127.0.0.1:57210 > 127.0.0.1:8081 S ttl=38 id=23400 "
                                  "iplen=44  seq=757749267 win=1024 <mss 1460>")
    synack = _ip(6, _tcp(8081, 57210, 3466575821, 0x12, 65495, b"\x02\x04\xff\xd7"), 64, 0)
    assert describe_ipv4(synack) == ("TCP 127.0.0.1:8081 > 127.0.0.1:57210 SA ttl=64 id=0 "
                                     "iplen=44  seq=3466575821 win=65495 <mss 65495>")
    rst = _ip(6, _tcp(8082, 57210, 0, 0x14, 0), 64, 0)
    assert describe_ipv4(rst) == ("TCP 127.0.0.1:8082 > 127.0.0.1:57210 RA ttl=64 id=0 "
                                  "iplen=40  seq=0 win=0 ")
    null = _ip(6, _tcp(57307, 8082, 418708757, 0, 1024), 48, 60468)
    assert describe_ipv4(null) == ("TCP 127.0.0.1:57307 > 127.0.0.1:8082  ttl=48 id=60468 "
                                   "iplen=40  seq=418708757 win=1024 ")
    assert tcp_flags(0x29) == "FPU"
    opts = b"\x02\x04\xff\xd7\x04\x02\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x00\x01\x03\x03\x07"
    assert describe_ipv4(_ip(6, _tcp(1, 2, 3, 0x12, 5, opts), 64, 0)).endswith(
        "<mss 65495,sackOK,timestamp 1 0,nop,wscale 7>")


def test_udp_and_icmp_lines_match_nmap() -> None:
    udp = _ip(17, struct.pack("!HHHH", 53049, 8082, 8, 0), 40, 52785)
    assert describe_ipv4(udp) == "UDP 127.0.0.1:53049 > 127.0.0.1:8082 ttl=40 id=52785 iplen=28 "
    unreach = _ip(1, b"\x03\x03\0\0\0\0\0\0" + udp, 64, 64301)
    assert describe_ipv4(unreach) == ("ICMP [127.0.0.1 > 127.0.0.1 Port unreachable "
                                      "(type=3/code=3) ] IP [ttl=64 id=64301 iplen=56 ]")
    udp53 = _ip(17, struct.pack("!HHHH", 51699, 53, 20, 0) + b"x" * 12, 56, 49157)
    unreach53 = _ip(1, b"\x03\x03\0\0\0\0\0\0" + udp53, 64, 64321)
    assert describe_ipv4(unreach53) == ("ICMP [127.0.0.1 > 127.0.0.1 Port 53 unreachable "
                                        "(type=3/code=3) ] IP [ttl=64 id=64321 iplen=68 ]")
    echo = _ip(1, b"\x08\x00\0\0\x12\x34\x00\x01", 50, 7)
    assert describe_ipv4(echo) == ("ICMP [127.0.0.1 > 127.0.0.1 Echo request (type=8/code=0) "
                                   "id=4660 seq=1] IP [ttl=50 id=7 iplen=28 ]")


def test_arp_and_conn_lines() -> None:
    req = (b"\xff" * 6 + b"\x02" * 6 + b"\x08\x06" + b"\x00\x01\x08\x00\x06\x04\x00\x01"
           + b"\x02" * 6 + socket.inet_aton("10.0.0.1") + b"\0" * 6
           + socket.inet_aton("10.0.0.2"))
    assert describe_arp(req) == "ARP who-has 10.0.0.2 tell 10.0.0.1"
    rep = (b"\x02" * 6 + b"\xaa\xbb\xcc\xdd\xee\x0f" + b"\x08\x06"
           + b"\x00\x01\x08\x00\x06\x04\x00\x02" + b"\xaa\xbb\xcc\xdd\xee\x0f"
           + socket.inet_aton("10.0.0.2") + b"\x02" * 6 + socket.inet_aton("10.0.0.1"))
    assert describe_arp(rep) == "ARP reply 10.0.0.2 is-at AA:BB:CC:DD:EE:0F"
    lines: list[str] = []
    clock = iter([10.0, 10.0582, 10.0583]).__next__
    tr = Tracer(lines.append, clock=clock)
    tr.conn("127.0.0.1", 8082, 115)  # EINPROGRESS
    tr.conn("127.0.0.1", 8082, 111)  # ECONNREFUSED
    assert lines == ["CONN (0.0582s) TCP localhost > 127.0.0.1:8082 => Operation now in progress",
                     "CONN (0.0583s) TCP localhost > 127.0.0.1:8082 => Connection refused"]


# ---------------------------------------------------------------------------------------
# progress state and --stats-every lines


class _State:
    def __init__(self, todo: int) -> None:
        self.todo = list(range(todo))
        self.retry: list[int] = []
        self.inflight: dict[int, int] = {}
        self.done = False


def test_tracker_fraction_and_stats_lines() -> None:
    now = [100.0]
    tr = ScanTracker(clock=lambda: now[0])
    a, b = _State(300), _State(100)
    tr.phase("SYN Stealth Scan", [a, b], 2)
    assert tr.fraction() == 0.0
    a.todo = a.todo[:100]  # 200 of a's probes settled
    a.inflight = {1: 0, 2: 0}  # two more sent, not answered
    b.done = True  # b finished: all its probes count
    now[0] = 110.0
    assert tr.fraction() == pytest.approx((400 - 102) / 400)
    text = stats_lines(tr, now_wall=0.0)
    first, second = text.splitlines()
    assert first == "Stats: 0:00:10 elapsed; 0 hosts completed (0 up), 2 undergoing " \
        "SYN Stealth Scan"
    assert second.startswith("SYN Stealth Scan Timing: About 74.50% done; ETC: ")
    assert second.endswith("(0:00:03 remaining)")
    tr.phase("")
    tr.host_done(True)
    assert stats_lines(tr) == "Stats: 0:00:10 elapsed; 1 hosts completed (1 up)\n"


# ---------------------------------------------------------------------------------------
# live runs


@pytest.fixture(scope="module")
def netns() -> Iterator[list[str]]:
    """A private network namespace with lo up and one listener on 127.0.0.1:8081, as the
    argv prefix to run commands in it; without root, no prefix (the host's loopback)."""
    if not IS_ROOT:
        yield []
        return
    name = f"nseS{os.getpid()}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    ex = ["ip", "netns", "exec", name]
    listener = None
    try:
        subprocess.run(ex + ["ip", "link", "set", "lo", "up"], check=True)
        code = ("import socket,time;s=socket.socket();s.bind(('127.0.0.1',8081));"
                "s.listen(64);print('ready',flush=True);time.sleep(300)")
        listener = subprocess.Popen(ex + [sys.executable, "-c", code], stdout=subprocess.PIPE,
                                    text=True)
        assert listener.stdout is not None and listener.stdout.readline().strip() == "ready"
        yield ex
    finally:
        if listener is not None:
            listener.kill()
            listener.wait()
            assert listener.stdout is not None
            listener.stdout.close()
        subprocess.run(["ip", "netns", "del", name], check=False)


def _in_pty(argv: list[str], timeout: float = 18.0) -> tuple[int, bytes]:
    """Run ``argv`` with stdout and stderr on a pseudo-terminal; (status, bytes seen)."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ.update(ENV)
        os.environ["COLUMNS"], os.environ["LINES"] = "100", "30"
        os.execvp(argv[0], argv)
    out = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            r, _, _ = select.select([fd], [], [], deadline - time.monotonic())
            if not r:
                break
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            out += data
    finally:
        os.close(fd)
    # the terminal closes a moment before the process ends: wait for it, boundedly
    done, status = os.waitpid(pid, os.WNOHANG)
    while not done and time.monotonic() < deadline + 2:
        time.sleep(0.02)
        done, status = os.waitpid(pid, os.WNOHANG)
    if not done:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail(f"{argv} did not end in {timeout} s; saw {out[-500:]!r}")
    return os.waitstatus_to_exitcode(status), out


# 400 closed ports with 5 ms between probes: ~2 s, long enough for several redraws
SLOW_SCAN = ["scan", "-sT", "-n", "-p", "8100-8499", "--scan-delay", "5ms", "127.0.0.1"]


def test_progress_bar_on_a_terminal_none_in_a_pipe(netns: list[str]) -> None:
    code, seen = _in_pty(netns + NSE + SLOW_SCAN)
    text = seen.decode("utf-8", "replace")
    assert code == 0, text
    # the bar was drawn (phase, percentage, bar characters), redrawn in place, and erased
    bars = re.findall(r"Connect Scan (\d+\.\d\d)%", text)
    assert len(bars) >= 2, text
    assert any(0 < float(p) < 100 for p in bars), bars
    assert "\u2501" in text and "\x1b[2K" in text
    # the report is intact, its lines not cut by the bar
    assert "Nmap scan report for 127.0.0.1\r\n" in text
    if IS_ROOT:  # in the private namespace nothing listens there
        assert "Not shown: 400 closed tcp ports (conn-refused)" in text
    # the footer starts a line of its own (after the erased bar)
    assert re.search(r"(\r\n|\x1b\[2K)Nmap done: 1 IP address \(1 host up\) scanned in", text)

    piped = subprocess.run(netns + NSE + SLOW_SCAN, capture_output=True, env=ENV, timeout=18)
    assert piped.returncode == 0, piped.stderr
    for stream in (piped.stdout, piped.stderr):
        assert b"\x1b[" not in stream and b"% " not in stream and b"\xe2\x94" not in stream
    assert b"Connect Scan" not in piped.stdout + piped.stderr
    assert b"Nmap scan report for 127.0.0.1\n" in piped.stdout


def test_no_bar_when_the_terminal_gets_an_xml_document(netns: list[str]) -> None:
    code, seen = _in_pty(netns + NSE + SLOW_SCAN[:-1] + ["-oX", "-", "127.0.0.1"])
    assert code == 0
    assert b"Connect Scan" not in seen and b"\x1b[" not in seen
    assert seen.rstrip().endswith(b"</nmaprun>")


def test_stats_every_prints_nmap_stats_lines(netns: list[str]) -> None:
    r = subprocess.run(netns + NSE + SLOW_SCAN[:-1] + ["--stats-every", "0.5s", "127.0.0.1"],
                       capture_output=True, text=True, env=ENV, timeout=18)
    assert r.returncode == 0, r.stderr
    stats = re.findall(r"^Stats: \d:\d\d:\d\d elapsed; 0 hosts completed \(0 up\), "
                       r"1 undergoing Connect Scan$", r.stdout, re.M)
    timing = re.findall(r"^Connect Scan Timing: About (\d+\.\d\d)% done", r.stdout, re.M)
    assert stats and timing, r.stdout
    assert [float(x) for x in timing] == sorted(float(x) for x in timing)


def test_verbose_phase_lines(netns: list[str]) -> None:
    r = subprocess.run(netns + NSE + ["scan", "-v", "-sT", "-n", "-p8081,8082", "127.0.0.1"],
                       capture_output=True, text=True, env=ENV, timeout=18)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    i = lines.index(next(x for x in lines if x.startswith("Initiating Connect Scan at ")))
    assert lines[i + 1] == "Scanning 127.0.0.1 [2 ports]"
    if IS_ROOT:  # in the namespace only 8081 listens
        assert lines[i + 2] == "Discovered open port 8081/tcp on 127.0.0.1"
    assert any(re.fullmatch(r"Completed Connect Scan at \d\d:\d\d, \d+\.\d\ds elapsed "
                            r"\(2 total ports\)", x) for x in lines)


_TRACE_LINE = re.compile(r"^(SENT|RCVD) \(\d+\.\d{4}s\) (TCP|UDP|ICMP) ")


def _trace(prefix: list[str], prog: list[str], args: list[str]) -> list[str]:
    r = subprocess.run(prefix + prog + args, capture_output=True, text=True, env=ENV,
                       timeout=18)
    assert r.returncode == 0, r.stderr
    return [x for x in r.stdout.splitlines() if x.startswith(("SENT", "RCVD", "CONN"))]


def _shape(line: str) -> str:
    """A trace line with what varies between runs (times, ports, ids, seq...) masked."""
    line = re.sub(r"\(\d+\.\d{4}s\)", "(T)", line)
    line = re.sub(r"127\.0\.0\.1:(\d+) > 127\.0\.0\.1:(8081|8082)",
                  r"127.0.0.1:P > 127.0.0.1:\2", line)
    line = re.sub(r"127\.0\.0\.1:(8081|8082) > 127\.0\.0\.1:\d+", r"127.0.0.1:\1 > 127.0.0.1:P",
                  line)
    return re.sub(r"(ttl|id|seq|win)=\d+", r"\1=N", line)


@pytest.mark.parametrize("scan", ["-sS", "-sT"])
@pytest.mark.nmap
@pytest.mark.skipif(NMAP is None, reason="needs nmap")
def test_packet_trace_like_nmap(netns: list[str], scan: str) -> None:
    if not IS_ROOT:
        pytest.skip("needs root (a private namespace, raw sockets for -sS)")
    args = [scan, "-n", "-p8081,8082", "--packet-trace", "127.0.0.1"]
    ours = _trace(netns, NSE + ["scan"], args)
    theirs = _trace(netns, [NMAP or "nmap"], args)
    if scan == "-sT":
        # the same CONN lines: two "in progress", then refused and connected
        assert sorted(map(_shape, ours)) == sorted(map(_shape, theirs))
        return
    sent = [x for x in ours if x.startswith("SENT")]
    assert len(sent) == 2 and all(_TRACE_LINE.match(x) for x in ours)
    # every line we print nmap prints too (nmap also shows its own probes coming back on
    # loopback, which the kernel filter of ours drops); but the kernel's RST answering the
    # SYN-ACK, which nmap shows only when it reads it before it has finished (as it did
    # in the recording in nse/output/packettrace.py)
    kernel_rst = "RCVD (T) TCP 127.0.0.1:P > 127.0.0.1:8081 R ttl=N id=N iplen=40  seq=N win=N "
    assert set(map(_shape, ours)) - {kernel_rst} <= set(map(_shape, theirs)), (ours, theirs)
    assert {_shape(x) for x in theirs if "SA" in x or "RA" in x} <= set(map(_shape, ours))


def test_packet_trace_counts_every_packet(netns: list[str]) -> None:
    """One SENT line per probe: the count matches the scan's own packet counter."""
    if not IS_ROOT:
        pytest.skip("needs root")
    r = subprocess.run(netns + NSE + ["scan", "-v", "-sS", "-n", "-p8070-8090",
                                      "--packet-trace", "127.0.0.1"],
                       capture_output=True, text=True, env=ENV, timeout=18)
    assert r.returncode == 0, r.stderr
    sent = [x for x in r.stdout.splitlines() if x.startswith("SENT")]
    rcvd = [x for x in r.stdout.splitlines() if x.startswith("RCVD")]
    # nmap's line after "Nmap done" (-v, raw scans): packets and bytes as on the wire
    m = re.search(r"\n {11}Raw packets sent: (\d+) \((\d+)B\) \| Rcvd: (\d+) \((\d+)B\)\n$",
                  r.stdout)
    assert m is not None, r.stdout
    assert len(sent) == int(m.group(1)) >= 21
    assert len(rcvd) == int(m.group(3)) >= 21
    # the bytes are the IP lengths the trace shows
    assert sum(int(re.search(r"iplen=(\d+)", x).group(1)) for x in sent) == int(m.group(2))
    assert sum(int(re.search(r"iplen=(\d+)", x).group(1)) for x in rcvd) == int(m.group(4))
    assert all(_TRACE_LINE.match(x) for x in sent + rcvd)


# ---------------------------------------------------------------------------------------
# help pages and exit statuses


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(NSE + args, capture_output=True, text=True, env=ENV, timeout=18)


def test_scan_help_reads_like_nmaps() -> None:
    for flag in ("--help", "-h"):
        r = _run(["scan", flag])
        assert r.returncode == 0 and r.stderr == ""
        heads = [x for x in r.stdout.splitlines() if re.fullmatch(r"[A-Z][A-Z /]+:", x)]
        assert heads == ["TARGET SPECIFICATION:", "HOST DISCOVERY:", "SCAN TECHNIQUES:",
                         "PORT SPECIFICATION AND SCAN ORDER:", "SERVICE/VERSION DETECTION:",
                         "SCRIPT SCAN:", "OS DETECTION:", "TIMING AND PERFORMANCE:",
                         "OUTPUT:", "MISC:", "EXIT STATUS:", "EXAMPLES:"]
    assert _run(["scan", "-p22", "-h", "127.0.0.1"]).stdout == r.stdout  # -h anywhere
    # every option the parser knows is documented
    from nse.scan.options import _FLAG_OPTS, _VALUE_OPTS

    undocumented = {"--send-ip", "--send-eth", "--system-dns", "--dns-servers", "--versiondb",
                    "--script-trace", "-PM"}
    for opt in (_FLAG_OPTS | _VALUE_OPTS) - undocumented:
        stem = opt.lstrip("-")
        assert re.search(rf"(^|[\s/,]){re.escape(opt)}|/{re.escape(stem)}\b|-{re.escape(stem)}",
                         r.stdout), opt
    # the examples parse
    from nse.scan.options import parse_args

    examples = r.stdout.split("EXAMPLES:\n")[1].splitlines()
    import shlex

    for ex in examples:
        if ex.startswith("  nse scan "):
            parse_args(shlex.split(ex)[2:])


def test_scan_exit_statuses(netns: list[str]) -> None:
    r = _run(["scan"])
    assert r.returncode == 2 and "Usage: nse scan" in r.stdout
    r = _run(["scan", "--bogus", "127.0.0.1"])
    assert r.returncode == 2 and r.stderr.startswith("nse: error: unrecognized option")
    # a name that does not resolve: the rest is scanned, status 1
    r = subprocess.run(netns + NSE + ["scan", "-sT", "-p8081", "127.0.0.1",
                                      "no-such-host.invalid"],
                       capture_output=True, text=True, env=ENV, timeout=18)
    assert r.returncode == 1 and "Failed to resolve" in r.stderr
    assert "Nmap scan report for localhost (127.0.0.1)" in r.stdout or \
        "Nmap scan report for 127.0.0.1" in r.stdout


def test_top_level_and_subcommand_help() -> None:
    r = _run(["--help"])
    assert r.returncode == 0
    for cmd in ("scan", "lua", "convert", "script"):
        assert re.search(rf"\b{cmd}\b", r.stdout)
    for sub in (["lua", "--help"], ["convert", "--help"], ["script", "--help"]):
        r = _run(sub)
        assert r.returncode == 0 and "Usage:" in r.stdout, sub


def test_vv_and_d_lines_as_nmap(netns: list[str]) -> None:
    """-vv: "Scanned at ... for Ns" under "Host is up"; -d: also the timing report after
    the "Starting" line and "Final times for host" after the port table."""
    r = subprocess.run(netns + NSE + ["scan", "-d", "-sT", "-n", "-p8081,8082", "127.0.0.1"],
                       capture_output=True, text=True, env=ENV, timeout=18)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1:9] == [
        "--------------- Timing report ---------------",
        "  hostgroups: min 1, max 256",
        "  rtt-timeouts: init 1000, min 100, max 10000",
        "  max-scan-delay: TCP 1000, UDP 1000, SCTP 1000",
        "  parallelism: min 0, max 0",
        "  max-retries: 10, host-timeout: 0",
        "  min-rate: 0, max-rate: 0",
        "---------------------------------------------"]
    up = lines.index(next(x for x in lines if x.startswith("Host is up, received ")))
    assert re.fullmatch(r"Scanned at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \w+ for \d+s", lines[up + 1])
    final = [x for x in lines if x.startswith("Final times for host: ")]
    assert len(final) == 1 and re.fullmatch(
        r"Final times for host: srtt: \d+ rttvar: \d+  to: \d+", final[0])
    assert lines.index(final[0]) > lines.index(next(x for x in lines if x.startswith("8082/")))
    r = subprocess.run(netns + NSE + ["scan", "-vv", "-sT", "-n", "-p8081", "127.0.0.1"],
                       capture_output=True, text=True, env=ENV, timeout=18)
    assert "Scanned at " in r.stdout and "Timing report" not in r.stdout
    assert "Final times" not in r.stdout


@pytest.fixture(scope="module")
def segment() -> Iterator[list[str]]:
    """Two namespaces joined by a veth pair (10.77.0.1 here, 10.77.0.2 there): the argv
    prefix of the scanning side."""
    if not IS_ROOT:
        pytest.skip("needs root")
    a, b = f"nseSa{os.getpid()}", f"nseSb{os.getpid()}"
    va, vb = f"vSa{os.getpid() % 100000}", f"vSb{os.getpid() % 100000}"
    try:
        for cmd in (["ip", "netns", "add", a], ["ip", "netns", "add", b],
                    ["ip", "link", "add", va, "type", "veth", "peer", "name", vb],
                    ["ip", "link", "set", va, "netns", a], ["ip", "link", "set", vb, "netns", b],
                    ["ip", "-n", a, "addr", "add", "10.77.0.1/24", "dev", va],
                    ["ip", "-n", b, "addr", "add", "10.77.0.2/24", "dev", vb],
                    ["ip", "-n", a, "link", "set", va, "up"],
                    ["ip", "-n", b, "link", "set", vb, "up"]):
            subprocess.run(cmd, check=True)
        yield ["ip", "netns", "exec", a]
    finally:
        subprocess.run(["ip", "netns", "del", a], check=False)
        subprocess.run(["ip", "netns", "del", b], check=False)


def _mask(line: str) -> str:
    line = re.sub(r"\(\d+\.\d{4}s\)", "(T)", line)
    line = re.sub(r"is-at [0-9A-F:]{17}", "is-at MAC", line)
    return re.sub(r"(ttl|id|seq)=\d+", r"\1=N", line)


@pytest.mark.nmap
@pytest.mark.skipif(NMAP is None, reason="needs nmap")
@pytest.mark.parametrize("probe", [[], ["-PE", "--disable-arp-ping"]])
def test_discovery_trace_like_nmap(segment: list[str], probe: list[str]) -> None:
    """ARP and ICMP echo discovery on a veth segment: the same lines as nmap's."""
    args = ["-sn", "-n", *probe, "--packet-trace", "10.77.0.2"]
    ours = _trace(segment, NSE + ["scan"], args)
    theirs = _trace(segment, [NMAP or "nmap"], args)
    assert ours and sorted(map(_mask, ours)) == sorted(map(_mask, theirs)), (ours, theirs)
