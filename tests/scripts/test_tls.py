"""ssl-cert, ssl-date, tls-alpn: ours against nmap's on Python ssl servers with fixed
certificates (RSA and ECDSA)."""

from __future__ import annotations

import datetime
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .harness import HAVE_NMAP, outputs

nmap = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")
x509 = pytest.importorskip("cryptography.x509")


def make_cert(tmp: Path, kind: str) -> tuple[Path, Path]:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if kind == "rsa" \
        else ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Somewhere"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "NSE Test Org"),
        x509.NameAttribute(NameOID.COMMON_NAME, "nse.test"),
        x509.NameAttribute(NameOID.EMAIL_ADDRESS, "ops@nse.test"),
    ])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(4242)
            .not_valid_before(datetime.datetime(2024, 1, 2, 3, 4, 5))
            .not_valid_after(datetime.datetime(2034, 1, 2, 3, 4, 5))
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("nse.test"), x509.DNSName("www.nse.test")]), critical=False)
            .sign(key, hashes.SHA256()))
    cp, kp = tmp / f"{kind}.pem", tmp / f"{kind}.key"
    cp.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    kp.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption()))
    return cp, kp


@contextmanager
def tls_server(cert: Path, key: Path, alpn: list[str] | None = None) -> Iterator[int]:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))
    # tls-alpn's ClientHello offers only old CBC/RC4 suites (RSA and DHE key exchange)
    ctx.set_ciphers("ALL:@SECLEVEL=0")
    if alpn:
        ctx.set_alpn_protocols(alpn)
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(32)

    def one(c: socket.socket) -> None:
        c.settimeout(5)
        try:
            with ctx.wrap_socket(c, server_side=True) as s:
                if s.recv(1024):
                    s.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
        except (OSError, ssl.SSLError):
            pass

    def loop() -> None:
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=one, args=(c,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    try:
        yield srv.getsockname()[1]
    finally:
        srv.close()


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    tmp = tmp_path_factory.mktemp("certs")
    return {k: make_cert(tmp, k) for k in ("rsa", "ec")}


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("kind", ["rsa", "ec"])
@pytest.mark.parametrize("verbosity", [0, 1])
def test_ssl_cert(certs: dict[str, tuple[Path, Path]], kind: str, verbosity: int) -> None:
    from .harness import nmap_block, our_block

    with tls_server(*certs[kind]) as port:
        if verbosity == 0:
            want, lua, twin = outputs("ssl-cert", port, "https")
        else:  # -v: every name field, no PEM
            want = nmap_block("ssl-cert", port, extra=["-v"])
            lua = our_block("scripts_lua/ssl-cert.nse", port, "https", verbosity=1)
            twin = our_block("scripts_py/ssl-cert.py", port, "https", verbosity=1)
    assert "Subject: commonName=nse.test" in want
    assert lua == want
    assert twin == lua


@nmap
@pytest.mark.nmap
def test_ssl_date_random_server(certs: dict[str, tuple[Path, Path]]) -> None:
    # OpenSSL fills the whole ServerHello random with random bytes
    with tls_server(*certs["rsa"]) as port:
        want, lua, twin = outputs("ssl-date", port, "https")
    assert want == "|_ssl-date: TLS randomness does not represent time"
    assert lua == want
    assert twin == lua


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("alpn", [["h2", "http/1.1"], ["http/1.1"], None],
                         ids=["h2+http1.1", "http1.1", "none"])
def test_tls_alpn(certs: dict[str, tuple[Path, Path]], alpn: list[str] | None) -> None:
    with tls_server(*certs["rsa"], alpn=alpn) as port:
        want, lua, twin = outputs("tls-alpn", port, "https")
    assert bool(want) == bool(alpn)
    assert lua == want
    assert twin == lua
