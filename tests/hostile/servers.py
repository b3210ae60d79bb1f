"""Hostile loopback servers for acceptance 4: silent, flooding, half-answering, garbage.

Each server listens on 127.0.0.1 with a port chosen by the OS and runs one plain thread per
connection (blocking sockets, independent of the gevent code under test).  A behaviour is a
function ``handler(conn)``; the server closes the connection when it returns.

Behaviours
----------
* ``silent``      accepts, reads whatever comes, never sends a byte.
* ``flood``       sends ``FLOOD`` (100 MB) random bytes as fast as the client reads.
* ``flood_http``  a valid status line, then headers that never end (100 MB of them).
* ``flood_line``  100 MB with no line break at all (a reader of "one line" must give up).
* ``half_http``   an HTTP response cut off inside the headers, then close.
* ``half_tls``    waits for the ClientHello, answers with a TLS record header announcing a
  ServerHello of 16 kB, sends 40 bytes of it, closes.
* ``half_ssh``    ``SSH-2.0-Open`` (no end of line), closes.
* ``garbage``     random bytes after every read (in place of a ServerHello, a KEX, a
  response), starting with a burst before the client speaks.
* ``garbage_tls`` waits for the ClientHello, answers with random bytes shaped as a
  handshake record (valid record header, random body).
* ``garbage_ssh`` a valid SSH banner, then random bytes in place of the KEXINIT packet.
* ``good_http``   a well-behaved HTTP/1.1 server with a known title and header.
"""

from __future__ import annotations

import os
import socket
import struct
import threading
from collections.abc import Callable

__all__ = ["Server", "BEHAVIOURS", "FLOOD", "GOOD_TITLE", "GOOD_HEADER"]

FLOOD = 100 * 1024 * 1024
GOOD_TITLE = "Well behaved test page"
GOOD_HEADER = "X-Hostile-Test: intact"

Handler = Callable[[socket.socket], None]


class Server:
    """A threaded TCP server on 127.0.0.1 running ``handler(conn)`` per connection."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port: int = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        self.lock = threading.Lock()
        self.sent = 0  # bytes sent over all connections (flood servers count)
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        # a client that stops reading must not pin a thread forever
        conn.settimeout(30)
        try:
            self.handler(conn)
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def stop(self) -> None:
        """Stop accepting and close every connection still open."""
        try:
            self.sock.close()
        except OSError:
            pass
        with self.lock:
            for c in self.conns:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                try:
                    c.close()
                except OSError:
                    pass


def _drain(conn: socket.socket) -> None:
    while conn.recv(65536):
        pass


def silent(conn: socket.socket) -> None:
    """Never send anything; keep the connection until the client closes it."""
    _drain(conn)


def _send_flood(conn: socket.socket, first: bytes, chunk: bytes) -> None:
    conn.sendall(first)
    sent = len(first)
    while sent < FLOOD:
        conn.sendall(chunk)
        sent += len(chunk)


def flood(conn: socket.socket) -> None:
    """100 MB of random bytes, as fast as the client takes them."""
    _send_flood(conn, b"", os.urandom(1 << 16))


def flood_http(conn: socket.socket) -> None:
    """A status line, then 100 MB of header lines with no blank line to end them."""
    conn.settimeout(5)
    try:
        conn.recv(65536)
    except OSError:
        pass
    conn.settimeout(30)
    line = b"X-Flood: " + b"a" * 1000 + b"\r\n"
    _send_flood(conn, b"HTTP/1.1 200 OK\r\nServer: flood\r\n", line * 64)


def flood_line(conn: socket.socket) -> None:
    """100 MB of printable bytes without a single line break."""
    _send_flood(conn, b"SSH-2.0-", b"x" * (1 << 16))


def half_http(conn: socket.socket) -> None:
    """An HTTP response cut inside the headers, then close."""
    conn.settimeout(5)
    try:
        conn.recv(65536)
    except OSError:
        pass
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nServer: ha")


def half_tls(conn: socket.socket) -> None:
    """A ServerHello record header announcing 16000 bytes, 40 of them, then close."""
    conn.settimeout(5)
    try:
        conn.recv(65536)
    except OSError:
        pass
    body = b"\x02" + struct.pack(">I", 15996)[1:] + b"\x03\x03" + os.urandom(34)
    conn.sendall(b"\x16\x03\x03" + struct.pack(">H", 16000) + body[:40])


def half_ssh(conn: socket.socket) -> None:
    """The start of an SSH banner, no end of line, then close."""
    conn.sendall(b"SSH-2.0-Open")


def garbage(conn: socket.socket) -> None:
    """Random bytes first and after every read."""
    conn.sendall(os.urandom(3000))
    while conn.recv(65536):
        conn.sendall(os.urandom(1500))


def garbage_tls(conn: socket.socket) -> None:
    """Answer each ClientHello with handshake records of random content."""
    while conn.recv(65536):
        body = os.urandom(2000)
        conn.sendall(b"\x16\x03\x03" + struct.pack(">H", len(body)) + body)


def garbage_ssh(conn: socket.socket) -> None:
    """A proper SSH banner, then random bytes where the key exchange should be."""
    conn.sendall(b"SSH-2.0-OpenSSH_9.0 hostile\r\n")
    conn.sendall(os.urandom(4000))
    while conn.recv(65536):
        conn.sendall(os.urandom(1500))


def good_http(conn: socket.socket) -> None:
    """A small, correct HTTP/1.1 server (keep-alive, HEAD, OPTIONS)."""
    buf = b""
    while True:
        while b"\r\n\r\n" not in buf:
            data = conn.recv(65536)
            if not data:
                return
            buf += data
        head, _, buf = buf.partition(b"\r\n\r\n")
        method = head.split(b" ", 1)[0]
        body = (f"<html><head><title>{GOOD_TITLE}</title></head>"
                "<body>hello</body></html>").encode()
        extra = b"Allow: GET, HEAD, OPTIONS\r\n" if method == b"OPTIONS" else b""
        resp = (b"HTTP/1.1 200 OK\r\nServer: goodhttpd/1.0\r\n"
                + GOOD_HEADER.encode() + b"\r\nContent-Type: text/html\r\n" + extra
                + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        conn.sendall(resp if method == b"HEAD" else resp + body)
        # HTTP/1.0 (and "Connection: close") ends the connection after the response
        first = head.split(b"\r\n", 1)[0]
        if first.endswith(b"HTTP/1.0") or b"connection: close" in head.lower():
            return


BEHAVIOURS: dict[str, Handler] = {
    "silent": silent, "flood": flood, "flood_http": flood_http, "flood_line": flood_line,
    "half_http": half_http, "half_tls": half_tls, "half_ssh": half_ssh,
    "garbage": garbage, "garbage_tls": garbage_tls, "garbage_ssh": garbage_ssh,
}
