"""nmap's ssl-cert, ssl-enum-ciphers and tls-alpn run by our engine on our tls/sslcert
libraries, against a loopback TLS server started here, print exactly what nmap 7.93 prints
for the same server."""

from __future__ import annotations

import datetime
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from nse.testing import fake_host, fake_port, run_script

pytestmark = [
    pytest.mark.nmap,
    pytest.mark.skipif(shutil.which("nmap") is None, reason="needs the nmap binary"),
]


def _cert(d: Path, kind: str) -> ssl.SSLContext:
    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if kind == "rsa"
        else ec.generate_private_key(ec.SECP256R1())
    )
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{kind}.test.example"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "NSE"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(77)
        .not_valid_before(datetime.datetime(2024, 1, 2))
        .not_valid_after(datetime.datetime(2034, 1, 2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("test.example"), x509.DNSName("www.test.example")]
            ),
            False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    (d / f"{kind}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / f"{kind}.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(d / f"{kind}.pem"), str(d / f"{kind}.key"))
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    if kind == "rsa":
        # TLS 1.2 at most and every cipher: tls-alpn's TLS 1.2 ClientHello offers only old
        # RSA/DHE suites, and many suites give ssl-enum-ciphers something to grade
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    return ctx


class TLSServer:
    def __init__(self, ctx: ssl.SSLContext) -> None:
        self.ctx = ctx
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(c,), daemon=True).start()

    def _one(self, c: socket.socket) -> None:
        c.settimeout(3)
        try:
            t = self.ctx.wrap_socket(c, server_side=True)
            t.recv(1000)
            t.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            t.close()
        except (OSError, ssl.SSLError):
            pass
        finally:
            c.close()


@pytest.fixture(scope="module", params=["rsa", "ec"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TLSServer]:
    s = TLSServer(_cert(tmp_path_factory.mktemp("tls"), request.param))
    yield s
    s.sock.close()


def _nmap_output(script: str, port: int) -> str:
    p = subprocess.run(
        ["nmap", "-n", "-Pn", "-p", str(port), "--script", script, "127.0.0.1"],
        capture_output=True,
        timeout=120,
    )
    lines = p.stdout.decode("latin-1").split("\n")
    return "\n".join(ln for ln in lines if ln.startswith("|"))


@pytest.mark.parametrize("script", ["ssl-cert", "ssl-enum-ciphers", "tls-alpn"])
def test_script_output_equals_nmap(server: TLSServer, script: str) -> None:
    host = fake_host("127.0.0.1", ports=[fake_port(server.port, service="https")])
    ours = run_script(
        f"/usr/share/nmap/scripts/{script}.nse", host, datadir="/usr/share/nmap"
    ).port_text(server.port)
    if not (script == "tls-alpn" and server.ctx.maximum_version != ssl.TLSVersion.TLSv1_2):
        assert ours.startswith(f"| {script}")
    assert ours == _nmap_output(script, server.port)
