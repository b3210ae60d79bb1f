"""libssh2 (on paramiko) against a paramiko SSH server on 127.0.0.1, directly and through
nmap's libssh2-utility.lua (SSHConnection) running on our transpiler/runtime."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

paramiko = pytest.importorskip("paramiko")

from nse.lib import libssh2  # noqa: E402
from nse.lib._util import LuaError  # noqa: E402
from nse.lua import ops  # noqa: E402
from nse.lua.luatable import LuaTable  # noqa: E402

CLIENT_KEY = paramiko.ECDSAKey.generate()
HOST_KEY = paramiko.ECDSAKey.generate()


class _Server(paramiko.ServerInterface):
    def get_allowed_auths(self, username: str) -> str:
        return "password,publickey"

    def check_auth_password(self, username: str, password: str) -> int:
        ok = (username, password) == ("root", "secret")
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_auth_publickey(self, username: str, key: Any) -> int:
        ok = username == "root" and key.asbytes() == CLIENT_KEY.asbytes()
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        return paramiko.OPEN_SUCCEEDED

    def check_channel_pty_request(self, *args: Any) -> bool:
        return True

    def check_channel_exec_request(self, channel: Any, command: bytes) -> bool:
        def run() -> None:
            channel.sendall(b"ran: " + command + b"\n")
            channel.sendall_stderr(b"err\n")
            channel.send_exit_status(0)
            channel.close()

        # answer after paramiko has sent the exec reply (it goes out when we return);
        # closing the channel first makes the client see "Channel closed"
        threading.Timer(0.05, run).start()
        return True


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(8)
    port = lsock.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        lsock.settimeout(0.5)
        while not stop.is_set():
            try:
                conn, _ = lsock.accept()
            except OSError:
                continue
            t = paramiko.Transport(conn)
            t.add_server_key(HOST_KEY)
            t.start_server(server=_Server())

    th = threading.Thread(target=serve, daemon=True)
    th.start()
    yield port
    stop.set()
    lsock.close()


def test_direct_api(server: int, tmp_path: Path) -> None:
    host = LuaTable.from_dict({"ip": "127.0.0.1"})
    s = libssh2.session_open(host, server)
    assert ops.type_(s) == "userdata"
    blob = HOST_KEY.asbytes()
    assert libssh2.hostkey_hash(s).encode("latin-1") == hashlib.sha1(blob).digest()
    assert libssh2.hostkey_hash(s, "md5").encode("latin-1") == hashlib.md5(blob).digest()
    assert libssh2.userauth_list(s, "root").to_list() == ["password", "publickey"]
    assert libssh2.userauth_password(s, "root", "wrong") is False
    assert libssh2.userauth_password(s, "root", "secret") is True
    ch = libssh2.open_channel(s)
    libssh2.channel_exec(s, ch, "uname -a")
    libssh2.channel_send_eof(s, ch)
    out = []
    while not libssh2.channel_eof(ch):
        d = libssh2.channel_read(s, ch)
        if d:
            out.append(d)
    assert "".join(out) == "ran: uname -a\n"
    libssh2.channel_close(s, ch)
    libssh2.session_close(s)

    keyfile = tmp_path / "id_ecdsa"
    CLIENT_KEY.write_private_key_file(str(keyfile))
    (tmp_path / "id_ecdsa.pub").write_text(
        f"{CLIENT_KEY.get_name()} {CLIENT_KEY.get_base64()} me@host\n"
    )
    s2 = libssh2.session_open("127.0.0.1", server)
    assert (
        libssh2.read_publickey(str(tmp_path / "id_ecdsa.pub")).encode("latin-1")
        == CLIENT_KEY.asbytes()
    )
    assert libssh2.userauth_publickey(s2, "root", str(keyfile), "") is True
    with pytest.raises(LuaError, match="not supported"):
        libssh2.publickey_canauth(s2, "root", "x")
    libssh2.session_close(s2)
    with pytest.raises(LuaError, match="Unable to connect"):
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        closed.close()
        libssh2.session_open("127.0.0.1", port)


@pytest.mark.nmap
@pytest.mark.skipif(
    not os.path.isfile("/usr/share/nmap/nselib/libssh2-utility.lua"), reason="needs nmap's nselib"
)
def test_nmap_libssh2_utility_on_ours(server: int) -> None:
    from test_lib_lpeg import _run_nselib_module

    util = _run_nselib_module("libssh2-utility")
    Conn = util["SSHConnection"]
    c = ops.invoke(Conn, "new")
    host = LuaTable.from_dict({"ip": "127.0.0.1"})
    port = LuaTable.from_dict({"number": server})
    assert ops.first(ops.invoke(c, "connect", host, port)) is True
    assert ops.first(ops.invoke(c, "list", "root")).to_list() == ["password", "publickey"]
    assert ops.first(ops.invoke(c, "password_auth", "root", "nope")) is False
    assert ops.first(ops.invoke(c, "password_auth", "root", "secret")) is True
    assert ops.first(ops.invoke(c, "run_remote", "id")) == "ran: id\n"
    assert ops.mv(ops.invoke(c, "publickey_canauth", "root", "k"))[0] is False
    ops.invoke(c, "disconnect")
