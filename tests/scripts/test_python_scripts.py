"""The scripts written directly in Python (scripts_py/, no Lua source), on fake servers.

They have no nmap namesake: the expected outputs are written here from the protocols.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from . import fakes
from .harness import our_block
from .test_misc_services import mysql_greeting


def test_redis_noauth_open() -> None:
    def serve(c: fakes.Conn) -> None:
        c.recv()
        c.send(b"+PONG\r\n")

    with fakes.tcp(serve) as port:
        assert our_block("scripts_py/redis-noauth.py", port, "redis") == \
            "|_redis-noauth: Redis answers commands without authentication"


def test_redis_noauth_protected() -> None:
    def serve(c: fakes.Conn) -> None:
        c.recv()
        c.send(b"-NOAUTH Authentication required.\r\n")

    with fakes.tcp(serve) as port:
        assert our_block("scripts_py/redis-noauth.py", port, "redis") == ""


def _smtp(starttls: bool, tls_ctx: ssl.SSLContext | None = None):
    def serve(c: fakes.Conn) -> None:
        c.send("220 mx ESMTP\r\n")
        while (line := c.line()) is not None:
            cmd = line.split(" ")[0].upper()
            if cmd == "EHLO":
                c.send("250-mx\r\n" + ("250-STARTTLS\r\n" if starttls else "")
                       + "250 8BITMIME\r\n")
            elif cmd == "STARTTLS" and tls_ctx is not None:
                c.send("220 2.0.0 Ready to start TLS\r\n")
                try:
                    with tls_ctx.wrap_socket(c.sock, server_side=True) as s:
                        s.recv(100)
                except (OSError, ssl.SSLError):
                    pass
                return
            elif cmd == "QUIT":
                c.send("221 bye\r\n")
                return
            else:
                c.send("502 no\r\n")

    return serve


@pytest.fixture(scope="module")
def tls_ctx(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    from .test_tls import make_cert

    cert, key = make_cert(Path(tmp_path_factory.mktemp("c")), "ec")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))
    return ctx


def test_smtp_starttls(tls_ctx: ssl.SSLContext) -> None:
    with fakes.tcp(_smtp(True, tls_ctx)) as port:
        got = our_block("scripts_py/smtp-starttls.py", port, "smtp")
    assert got == "| smtp-starttls: \n|   STARTTLS offered: yes\n|_  TLS handshake: ok"
    with fakes.tcp(_smtp(False)) as port:
        got = our_block("scripts_py/smtp-starttls.py", port, "smtp")
    assert got == "| smtp-starttls: \n|_  STARTTLS offered: no"


def test_http_hsts() -> None:
    def serve(c: fakes.Conn) -> None:
        c.line()
        while c.line() not in (None, ""):
            pass
        c.send(b"HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=31536000; "
               b"includeSubDomains\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    with fakes.tcp(serve) as port:
        got = our_block("scripts_py/http-hsts.py", port, "http")
    assert got == "|_http-hsts: max-age 365 days, includeSubDomains"


@pytest.mark.parametrize("accepts", [True, False])
def test_ftp_auth_tls(accepts: bool) -> None:
    def serve(c: fakes.Conn) -> None:
        c.send("220 ready\r\n")
        while (line := c.line()) is not None:
            if line.upper() == "AUTH TLS":
                c.send("234 go ahead\r\n" if accepts else "530 no TLS here\r\n")
                if accepts:
                    return
            elif line.upper() == "QUIT":
                c.send("221 bye\r\n")
                return

    with fakes.tcp(serve) as port:
        got = our_block("scripts_py/ftp-auth-tls.py", port, "ftp")
    assert got == ("|_ftp-auth-tls: AUTH TLS accepted" if accepts
                   else "|_ftp-auth-tls: AUTH TLS refused: plain-text logins only")


@pytest.mark.parametrize("caps", [0xF7FE, 0xFFFF], ids=["no-ssl-bit", "ssl-bit"])
def test_mysql_ssl(caps: int) -> None:
    def serve(c: fakes.Conn) -> None:
        c.send(mysql_greeting(caps=caps))
        c.recv()

    with fakes.tcp(serve) as port:
        got = our_block("scripts_py/mysql-ssl.py", port, "mysql")
    tls = "offered" if caps & 0x800 else "not offered"  # CLIENT_SSL
    assert got == (f"| mysql-ssl: \n|   Version: 10.11.3-MariaDB-1\n|   TLS: {tls}\n"
                   "|_  Auth plugin: mysql_native_password")


