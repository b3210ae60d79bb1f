"""Probing live loopback servers with a small probe file (short waits keep this fast)."""

from __future__ import annotations

import time

import pytest

from nse.scan.model import Host, Port
from nse.scan.vscan import apply_result, service_column, service_info, version_column
from nse.scan.vscan.engine import parallelism_for, probe_service, run_services
from nse.scan.vscan.probes import parse_probe_text
from tests.vscan import servers as S

PROBES = r"""
Probe TCP NULL q||
totalwaitms 400
tcpwrappedms 300
match ssh m|^SSH-([\d.]+)-OpenSSH_([\w.]+)| p/OpenSSH/ v/$2/ i/protocol $1/ o/Linux/ cpe:/a:openbsd:openssh:$2/ cpe:/o:linux:linux_kernel/
softmatch ftp m|^220 |
Probe TCP GetRequest q|GET / HTTP/1.0\r\n\r\n|
rarity 1
totalwaitms 400
match http m|^HTTP/1\.[01] \d\d\d .*\r\nServer: nginx/([\d.]+)|s p/nginx/ v/$1/ cpe:/a:nginx:nginx:$1/
softmatch http m|^HTTP/1\.[01] \d\d\d|
Probe TCP TLSHello q|{hello}|
rarity 1
totalwaitms 400
match ssl m|^\x16\x03[\x00-\x04]..\x02|s p/TLS/
Probe TCP FtpHelp q|HELP\r\n|
rarity 5
totalwaitms 400
match ftp m|^220 \(vsFTPd ([\d.]+)\)\r\n| p/vsftpd/ v/$1/
Probe TCP Rare q|RARE\r\n|
rarity 9
totalwaitms 400
match rare m|^RARE-OK| p/Rare/
Probe UDP Ping q|ping|
rarity 1
totalwaitms 400
match echo-udp m|^pong ([\d.]+)| p/pong server/ v/$1/
"""


@pytest.fixture(scope="module")
def db():
    text = PROBES.replace("{hello}", S.probe_escape(S.client_hello()))
    return parse_probe_text(text, "test.probes")


@pytest.fixture
def server():
    started: list[S.TcpServer | S.UdpServer] = []

    def start(handler, tls=None, udp=False):
        s = S.UdpServer(handler) if udp else S.TcpServer(handler, tls=tls)
        started.append(s)
        return s
    yield start
    for s in started:
        s.stop()


def test_banner_hard_match_on_null_probe(db, server) -> None:
    s = server(S.banner(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"))
    trace: list[str] = []
    r = probe_service(db, "127.0.0.1", s.port, "tcp", trace=trace.append)
    assert r.state == "hard" and r.match is not None
    assert r.match.service == "ssh"
    assert r.match.fields == {"product": "OpenSSH", "version": "9.2p1",
                              "extrainfo": "protocol 2.0", "ostype": "Linux"}
    assert trace[0].startswith("Service scan sending probe NULL to 127.0.0.1:")
    assert "matched with NULL line 5" in trace[1]


def test_http_after_null_times_out(db, server) -> None:
    s = server(S.http_handler("nginx/1.22.1"))
    trace: list[str] = []
    r = probe_service(db, "127.0.0.1", s.port, "tcp", trace=trace.append)
    assert r.state == "hard" and r.match is not None
    assert (r.match.service, r.match.fields["version"]) == ("http", "1.22.1")
    assert [t.split()[4] for t in trace if "sending probe" in t] == ["NULL", "GetRequest"]


def test_ssl_tunnel_is_detected_and_probed_inside(db, server) -> None:
    s = server(S.http_handler("nginx/1.25.0"), tls=S.tls_wrap())
    trace: list[str] = []
    r = probe_service(db, "127.0.0.1", s.port, "tcp", trace=trace.append)
    assert r.tunnel == "ssl"
    assert r.state == "hard" and r.match is not None and r.match.service == "http"
    assert r.match.fields["version"] == "1.25.0"
    assert any("speaks SSL" in t for t in trace)


def test_tcpwrapped(db, server) -> None:
    s = server(S.closer())
    r = probe_service(db, "127.0.0.1", s.port, "tcp")
    assert r.state == "tcpwrapped"


def test_soft_match_limits_later_probes(db, server) -> None:
    # "220 " soft-matches ftp on the NULL probe; only probes with ftp lines follow
    s = server(S.banner(b"220 (vsFTPd 3.0.3)\r\n", lambda c, d: b"214 help\r\n"))
    trace: list[str] = []
    r = probe_service(db, "127.0.0.1", s.port, "tcp", intensity=9, trace=trace.append)
    sent = [t.split()[4] for t in trace if "sending probe" in t]
    assert sent[0] == "NULL"
    assert "Rare" not in sent and "GetRequest" not in sent and "FtpHelp" in sent
    # the FtpHelp response ("214 help") does not match; the ftp line matches the banner
    # that the NULL fallback sees on FtpHelp's new connection
    assert r.match is not None and r.match.service == "ftp"
    assert r.state == "hard" and r.match.fields == {"product": "vsftpd", "version": "3.0.3"}


def test_intensity_skips_rare_probes(db, server) -> None:
    s = server(S.banner(b"", lambda c, d: b"RARE-OK\r\n" if d.startswith(b"RARE") else b"?\r\n"))
    r = probe_service(db, "127.0.0.1", s.port, "tcp", intensity=7)
    assert r.state == "nomatch"
    r = probe_service(db, "127.0.0.1", s.port, "tcp", intensity=9)
    assert r.state == "hard" and r.match is not None and r.match.service == "rare"


def test_udp_probe_and_closed_udp_port(db, server) -> None:
    s = server(lambda d: b"pong 1.5" if d == b"ping" else None, udp=True)
    r = probe_service(db, "127.0.0.1", s.port, "udp")
    assert r.state == "hard" and r.match is not None and r.match.fields["version"] == "1.5"
    assert r.responded
    port = s.port
    s.stop()
    r = probe_service(db, "127.0.0.1", port, "udp")
    assert r.closed and r.state == "nomatch"


def test_random_bytes_and_floods_end_within_the_probe_timeouts(db, server) -> None:
    for handler in (S.random_bytes(), S.flooder()):
        s = server(handler)
        t = time.monotonic()
        r = probe_service(db, "127.0.0.1", s.port, "tcp", intensity=9)
        spent = time.monotonic() - t
        assert r.state == "nomatch"
        assert r.fingerprint and all(len(data) <= 2 * 4096 for _, data in r.fingerprint)
        # 5 TCP probes of 0.4 s each: the bound is the probes' own timeouts, never the
        # server's (the flooder would send 4 MiB, the random server answers forever)
        assert spent < 5 * 0.4 + 3.0


def test_results_written_to_ports_and_columns(db, server) -> None:
    ssh = server(S.banner(b"SSH-2.0-OpenSSH_9.2p1\r\n"))
    tls = server(S.http_handler("nginx/1.25.0"), tls=S.tls_wrap())
    h = Host("127.0.0.1", up=True)
    jobs = []
    for s in (ssh, tls):
        p = Port(s.port, "tcp", "open", service="unknown")
        h.ports[("tcp", s.port)] = p
        jobs.append((p,))

    def work(p: Port, budget) -> None:
        apply_result(p, probe_service(db, "127.0.0.1", p.number, "tcp", budget=budget))
    run_services(jobs, 2, work)
    p1, p2 = h.ports[("tcp", ssh.port)], h.ports[("tcp", tls.port)]
    assert p1.service == "ssh" and p1.version["service_dtype"] == "probed"
    assert p1.version["name_confidence"] == 10
    assert p1.version["cpe"] == ["cpe:/a:openbsd:openssh:9.2p1", "cpe:/o:linux:linux_kernel"]
    assert version_column(p1) == "OpenSSH 9.2p1 (protocol 2.0)"
    assert service_column(p2) == "ssl/http" and version_column(p2) == "nginx 1.25.0"
    assert service_info([p1, p2]) == "Service Info: OS: Linux; CPE: cpe:/o:linux:linux_kernel"


def test_no_match_keeps_table_name_with_question_mark(db, server) -> None:
    s = server(S.banner(b"hello there\r\n"))
    p = Port(s.port, "tcp", "open", service="http-alt")
    apply_result(p, probe_service(db, "127.0.0.1", s.port, "tcp"))
    assert p.service == "http-alt" and p.version["service_dtype"] == "table"
    assert service_column(p) == "http-alt?"
    assert p.version["service_fp"].startswith(f"SF-Port{s.port}-TCP:V=nse")
    assert "%r(NULL,D,\"hello\\x20there\\r\\n\")" in p.version["service_fp"].replace("\nSF:", "")


@pytest.mark.parametrize("level,lo,hi,want", [(3, None, None, 20), (4, None, None, 30),
                                              (5, None, None, 40), (2, None, None, 1),
                                              (4, None, 5, 5), (2, 10, None, 10)])
def test_parallelism(level, lo, hi, want) -> None:
    assert parallelism_for(level, lo, hi) == want


def test_speculative_probes_give_the_sequential_result(db, server) -> None:
    from nse.scan.vscan.engine import _Budget

    def late_banner(conn) -> None:
        # speaks after 0.2 s: the NULL probe gets data, so speculative probes started
        # while it listened must be thrown away and rerun after it
        time.sleep(0.2)
        S.banner(b"220 (vsFTPd 3.0.3)\r\n", lambda c, d: b"214 help\r\n")(conn)

    cases = [
        late_banner,
        S.banner(b"220 (vsFTPd 3.0.3)\r\n", lambda c, d: b"214 help\r\n"),
        S.banner(b"", lambda c, d: b"RARE-OK\r\n" if d.startswith(b"RARE") else b"?\r\n"),
        S.http_handler("nginx/1.22.1"),
        S.random_bytes(),
    ]
    for handler in cases:
        s = server(handler)
        seq = probe_service(db, "127.0.0.1", s.port, "tcp", intensity=9)
        budget = _Budget(10)
        budget.active = 1
        trace: list[str] = []
        spec = probe_service(db, "127.0.0.1", s.port, "tcp", intensity=9, budget=budget,
                             trace=trace.append)
        assert (spec.state, spec.match) == (seq.state, seq.match)
        assert [n for n, _ in spec.fingerprint] == [n for n, _ in seq.fingerprint]
        if handler is late_banner:
            # GetRequest was started while the NULL probe listened, then discarded: the
            # soft ftp match from the banner rules it out of the sequential order
            assert any("probe GetRequest" in t for t in trace)
            assert spec.match is not None and spec.match.fields.get("product") == "vsftpd"
        assert budget.lent == 0  # every borrowed slot was given back


def test_budget_never_lends_beyond_the_limit() -> None:
    from nse.scan.vscan.engine import _Budget

    b = _Budget(5)
    b.active = 3
    assert b.borrow(4) == 2 and b.borrow(4) == 0
    b.give_back(2)
    assert b.borrow(1) == 1


def test_run_version_scan_options_and_threads(db, server, tmp_path) -> None:
    """--version-all / --version-light as attributes of any options object, a trace
    callable, and a call from a worker thread (the scanner may run in one)."""
    import threading
    import types

    from nse.scan.vscan import run_version_scan

    path = tmp_path / "p.probes"
    path.write_text(PROBES.replace("{hello}", S.probe_escape(S.client_hello())),
                    encoding="latin-1")
    s = server(S.banner(b"", lambda c, d: b"RARE-OK\r\n" if d.startswith(b"RARE") else b"?\r\n"))

    def scan(**kw) -> Port:
        h = Host("127.0.0.1", up=True)
        p = Port(s.port, "tcp", "open", service="x")
        h.ports[("tcp", s.port)] = p
        trace: list[str] = []
        opts = types.SimpleNamespace(versiondb=str(path), version_trace=trace.append,
                                     timing=types.SimpleNamespace(level=4), **kw)
        t = threading.Thread(target=run_version_scan, args=([h], opts))
        t.start()
        t.join(60)
        assert trace and all(line.startswith("Service scan") for line in trace)
        return p

    assert scan(version_all=True).version["name"] == "rare"
    assert scan(version_light=True).version["service_dtype"] == "table"
    assert scan(version_intensity=9).version["product"] == "Rare"


def test_host_timeout_leaves_ports_unprobed(db, server, tmp_path) -> None:
    import types

    from nse.scan.vscan import run_version_scan

    path = tmp_path / "p.probes"
    path.write_text(PROBES.replace("{hello}", S.probe_escape(S.client_hello())),
                    encoding="latin-1")
    s = server(S.banner(b"", lambda c, d: b"?\r\n"))  # never matches: needs every probe
    h = Host("127.0.0.1", up=True)
    p = Port(s.port, "tcp", "open", service="x")
    h.ports[("tcp", s.port)] = p
    opts = types.SimpleNamespace(versiondb=str(path), version_intensity=9,
                                 timing=types.SimpleNamespace(level=3, host_timeout=0.3))
    run_version_scan([h], opts)
    assert p.version == {} and p.service == "x"  # cut short: the port-scan result stays
