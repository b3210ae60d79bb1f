"""Loopback test services for version detection: small threaded servers on 127.0.0.1.

Each server is started on an ephemeral port, serves until ``stop()``, and speaks just
enough of its protocol for a banner grab or one request/response.  They are plain threads
and blocking sockets on purpose: independent of the gevent code under test.
"""

from __future__ import annotations

import datetime
import os
import random
import socket
import ssl
import tempfile
import threading
from collections.abc import Callable

__all__ = ["TcpServer", "UdpServer", "banner", "http_handler", "make_cert", "tls_wrap",
           "redis_handler", "mysql_handler", "closer", "random_bytes", "flooder",
           "dns_handler", "memcached_handler", "pop3_banner", "imap_banner"]

Handler = Callable[[socket.socket], None]


class TcpServer:
    """A threaded TCP server on 127.0.0.1 calling ``handler(conn)`` per connection."""

    def __init__(self, handler: Handler, tls: ssl.SSLContext | None = None) -> None:
        self.handler = handler
        self.tls = tls
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(15)
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            self.handler(conn)
        except (OSError, ssl.SSLError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def stop(self) -> None:
        self.stopped.set()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class UdpServer:
    """A UDP server on 127.0.0.1: ``handler(data) -> reply or None``."""

    def __init__(self, handler: Callable[[bytes], bytes | None]) -> None:
        self.handler = handler
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while True:
            try:
                data, addr = self.sock.recvfrom(65535)
            except OSError:
                return
            if not data and addr is None:
                return
            reply = self.handler(data)
            if reply is not None:
                try:
                    self.sock.sendto(reply, addr)
                except OSError:
                    return

    def stop(self) -> None:
        # shutdown wakes the thread blocked in recvfrom, so the port is really released
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def _read_until(conn: socket.socket, marker: bytes, limit: int = 65536) -> bytes:
    buf = b""
    while marker not in buf and len(buf) < limit:
        chunk = conn.recv(4096)
        if not chunk:
            break
        buf += chunk
    return buf


def banner(text: bytes, then: Callable[[socket.socket, bytes], bytes | None] | None = None
           ) -> Handler:
    """Send a banner at once; then answer each received chunk with ``then(conn, data)``."""
    def h(conn: socket.socket) -> None:
        conn.sendall(text)
        while True:
            data = conn.recv(4096)
            if not data:
                return
            if then is not None:
                reply = then(conn, data)
                if reply:
                    conn.sendall(reply)
    return h


def http_handler(server: str, body: bytes = b"<html><title>t</title></html>") -> Handler:
    """An HTTP/1.x server that answers every request with 200 and a Server header."""
    def h(conn: socket.socket) -> None:
        req = _read_until(conn, b"\r\n\r\n")
        if not req:
            return
        line = req.split(b"\r\n", 1)[0]
        if not line.startswith((b"GET ", b"HEAD ", b"OPTIONS ", b"POST ")) or \
                b"HTTP/" not in line:
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nServer: " + server.encode() +
                         b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        conn.sendall(b"HTTP/1.1 200 OK\r\nServer: " + server.encode() +
                     b"\r\nDate: Sun, 29 Nov 2026 05:00:00 GMT\r\nContent-Type: text/html\r\n"
                     b"Content-Length: " + str(len(body)).encode() +
                     b"\r\nConnection: close\r\n\r\n" + body)
    return h


def make_cert(directory: str) -> tuple[str, str]:
    """A self-signed certificate and key (PEM files) for CN=localhost."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .sign(key, hashes.SHA256()))
    cpath = os.path.join(directory, "cert.pem")
    kpath = os.path.join(directory, "key.pem")
    with open(cpath, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(kpath, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return cpath, kpath


def tls_wrap() -> ssl.SSLContext:
    """A server-side TLS context with a fresh self-signed certificate."""
    d = tempfile.mkdtemp(prefix="vscan-tls-")
    cpath, kpath = make_cert(d)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cpath, kpath)
    return ctx


def redis_handler(version: str = "7.0.15") -> Handler:
    """Answers RESP commands: INFO with a server section, anything else with an error."""
    info = (f"# Server\r\nredis_version:{version}\r\nredis_mode:standalone\r\n"
            "os:Linux 6.1.0 x86_64\r\n").encode()

    def h(conn: socket.socket) -> None:
        while True:
            data = conn.recv(4096)
            if not data:
                return
            if b"info" in data.lower():
                conn.sendall(b"$" + str(len(info)).encode() + b"\r\n" + info + b"\r\n")
            elif data.upper().startswith(b"GET "):
                # an inline command: "GET / HTTP/1.0" has two arguments too many
                conn.sendall(b"-ERR wrong number of arguments for 'get' command\r\n")
            elif b"ping" in data.lower():
                conn.sendall(b"+PONG\r\n")
            else:
                word = data.split()[0][:20].decode("latin-1") if data.split() else ""
                conn.sendall(f"-ERR unknown command '{word}'\r\n".encode())
    return h


def mysql_handler(version: str = "5.5.5-10.11.6-MariaDB-0+deb12u1") -> Handler:
    """Sends a MySQL protocol-10 handshake (MariaDB style) and waits."""
    def h(conn: socket.socket) -> None:
        body = (b"\x0a" + version.encode() + b"\x00" + (42).to_bytes(4, "little") +
                b"abcdefgh\x00" + b"\xfe\xf7" + b"\x2d" + b"\x02\x00" + b"\xff\x81" +
                b"\x15" + b"\x00" * 6 + b"\x1d\x00\x00\x00" + b"ijklmnopqrst\x00" +
                b"mysql_native_password\x00")
        conn.sendall(len(body).to_bytes(3, "little") + b"\x00" + body)
        while conn.recv(4096):
            pass
    return h


def pop3_banner() -> Handler:
    return banner(b"+OK Dovecot (Debian) ready.\r\n",
                  lambda c, d: b"-ERR Unknown command.\r\n")


def imap_banner() -> Handler:
    return banner(b"* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE "
                  b"LITERAL+ STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.\r\n",
                  lambda c, d: b"* BAD Error in IMAP command received by server.\r\n")


def memcached_handler(version: str = "1.6.18") -> Handler:
    def reply(conn: socket.socket, data: bytes) -> bytes:
        if b"version" in data:
            return f"VERSION {version}\r\n".encode()
        if b"stats" in data:
            return (f"STAT pid 1\r\nSTAT uptime 100\r\nSTAT version {version}\r\n"
                    "END\r\n").encode()
        return b"ERROR\r\n"
    return banner(b"", reply)


def closer() -> Handler:
    """Closes every connection at once (tcpwrapped)."""
    def h(conn: socket.socket) -> None:
        return
    return h


def random_bytes(seed: int = 7) -> Handler:
    """Answers every connection and every chunk with random bytes."""
    rng = random.Random(seed)

    def h(conn: socket.socket) -> None:
        conn.sendall(bytes(rng.randrange(256) for _ in range(200)))
        while True:
            data = conn.recv(4096)
            if not data:
                return
            conn.sendall(bytes(rng.randrange(256) for _ in range(300)))
    return h


def flooder(total: int = 4 << 20) -> Handler:
    """Sends up to ``total`` bytes of junk as fast as the peer reads them."""
    def h(conn: socket.socket) -> None:
        chunk = b"\x00junk" * 2048
        sent = 0
        while sent < total:
            conn.sendall(chunk)
            sent += len(chunk)
    return h


def dns_handler(version: bytes = b"9.18.19-1~deb12u1-Debian") -> Callable[[bytes], bytes | None]:
    """Answers a CHAOS TXT version.bind query (and echoes any other query as SERVFAIL)."""
    def h(q: bytes) -> bytes | None:
        if len(q) < 12:
            return None
        tid = q[:2]
        question = q[12:]
        if b"\x07version\x04bind\x00" in question.lower():
            end = question.index(b"\x00") + 5
            qd = question[:end]
            ans = (b"\xc0\x0c\x00\x10\x00\x03\x00\x00\x00\x00" +
                   (len(version) + 1).to_bytes(2, "big") + bytes([len(version)]) + version)
            return tid + b"\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00" + qd + ans
        return tid + b"\x81\x82" + q[4:]
    return h


def ftp_banner(text: bytes = b"220 (vsFTPd 3.0.3)\r\n") -> Handler:
    return banner(text, lambda c, d: b"500 Unknown command.\r\n")


def smtp_banner(host: bytes = b"mail.lab.test") -> Handler:
    def reply(conn: socket.socket, data: bytes) -> bytes:
        if data.upper().startswith((b"EHLO", b"HELO")):
            return b"250-" + host + b"\r\n250-PIPELINING\r\n250 8BITMIME\r\n"
        return b"502 5.5.2 Error: command not recognized\r\n"
    return banner(b"220 " + host + b" ESMTP Postfix (Debian/GNU)\r\n", reply)


#: The loopback zoo: label -> (protocol, handler factory, tls).  Servers speak like the
#: Debian daemons they are named after (banners and replies written from the protocols).
ZOO: dict[str, tuple[str, Callable[[], object], bool]] = {
    "http-nginx": ("tcp", lambda: http_handler("nginx/1.22.1"), False),
    "http-apache": ("tcp", lambda: http_handler("Apache/2.4.57 (Debian)"), False),
    "https-nginx": ("tcp", lambda: http_handler("nginx/1.22.1"), True),
    "ssh": ("tcp", lambda: banner(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"), False),
    "ftp-vsftpd": ("tcp", lambda: ftp_banner(), False),
    "ftp-proftpd": ("tcp", lambda: ftp_banner(b"220 ProFTPD Server (Debian) [::ffff:127.0.0.1]\r\n"), False),
    "smtp-postfix": ("tcp", lambda: smtp_banner(), False),
    "pop3-dovecot": ("tcp", lambda: pop3_banner(), False),
    "imap-dovecot": ("tcp", lambda: imap_banner(), False),
    "redis": ("tcp", lambda: redis_handler(), False),
    "mysql-mariadb": ("tcp", lambda: mysql_handler(), False),
    "memcached": ("tcp", lambda: memcached_handler(), False),
    "vnc": ("tcp", lambda: banner(b"RFB 003.008\n"), False),
    "tcpwrapped": ("tcp", lambda: closer(), False),
    "dns-udp": ("udp", lambda: dns_handler(), False),
}


class Daemon:
    """A real Debian daemon on 127.0.0.1 (dnsmasq, snmpd), started on a free port."""

    def __init__(self, kind: str) -> None:
        import shutil
        import subprocess
        import time

        self.kind = kind
        self.tmp = tempfile.mkdtemp(prefix=f"vscan-{kind}-")
        self.port = _free_port(udp=True, tcp=kind == "dnsmasq")
        if kind == "dnsmasq":
            cmd = [shutil.which("dnsmasq") or "dnsmasq", "--keep-in-foreground", "--no-resolv",
                   "--no-hosts", "--conf-file=/dev/null", "--listen-address=127.0.0.1",
                   "--bind-interfaces", f"--port={self.port}", "--user=root",
                   "--pid-file=" + os.path.join(self.tmp, "pid")]
        else:
            conf = os.path.join(self.tmp, "snmpd.conf")
            with open(conf, "w") as f:
                f.write("rocommunity public 127.0.0.1\n")
            cmd = [shutil.which("snmpd") or "snmpd", "-f", "-Lo", "-C", "-c", conf, "-p",
                   os.path.join(self.tmp, "pid"), f"udp:127.0.0.1:{self.port}"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # wait until the port is bound
            try:
                probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                probe.bind(("127.0.0.1", self.port))
                probe.close()
            except OSError:
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{kind} did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except Exception:  # noqa: BLE001 - last resort for a stuck daemon
                self.proc.kill()


def _free_port(udp: bool, tcp: bool) -> int:
    for _ in range(50):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        if tcp:
            t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                t.bind(("127.0.0.1", port))
            except OSError:
                continue
            finally:
                t.close()
        return port
    raise RuntimeError("no free port")


#: Real daemons added to the zoo when installed (label -> (daemon kind, protocols)).
DAEMONS = {"dnsmasq": ("udp", "tcp"), "snmpd": ("udp",)}


def start_zoo(names: list[str] | None = None,
              daemons: bool = False) -> dict[str, TcpServer | UdpServer | Daemon]:
    """Start the zoo's servers (all, or ``names``), and with ``daemons`` the installed
    real daemons; stop them with ``stop_zoo``."""
    import shutil

    out: dict[str, TcpServer | UdpServer | Daemon] = {}
    if daemons:
        for kind in DAEMONS:
            if shutil.which(kind) or os.path.exists(f"/usr/sbin/{kind}"):
                out[kind] = Daemon(kind)
    for name, (proto, factory, tls) in ZOO.items():
        if names is not None and name not in names:
            continue
        h = factory()
        if proto == "udp":
            out[name] = UdpServer(h)  # type: ignore[arg-type]
        else:
            out[name] = TcpServer(h, tls=tls_wrap() if tls else None)  # type: ignore[arg-type]
    return out


def stop_zoo(zoo: dict[str, TcpServer | UdpServer | Daemon]) -> None:
    for s in zoo.values():
        s.stop()


def client_hello() -> bytes:
    """A real TLS ClientHello, as OpenSSL writes it (taken from a memory BIO)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname=None)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def probe_escape(data: bytes) -> str:
    """``data`` written for a ``q|...|`` probe string."""
    return "".join(chr(b) if 32 < b < 127 and chr(b) not in "|\\" else f"\\x{b:02x}"
                   for b in data)
