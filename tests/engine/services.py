"""Small loopback services for comparing script output with nmap (test helpers).

Each ``start_*`` function binds 127.0.0.1:port, serves from daemon threads and returns
a ``stop()`` callable.  The protocols are implemented just far enough for the nmap
scripts under test: HTTP (http.server on a folder), TLS (a fixed self-signed
certificate), FTP (anonymous login, PASV, LIST), SMTP (EHLO/HELP/QUIT).
"""

from __future__ import annotations

import datetime
import functools
import http.server
import socket
import ssl
import threading
from collections.abc import Callable
from pathlib import Path

Stop = Callable[[], None]


def free_port(candidates: list[int]) -> int | None:
    """The first port of ``candidates`` free on 127.0.0.1."""
    for p in candidates:
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", p))
            return p
        except OSError:
            continue
        finally:
            s.close()
    return None


def start_http(port: int, folder: Path) -> Stop:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()

    def stop() -> None:
        srv.shutdown()
        srv.server_close()

    return stop


def _tcp_server(port: int, handle: Callable[[socket.socket], None],
                wrap: Callable[[socket.socket], socket.socket] | None = None) -> Stop:
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(64)
    stop_ev = threading.Event()

    def one(c: socket.socket) -> None:
        try:
            if wrap is not None:
                c = wrap(c)
            with c:
                handle(c)
        except (OSError, ssl.SSLError):
            pass

    def loop() -> None:
        while not stop_ev.is_set():
            try:
                c, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=one, args=(c,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()

    def stop() -> None:
        stop_ev.set()
        srv.close()

    return stop


def make_cert(tmp: Path) -> tuple[Path, Path]:
    """A fixed self-signed RSA certificate (subject, SAN, validity all fixed)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, "nse.test"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "NSE Test Org"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Somewhere"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
    ])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(4242)
            .not_valid_before(datetime.datetime(2024, 1, 2, 3, 4, 5))
            .not_valid_after(datetime.datetime(2034, 1, 2, 3, 4, 5))
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("nse.test"), x509.DNSName("www.nse.test")]), critical=False)
            .sign(key, hashes.SHA256()))
    cp, kp = tmp / "cert.pem", tmp / "key.pem"
    cp.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    kp.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.TraditionalOpenSSL,
                                     serialization.NoEncryption()))
    return cp, kp


def start_tls(port: int, cert: Path, key: Path) -> Stop:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))

    def handle(c: socket.socket) -> None:
        c.settimeout(5)
        try:
            data = c.recv(4096)
            if data:
                c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
        except OSError:
            pass

    return _tcp_server(port, handle, wrap=lambda c: ctx.wrap_socket(c, server_side=True))


def _lines(c: socket.socket) -> Callable[[], str | None]:
    buf = b""

    def readline() -> str | None:
        nonlocal buf
        while b"\n" not in buf:
            data = c.recv(4096)
            if not data:
                return None
            buf += data
        line, buf = buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode("latin-1")

    return readline


LISTING = (b"drwxr-xr-x    2 0        0            4096 Jan 01  2024 pub\r\n"
           b"-rw-r--r--    1 0        0              12 Jan 01  2024 readme.txt\r\n")


def start_ftp(port: int) -> Stop:
    def handle(c: socket.socket) -> None:
        c.settimeout(10)
        readline = _lines(c)
        c.sendall(b"220 (nseFTPd 1.0)\r\n")
        data_srv: socket.socket | None = None
        while (line := readline()) is not None:
            cmd = line.split(" ", 1)[0].upper()
            if cmd == "USER":
                c.sendall(b"331 Please specify the password.\r\n")
            elif cmd == "PASS":
                c.sendall(b"230 Login successful.\r\n")
            elif cmd == "PASV":
                data_srv = socket.socket()
                data_srv.bind(("127.0.0.1", 0))
                data_srv.listen(1)
                p = data_srv.getsockname()[1]
                c.sendall(f"227 Entering Passive Mode (127,0,0,1,{p >> 8},{p & 255}).\r\n"
                          .encode())
            elif cmd in ("LIST", "NLST") and data_srv is not None:
                c.sendall(b"150 Here comes the directory listing.\r\n")
                d, _ = data_srv.accept()
                d.sendall(LISTING)
                d.close()
                data_srv.close()
                data_srv = None
                c.sendall(b"226 Directory send OK.\r\n")
            elif cmd == "QUIT":
                c.sendall(b"221 Goodbye.\r\n")
                return
            else:
                c.sendall(b"500 Unknown command.\r\n")

    return _tcp_server(port, handle)


def start_smtp(port: int) -> Stop:
    def handle(c: socket.socket) -> None:
        c.settimeout(10)
        readline = _lines(c)
        c.sendall(b"220 mail.nse.test ESMTP nseSMTP\r\n")
        while (line := readline()) is not None:
            cmd = line.split(" ", 1)[0].upper()
            if cmd == "EHLO":
                c.sendall(b"250-mail.nse.test Hello\r\n250-PIPELINING\r\n250-SIZE 10240000"
                          b"\r\n250-8BITMIME\r\n250 HELP\r\n")
            elif cmd == "HELO":
                c.sendall(b"250 mail.nse.test\r\n")
            elif cmd == "HELP":
                c.sendall(b"214 Commands: HELO EHLO MAIL RCPT DATA QUIT HELP\r\n")
            elif cmd == "QUIT":
                c.sendall(b"221 Bye\r\n")
                return
            else:
                c.sendall(b"502 Command not implemented\r\n")

    return _tcp_server(port, handle)


def start_ssh(port: int, tmp: Path) -> Stop:
    """An SSH-2 server (paramiko) with RSA, ECDSA and Ed25519 host keys; it only needs to
    complete key exchange, which is all ssh-hostkey does."""
    import paramiko
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    rsa_key = paramiko.RSAKey.generate(2048)
    ecdsa_key = paramiko.ECDSAKey.generate(curve=ec.SECP256R1())
    ed_path = tmp / "ed25519"
    ed_path.write_bytes(ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption()))
    ed_key = paramiko.Ed25519Key.from_private_key_file(str(ed_path))

    class Server(paramiko.ServerInterface):
        pass

    def handle(c: socket.socket) -> None:
        t = paramiko.Transport(c)
        t.local_version = "SSH-2.0-nseSSH_1.0"
        for k in (rsa_key, ecdsa_key, ed_key):
            t.add_server_key(k)
        try:
            t.start_server(server=Server())
            t.accept(5)
        except (paramiko.SSHException, EOFError, OSError):
            pass
        finally:
            t.close()

    return _tcp_server(port, handle)
