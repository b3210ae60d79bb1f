"""``require "libssh2"``: nmap's libssh2 binding (nse_libssh2.cc) on paramiko.

The functions of nmap's libssh2.luadoc: ``session_open``, ``hostkey_hash``,
``set_timeout``, ``userauth_list``, ``userauth_password``, ``userauth_publickey``,
``read_publickey``, ``publickey_canauth``, ``open_channel``, ``channel_read``,
``channel_read_stderr``, ``channel_write``, ``channel_exec``, ``channel_send_eof``,
``channel_eof``, ``channel_close``, ``session_close``.  Sessions and channels are
userdata.  nmap's libssh2-utility.lua (``SSHConnection``) runs on top of it.

Differences from nmap, by necessity:

* nmap drives libssh2 over nsock, yielding the script while it waits; paramiko runs its
  own transport thread and these calls block the calling thread (cooperative only when
  the engine runs gevent with monkey-patched sockets and threads).  The default timeout is
  nmap's 30 s socket timeout; ``set_timeout`` changes it.
* Failures raise Lua errors carrying paramiko's description (nmap's texts come from
  libssh2 and are not reproduced).
* ``publickey_canauth`` (libssh2's "publickey query" without signing) has no paramiko
  counterpart: it raises ``publickey_canauth: not supported by this libssh2 emulation``,
  which libssh2-utility's pcall turns into ``false, err``.
* paramiko is a test extra; without it ``require "libssh2"`` fails like a missing C module.
"""

from __future__ import annotations

import base64 as _b64
import hashlib
import socket
from typing import Any

from nse.lib._util import LuaTable, Userdata, check_int, check_str, lua_error
from nse.lib._util import from_bytes as _s
from nse.lib._util import to_bytes as _b
from nse.lua import ops
from nse.lua.errors import type_error

try:
    import paramiko
except ImportError as _e:  # pragma: no cover - optional dependency
    raise ImportError("module 'libssh2' not found (paramiko is not installed)") from _e

__all__ = [
    "session_open", "hostkey_hash", "set_timeout", "userauth_list", "userauth_password",
    "userauth_publickey", "read_publickey", "publickey_canauth", "open_channel",
    "channel_read", "channel_read_stderr", "channel_write", "channel_exec",
    "channel_send_eof", "channel_eof", "channel_close", "session_close",
]  # fmt: skip

_DEFAULT_TIMEOUT = 30.0


class Session(Userdata):
    """A connected SSH transport."""

    _lua_typename = "SSH2"

    def __init__(self, transport: paramiko.Transport, sock: socket.socket) -> None:
        self.transport = transport
        self.sock = sock
        self.timeout = _DEFAULT_TIMEOUT

    @classmethod
    def _extra_meta(cls) -> dict[str, Any]:
        return {"__gc": lambda s=None, *_: (), "__tostring": lambda s=None, *_: "libssh2 session"}


class Channel(Userdata):
    """An SSH channel (with a pseudo terminal, as nmap opens them)."""

    _lua_typename = "CHANNEL"

    def __init__(self, chan: paramiko.Channel) -> None:
        self.chan = chan

    @classmethod
    def _extra_meta(cls) -> dict[str, Any]:
        return {"__gc": lambda s=None, *_: (), "__tostring": lambda s=None, *_: "libssh2 channel"}


def _session(v: Any, n: int, fname: str) -> Session:
    if not isinstance(v, Session):
        type_error(n, fname, "SSH2", v)
    return v


def _channel(v: Any, n: int, fname: str) -> Channel:
    if not isinstance(v, Channel):
        type_error(n, fname, "CHANNEL", v)
    return v


def session_open(host: Any = None, port: Any = None, *_: Any) -> Session:
    """Connect to ``host`` (a host table or an address) on ``port`` and do the SSH
    handshake."""
    addr = ops.index(host, "ip") if isinstance(host, LuaTable) else host
    addr = check_str(addr, 1, "session_open")
    p = check_int(
        ops.index(port, "number") if isinstance(port, LuaTable) else port, 2, "session_open"
    )
    try:
        sock = socket.create_connection((addr, p), timeout=_DEFAULT_TIMEOUT)
    except OSError as e:
        lua_error(f"Unable to connect: {e.strerror or e}")
    try:
        t = paramiko.Transport(sock)
        t.banner_timeout = _DEFAULT_TIMEOUT
        t.start_client(timeout=_DEFAULT_TIMEOUT)
    except (paramiko.SSHException, OSError, EOFError) as e:
        sock.close()
        lua_error(f"Unable to complete handshake: {e}")
    return Session(t, sock)


def hostkey_hash(session: Any = None, hashtype: Any = None, *_: Any) -> str:
    """SHA-1 (default) or MD5 of the server's host key blob, as raw bytes."""
    s = _session(session, 1, "hostkey_hash")
    blob = s.transport.get_remote_server_key().asbytes()
    kind = "sha1" if hashtype is None else check_str(hashtype, 2, "hostkey_hash").lower()
    if kind == "md5":
        return _s(hashlib.md5(blob).digest())
    return _s(hashlib.sha1(blob).digest())


def set_timeout(session: Any = None, timeout: Any = None, *_: Any) -> tuple[()]:
    """Set the session timeout in milliseconds."""
    s = _session(session, 1, "set_timeout")
    ms = check_int(timeout, 2, "set_timeout")
    s.timeout = ms / 1000.0 if ms > 0 else None  # type: ignore[assignment]
    s.sock.settimeout(s.timeout)
    return ()


def userauth_list(session: Any = None, username: Any = None, *_: Any) -> LuaTable:
    """The authentication methods the server offers to ``username``."""
    s = _session(session, 1, "userauth_list")
    user = check_str(username, 2, "userauth_list")
    try:
        s.transport.auth_none(user)
    except paramiko.BadAuthenticationType as e:
        return LuaTable.from_list(list(e.allowed_types))
    except (paramiko.SSHException, OSError, EOFError) as e:
        lua_error(f"userauth_list: {e}")
    return LuaTable()  # "none" authentication succeeded


def userauth_password(
    session: Any = None, username: Any = None, password: Any = None, *_: Any
) -> bool:
    """Try password authentication: true or false."""
    s = _session(session, 1, "userauth_password")
    user = check_str(username, 2, "userauth_password")
    pw = check_str(password, 3, "userauth_password")
    try:
        s.transport.auth_password(user, pw, fallback=False)
    except paramiko.AuthenticationException:
        return False
    except (paramiko.SSHException, OSError, EOFError) as e:
        lua_error(f"userauth_password: {e}")
    return bool(s.transport.is_authenticated())


def _load_private_key(path: str, passphrase: str | None) -> Any:
    last: Exception | None = None
    for cls in (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey):
        try:
            return cls.from_private_key_file(path, password=passphrase or None)
        except (paramiko.SSHException, ValueError) as e:
            last = e
        except OSError as e:
            lua_error(f"Unable to read private key {path}: {e.strerror}")
    return lua_error(f"Unable to read private key {path}: {last}")


def userauth_publickey(
    session: Any = None,
    username: Any = None,
    privatekeyfile: Any = None,
    passphrase: Any = None,
    publickeyfile: Any = None,
    *_: Any,
) -> bool:
    """Try public key authentication with a private key file: true or false."""
    s = _session(session, 1, "userauth_publickey")
    user = check_str(username, 2, "userauth_publickey")
    path = check_str(privatekeyfile, 3, "userauth_publickey")
    pp = check_str(passphrase, 4, "userauth_publickey") if passphrase is not None else None
    key = _load_private_key(path, pp)
    try:
        s.transport.auth_publickey(user, key)
    except paramiko.AuthenticationException:
        return False
    except (paramiko.SSHException, OSError, EOFError) as e:
        lua_error(f"userauth_publickey: {e}")
    return bool(s.transport.is_authenticated())


def read_publickey(publickeyfile: Any = None, *_: Any) -> str:
    """The raw key blob of an OpenSSH ``id_*.pub`` file."""
    path = check_str(publickeyfile, 1, "read_publickey")
    try:
        with open(_b(path), "rb") as f:
            parts = f.read().split()
    except OSError as e:
        lua_error(f"Unable to read public key file: {e.strerror}")
    if len(parts) < 2:
        lua_error("Invalid public key file")
    try:
        return _s(_b64.b64decode(parts[1], validate=True))
    except ValueError:
        return lua_error("Invalid public key file")


def publickey_canauth(
    session: Any = None, username: Any = None, publickeydata: Any = None, *_: Any
) -> Any:
    """Not available on paramiko (see the module docstring)."""
    _session(session, 1, "publickey_canauth")
    return lua_error("publickey_canauth: not supported by this libssh2 emulation")


def open_channel(session: Any = None, *_: Any) -> Channel:
    """Open a session channel with a pseudo terminal."""
    s = _session(session, 1, "open_channel")
    try:
        chan = s.transport.open_session(timeout=s.timeout)
        chan.settimeout(s.timeout)
        chan.get_pty()
    except (paramiko.SSHException, OSError, EOFError) as e:
        lua_error(f"Opening channel failed: {e}")
    return Channel(chan)


def channel_exec(session: Any = None, channel: Any = None, cmd: Any = None, *_: Any) -> tuple[()]:
    """Run ``cmd`` on the channel."""
    _session(session, 1, "channel_exec")
    c = _channel(channel, 2, "channel_exec")
    command = check_str(cmd, 3, "channel_exec")
    try:
        c.chan.exec_command(_b(command))
    except (paramiko.SSHException, OSError, EOFError) as e:
        lua_error(f"Executing command failed: {e}")
    return ()


def _read(session: Any, channel: Any, fname: str, stderr: bool) -> Any:
    _session(session, 1, fname)
    c = _channel(channel, 2, fname)
    try:
        data = c.chan.recv_stderr(65536) if stderr else c.chan.recv(65536)
    except TimeoutError:
        return None
    except (paramiko.SSHException, OSError, EOFError) as e:
        return lua_error(f"Reading from channel failed: {e}")
    return _s(data)


def channel_read(session: Any = None, channel: Any = None, *_: Any) -> Any:
    """Data read from the channel's stdout ("" at the end, nil on timeout)."""
    return _read(session, channel, "channel_read", False)


def channel_read_stderr(session: Any = None, channel: Any = None, *_: Any) -> Any:
    """Data read from the channel's stderr."""
    return _read(session, channel, "channel_read_stderr", True)


def channel_write(session: Any = None, channel: Any = None, buffer: Any = None, *_: Any) -> int:
    """Write data; returns the number of bytes written."""
    _session(session, 1, "channel_write")
    c = _channel(channel, 2, "channel_write")
    data = _b(check_str(buffer, 3, "channel_write"))
    try:
        return int(c.chan.send(data))
    except (paramiko.SSHException, OSError, EOFError) as e:
        return lua_error(f"Writing to channel failed: {e}")


def channel_send_eof(session: Any = None, channel: Any = None, *_: Any) -> tuple[()]:
    """Signal the end of our data."""
    _session(session, 1, "channel_send_eof")
    _channel(channel, 2, "channel_send_eof").chan.shutdown_write()
    return ()


def channel_eof(channel: Any = None, *_: Any) -> bool:
    """Whether the server sent EOF and all stdout data has been read (unread stderr data
    does not count: with the pseudo terminal nmap requests, servers merge the streams)."""
    c = _channel(channel, 1, "channel_eof").chan
    return bool((c.eof_received or c.closed) and not c.recv_ready())


def channel_close(session: Any = None, channel: Any = None, *_: Any) -> tuple[()]:
    """Close a channel."""
    _session(session, 1, "channel_close")
    _channel(channel, 2, "channel_close").chan.close()
    return ()


def session_close(session: Any = None, *_: Any) -> tuple[()]:
    """Disconnect."""
    s = _session(session, 1, "session_close")
    s.transport.close()
    s.sock.close()
    return ()
