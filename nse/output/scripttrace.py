"""``--script-trace``: nmap's ``NSE:`` lines for every script socket event.

nmap (nse_nsock.cc, checked against nmap 7.93 on loopback) writes one line per event of
a script socket, on stdout only (never into ``-oN``)::

    NSE: TCP 127.0.0.1:57632 > 127.0.0.1:18090 | CONNECT
    NSE: TCP 127.0.0.1:57632 > 127.0.0.1:18090 | 00000000: 68 65 6c 6c ...   hello there
    <blank line: a hex dump ends with a newline and the line adds one>
    NSE: TCP 127.0.0.1:57632 > 127.0.0.1:18090 | SEND
    NSE: TCP 127.0.0.1:57632 < 127.0.0.1:18090 | mostly text   \\1 escaped
    NSE: TCP 127.0.0.1:57632 > 127.0.0.1:18090 | CLOSE

The local end comes first, then ``>`` (to the peer) or ``<`` (from it).  The events, in
nmap's order: ``CONNECT`` when a connect attempt ends, whether it succeeded or not (a
refused connect is traced too, then ``CLOSE`` when the script closes the socket); the
data of a ``send``/``sendto`` before it is written, then ``SEND`` once written; the data
of every successful read (failed reads, timeouts and EOF print nothing); ``SSL
RECONNECT`` after ``reconnect_ssl``; ``CLOSE`` when an opened socket is closed (by the
script or by the engine when the script ends).  nmap also turns this on with
``--packet-trace`` and with ``-ddd``.

nmap additionally prints nsock's own ``NSOCK INFO [...]`` log lines under
``--script-trace`` (event ids, I/O descriptor numbers): those describe nsock's internals,
which this engine does not have, and are not reproduced.

:class:`ScriptTracer` is what the engine holds in ``EngineOptions.extra["script_trace"]``;
``nse.lib.nmap`` calls it from its socket methods.  :func:`hexify` is pure.
"""

from __future__ import annotations

import socket
import weakref
from collections.abc import Callable
from typing import Any

__all__ = ["ScriptTracer", "hexify", "trace_line"]

#: C's isspace in the C locale: kept as they are in the "mostly printable" form
_SPACE = frozenset(b" \t\n\v\f\r")

Addr = tuple[str, int]


def hexify(data: str | bytes) -> str:
    """A payload as nmap's trace shows it.

    When at least 95% of the bytes are printable (C ``isprint``: 0x20-0x7e), the text as
    it is, white space included, other bytes as a backslash right-aligned in three
    columns and the decimal value (``"  \\1"``).  Otherwise a hex dump, 16 bytes a row:
    8-digit hex offset, ``": "``, each byte as two hex digits and a space (missing bytes
    of the last row as three spaces), the graphic characters (``isgraph``) as themselves
    and any other byte as a space, and a newline.  An empty payload gives "" (nmap's
    0/0 ratio is NaN, so it takes the hex path, which has no rows)."""
    b = data.encode("latin-1") if isinstance(data, str) else bytes(data)
    n = len(b)
    printable = sum(1 for c in b if 0x20 <= c < 0x7F)
    if n and printable / n >= 0.95:
        return "".join(chr(c) if 0x20 <= c < 0x7F or c in _SPACE else f"  \\{c}"
                       for c in b)
    rows = []
    for i in range(0, n, 16):
        chunk = b[i:i + 16]
        hexes = "".join(f"{c:02x} " for c in chunk) + "   " * (16 - len(chunk))
        text = "".join(chr(c) if 0x21 <= c < 0x7F else " " for c in chunk)
        rows.append(f"{i:08x}: {hexes}{text}\n")
    return "".join(rows)


def trace_line(proto: str, local: Addr, direction: str, remote: Addr, message: str) -> str:
    """One trace line, newline included (``message`` may end with its own newline: a hex
    dump then leaves a blank line, as nmap's does)."""
    return (f"NSE: {proto} {local[0]}:{local[1]} {direction} {remote[0]}:{remote[1]} | "
            f"{message}\n")


def _sockname(sock: Any) -> Addr | None:
    try:
        a = sock.getsockname()
        return str(a[0]), int(a[1])
    except (OSError, AttributeError, TypeError, ValueError, IndexError):
        return None


def _peername(sock: Any) -> Addr | None:
    try:
        a = sock.getpeername()
        return str(a[0]), int(a[1])
    except (OSError, AttributeError, TypeError, ValueError, IndexError):
        return None


def _route_source(remote: Addr) -> str | None:
    """The address the kernel would send from to ``remote`` (a UDP connect sends no
    packet): the local address of a connect that failed, which nsock knows from the
    attempt and a socket forgets once the attempt failed (it then reads 0.0.0.0)."""
    fam = socket.AF_INET6 if ":" in remote[0] else socket.AF_INET
    try:
        with socket.socket(fam, socket.SOCK_DGRAM) as s:
            s.connect((remote[0], remote[1] or 9))
            return str(s.getsockname()[0])
    except OSError:
        return None


class ScriptTracer:
    """Writes the ``NSE:`` trace lines of script sockets through ``write``.

    The methods take the NSE socket object (``nse.lib.nmap.NseSocket``: its ``protocol``
    and its Python socket ``sock``); the ends of a connection are remembered per NSE
    socket so that ``CLOSE`` after a failed connect still names them."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write
        self._ends: weakref.WeakKeyDictionary[Any, tuple[str, Addr, Addr]] = \
            weakref.WeakKeyDictionary()
        self._fresh: weakref.WeakKeyDictionary[Any, Addr] = weakref.WeakKeyDictionary()

    # -- addresses
    def _line(self, nsock: Any, direction: str, message: str,
              remote: Addr | None = None) -> None:
        proto, local, last_remote = self._ends.get(
            nsock, (str(getattr(nsock, "protocol", "tcp")).upper(), ("0.0.0.0", 0),
                    ("0.0.0.0", 0)))
        live = getattr(nsock, "sock", None)
        if live is not None:
            # a live socket knows its ends best (a UDP socket gets its port on first send)
            local = _sockname(live) or local
            remote = remote or _peername(live)
        remote = remote or last_remote
        self._ends[nsock] = (proto, local, remote)
        self.write(trace_line(proto, local, direction, remote, message))

    def opened(self, nsock: Any, sock: Any) -> None:
        """A connect reached its peer: note the local end now, before a TLS layer (whose
        failure closes the socket) is put on top."""
        local = _sockname(sock)
        if local is not None:
            self._fresh[nsock] = local

    def connect(self, nsock: Any, sock: Any, remote: Any, protocol: str) -> None:
        """A connect attempt on ``sock`` to ``remote`` (a socket address) ended, however
        it ended: nmap's ``CONNECT`` line."""
        rem: Addr = (str(remote[0]), int(remote[1]))
        local = self._fresh.pop(nsock, None) or _sockname(sock) or ("0.0.0.0", 0)
        if local[0] in ("0.0.0.0", "::"):
            local = (_route_source(rem) or local[0], local[1])
        proto = "UDP" if protocol == "udp" else "TCP"
        self._ends[nsock] = (proto, local, rem)
        self.write(trace_line(proto, local, ">", rem, "CONNECT"))

    def data(self, nsock: Any, payload: str | bytes, direction: str,
             remote: Any = None) -> None:
        """Data sent (``">"``, before it is written; ``remote`` for ``sendto``) or
        received (``"<"``)."""
        rem = (str(remote[0]), int(remote[1])) if remote is not None else None
        self._line(nsock, direction, hexify(payload), rem)

    def event(self, nsock: Any, action: str, direction: str = ">") -> None:
        """An operation ended: ``SEND``, ``SSL RECONNECT``."""
        self._line(nsock, direction, action)

    def close(self, nsock: Any) -> None:
        """``close()`` of a socket that was opened (connected, or used by ``sendto``)."""
        if nsock in self._ends:
            self._line(nsock, ">", "CLOSE")
            del self._ends[nsock]
