"""``--script-trace``: our ``NSE:`` socket trace lines against nmap 7.93's.

* :func:`hexify` against payload renderings recorded from nmap 7.93 (byte tables);
* a script of this file exercising every traced event (connect, send, every receive
  call, an empty send, a refused TCP connect, UDP connect/send, sendto, double close)
  against a loopback echo server: our whole screen output equals nmap's once the NSOCK
  INFO lines (nsock's own log, not reproduced), ephemeral ports and times are set aside;
  the same for TLS: an "ssl" connect, STARTTLS with ``reconnect_ssl`` (the trace shows
  the plaintext), and an "ssl" connect to a server that does not speak TLS;
* nmap's ``banner,http-title`` against ``python -m http.server`` on port 80 of a
  network namespace of our own: the same connections carry the same bytes in the same
  order (compared per connection: the two scripts run concurrently, and nmap sends
  its HTTP headers in Lua hash order, which varies between runs).

Only 127.0.0.1 is scanned, on ports these tests bind.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from nse.output.scripttrace import ScriptTracer, hexify, trace_line

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NMAP = shutil.which("nmap")
needs_nmap = pytest.mark.skipif(NMAP is None, reason="needs nmap")

#: payload -> nmap 7.93's rendering (recorded from its --script-trace output)
HEXIFY_CASES = [
    (b"hello there\r\n",
     "00000000: 68 65 6c 6c 6f 20 74 68 65 72 65 0d 0a          hello there  \n"),
    (b"bin" + bytes(range(21)) + b" end",
     "00000000: 62 69 6e 00 01 02 03 04 05 06 07 08 09 0a 0b 0c bin             \n"
     "00000010: 0d 0e 0f 10 11 12 13 14 20 65 6e 64                      end\n"),
    (b"mostly printable text with one \x01 byte in it, long enough to pass 95 percent",
     "mostly printable text with one   \\1 byte in it, long enough to pass 95 percent"),
    (b"", ""),
    (b"quit\n", "00000000: 71 75 69 74 0a                                  quit \n"),
]


@pytest.mark.parametrize(("payload", "want"), HEXIFY_CASES)
def test_hexify_equals_nmaps_rendering(payload: bytes, want: str) -> None:
    assert hexify(payload) == want
    assert hexify(payload.decode("latin-1")) == want  # a Lua string: one char per byte


def test_tracer_lines_without_network() -> None:
    """A socket that never connected and was never used prints nothing on close; one
    with sendto names its target; the local end of an unbound socket is 0.0.0.0:0."""
    lines: list[str] = []

    class Fake:
        protocol = "udp"
        sock = None

    tr = ScriptTracer(lines.append)
    s = Fake()
    tr.close(s)
    assert lines == []
    tr.data(s, "x", ">", ("127.0.0.1", 53))
    tr.event(s, "SEND")
    tr.close(s)
    tr.close(s)
    assert lines == [trace_line("UDP", ("0.0.0.0", 0), ">", ("127.0.0.1", 53), m)
                     for m in ("x", "SEND", "CLOSE")]
    assert lines[0] == "NSE: UDP 0.0.0.0:0 > 127.0.0.1:53 | x\n"


# ----------------------------------------------------------------- against nmap (loopback)

TRACE_NSE = r"""
local nmap = require "nmap"
local stdnse = require "stdnse"
description = [[Exercises every traced socket event.]]
categories = {"safe"}
hostrule = function(host) return true end
action = function(host)
  local port = tonumber(stdnse.get_script_args("tracecheck.port"))
  local closed = tonumber(stdnse.get_script_args("tracecheck.closed"))
  local s = nmap.new_socket()
  s:set_timeout(2000)
  s:connect(host, port)
  s:send("hello there\r\n")
  s:receive_lines(1)
  s:send("bin\0\1\2\3\4\5\6\7\8\9\10\11\12\13\14\15\16\17\18\19\20 end")
  s:receive_bytes(5)
  s:send("mostly printable text with one \1 byte in it, long enough to pass 95 percent")
  s:receive()
  s:send(string.rep("a", 40) .. "\233")
  s:receive()
  s:send("one\ntwo\n")
  local _, first = s:receive_buf("\n", false)
  local _, second = s:receive_buf("\n", true)
  s:send("")
  s:send("quit\n")
  s:receive()
  s:receive()
  s:close()
  s:close()
  local c = nmap.new_socket()
  c:set_timeout(1000)
  c:connect(host, closed)
  c:close()
  local u = nmap.new_socket("udp")
  u:set_timeout(300)
  u:connect(host, closed, "udp")
  u:send("ping")
  u:receive()
  u:close()
  local t = nmap.new_socket("udp")
  t:set_timeout(300)
  t:sendto(host, closed, "first")
  t:sendto(host, closed, "second")
  t:close()
  return first .. "|" .. second
end
"""


@pytest.fixture()
def echo_port() -> Iterator[tuple[int, int]]:
    """(echo server port, a closed port): the server sends back what it reads and
    answers "quit" with "bye\\n" and a close; the second port is bound, not listening."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    stop = threading.Event()

    def serve(c: socket.socket) -> None:
        with c:
            while True:
                try:
                    d = c.recv(4096)
                except OSError:
                    return
                if not d:
                    return
                if d.startswith(b"quit"):
                    c.sendall(b"bye\n")
                    return
                c.sendall(d)

    def accept() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                c, _ = srv.accept()
            except OSError:
                continue
            threading.Thread(target=serve, args=(c,), daemon=True).start()

    th = threading.Thread(target=accept, daemon=True)
    th.start()
    try:
        yield srv.getsockname()[1], closed.getsockname()[1]
    finally:
        stop.set()
        th.join(5)
        srv.close()
        closed.close()


def _run(cmd: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": ROOT})


def _ours(args: list[str]) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "nse.cli", "scan", *args])


_LOCAL = re.compile(r"^NSE: (TCP|UDP) ([0-9a-f.:]+):(\d+) ([<>]) ", re.M)


def normalise(text: str) -> str:
    """The screen output without nsock's own log lines, the start line, latencies and
    times; each local (ephemeral) port becomes L1, L2, ... in order of appearance."""
    kept = [x for x in text.split("\n")
            if not x.startswith(("NSOCK ", "Starting Nmap ", "Starting nse "))]
    out = "\n".join(kept)
    out = re.sub(r" \(\d+\.\d+s latency\)", "", out)
    out = re.sub(r"scanned in \d+\.\d+ seconds", "scanned in T seconds", out)
    ports: dict[str, str] = {}

    def local(m: re.Match[str]) -> str:
        p = m.group(3)
        if p != "0":
            p = ports.setdefault(p, f"L{len(ports) + 1}")
        return f"NSE: {m.group(1)} {m.group(2)}:{p} {m.group(4)} "

    return _LOCAL.sub(local, out)


@needs_nmap
@pytest.mark.nmap
@pytest.mark.parametrize("option", ["--script-trace", "--packet-trace"])
def test_trace_equals_nmaps(tmp_path: str, echo_port: tuple[int, int], option: str) -> None:
    """Every traced socket event, as nmap prints it, in nmap's order, among the normal
    output; --packet-trace turns the script trace on too (nmap's scriptTrace())."""
    script = os.path.join(tmp_path, "tracecheck.nse")
    with open(script, "w") as f:
        f.write(TRACE_NSE)
    port, closed = echo_port
    args = ["-Pn", "-sn", "--script", script, "--script-args",
            f"tracecheck.port={port},tracecheck.closed={closed}", option, "127.0.0.1"]
    ours = _ours(args)
    assert ours.returncode == 0, ours.stderr
    assert NMAP is not None
    theirs = _run([NMAP, *args])
    assert theirs.returncode == 0, theirs.stderr
    want = normalise(theirs.stdout)
    assert "|_tracecheck: one|two\n" in want  # the script ran to its end under nmap
    if option == "--packet-trace":
        # our ping-free -sn run sends no packet: nmap prints none either, but keep the
        # comparison to the script trace should that ever differ
        ours_lines = [x for x in normalise(ours.stdout).split("\n")
                      if not x.startswith(("SENT ", "RCVD ", "CONN "))]
        want_lines = [x for x in want.split("\n")
                      if not x.startswith(("SENT ", "RCVD ", "CONN "))]
        assert ours_lines == want_lines
    else:
        assert normalise(ours.stdout) == want


@pytest.mark.nmap
def test_no_trace_without_the_option(tmp_path: str, echo_port: tuple[int, int]) -> None:
    script = os.path.join(tmp_path, "tracecheck.nse")
    with open(script, "w") as f:
        f.write(TRACE_NSE)
    port, closed = echo_port
    ours = _ours(["-Pn", "-sn", "--script", script, "--script-args",
                  f"tracecheck.port={port},tracecheck.closed={closed}", "127.0.0.1"])
    assert ours.returncode == 0, ours.stderr
    assert "NSE: " not in ours.stdout + ours.stderr
    assert "|_tracecheck: one|two" in ours.stdout


TLS_NSE = r"""
local nmap = require "nmap"
local stdnse = require "stdnse"
description = [[TLS socket events.]]
categories = {"safe"}
hostrule = function(host) return true end
action = function(host)
  local tls = tonumber(stdnse.get_script_args("tlstrace.tls"))
  local starttls = tonumber(stdnse.get_script_args("tlstrace.starttls"))
  local s = nmap.new_socket()
  s:set_timeout(3000)
  local ok1 = s:connect(host, tls, "ssl")
  s:send("hello over tls\n")
  local _, a = s:receive_lines(1)
  s:close()
  local p = nmap.new_socket()
  p:set_timeout(3000)
  p:connect(host, starttls)
  p:send("STARTTLS\n")
  p:receive_lines(1)
  local ok2 = p:reconnect_ssl()
  p:send("after starttls\n")
  local _, b = p:receive_lines(1)
  p:close()
  local q = nmap.new_socket()
  q:set_timeout(3000)
  local ok3 = q:connect(host, starttls, "ssl")
  q:close()
  return tostring(ok1) .. " " .. tostring(ok2) .. " " .. tostring(ok3) .. " " .. a .. b
end
"""


def _self_signed(tmp: str) -> tuple[str, str]:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    cp, kp = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    with open(cp, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(kp, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return cp, kp


@pytest.fixture()
def tls_ports(tmp_path: str) -> Iterator[tuple[int, int]]:
    """(TLS echo port, STARTTLS port): the first speaks TLS at once and echoes a line;
    the second answers "STARTTLS" with "OK", then speaks TLS and echoes a line (and,
    to a client starting with TLS at once, closes)."""
    import ssl

    cp, kp = _self_signed(str(tmp_path))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cp, kp)
    servers = [socket.socket(), socket.socket()]
    for srv in servers:
        srv.bind(("127.0.0.1", 0))
        srv.listen(8)
        srv.settimeout(0.2)
    stop = threading.Event()

    def echo_line(t: ssl.SSLSocket) -> None:
        line = b""
        while not line.endswith(b"\n"):
            d = t.recv(4096)
            if not d:
                return
            line += d
        t.sendall(b"echo:" + line)

    def handle(c: socket.socket, starttls: bool) -> None:
        with c:
            c.settimeout(5)
            try:
                if starttls:
                    if not c.recv(4096).startswith(b"STARTTLS"):
                        return
                    c.sendall(b"OK\n")
                with ctx.wrap_socket(c, server_side=True) as t:
                    echo_line(t)
            except (OSError, ssl.SSLError):
                return

    def accept(srv: socket.socket, starttls: bool) -> None:
        while not stop.is_set():
            try:
                c, _ = srv.accept()
            except OSError:
                continue
            threading.Thread(target=handle, args=(c, starttls), daemon=True).start()

    threads = [threading.Thread(target=accept, args=(srv, i == 1), daemon=True)
               for i, srv in enumerate(servers)]
    for th in threads:
        th.start()
    try:
        yield servers[0].getsockname()[1], servers[1].getsockname()[1]
    finally:
        stop.set()
        for th in threads:
            th.join(5)
        for srv in servers:
            srv.close()


@needs_nmap
@pytest.mark.nmap
def test_tls_trace_equals_nmaps(tmp_path: str, tls_ports: tuple[int, int]) -> None:
    script = os.path.join(tmp_path, "tlstrace.nse")
    with open(script, "w") as f:
        f.write(TLS_NSE)
    tls, starttls = tls_ports
    args = ["-Pn", "-sn", "--script", script, "--script-args",
            f"tlstrace.tls={tls},tlstrace.starttls={starttls}", "--script-trace", "127.0.0.1"]
    ours = _ours(args)
    assert ours.returncode == 0, ours.stderr
    assert NMAP is not None
    theirs = _run([NMAP, *args])
    want = normalise(theirs.stdout)
    # the script ran to its end under nmap: both TLS sessions echoed, the third failed
    assert ("| tlstrace: true true nil echo:hello over tls\n|_echo:after starttls\n"
            in want)
    assert "| SSL RECONNECT\n" in want
    assert normalise(ours.stdout) == want


# --------------------------------------------- banner,http-title in a namespace of our own

NS_SCRIPT = """
set -e
ip link set lo up
python3 -m http.server 80 --bind 127.0.0.1 --directory "$WWW" >/dev/null 2>&1 &
SRV=$!
trap 'kill $SRV' EXIT
for i in $(seq 50); do
  python3 -c 'import socket; socket.create_connection(("127.0.0.1", 80), 1)' 2>/dev/null \
    && break
  sleep 0.1
done
"$NMAP" $ARGS > "$OUT/nmap.txt" 2>&1
"$PYTHON" -m nse.cli scan $ARGS > "$OUT/ours.txt" 2>&1
"""


def _can_unshare() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


_HEX_ROW = re.compile(r"^[0-9a-f]{8}: ((?:[0-9a-f]{2} |   ){16})")


def _payload(message: str) -> bytes | None:
    """The bytes of a traced payload (either rendering), or None for an action word."""
    if message in ("CONNECT", "SEND", "CLOSE", "SSL RECONNECT"):
        return None
    rows = message.split("\n")
    if message.endswith("\n") and all(_HEX_ROW.match(r) for r in rows[:-1]):
        return b"".join(bytes.fromhex(_HEX_ROW.match(r).group(1))  # type: ignore[union-attr]
                        for r in rows[:-1])
    return re.sub(r"  \\(\d+)", lambda m: chr(int(m.group(1))), message).encode("latin-1")


def _normal_bytes(b: bytes) -> bytes:
    """Payload parts that differ between runs: HTTP dates, and the order of a
    request's header lines (nmap sends them in Lua hash order)."""
    b = re.sub(rb"\d\d:\d\d:\d\d GMT", b"HH:MM:SS GMT", b)
    if re.match(rb"^[A-Z]+ \S+ HTTP/1\.[01]\r\n", b) and b"\r\n\r\n" in b:
        head, _, body = b.partition(b"\r\n\r\n")
        first, *headers = head.split(b"\r\n")
        b = b"\r\n".join([first, *sorted(headers)]) + b"\r\n\r\n" + body
    return b


def transcripts(text: str) -> list[tuple[object, ...]]:
    """The traced connections of a run, sorted: each is its protocol and its events in
    order (payloads as bytes, consecutive reads joined: how a reply is split into
    reads is timing).  Also checks that every payload nmap or we print is rendered as
    :func:`hexify` renders its bytes."""
    text = "".join(x for x in text.splitlines(keepends=True) if not x.startswith("NSOCK "))
    body = text.split("\nNmap scan report for ")[0] + "\n"
    records = re.split(r"(?m)^(?=NSE: )", body)
    conns: dict[tuple[str, str], list[tuple[str, bytes | None]]] = {}
    for rec in records:
        m = re.match(r"NSE: (TCP|UDP) \S+:(\d+) ([<>]) \S+ \| ", rec)
        if m is None:
            continue
        message = rec[m.end():]
        assert message.endswith("\n")
        message = message[:-1]
        data = _payload(message)
        if data is not None:
            assert hexify(data) == message
        events = conns.setdefault((m.group(1), m.group(2)), [])
        kind = m.group(3) if data is not None else message
        if kind == "<" and events and events[-1][0] == "<":
            events[-1] = ("<", (events[-1][1] or b"") + (data or b""))
        else:
            events.append((kind, data))
    return sorted((proto, tuple((k, _normal_bytes(d) if d is not None else None)
                                for k, d in evs))
                  for (proto, _port), evs in conns.items())


@needs_nmap
@pytest.mark.nmap
@pytest.mark.root
@pytest.mark.skipif(not _can_unshare(), reason="needs root and unshare -n")
def test_banner_http_title_trace_equals_nmaps(tmp_path: str) -> None:
    www = os.path.join(tmp_path, "www")
    os.mkdir(www)
    with open(os.path.join(www, "index.html"), "w") as f:
        f.write("<html><head><title>Trace me</title></head><body>hi</body></html>\n")
    args = "-Pn -p 80 --script banner,http-title --script-args banner.timeout=1s " \
           "--script-trace 127.0.0.1"
    env = {**os.environ, "PYTHONPATH": ROOT, "WWW": www, "OUT": str(tmp_path),
           "NMAP": str(NMAP), "PYTHON": sys.executable, "ARGS": args}
    r = subprocess.run(["unshare", "-n", "bash", "-c", NS_SCRIPT], capture_output=True,
                       text=True, timeout=120, cwd=ROOT, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    with open(os.path.join(tmp_path, "nmap.txt")) as f:
        theirs = f.read()
    with open(os.path.join(tmp_path, "ours.txt")) as f:
        ours = f.read()
    assert "|_http-title: Trace me" in theirs.splitlines()
    assert "|_http-title: Trace me" in ours.splitlines()
    want = transcripts(theirs)
    # banner's connection, http's TLS probe, its GET, banner's TLS retry: at least
    assert len(want) >= 3
    assert transcripts(ours) == want
