"""sslcert against loopback servers started here: direct TLS, STARTTLS for smtp, ftp,
imap and pop3, and the hand-made TLS 1.2 handshake; the certificate is made here with
``cryptography`` and its fields are checked against it."""

from __future__ import annotations

import datetime
import hashlib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from nse.engine.context import Runtime, set_runtime
from nse.lib import nmap, sslcert
from nse.lua.luatable import LuaTable


@pytest.fixture(scope="module")
def cert_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "test.example"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "NSE Tests"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(0x1234ABCD)
        .not_valid_before(datetime.datetime(2024, 1, 2, 3, 4, 5))
        .not_valid_after(datetime.datetime(2034, 1, 2, 3, 4, 5))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("test.example")]), False)
        .sign(key, hashes.SHA256())
    )
    d = Path(tmp_path_factory.mktemp("cert"))
    (d / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / "k.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(d / "c.pem"), str(d / "k.pem"), cert.public_bytes(serialization.Encoding.DER)


def _ctx(cert_files: tuple[str, str, bytes]) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert_files[0], cert_files[1])
    ctx.set_ciphers("ALL:@SECLEVEL=0")
    return ctx


class Server:
    """Accepts connections; each runs ``dialog(conn)`` (plain text) then a TLS handshake."""

    def __init__(self, ctx: ssl.SSLContext, dialog: Callable[[socket.socket], bool]) -> None:
        self.ctx, self.dialog = ctx, dialog
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.seen: list[bytes] = []
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(c,), daemon=True).start()

    def _one(self, c: socket.socket) -> None:
        c.settimeout(5)
        try:
            if self.dialog(c):
                t = self.ctx.wrap_socket(c, server_side=True)
                try:
                    t.recv(10)
                except OSError:
                    pass
                t.close()
        except (OSError, ssl.SSLError):
            pass
        finally:
            c.close()

    def readline(self, c: socket.socket) -> bytes:
        line = b""
        while not line.endswith(b"\n"):
            ch = c.recv(1)
            if not ch:
                break
            line += ch
        self.seen.append(line)
        return line


def _direct(_c: socket.socket) -> bool:
    return True


@pytest.fixture(autouse=True)
def _rt() -> Iterator[None]:
    set_runtime(Runtime())
    yield
    set_runtime(None)


def _host() -> LuaTable:
    return LuaTable.from_dict(
        {"ip": "127.0.0.1", "name": "", "targetname": "mx.example", "registry": LuaTable()}
    )


def _port(n: int, service: str) -> LuaTable:
    return LuaTable.from_dict(
        {"number": n, "protocol": "tcp", "service": service, "state": "open", "version": LuaTable()}
    )


def _check_cert(cert: LuaTable, der: bytes) -> None:
    assert cert["subject"]["commonName"] == "test.example"
    assert cert["subject"]["organizationName"] == "NSE Tests"
    assert cert["issuer"]["commonName"] == "test.example"
    assert cert["pubkey"]["type"] == "rsa" and cert["pubkey"]["bits"] == 2048
    nb = cert["validity"]["notBefore"]
    assert (nb["year"], nb["month"], nb["day"], nb["hour"], nb["min"], nb["sec"]) == (
        2024,
        1,
        2,
        3,
        4,
        5,
    )
    assert cert["validity"]["notAfter"]["year"] == 2034
    assert cert["pem"].startswith("-----BEGIN CERTIFICATE-----\n")
    assert cert["digest"](cert, "sha1") == hashlib.sha1(der).digest().decode("latin-1")
    assert cert["digest"](cert, "md5") == hashlib.md5(der).digest().decode("latin-1")


def test_direct_tls_and_cache(cert_files: tuple[str, str, bytes]) -> None:
    srv = Server(_ctx(cert_files), _direct)
    host, port = _host(), _port(srv.port, "https")
    ok, cert = sslcert.getCertificate(host, port)
    assert ok is True
    _check_cert(cert, cert_files[2])
    assert host["registry"]["ssl-cert"][srv.port] is cert
    # second call: from the cache, no connection needed
    srv.sock.close()
    assert sslcert.getCertificate(host, port) == (True, cert)


def test_handshake_by_hand(cert_files: tuple[str, str, bytes]) -> None:
    srv = Server(_ctx(cert_files), _direct)
    s = nmap.new_socket()
    assert s.connect("127.0.0.1", srv.port) is True
    ok, cert = sslcert._handshake_cert(s)
    s.close()
    assert ok is True
    _check_cert(cert, cert_files[2])


def test_smtp_starttls(cert_files: tuple[str, str, bytes]) -> None:
    def dialog(c: socket.socket) -> bool:
        c.sendall(b"220 mx.example ESMTP\r\n")
        if not srv.readline(c).startswith(b"EHLO "):
            return False
        c.sendall(b"250-mx.example\r\n250 STARTTLS\r\n")
        if srv.readline(c) != b"STARTTLS\r\n":
            return False
        c.sendall(b"220 2.0.0 Ready to start TLS\r\n")
        return True

    srv = Server(_ctx(cert_files), dialog)
    host = _host()
    ok, cert = sslcert.getCertificate(host, _port(srv.port, "smtp"))
    assert ok is True
    _check_cert(cert, cert_files[2])
    assert srv.seen[:2] == [b"EHLO mx.example\r\n", b"STARTTLS\r\n"]
    assert host["registry"]["starttls"][f"{srv.port}/tcp"] is True


def test_smtp_without_starttls_falls_back(cert_files: tuple[str, str, bytes]) -> None:
    def dialog(c: socket.socket) -> bool:
        c.sendall(b"220 mx ESMTP\r\n")
        srv.readline(c)
        c.sendall(b"250 mx\r\n")
        srv.readline(c)
        c.sendall(b"502 5.5.1 no\r\n")
        srv.readline(c)
        return False

    srv = Server(_ctx(cert_files), dialog)
    host, port = _host(), _port(srv.port, "smtp")
    prep = sslcert.isPortSupported(port)
    ok, err = prep(host, port)
    assert (ok, err) == (
        False,
        "Failed to connect to server: Failed to connect to SMTP server: "
        "SMTP: STARTTLS 502 5.5.1 no\r\n",
    )
    assert host["registry"]["starttls"][f"{srv.port}/tcp"] is False
    assert prep(host, port) == (False, "Previous STARTTLS attempt failed")
    assert sslcert.getCertificate(host, port) == (False, "No certificate found")


def test_ftp_imap_pop3_starttls(cert_files: tuple[str, str, bytes]) -> None:
    def ftp(c: socket.socket) -> bool:
        c.sendall(b"220-Welcome\r\n220 FTP ready\r\n")
        if srv_ftp.readline(c) != b"AUTH TLS\r\n":
            return False
        c.sendall(b"234 Proceed\r\n")
        return True

    def imap(c: socket.socket) -> bool:
        c.sendall(b"* OK IMAP4 ready\r\n")
        if srv_imap.readline(c) != b"A001 CAPABILITY\r\n":
            return False
        c.sendall(b"* CAPABILITY IMAP4rev1 STARTTLS\r\nA001 OK done\r\n")
        if srv_imap.readline(c) != b"A002 STARTTLS\r\n":
            return False
        c.sendall(b"A002 OK Begin TLS\r\n")
        return True

    def pop3(c: socket.socket) -> bool:
        c.sendall(b"+OK POP3 ready\r\n")
        if srv_pop.readline(c) != b"STLS\r\n":
            return False
        c.sendall(b"+OK Begin TLS\r\n")
        return True

    srv_ftp = Server(_ctx(cert_files), ftp)
    srv_imap = Server(_ctx(cert_files), imap)
    srv_pop = Server(_ctx(cert_files), pop3)
    for srv, service in ((srv_ftp, "ftp"), (srv_imap, "imap"), (srv_pop, "pop3")):
        host = _host()
        port = _port(srv.port, service)
        ok, cert = sslcert.getCertificate(host, port)
        assert ok is True, service
        _check_cert(cert, cert_files[2])
        assert host["registry"]["starttls"][f"{srv.port}/tcp"] is True, service
        # without reconnect: the socket stays plain after the command
        ok, s = sslcert.getPrepareTLSWithoutReconnect(port)(_host(), port)
        assert ok is True and s.is_ssl is False
        s.close()


def test_ldap_and_xmpp_starttls(cert_files: tuple[str, str, bytes]) -> None:
    oid = b"1.3.6.1.4.1.1466.20037"
    want_ldap = b"\x30\x1d\x02\x01\x01\x77\x18\x80\x16" + oid

    def ldap(c: socket.socket) -> bool:
        data = c.recv(100)
        srv_ldap.seen.append(data)
        if data != want_ldap:
            return False
        # ExtendedResponse, resultCode success (0), empty matchedDN and message
        c.sendall(b"\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00")
        return True

    def xmpp(c: socket.socket) -> bool:
        first = c.recv(1000)
        srv_xmpp.seen.append(first)
        c.sendall(
            b"<?xml version='1.0'?><stream:stream id='1' version='1.0'>"
            b"<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
            b"</stream:features>"
        )
        srv_xmpp.seen.append(c.recv(1000))
        c.sendall(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
        return True

    srv_ldap = Server(_ctx(cert_files), ldap)
    srv_xmpp = Server(_ctx(cert_files), xmpp)
    for srv, service in ((srv_ldap, "ldap"), (srv_xmpp, "xmpp")):
        host = _host()
        host["name"] = "chat.example"
        ok, cert = sslcert.getCertificate(host, _port(srv.port, service))
        assert ok is True, service
        _check_cert(cert, cert_files[2])
        assert host["registry"]["starttls"][f"{srv.port}/tcp"] is True
    assert srv_ldap.seen[0] == want_ldap
    assert b" to='chat.example' version='1.0'>" in srv_xmpp.seen[0]
    assert srv_xmpp.seen[1] == b"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>\r\n"


def test_mysql_ssl_request(cert_files: tuple[str, str, bytes]) -> None:
    greeting = (
        b"\x0a5.7.42\0" + (7).to_bytes(4, "little") + b"saltsalt\0"
        + (0xFFFF).to_bytes(2, "little") + b"\x08\x02\x00\xff\xc1\x15" + bytes(10)
        + b"moresaltmore\0mysql_native_password\0"
    )  # fmt: skip

    def mysql(c: socket.socket) -> bool:
        c.sendall(len(greeting).to_bytes(3, "little") + b"\0" + greeting)
        data = b""
        while len(data) < 36:
            data += c.recv(36 - len(data))
        srv.seen.append(data)
        return True

    srv = Server(_ctx(cert_files), mysql)
    ok, cert = sslcert.getCertificate(_host(), _port(srv.port, "mysql"))
    assert ok is True
    _check_cert(cert, cert_files[2])
    # SSLRequest: 32 bytes, sequence 1; client flags 0xae85, 16 MiB, latin1, 23 zeros
    assert srv.seen[0] == (
        b"\x20\0\0\x01" + bytes.fromhex("85ae") + b"\0\0" + (1 << 24).to_bytes(4, "little")
        + b"\x08" + bytes(23)
    )  # fmt: skip


def test_port_support_tables() -> None:
    assert sslcert.isPortSupported(_port(25, "unknown")) is not None
    assert sslcert.isPortSupported(_port(443, "https")) is None
    assert sslcert.isPortSupported(LuaTable.from_dict({"number": 25, "protocol": "udp"})) is None
    tunnel = _port(25, "smtp")
    tunnel["version"] = LuaTable.from_dict({"service_tunnel": "ssl"})
    assert sslcert.getPrepareTLSWithoutReconnect(tunnel) is None


# (service, server greeting, the server's answer to each command line, the lines it
# expects to read, the prepare result) for the refusals of the line-based STARTTLS
# protocols: nselib answers a refused POP3 STLS and NNTP STARTTLS with QUIT, not IMAP's.
_REFUSALS = {
    "imap-no-capability": (
        "imap", b"* OK ready\r\n", [b"* CAPABILITY IMAP4rev1\r\n"],
        [b"A001 CAPABILITY\r\n"], "Failed to connect to IMAP server",
    ),
    "imap-refused": (
        "imap", b"* OK ready\r\n", [b"* CAPABILITY STARTTLS\r\n", b"A002 NO later\r\n"],
        [b"A001 CAPABILITY\r\n", b"A002 STARTTLS\r\n"], "Failed to connect to IMAP server",
    ),
    "imap-mismatch": ("imap", b"220 smtp\r\n", [], [], "IMAP protocol mismatch"),
    "pop3-refused": (
        "pop3", b"+OK ready\r\n", [b"-ERR no\r\n"], [b"STLS\r\n", b"QUIT\r\n"],
        "Failed to connect to POP3 server",
    ),
    "pop3-mismatch": ("pop3", b"* OK imap\r\n", [], [], "POP3 protocol mismatch"),
    "nntp-refused": (
        "nntp", b"200 news\r\n", [b"502 no\r\n"], [b"STARTTLS\r\n", b"QUIT\r\n"],
        "NNTP server does not support STARTTLS",
    ),
    "nntp-mismatch": ("nntp", b"+OK pop\r\n", [], [], "NNTP protocol mismatch"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(_REFUSALS))
def test_line_protocol_starttls_refused(cert_files: tuple[str, str, bytes], case: str) -> None:
    service, greeting, answers, want_seen, want_err = _REFUSALS[case]
    done = threading.Event()

    def dialog(c: socket.socket) -> bool:
        c.sendall(greeting)
        for a in answers:
            srv.readline(c)
            c.sendall(a)
        if want_seen[len(answers) :]:
            srv.readline(c)  # the QUIT
        done.set()
        return False

    srv = Server(_ctx(cert_files), dialog)
    host, port = _host(), _port(srv.port, service)
    ok, err = sslcert.getPrepareTLSWithoutReconnect(port)(host, port)
    assert (ok, err) == (False, want_err)
    assert done.wait(5)  # the server has read what the client sent
    assert srv.seen == want_seen
    refused = answers and "mismatch" not in case
    assert host["registry"]["starttls"][f"{srv.port}/tcp"] is (False if refused else None)


@pytest.mark.parametrize("second", [b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", b""])
def test_xmpp_answer_in_a_second_read(cert_files: tuple[str, str, bytes], second: bytes) -> None:
    # the <proceed/> may come after other data (then read again); a closed stream before
    # it is a failure that leaves no STARTTLS verdict in the registry
    def xmpp(c: socket.socket) -> bool:
        c.recv(1000)
        c.sendall(b"<stream:stream id='1' version='1.0'><stream:features/>")
        c.recv(1000)
        c.sendall(b"<stream:features/>")
        if not second:
            return False
        time.sleep(0.2)  # usually a separate read; the result is the same either way
        c.sendall(second)
        return True

    srv = Server(_ctx(cert_files), xmpp)
    host, port = _host(), _port(srv.port, "xmpp")
    ok, s = sslcert.getPrepareTLSWithoutReconnect(port)(host, port)
    if second:
        assert ok is True
        s.close()
        assert host["registry"]["starttls"][f"{srv.port}/tcp"] is True
    else:
        assert (ok, s) == (False, "Failed to connect to XMPP server")
        assert host["registry"]["starttls"][f"{srv.port}/tcp"] is None
