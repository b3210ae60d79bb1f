"""The real-daemon lab: every service answers its own protocol, on the namespace's loopback
and from the client namespace over the bridge; teardown leaves nothing behind; a daemon
that cannot start is named with its log; a killed run's lab is removed by the next one."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tools.lab.daemons import (
    DaemonError,
    DaemonLab,
    available_services,
    dns_query,
    snmp_get_sysdescr,
)
from tools.lab.lab import _netns_list

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

pytestmark = [
    pytest.mark.root,
    pytest.mark.lab,
    pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("ip"), reason="needs root and ip"),
]

WHERE = ["loopback", "bridge"]


@contextlib.contextmanager
def connect(lab: DaemonLab, service: str, where: str,
            type: int = socket.SOCK_STREAM) -> Iterator[socket.socket]:
    """A connected socket to ``service``: from inside the daemon namespace to 127.0.0.1, or
    from the client namespace to the daemon's bridge address."""
    if service not in lab.ports:
        pytest.skip(f"{service} not running (daemon not installed)")
    s = lab.socket(type=type, client=where == "bridge")
    s.settimeout(10)
    with s:
        s.connect(("127.0.0.1" if where == "loopback" else lab.ip, lab.ports[service]))
        yield s


def line(s: socket.socket | ssl.SSLSocket) -> bytes:
    buf = b""
    while not buf.endswith(b"\n"):
        c = s.recv(1)
        if not c:
            break
        buf += c
    return buf


def until(s: socket.socket | ssl.SSLSocket, end: bytes) -> bytes:
    buf = b""
    while not buf.endswith(end):
        c = s.recv(4096)
        if not c:
            break
        buf += c
    return buf


def exactly(s: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        c = s.recv(n - len(buf))
        assert c, f"connection closed after {len(buf)} of {n} bytes"
        buf += c
    return buf


def tls(s: socket.socket) -> ssl.SSLSocket:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx.wrap_socket(s, server_hostname="lab.test")


def cert_cn(t: ssl.SSLSocket) -> str:
    from cryptography import x509

    der = t.getpeercert(binary_form=True)
    assert der
    cert = x509.load_der_x509_certificate(der)
    return str(cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value)


def test_lab_namespaces_and_addresses(daemon_lab: DaemonLab) -> None:
    lab = daemon_lab
    assert {lab.ns, lab.client_ns} <= set(_netns_list())
    addrs = lab.run(["ip", "-4", "-o", "addr", "show"]).stdout
    assert "127.0.0.1/8" in addrs and f"{lab.ip}/24" in addrs
    want = set(available_services())
    assert set(lab.ports) == want
    assert lab.ports.get("mysql", 3306) == 3306 and lab.protos.get("dns", "udp") == "udp"
    # nothing listens in the client namespace
    assert lab.run_client(["ss", "-Hlntu"]).stdout.strip() == ""


@pytest.mark.parametrize("where", WHERE)
def test_http(daemon_lab: DaemonLab, where: str) -> None:
    with connect(daemon_lab, "http", where) as s:
        s.sendall(b"GET / HTTP/1.0\r\nHost: lab.test\r\n\r\n")
        r = until(s, b"</html>\n")
    assert r.startswith(b"HTTP/1.1 200 OK\r\n") and b"Server: nginx" in r
    assert b"<title>nse lab</title>" in r
    with connect(daemon_lab, "http", where) as s:
        s.sendall(b"GET /nothing-here HTTP/1.0\r\n\r\n")
        assert line(s).startswith(b"HTTP/1.1 404")


@pytest.mark.parametrize("where", WHERE)
def test_http_alt_lighttpd(daemon_lab: DaemonLab, where: str) -> None:
    with connect(daemon_lab, "http-alt", where) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: lab.test\r\nConnection: close\r\n\r\n")
        r = until(s, b"</html>\n")
    assert r.startswith(b"HTTP/1.1 200 OK\r\n") and b"Server: lighttpd/1.4." in r
    assert b"<title>nse lab</title>" in r


@pytest.mark.parametrize("where", WHERE)
def test_telnet_negotiates(daemon_lab: DaemonLab, where: str) -> None:
    with connect(daemon_lab, "telnet", where) as s:
        first = exactly(s, 3)
    # RFC 854: IAC (255) then DO/DONT/WILL/WONT (253/254/251/252) and an option code
    assert first[0] == 255 and first[1] in (251, 252, 253, 254)


@pytest.mark.parametrize("where", WHERE)
def test_https(daemon_lab: DaemonLab, where: str) -> None:
    with connect(daemon_lab, "https", where) as s, tls(s) as t:
        assert t.version() in ("TLSv1.2", "TLSv1.3")
        assert cert_cn(t) == "lab.test"
        t.sendall(b"GET /robots.txt HTTP/1.0\r\nHost: lab.test\r\n\r\n")
        r = until(t, b"/private/\n")
    assert r.startswith(b"HTTP/1.1 200 OK\r\n") and r.endswith(b"Disallow: /private/\n")


@pytest.mark.parametrize("where", WHERE)
def test_ssh_banner(daemon_lab: DaemonLab, where: str) -> None:
    with connect(daemon_lab, "ssh", where) as s:
        assert line(s).startswith(b"SSH-2.0-OpenSSH_")


@pytest.mark.parametrize("where", WHERE)
def test_ftp_anonymous(daemon_lab: DaemonLab, where: str) -> None:
    with connect(daemon_lab, "ftp", where) as s:
        assert line(s).startswith(b"220 (vsFTPd ")
        s.sendall(b"USER anonymous\r\n")
        assert line(s).startswith(b"230")  # no_anon_password: logged in at once
        s.sendall(b"SYST\r\n")
        assert line(s) == b"215 UNIX Type: L8\r\n"
        s.sendall(b"CWD /pub\r\n")
        assert line(s).startswith(b"250")
        s.sendall(b"QUIT\r\n")
        assert line(s).startswith(b"221")


@pytest.mark.parametrize("where", WHERE)
def test_smtp_starttls(daemon_lab: DaemonLab, where: str) -> None:
    with connect(daemon_lab, "smtp", where) as s:
        banner = line(s)
        assert banner.startswith(b"220 lab.test ESMTP Exim 4.")
        s.sendall(b"EHLO client.test\r\n")
        ehlo = b""
        while not ehlo.endswith(b"\r\n") or b"250 " not in ehlo.splitlines()[-1]:
            ehlo += line(s)
        assert b"250-STARTTLS" in ehlo or b"250 STARTTLS" in ehlo
        s.sendall(b"MAIL FROM:<a@client.test>\r\n")
        assert line(s).startswith(b"250")
        s.sendall(b"RCPT TO:<b@elsewhere.test>\r\n")
        assert line(s).startswith(b"550")  # no relaying
        s.sendall(b"STARTTLS\r\n")
        assert line(s).startswith(b"220")
        with tls(s) as t:
            assert cert_cn(t) == "lab.test"
            t.sendall(b"NOOP\r\n")
            assert line(t).startswith(b"250")


@pytest.mark.parametrize("where", WHERE)
def test_pop3_and_pop3s(daemon_lab: DaemonLab, where: str) -> None:
    with connect(daemon_lab, "pop3", where) as s:
        assert line(s).startswith(b"+OK Dovecot")
        s.sendall(b"CAPA\r\n")
        capa = until(s, b"\r\n.\r\n")
        assert b"\r\nSTLS\r\n" in capa
        s.sendall(b"USER lab\r\n")
        assert line(s).startswith(b"+OK")
        s.sendall(b"PASS lab\r\n")
        assert line(s).startswith(b"+OK")
        s.sendall(b"STAT\r\n")
        assert line(s) == b"+OK 0 0\r\n"
    with connect(daemon_lab, "pop3s", where) as s, tls(s) as t:
        assert cert_cn(t) == "lab.test"
        assert line(t).startswith(b"+OK Dovecot")


@pytest.mark.parametrize("where", WHERE)
def test_imap_and_imaps(daemon_lab: DaemonLab, where: str) -> None:
    with connect(daemon_lab, "imap", where) as s:
        greeting = line(s)
        assert greeting.startswith(b"* OK") and b"STARTTLS" in greeting
        s.sendall(b"a1 LOGIN lab lab\r\n")
        r = line(s)
        while r.startswith(b"* "):  # untagged lines (CAPABILITY) before the tagged reply
            r = line(s)
        assert r.startswith(b"a1 OK")
    with connect(daemon_lab, "imaps", where) as s, tls(s) as t:
        assert line(t).startswith(b"* OK")
        t.sendall(b"a1 CAPABILITY\r\n")
        assert b"IMAP4rev1" in line(t)


@pytest.mark.parametrize("where", WHERE)
def test_redis(daemon_lab: DaemonLab, where: str) -> None:
    with connect(daemon_lab, "redis", where) as s:
        s.sendall(b"PING\r\n")
        assert line(s) == b"+PONG\r\n"
        s.sendall(b"*3\r\n$3\r\nSET\r\n$3\r\nlab\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nlab\r\n")
        assert until(s, b"value\r\n") == b"+OK\r\n$5\r\nvalue\r\n"


@pytest.mark.parametrize("where", WHERE)
def test_memcached(daemon_lab: DaemonLab, where: str) -> None:
    with connect(daemon_lab, "memcached", where) as s:
        s.sendall(b"stats\r\n")
        stats = until(s, b"END\r\n")
        assert stats.startswith(b"STAT pid ") and b"STAT version 1." in stats
        s.sendall(b"set k 0 0 2\r\nhi\r\nget k\r\n")
        assert until(s, b"END\r\n") == b"STORED\r\nVALUE k 0 2\r\nhi\r\nEND\r\n"


def _a_answer(msg: bytes, qid: int, ip: str) -> None:
    assert msg[:2] == qid.to_bytes(2, "big")
    assert msg[2] & 0x80 and msg[3] & 0x0F == 0  # a response, RCODE 0 (NOERROR)
    assert int.from_bytes(msg[6:8], "big") >= 1  # ANCOUNT
    # the A record's RDLENGTH and RDATA end the message (no authority/additional here)
    assert msg.endswith(b"\x00\x04" + socket.inet_aton(ip))


@pytest.mark.parametrize("where", WHERE)
def test_dns_udp_and_tcp(daemon_lab: DaemonLab, where: str) -> None:
    with connect(daemon_lab, "dns", where, socket.SOCK_DGRAM) as s:
        s.send(dns_query("www.lab.test", qid=0x1234))
        _a_answer(s.recv(4096), 0x1234, daemon_lab.ip)
        s.send(dns_query("nonexistent.lab.test", qid=0x1235))
        assert s.recv(4096)[3] & 0x0F == 3  # NXDOMAIN
    with connect(daemon_lab, "dns", where) as s:
        q = dns_query("lab.test", qid=0x4321)
        s.sendall(len(q).to_bytes(2, "big") + q)
        n = int.from_bytes(exactly(s, 2), "big")  # RFC 1035 4.2.2: length prefix
        _a_answer(exactly(s, n), 0x4321, daemon_lab.ip)


def _ber(data: bytes, i: int) -> tuple[int, bytes, int]:
    """(tag, value, next index) of the BER TLV at ``i`` (definite lengths)."""
    tag, n = data[i], data[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(data[i:i + k], "big")
        i += k
    return tag, data[i:i + n], i + n


@pytest.mark.parametrize("where", WHERE)
def test_snmp_sysdescr(daemon_lab: DaemonLab, where: str) -> None:
    with connect(daemon_lab, "snmp", where, socket.SOCK_DGRAM) as s:
        s.send(snmp_get_sysdescr(request_id=0x0777))
        msg = s.recv(4096)
    tag, body, _ = _ber(msg, 0)
    assert tag == 0x30
    _, version, i = _ber(body, 0)
    _, community, i = _ber(body, i)
    pdu_tag, pdu, _ = _ber(body, i)
    assert (version, community, pdu_tag) == (b"\0", b"public", 0xA2)  # GetResponse
    _, reqid, i = _ber(pdu, 0)
    _, error, i = _ber(pdu, i)
    assert (reqid, error) == (b"\x07\x77", b"\0")
    _, _, i = _ber(pdu, i)  # error index
    _, varbinds, _ = _ber(pdu, i)
    _, vb, _ = _ber(varbinds, 0)
    _, oid, j = _ber(vb, 0)
    vtag, value, _ = _ber(vb, j)
    assert oid == bytes([0x2B, 6, 1, 2, 1, 1, 1, 0]) and vtag == 0x04
    assert value.startswith(b"Linux ")


@pytest.mark.skipif(not shutil.which("snmpget"), reason="snmp package not installed")
def test_snmpget_cli(daemon_lab: DaemonLab) -> None:
    if "snmp" not in daemon_lab.ports:
        pytest.skip("snmpd not running")
    r = daemon_lab.run_client(["snmpget", "-v2c", "-c", "public", "-On", "-t", "3",
                               daemon_lab.ip, "1.3.6.1.2.1.1.6.0"], timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == '.1.3.6.1.2.1.1.6.0 = STRING: "nse lab"'


@pytest.mark.parametrize("where", WHERE)
def test_mysql_handshake(daemon_lab: DaemonLab, where: str) -> None:
    with connect(daemon_lab, "mysql", where) as s:
        head = exactly(s, 4)
        pkt = exactly(s, int.from_bytes(head[:3], "little"))
    assert head[3] == 0 and pkt[0] == 10  # sequence 0, protocol version 10
    version = pkt[1:pkt.index(b"\0", 1)]
    assert b"MariaDB" in version


@pytest.mark.nmap
@pytest.mark.skipif(not shutil.which("nmap"), reason="nmap not installed")
def test_nmap_sees_every_tcp_port(daemon_lab: DaemonLab) -> None:
    tcp = sorted(p for s, p in daemon_lab.ports.items() if daemon_lab.protos[s] == "tcp")
    if not tcp:
        pytest.skip("no tcp daemon")
    ports = ",".join(map(str, tcp))
    for run, target in ((daemon_lab.run, "127.0.0.1"), (daemon_lab.run_client, daemon_lab.ip)):
        r = run(["nmap", "-n", "-Pn", "-sT", "-oG", "-", "-p", ports, target], timeout=120)
        assert r.returncode == 0, r.stderr
        assert r.stdout.count("/open/tcp//") == len(tcp), r.stdout


# -- life cycle (labs of their own, next to the session lab) --------------------------------

def _ns_pids(ns: str) -> list[int]:
    out = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif("memcached" not in available_services(), reason="memcached missing")
def test_teardown_leaves_nothing_behind() -> None:
    lab = DaemonLab(["memcached"]).up()
    nss = [n for n in _netns_list() if n.startswith(lab.lab.prefix + "-")]
    assert sorted(nss) == sorted([lab.ns, lab.client_ns, lab.lab.sw])
    pids = _ns_pids(lab.ns)
    assert pids and all(_alive(p) for p in pids)
    tmp = lab.tmpdir
    lab.down()
    assert not [n for n in _netns_list() if n.startswith(lab.lab.prefix + "-")]
    assert not any(_alive(p) for p in pids)
    assert not os.path.exists(tmp)
    lab.down()  # idempotent


@pytest.mark.skipif(not {"redis", "memcached"} <= set(available_services()),
                    reason="redis / memcached missing")
def test_a_daemon_that_fails_is_named_with_its_log() -> None:
    with DaemonLab(["memcached"]) as lab:
        squat = lab.socket()
        squat.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squat.bind(("0.0.0.0", 6379))
        squat.listen(1)
        with squat, pytest.raises(DaemonError) as e:
            lab.add(["redis"])
    msg = str(e.value)
    assert msg.startswith("daemon redis (redis) exited with status 1")
    assert "Address already in use" in msg


def test_unknown_service_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown services"):
        DaemonLab(["gopher"])


@pytest.mark.skipif("memcached" not in available_services(), reason="memcached missing")
def test_lab_of_a_killed_run_is_removed_by_the_next() -> None:
    code = ("import sys, time; sys.path.insert(0, %r)\n"
            "from tools.lab.daemons import DaemonLab\n"
            "lab = DaemonLab(['memcached']).up()\n"
            "print(lab.ns, lab.tmpdir, flush=True)\n"
            "time.sleep(600)\n" % ROOT)
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None
    ns, tmp = p.stdout.readline().split()
    pids = _ns_pids(ns)
    p.send_signal(signal.SIGKILL)
    p.wait()
    p.stdout.close()
    assert ns in _netns_list() and all(_alive(x) for x in pids)  # left behind
    with DaemonLab([]):
        assert ns not in _netns_list()
        assert not any(_alive(x) for x in pids)
        assert not os.path.exists(tmp)


@pytest.mark.skipif("memcached" not in available_services(), reason="memcached missing")
def test_sigterm_tears_the_lab_down() -> None:
    code = ("import sys, time; sys.path.insert(0, %r)\n"
            "from tools.lab.daemons import DaemonLab\n"
            "lab = DaemonLab(['memcached']).up()\n"
            "print(lab.ns, lab.tmpdir, flush=True)\n"
            "time.sleep(600)\n" % ROOT)
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None
    ns, tmp = p.stdout.readline().split()
    pids = _ns_pids(ns)
    p.terminate()
    assert p.wait(timeout=30) == -signal.SIGTERM  # still dies of the signal
    p.stdout.close()
    assert ns not in _netns_list() and not os.path.exists(tmp)
    assert not any(_alive(x) for x in pids)


def test_shared_lab_is_the_session_lab(daemon_lab: DaemonLab) -> None:
    from tools.lab.daemons import release, shared

    lab = shared([])
    try:
        assert lab is daemon_lab
    finally:
        release()
    assert lab.ns in _netns_list()  # the session fixture still holds it


@pytest.mark.skipif("memcached" not in available_services(), reason="memcached missing")
def test_cli_up_status_down() -> None:
    env = {**os.environ, "PYTHONPATH": ROOT}
    cli = [sys.executable, "-m", "tools.lab.daemons"]
    r = subprocess.run(cli + ["up", "--services", "memcached", "--detach"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    try:
        assert info["ports"] == {"memcached": 11211}
        st = json.loads(subprocess.run(cli + ["status"], cwd=ROOT, env=env,
                                       capture_output=True, text=True, timeout=30).stdout)
        mine = [lab for lab in st if lab["ns"] == info["ns"]]
        assert mine and mine[0]["owner_alive"] and "11211/tcp" in mine[0]["listening"]
    finally:
        subprocess.run(cli + ["down", "--ns", info["ns"]], cwd=ROOT, env=env, capture_output=True, timeout=60)
    deadline = time.monotonic() + 10
    while info["ns"] in _netns_list() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert info["ns"] not in _netns_list()
