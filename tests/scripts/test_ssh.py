"""ssh-hostkey, ssh2-enum-algos, sshv1: ours against nmap's, on a paramiko SSH-2 server
and on a fake SSH-1 server (hand-built SMSG_PUBLIC_KEY)."""

from __future__ import annotations

import socket
import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from . import fakes
from .harness import HAVE_NMAP, our_block, outputs

nmap = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")
paramiko = pytest.importorskip("paramiko")


@pytest.fixture(scope="module")
def host_keys() -> list[object]:
    from cryptography.hazmat.primitives.asymmetric import ec

    return [paramiko.RSAKey.generate(2048), paramiko.ECDSAKey.generate(curve=ec.SECP256R1())]


@contextmanager
def ssh2_server(keys: list[object]) -> Iterator[int]:
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)

    def handle(c: socket.socket) -> None:
        t = paramiko.Transport(c)
        t.local_version = "SSH-2.0-nseFake_1.0"
        for k in keys:
            t.add_server_key(k)
        try:
            t.start_server(server=paramiko.ServerInterface())
            t.accept(3)
        except (paramiko.SSHException, EOFError, OSError):
            pass
        finally:
            t.close()

    def loop() -> None:
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(c,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    try:
        yield srv.getsockname()[1]
    finally:
        srv.close()


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("fmt", [None, "all"], ids=["md5", "all"])
def test_ssh_hostkey(host_keys: list[object], fmt: str | None) -> None:
    args = f"ssh_hostkey={fmt}" if fmt else None
    with ssh2_server(host_keys) as port:
        want, lua, twin = outputs("ssh-hostkey", port, "ssh", args=args)
    # (paramiko no longer signs with plain "ssh-rsa", the only RSA type nmap offers)
    assert "(ECDSA)" in want
    assert lua == want
    assert twin == lua


@nmap
@pytest.mark.nmap
def test_ssh2_enum_algos(host_keys: list[object]) -> None:
    with ssh2_server(host_keys) as port:
        want, lua, twin = outputs("ssh2-enum-algos", port, "ssh")
    assert "kex_algorithms" in want
    assert lua == want
    assert twin == lua


def _mp(n: int) -> bytes:
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return struct.pack(">H", n.bit_length()) + b


def ssh1_public_key_packet() -> bytes:
    server_n = (1 << 767) | 12345
    host_n = (1 << 1039) | 987654321
    body = (b"\x02" + b"cookie!!" + struct.pack(">I", 768) + _mp(65537) + _mp(server_n)
            + struct.pack(">I", 1040) + _mp(35) + _mp(host_n)
            + struct.pack(">III", 2, 0x48, 0x24))
    n = len(body) + 4  # with the CRC
    pad = b"\0" * (8 - n % 8)
    crc = zlib.crc32(pad + body) & 0xFFFFFFFF  # (the SSH-1 CRC; nobody checks it here)
    return struct.pack(">I", n) + pad + body + struct.pack(">I", crc)


def ssh1_server(c: fakes.Conn) -> None:
    c.send(b"SSH-1.5-fakessh1\n")
    c.line()
    c.send(ssh1_public_key_packet())
    c.recv()


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("script", ["sshv1", "ssh-hostkey"])
def test_ssh1_server(script: str) -> None:
    with fakes.tcp(ssh1_server) as port:
        want, lua, twin = outputs(script, port, "ssh", args="ssh_hostkey=all")
    assert want
    assert lua == want
    assert twin == lua


def test_not_ssh_gives_nothing() -> None:
    def http(c: fakes.Conn) -> None:
        c.send(b"HTTP/1.0 400 Bad Request\r\n\r\n")

    with fakes.tcp(http) as port:
        for s in ("ssh-hostkey", "ssh2-enum-algos", "sshv1"):
            assert our_block(f"scripts_lua/{s}.nse", port, "ssh") == ""
