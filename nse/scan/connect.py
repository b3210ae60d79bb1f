"""Connect scan (-sT) and unprivileged discovery, as a driver of the engine.

Each probe is a non-blocking ``connect()``; the sockets sit in one epoll set, and the epoll
descriptor itself is what the engine waits on (it becomes readable when a socket has an
event).  Results: connected = open (``syn-ack``), ``ECONNREFUSED`` = closed
(``conn-refused``), unreachable = filtered; silence is a timeout like any probe.  Sockets
are closed with ``SO_LINGER`` 0 (a RST), so a scan leaves no TIME_WAIT behind.
Works for IPv4 and IPv6.
"""

from __future__ import annotations

import errno
import resource
import select
import socket
import struct
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from nse.scan.model import Host, Port, PortTable
from nse.scan.services import ServiceTable
from nse.scan.ultra import HostState

__all__ = ["ConnectDriver", "fd_budget"]

Match = tuple[str, Hashable, int, Any]
_LINGER0 = struct.pack("ii", 1, 0)


def fd_budget() -> int:
    """How many sockets we may hold at once (raising the soft limit to the hard one)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        try:
            new = 65536 if hard == resource.RLIM_INFINITY else hard
            resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
            soft = new
        except (ValueError, OSError):
            pass
    return max(8, soft - 64)


class ConnectDriver:
    """``mode="scan"``: keys are port numbers; ``mode="ping"``: keys ``("PS", port)`` and
    any answer (connected or refused) means the host is up."""

    def __init__(self, services: ServiceTable, mode: str = "scan") -> None:
        self.services = services
        self.mode = mode
        self.ep = select.epoll()
        self.fds: dict[int, tuple[socket.socket, str, Hashable, int]] = {}
        self.current: dict[tuple[str, Hashable], socket.socket] = {}
        self.ready: list[Match] = []
        self.wake_r, self.wake_w = socket.socketpair()
        self.wake_r.setblocking(False)
        self.trace: Callable[[str], None] | None = None
        self.sent = 0
        self._service_names: Mapping[int, str] | None = None

    def _close(self, s: socket.socket) -> None:
        fd = s.fileno()
        if fd >= 0:
            self.fds.pop(fd, None)
            try:
                self.ep.unregister(fd)
            except (OSError, ValueError):
                pass
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER0)
        except OSError:
            pass
        s.close()

    def _result(self, err: int) -> tuple[str, str] | None:
        if err == 0:
            return ("open", "syn-ack")
        if err == errno.ECONNREFUSED:
            return ("closed", "conn-refused")
        if err in (errno.EHOSTUNREACH, errno.ENETUNREACH):
            return ("filtered", "host-unreach")
        if err == errno.EACCES or err == errno.EPERM:
            return ("filtered", "admin-prohibited")
        return None

    def send(self, host: HostState, key: Hashable, tryno: int) -> bool:
        port = key[1] if isinstance(key, tuple) else key
        assert isinstance(port, int)
        old = self.current.pop((host.ip, key), None)
        if old is not None:
            self._close(old)
        fam = socket.AF_INET6 if ":" in host.ip else socket.AF_INET
        try:
            s = socket.socket(fam, socket.SOCK_STREAM)
        except OSError as e:
            if e.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS):
                return False
            raise
        s.setblocking(False)
        if self.trace:
            self.trace(f"CONN {host.ip}:{port} try={tryno}")
        err = s.connect_ex((host.ip, port))
        self.sent += 1
        if err in (errno.EINPROGRESS, errno.EAGAIN):
            self.fds[s.fileno()] = (s, host.ip, key, tryno)
            self.current[(host.ip, key)] = s
            self.ep.register(s.fileno(), select.EPOLLOUT | select.EPOLLERR)
            return True
        res = self._result(err)
        self._close(s)
        if res is not None:
            self.ready.append((host.ip, key, tryno, res))
            self.wake_w.send(b"x")
        return True

    def sockets(self) -> list[tuple[Any, Callable[[Any], list[Match]]]]:
        return [(self.ep, self._drain), (self.wake_r, self._drain_ready)]

    def _drain_ready(self, _sock: Any) -> list[Match]:
        try:
            while self.wake_r.recv(4096):
                pass
        except BlockingIOError:
            pass
        out, self.ready = self.ready, []
        return out

    def _drain(self, _sock: Any) -> list[Match]:
        out: list[Match] = []
        for fd, _ev in self.ep.poll(0, 4096):
            entry = self.fds.get(fd)
            if entry is None:
                continue
            s, ip, key, tryno = entry
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            self.current.pop((ip, key), None)
            self._close(s)
            res = self._result(err)
            if res is not None:
                out.append((ip, key, tryno, res))
        return out + self._drain_ready(None)

    def record(self, host: HostState, key: Hashable, result: Any) -> bool:
        state, reason = result
        model: Host = host.ctx
        if self.mode == "ping":
            if state == "filtered":
                return False  # unreachable / prohibited: not a sign of life
            model.up = True
            model.reason = reason
            return True
        assert isinstance(key, int)
        self._store(model, key, state, reason)
        return False

    def _store(self, model: Host, key: int, state: str, reason: str) -> None:
        ports = model.ports
        if isinstance(ports, PortTable):
            # compact until read, as the raw scans store theirs (see PortTable)
            names = self._service_names
            if names is None:
                names = self._service_names = self.services.name_lookup("tcp")
            ports.set_state("tcp", key, state, reason, 0, names)
        else:
            ports[("tcp", key)] = Port(key, "tcp", state, reason, 0,
                                       self.services.name(key, "tcp"))

    def no_reply(self, host: HostState, key: Hashable) -> None:
        s = self.current.pop((host.ip, key), None)
        if s is not None:
            self._close(s)
        if self.mode == "ping":
            return
        assert isinstance(key, int)
        self._store(host.ctx, key, "filtered", "no-response")

    def close(self) -> None:
        """Close every socket still open."""
        for s, *_ in list(self.fds.values()):
            self._close(s)
        self.current.clear()
        self.ep.close()
        self.wake_r.close()
        self.wake_w.close()
