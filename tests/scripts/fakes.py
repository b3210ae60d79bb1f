"""Small fake services on 127.0.0.1 for script tests (each on a kernel-chosen port).

``tcp(handler)`` and ``udp(handler)`` are context managers yielding the port.  A TCP
handler gets a :class:`Conn` (line reading helpers) per connection, in its own thread;
a UDP handler maps one datagram to a reply (or ``None``).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Conn:
    """One accepted connection with line-oriented helpers."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = b""

    def send(self, data: bytes | str) -> None:
        """Send bytes (str as latin-1)."""
        if isinstance(data, str):
            data = data.encode("latin-1")
        self.sock.sendall(data)

    def recv(self, n: int = 4096) -> bytes:
        """Buffered bytes first, then one recv (b"" at EOF)."""
        if self.buf:
            data, self.buf = self.buf, b""
            return data
        return self.sock.recv(n)

    def recv_exact(self, n: int) -> bytes:
        """Exactly ``n`` bytes (fewer at EOF)."""
        while len(self.buf) < n:
            d = self.sock.recv(4096)
            if not d:
                break
            self.buf += d
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def line(self) -> str | None:
        """One line without its CRLF; None at EOF."""
        while b"\n" not in self.buf:
            d = self.sock.recv(4096)
            if not d:
                return None
            self.buf += d
        ln, self.buf = self.buf.split(b"\n", 1)
        return ln.rstrip(b"\r").decode("latin-1")


@contextmanager
def tcp(handler: Callable[[Conn], None]) -> Iterator[int]:
    """Serve ``handler`` on a TCP port of 127.0.0.1 until the block ends."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)

    def one(c: socket.socket) -> None:
        c.settimeout(10)
        try:
            with c:
                handler(Conn(c))
        except OSError:
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


@contextmanager
def udp(handler: Callable[[bytes], bytes | None]) -> Iterator[int]:
    """Answer each datagram on a UDP port of 127.0.0.1 with ``handler(data)``."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(("127.0.0.1", 0))
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                data, addr = srv.recvfrom(65535)
            except OSError:
                return
            try:
                reply = handler(data)
            except Exception:  # a malformed probe gets no answer, as from a real daemon
                reply = None
            if reply is not None:
                srv.sendto(reply, addr)

    threading.Thread(target=loop, daemon=True).start()
    try:
        yield srv.getsockname()[1]
    finally:
        stop.set()
        srv.close()
