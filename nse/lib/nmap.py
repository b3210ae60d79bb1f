"""The ``nmap`` library (nmap implements it in C: nse_nmaplib.cc, nse_nsock.cc).

Scan state (verbosity, registry, port tables) comes from the engine's
:class:`~nse.engine.context.Runtime`; sockets are gevent sockets, so a script that waits
on the network lets every other script thread run (nmap's nsock callbacks).

Socket results follow what nmap 7.93 returns, checked against it: a failed operation
returns ``nil, "ERROR"`` / ``nil, "TIMEOUT"`` / ``nil, "EOF"``; ``get_info`` on an
unconnected socket raises ``socket must be connected``; closing twice gives
``false, "socket already closed"``.  Receive calls share one buffer per socket: data read
past what a call returns stays for the next receive call.

Receive buffer
--------------
The buffer is a ``bytearray`` (appending a read costs the read's length, not the buffer's),
and the calls that wait for something in the data look at each read's new bytes only:
``receive_lines`` counts the newlines of the new bytes, ``receive_buf`` with a pattern
searches again only where a match could now start (see :func:`_pattern_extent`), so a
flood without the delimiter costs time linear in its size.  A function delimiter gets
the whole buffer after every read, as nmap calls it (its cost is the function's).

One difference from nmap, on purpose: nmap's nsock buffers without limit, so a server that
never sends the delimiter makes ``receive_lines``/``receive_buf`` hold everything it sends
until the timeout.  Here those two calls give up with ``nil, "ERROR"`` once the data they
wait in holds more than :data:`MAX_BUFFER` bytes (the data stays buffered for ``receive``).
``receive_bytes(n)`` is bounded by ``n`` and ``receive`` by one read, so neither is limited.
"""

from __future__ import annotations

import errno
import os
import socket as _pysocket
import ssl as _pyssl
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import gevent
import gevent.event
import gevent.lock
import gevent.socket
import gevent.ssl

from nse.engine.context import current_thread, runtime
from nse.lua.errors import LuaError, arg_error, lua_error
from nse.lua.luatable import LuaTable

__all__ = [
    "registry",
    "verbosity",
    "debugging",
    "clock",
    "clock_ms",
    "address_family",
    "is_privileged",
    "have_ssl",
    "timing_level",
    "version_intensity",
    "get_port_state",
    "get_ports",
    "set_port_state",
    "set_port_version",
    "fetchfile",
    "mutex",
    "condvar",
    "new_try",
    "new_socket",
    "log_write",
    "get_ttl",
    "get_payload_length",
    "get_interface",
    "resolve",
    "list_interfaces",
    "get_interface_info",
    "port_is_excluded",
    "socket",
    "get_dns_servers",
    "add_targets",
    "new_targets_num",
    "new_dnet",
]

#: nmap.registry: replaced by the engine for every run (see :func:`_bind_runtime`).
registry: LuaTable = runtime().registry


def _lua_init(t: LuaTable) -> None:
    # registry is per run: the module table reads it from the current runtime
    t["registry"] = runtime().registry


__lua_init__ = _lua_init


def bind_runtime() -> None:
    """Point ``nmap.registry`` (module attribute and Lua table) at the current runtime's."""
    global registry
    registry = runtime().registry
    try:
        from nse.lib import lua_module

        lua_module("nmap")["registry"] = registry
    except ImportError:  # pragma: no cover
        pass


# --------------------------------------------------------------------- scan information


def verbosity(*_: Any) -> int:
    """The -v level, one higher for a script selected by name (nse_main.lua)."""
    v = runtime().options.verbosity
    t = current_thread()
    if t is not None and t.script.selected_by_name:
        v += 1
    return v


def debugging(*_: Any) -> int:
    """The -d level."""
    return runtime().options.debugging


def clock(*_: Any) -> float:
    """Seconds since the epoch, with a fraction."""
    return time.time()


def clock_ms(*_: Any) -> int:
    """Milliseconds since the epoch."""
    return int(time.time() * 1000)


def address_family(*_: Any) -> str:
    """``"inet"`` or ``"inet6"`` (-6)."""
    return runtime().options.address_family


def is_privileged(*_: Any) -> bool:
    """Whether raw sockets may be used."""
    return bool(runtime().options.is_privileged)


def have_ssl(*_: Any) -> bool:
    """SSL support is always there (Python's ssl module)."""
    return True


def timing_level(*_: Any) -> int:
    """The -T level, 0..5."""
    return runtime().options.timing_level


def version_intensity(*_: Any) -> int:
    """--version-intensity (7 unless told)."""
    return int(runtime().options.extra.get("version_intensity", 7))


def get_ttl(*_: Any) -> int:
    """--ttl or 64."""
    ttl = runtime().options.extra.get("ttl")
    return ttl if isinstance(ttl, int) and 0 <= ttl <= 255 else 64


def get_payload_length(*_: Any) -> int:
    """--data-length or 0."""
    return int(runtime().options.extra.get("data_length", 0))


def get_interface(*_: Any) -> Any:
    """-e, or nil."""
    return runtime().options.extra.get("interface")


def list_interfaces(*_: Any) -> Any:
    """Interfaces as tables with ``device``, ``up``, ``address`` (from /sys and ioctl)."""
    out = LuaTable()
    for _i, name in _pysocket.if_nameindex():
        out.append(
            LuaTable.from_dict(
                {"device": name, "shortname": name, "up": "up" if _iface_up(name) else "down"}
            )
        )
    return True, out


def _iface_up(name: str) -> bool:
    try:
        with open(f"/sys/class/net/{name}/operstate") as fh:
            return fh.read().strip() in ("up", "unknown")
    except OSError:
        return False


def get_interface_info(name: Any = None, *_: Any) -> Any:
    """A table describing interface ``name`` or ``nil, "..."``."""
    for _i, n in _pysocket.if_nameindex():
        if n == name:
            return LuaTable.from_dict(
                {"device": n, "shortname": n, "up": "up" if _iface_up(n) else "down"}
            )
    return None, f"Failed to find interface {name}"


def resolve(host: Any = None, family: Any = None, *_: Any) -> Any:
    """``true, {addresses}`` for a name (only through the system resolver)."""
    if not isinstance(host, str):
        arg_error(1, "resolve", "string expected")
    fam = {"inet": _pysocket.AF_INET, "inet6": _pysocket.AF_INET6}.get(family or "", 0)
    try:
        infos = gevent.socket.getaddrinfo(host, None, fam)
    except OSError as e:
        return False, str(e)
    seen: list[str] = []
    for info in infos:
        a = info[4][0]
        if a not in seen:
            seen.append(a)
    return True, LuaTable.from_list(seen)


def log_write(file: Any = None, text: Any = None, *_: Any) -> Any:
    """log_write("stdout"|"stderr", text): one line to the log, prefixed ``NSE: `` as
    nmap does for the "stdout" log (which is the normal output)."""
    rt = runtime()
    prefix = "NSE: "  # nse_nmaplib.cc: log_write(LOG_STDOUT, "%s: %s\n", "NSE", msg)
    if file == "stderr":
        import sys

        sys.stderr.write(f"{prefix}{text}\n")
    else:
        rt.log(f"{prefix}{text}")
    return ()


def fetchfile(filename: Any = None, *_: Any) -> Any:
    """The path of a data file in nmap's search directories, or nil (not the current
    directory, not absolute paths, not directories)."""
    if not isinstance(filename, str) or os.path.isabs(filename):
        return None
    for d in runtime().options.datadirs.dirs:
        p = os.path.join(d, filename)
        if os.path.isfile(p) and os.access(p, os.R_OK):
            return p
    # no nmap data directory holds it: our own copy (nselib/data/*.lst, the probe
    # file, ...), so scripts keep working without nmap installed
    from nse.lib.datadir import own_file

    return own_file(filename)


def get_dns_servers(*_: Any) -> Any:
    """The name servers of /etc/resolv.conf (nmap: its own resolver's list)."""
    out = LuaTable()
    try:
        with open("/etc/resolv.conf", encoding="latin-1") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2 and parts[0] == "nameserver":
                    out.append(parts[1])
    except OSError:
        pass
    return out


def add_targets(*_: Any) -> Any:
    """Adding scan targets from scripts is not supported yet: ``false, reason``."""
    return False, "Adding new targets from scripts is not supported by this engine"


def new_targets_num(*_: Any) -> int:
    """How many targets scripts added (none: see add_targets)."""
    return 0


def new_dnet(*_: Any) -> Any:
    """Raw Ethernet/IP sending is not implemented: raises a Lua error saying so."""
    lua_error("nmap.new_dnet is not supported by this engine", 1)


# ----------------------------------------------------------------------- ports


def port_is_excluded(port: Any = None, proto: Any = None, *_: Any) -> bool:
    """Whether --exclude-ports names ``port``/``proto``; the engine stores the excluded
    ports as a set of ``(proto, number)`` in ``options.extra["exclude_ports"]``."""
    excluded = runtime().options.extra.get("exclude_ports") or ()
    try:
        return (proto or "tcp", int(port)) in excluded
    except (TypeError, ValueError):
        return False


_PORT_STATES = ("open", "filtered", "unfiltered", "closed", "open|filtered", "closed|filtered")


def _field(t: Any, k: str) -> Any:
    # Lua tables, and plain dicts from Python scripts
    if isinstance(t, LuaTable | dict):
        return t.get(k) if isinstance(t, dict) else t[k]
    return None


def _host_ports(host: Any) -> Any:
    ip = _field(host, "ip")
    return runtime().hosts.get(ip) if ip is not None else None


def _find_port(host: Any, port: Any) -> Any:
    rec = _host_ports(host)
    if rec is None:
        return None, None
    num = _field(port, "number")
    try:
        num = int(num)
    except (TypeError, ValueError):
        return rec, None
    return rec, rec.find_port(_field(port, "protocol") or "tcp", num)


def get_port_state(host: Any = None, port: Any = None, *_: Any) -> Any:
    """A fresh port table for ``port.number``/``port.protocol`` on ``host``, or nil."""
    _rec, p = _find_port(host, port)
    if p is None:
        return None
    from nse.engine.scheduler import _copy

    return _copy(p)


def get_ports(
    host: Any = None, port: Any = None, proto: Any = None, state: Any = None, *_: Any
) -> Any:
    """The next port table after ``port`` (nil: the first) with that protocol and state."""
    rec = _host_ports(host)
    if rec is None:
        return None
    found = port is None
    for p in rec.port_tables():
        if not found:
            found = p["number"] == _field(port, "number") and p["protocol"] == _field(
                port, "protocol"
            )
            continue
        if (proto is None or p["protocol"] == proto) and (state is None or p["state"] == state):
            from nse.engine.scheduler import _copy

            return _copy(p)
    return None


def set_port_state(host: Any = None, port: Any = None, state: Any = None, *_: Any) -> Any:
    """Change a port's final state (``"open"`` or ``"closed"``) in the results."""
    if state not in ("open", "closed"):
        arg_error(3, "set_port_state", f"invalid option '{state}'")
    rec, p = _find_port(host, port)
    if p is not None:
        rec.set_state(p, state)
    return ()


_VERSION_FIELDS = (
    "name",
    "product",
    "version",
    "extrainfo",
    "hostname",
    "ostype",
    "devicetype",
    "service_tunnel",
)


def set_port_version(host: Any = None, port: Any = None, probestate: Any = None, *_: Any) -> Any:
    """Record version information from ``port.version`` for the results."""
    if probestate is None:
        probestate = "hardmatched"
    if probestate not in ("hardmatched", "softmatched", "nomatch", "tcpwrapped", "incomplete"):
        arg_error(3, "set_port_version", f"invalid option '{probestate}'")
    rec, p = _find_port(host, port)
    if p is None:
        return ()
    v = port["version"]
    if not isinstance(v, LuaTable):
        return ()
    info: dict[str, Any] = {}
    for k in _VERSION_FIELDS:
        if isinstance(v[k], str):
            info[k] = v[k]
    cpe = v["cpe"]
    if isinstance(cpe, LuaTable):
        info["cpe"] = [c for c in cpe.values() if isinstance(c, str)]
    info["service_dtype"] = "probed" if probestate in ("hardmatched", "softmatched") else "table"
    rec.set_version(p, info, probestate)
    return ()


# -------------------------------------------------------------------- mutex / condvar


def _check_object(obj: Any, fname: str) -> None:
    if obj is None or isinstance(obj, bool | int | float):
        arg_error(1, fname, "object expected")


def _mutex_key(obj: Any) -> Any:
    return ("s", obj) if isinstance(obj, str) else ("o", id(obj))


def mutex(obj: Any = None, *_: Any) -> Callable[..., Any]:
    """A mutex function for ``obj``: ``"lock"``, ``"trylock"``, ``"done"``, ``"running"``.

    The same object gives the same function.  A thread that ends holding it releases it.
    """
    _check_object(obj, "mutex")
    rt = runtime()
    key = _mutex_key(obj)
    m = rt.mutexes.get(key)
    if m is not None:
        return m  # type: ignore[no-any-return]
    from nse.lua import coroutine as lco

    lock = gevent.lock.Semaphore(1)
    # "obj" is kept alive so that its id() (the key) cannot be reused during the run
    state: dict[str, Any] = {"owner": None, "thread": None, "obj": obj}

    def release() -> None:
        state["owner"] = None
        state["thread"] = None
        lock.release()

    def m_(op: Any = None, *_: Any) -> Any:
        me = lco.current()
        if op == "lock":
            if state["owner"] is me:
                lua_error("mutex is already locked by this thread", 1)
            t = current_thread()
            if t is not None:
                t.waiting_in = _greenlet_now()
            lock.acquire()
            if t is not None:
                t.waiting_in = None
            state["owner"] = me
            state["thread"] = t
            if t is not None:
                t.close_handlers[("mutex", key)] = _release_if(state, t, release)
            return ()
        if op == "trylock":
            if not lock.acquire(blocking=False):
                return False
            t = current_thread()
            state["owner"] = me
            state["thread"] = t
            if t is not None:
                t.close_handlers[("mutex", key)] = _release_if(state, t, release)
            return True
        if op == "done":
            if state["owner"] is not me:
                lua_error("Do not have a lock on this mutex", 1)
            t = state["thread"]
            if t is not None:
                t.close_handlers.pop(("mutex", key), None)
            release()
            return ()
        if op == "running":
            return state["owner"]
        arg_error(1, "mutex", f"invalid option '{op}'")

    rt.mutexes[key] = m_
    return m_


def _release_if(state: dict[str, Any], t: Any, release: Callable[[], None]) -> Callable[[], None]:
    def destructor() -> None:
        if state["thread"] is t:
            release()

    return destructor


def _greenlet_now() -> Any:
    import greenlet

    return greenlet.getcurrent()


def condvar(obj: Any = None, *_: Any) -> Callable[..., Any]:
    """A condition variable function for ``obj``: ``"wait"``, ``"signal"``, ``"broadcast"``.

    Every waiter is woken when a thread that used this condition variable ends
    (nmap's guarantee against deadlock with dead controllers).
    """
    _check_object(obj, "condvar")
    rt = runtime()
    key = _mutex_key(obj)
    c = rt.condvars.get(key)
    if c is not None:
        return c  # type: ignore[no-any-return]
    waiters: list[gevent.event.Event] = []
    keep_alive = obj  # its id() is the key: it must not be reused during the run

    def broadcast() -> None:
        while waiters:
            waiters.pop(0).set()

    def cv(op: Any = None, *_: Any) -> Any:
        t = current_thread()
        if t is not None:
            t.close_handlers[("condvar", key)] = broadcast
        if op == "wait":
            ev = gevent.event.Event()
            waiters.append(ev)
            if t is not None:
                t.waiting_in = _greenlet_now()
            try:
                ev.wait()
            finally:
                if t is not None:
                    t.waiting_in = None
            return ()
        if op == "signal":
            if waiters:
                waiters.pop(0).set()
            return ()
        if op == "broadcast":
            broadcast()
            return ()
        arg_error(1, "condvar", f"invalid option '{op}'")

    cv.keep_alive = keep_alive  # type: ignore[attr-defined]
    rt.condvars[key] = cv
    return cv


# -------------------------------------------------------------------------- new_try


def new_try(handler: Any = None, *_: Any) -> Callable[..., Any]:
    """An exception handler: ``try(status, ...)`` returns ``...`` when status is true,
    else calls ``handler`` and ends the script quietly with the error message."""

    def try_(*args: Any) -> Any:
        if args and args[0] is not None and args[0] is not False:
            return args[1:]
        if handler is not None:
            handler()
        msg = args[1] if len(args) > 1 else None
        raise LuaError(LuaTable.from_dict({"errtype": "nmap.new_try", "message": msg}))

    return try_


# -------------------------------------------------------------------------- sockets

_CONNECT_METHODS = ("tcp", "udp", "ssl")

#: The most ``receive_lines``/``receive_buf`` keep buffered while they wait for their
#: newlines or delimiter (see the module docstring): 1 MiB, the limit ``http`` already
#: puts on a status or header line and on a header block (``_http_wire.MAX_HEADER``),
#: four times the largest SSH packet.  Floods of every hostile test server at once then
#: cost tens of MB, not the hundreds their 100 MB each would.
MAX_BUFFER = 1 << 20

#: one read from the network (nsock reads what is available, up to its own buffer)
_READ_SIZE = 65536

#: lstrlib.c SPECIALS: a pattern without any of these is searched as plain text by find
_SPECIALS = frozenset("^$*+?.([%-")


@lru_cache(maxsize=256)
def _pattern_extent(p: str) -> tuple[bool, int | None]:
    """``(anchored, longest)`` for the Lua pattern ``p`` as ``string.find`` uses it:
    whether it starts with the ``^`` anchor, and the most bytes one match attempt at a
    position ``i`` can look at past ``i`` (``None``: no bound, or a pattern this does not
    analyse: ``%b``, back-references, malformed patterns).

    Lua 5.4 manual §6.4.1: a single character class matches one character; ``*``, ``+``
    and ``-`` repeat it (no bound), ``?`` matches it or nothing; ``%f[set]``, ``()`` and
    the final ``$`` match the empty string; ``^`` anchors only at the pattern's start.
    An attempt at ``i`` reads bytes ``i-1`` (the frontier's previous byte) to ``i+longest``
    (a frontier or ``$`` right after the longest match looks at that position), so once a
    search of an ``n``-byte buffer found nothing, no attempt at ``i <= n - longest - 1``
    can ever succeed however much data follows: :meth:`NseSocket.receive_buf` restarts
    at ``n - longest``.
    """
    if not any(c in _SPECIALS for c in p):
        return False, len(p)  # searched as plain text (str_find does so too)
    anchored = p.startswith("^")
    i = 1 if anchored else 0
    n = len(p)
    longest = 0
    depth = 0  # open captures
    while i < n:
        c = p[i]
        if c == "(":
            if p.startswith("()", i):
                i += 2  # a position capture
            else:
                depth += 1
                i += 1
            continue
        if c == ")":
            if depth == 0:
                return anchored, None  # "invalid pattern capture": left to string.find
            depth -= 1
            i += 1
            continue
        if c == "$" and i + 1 == n:
            i += 1
            continue
        if c == "%" and i + 1 < n and (p[i + 1] == "b" or "0" <= p[i + 1] <= "9"):
            return anchored, None  # %bxy has no bound; back-references: not analysed
        if c == "%" and i + 1 < n and p[i + 1] == "f":
            if i + 2 >= n or p[i + 2] != "[":
                return anchored, None  # "missing '[' after '%f'"
            end = _class_end(p, i + 2)
            if end is None:
                return anchored, None
            i = end
            continue
        end = _class_end(p, i)
        if end is None:
            return anchored, None
        q = p[end] if end < n else ""
        if q in ("*", "+", "-"):
            return anchored, None
        longest += 1
        i = end + 1 if q == "?" else end
    return anchored, longest


def _class_end(p: str, i: int) -> int | None:
    """Where the single character class at ``p[i]`` ends (lstrlib.c ``classEnd``), or
    ``None`` for a malformed one (``%`` at the end, ``[`` without ``]``)."""
    n = len(p)
    c = p[i]
    i += 1
    if c == "%":
        return i + 1 if i < n else None
    if c == "[":
        if i < n and p[i] == "^":
            i += 1
        while True:  # the first byte is always part of the set: "[]]" is {"]"}
            if i >= n:
                return None
            c = p[i]
            i += 1
            if c == "%" and i < n:
                i += 1
            if i >= n:
                return None
            if p[i] == "]":
                return i + 1
    return i


def new_socket(protocol: Any = None, af: Any = None, *_: Any) -> NseSocket:
    """A new NSE socket (``protocol`` "tcp"/"udp", ``af`` "inet"/"inet6")."""
    if protocol is not None and protocol not in ("tcp", "udp"):
        arg_error(1, "new_socket", f"invalid option '{protocol}'")
    if af is not None and af not in ("inet", "inet6"):
        arg_error(2, "new_socket", f"invalid option '{af}'")
    return NseSocket(protocol or "tcp", af or "inet")


def _status_error(e: BaseException) -> tuple[None, str]:
    if isinstance(e, TimeoutError | _pysocket.timeout | gevent.Timeout):
        return None, "TIMEOUT"
    if isinstance(e, OSError) and e.errno in (errno.ETIMEDOUT,):
        return None, "TIMEOUT"
    return None, "ERROR"


def _host_addr(host: Any) -> tuple[str | None, str | None]:
    """(address to connect to, name for SNI) from a host table or string.

    nmap 7.93 (checked with a TLS server recording the SNI): a host table gives its
    ``targetname`` (the name on the command line), never the reverse-DNS ``name``; a
    string gives itself (nmap even sends an IP literal as SNI, which Python's ssl module
    refuses to do, so an IP string sends none here)."""
    if isinstance(host, str):
        return host, host
    if isinstance(host, LuaTable):
        ip = host["ip"]
        name = host["name"]
        target = host["targetname"]
        return (
            ip if isinstance(ip, str) else (name if isinstance(name, str) and name else None),
            target if isinstance(target, str) and target else None,
        )
    return None, None


def _trace(event: str, *args: Any) -> None:
    """--script-trace: hand a socket event to the engine's tracer
    (:class:`nse.output.scripttrace.ScriptTracer`) when tracing is on."""
    tracer = runtime().options.extra.get("script_trace")
    if tracer is not None:
        getattr(tracer, event)(*args)


class NseSocket:
    """An NSE socket: the methods are callable from Lua (``s:connect(...)``) and Python."""

    __lua_meta__: LuaTable  # set below

    def __init__(self, protocol: str = "tcp", af: str = "inet") -> None:
        self.protocol = protocol
        self.af = af
        self.sock: Any = None
        self.timeout: float | None = runtime().options.socket_timeout
        #: received bytes no receive call has returned yet (see the module docstring)
        self.rbuf = bytearray()
        self.closed = False
        self.was_connected = False
        self.bound: tuple[str, int] | None = None
        self.thread = current_thread()
        self.peer_name: str | None = None
        self.is_ssl = False

    def __repr__(self) -> str:
        return f"nsock: 0x{id(self):x}"

    # -- helpers
    def _wait_mark(self, on: bool) -> None:
        t = self.thread or current_thread()
        if t is not None:
            t.waiting_in = _greenlet_now() if on else None

    def _register(self) -> None:
        t = current_thread()
        self.thread = t
        if t is not None:
            rt = runtime()
            if rt.socket_slots is not None:
                rt.socket_slots.acquire(t)
            t.sockets.add(self)

    # -- Lua-visible methods
    def connect(self, host: Any = None, port: Any = None, protocol: Any = None, *_: Any) -> Any:
        """connect(host, port[, "tcp"|"udp"|"ssl"]) -> true | nil, err"""
        if protocol is None:
            if isinstance(port, LuaTable) and isinstance(port["protocol"], str):
                protocol = port["protocol"]
            else:
                protocol = self.protocol
        if protocol not in _CONNECT_METHODS:
            arg_error(4, "?", f"invalid option '{protocol}'")
        addr, name = _host_addr(host)
        if addr is None:
            arg_error(2, "connect", "host table must contain an 'ip' or 'name' field")
        pnum = port["number"] if isinstance(port, LuaTable) else port
        try:
            pnum = int(pnum)
        except (TypeError, ValueError):
            arg_error(3, "connect", "number expected")
        if self.sock is not None:
            self._close_sock()
        self._register()
        self._wait_mark(True)
        raw = sa = None
        try:
            fam = _pysocket.AF_INET6 if (":" in addr or self.af == "inet6") else 0
            infos = gevent.socket.getaddrinfo(
                addr,
                pnum,
                fam,
                _pysocket.SOCK_DGRAM if protocol == "udp" else _pysocket.SOCK_STREAM,
            )
            af, st, pr, _c, sa = infos[0]
            s = raw = gevent.socket.socket(af, st, pr)
            s.settimeout(self.timeout)
            if self.bound is not None:
                s.setsockopt(_pysocket.SOL_SOCKET, _pysocket.SO_REUSEADDR, 1)
                s.bind(self.bound)
            s.connect(sa)
            _trace("opened", self, s)
            # reconnect_ssl (STARTTLS) sends the same SNI as an "ssl" connect would
            # (nmap keeps the name on the nsock iod)
            self.peer_name = name
            if protocol == "ssl":
                s = _wrap_ssl(s, name)
                self.is_ssl = True
            self.sock = s
            self.rbuf = bytearray()
            self.closed = False
            self.was_connected = True
            self.protocol = "udp" if protocol == "udp" else "tcp"
            return True
        except _pysocket.gaierror as e:
            return None, e.strerror or "Name or service not known"
        except (OSError, gevent.Timeout) as e:
            return _status_error(e)
        finally:
            if raw is not None:  # nmap traces every attempt that reached the network
                _trace("connect", self, raw, sa, protocol)
            self._wait_mark(False)

    def bind(self, addr: Any = None, port: Any = None, *_: Any) -> Any:
        """bind(addr, port) before connect."""
        self.bound = (addr or ("::" if self.af == "inet6" else "0.0.0.0"), int(port or 0))
        return True

    def reconnect_ssl(self, *_: Any) -> Any:
        """Wrap the connected socket in TLS; buffered data is dropped."""
        if self.sock is None:
            return None, "ERROR"
        self._wait_mark(True)
        try:
            self.sock = _wrap_ssl(self.sock, self.peer_name)
            self.is_ssl = True
            self.rbuf = bytearray()
            return True
        except (OSError, gevent.Timeout) as e:
            return _status_error(e)
        finally:
            _trace("event", self, "SSL RECONNECT")
            self._wait_mark(False)

    def send(self, data: Any = None, *_: Any) -> Any:
        """send(data) -> true | nil, err"""
        if self.sock is None:
            return None, "ERROR"
        if isinstance(data, int | float):
            from nse.lua.numfmt import fmt_number

            data = fmt_number(data)
        if not isinstance(data, str):
            arg_error(2, "send", "string expected")
        _trace("data", self, data, ">")
        self._wait_mark(True)
        try:
            self.sock.sendall(data.encode("latin-1"))
            gevent.sleep(0)  # as in _read_more: every nsock write is a yield in nmap
            return True
        except (OSError, gevent.Timeout) as e:
            return _status_error(e)
        finally:
            _trace("event", self, "SEND")
            self._wait_mark(False)

    def sendto(self, host: Any = None, port: Any = None, data: Any = None, *_: Any) -> Any:
        """sendto(host, port, data) on an unconnected (UDP) socket."""
        addr, _name = _host_addr(host)
        pnum = port["number"] if isinstance(port, LuaTable) else port
        if self.sock is None:
            self._register()
            fam = _pysocket.AF_INET6 if self.af == "inet6" else _pysocket.AF_INET
            self.sock = gevent.socket.socket(fam, _pysocket.SOCK_DGRAM)
            self.sock.settimeout(self.timeout)
            if self.bound is not None:
                self.sock.bind(self.bound)
        _trace("data", self, str(data), ">", (addr, pnum))
        try:
            self.sock.sendto(str(data).encode("latin-1"), (addr, int(pnum)))
            return True
        except (OSError, gevent.Timeout) as e:
            return _status_error(e)
        finally:
            _trace("event", self, "SEND")

    def _read_more(self) -> tuple[Any, str] | None:
        """Read once into the buffer; an error tuple or None."""
        if self.sock is None:
            return None, "EOF" if not self.was_connected else "ERROR"
        self._wait_mark(True)
        try:
            data = self.sock.recv(_READ_SIZE)
            if data:
                self.rbuf += data
                _trace("data", self, data, "<")
            # A gevent recv that finds data waiting returns without switching: a script
            # reading a flood would never let another script run.  nmap's nsock reads
            # always go through the engine loop (a yield per read), so yield here too,
            # after buffering (a gevent.Timeout firing now loses no data).
            gevent.sleep(0)
        except (OSError, gevent.Timeout) as e:
            return _status_error(e)
        finally:
            self._wait_mark(False)
        if not data:
            return None, "EOF"
        return None

    def _take(self, n: int | None = None) -> str:
        """The first ``n`` buffered bytes (all with None) as a Lua string, removed from
        the buffer (deleting a bytearray's head does not copy what stays)."""
        buf = self.rbuf
        if n is None or n >= len(buf):
            self.rbuf = bytearray()
            return buf.decode("latin-1")
        data = buf[:n].decode("latin-1")
        del buf[:n]
        return data

    def receive(self, *_: Any) -> Any:
        """receive() -> true, data (whatever is available) | nil, err"""
        if self.rbuf:
            return True, self._take()
        if self.sock is None:
            return None, "EOF"
        err = self._read_more()
        if err is not None:
            return err
        return True, self._take()

    def receive_bytes(self, n: Any = None, *_: Any) -> Any:
        """receive_bytes(n): at least n bytes (all buffered data)."""
        want = int(n or 0)
        while len(self.rbuf) < want or not self.rbuf:
            err = self._read_more()
            if err is not None:
                if self.rbuf and err[1] == "EOF":
                    break
                return err
        return True, self._take()

    def receive_lines(self, n: Any = None, *_: Any) -> Any:
        """receive_lines(n): data holding at least n newlines (all buffered data)."""
        want = int(n or 0)
        # newlines are counted in each read's new bytes only (a flood without newlines
        # stays linear)
        seen = self.rbuf.count(b"\n")
        while seen < want or not self.rbuf:
            if len(self.rbuf) > MAX_BUFFER:
                return None, "ERROR"
            before = len(self.rbuf)
            err = self._read_more()
            if err is not None:
                if self.rbuf and err[1] == "EOF":
                    break
                return err
            seen += self.rbuf.count(b"\n", before)
        return True, self._take()

    def receive_buf(self, delimiter: Any = None, keeppattern: Any = None, *_: Any) -> Any:
        """receive_buf(pattern|function, keeppattern): data up to the delimiter.

        After every read, a function delimiter is called with the whole buffer and a
        pattern is searched with ``string.find``, as nmap does: the first match in the
        buffer (the function's ``start, end``) ends the data.  A pattern whose match
        length has a bound is searched only where a match can still start since the
        last search (:func:`_pattern_extent`): the same first match, found in time
        linear in the data.  At EOF the buffered data is returned.
        """
        from nse.lua.strlib import str_find

        is_pattern = isinstance(delimiter, str)
        anchored, longest = _pattern_extent(delimiter) if is_pattern else (False, None)
        searched = 0  # bytes of the buffer after which no match start has been ruled out
        settled = False  # an anchored pattern's only attempt can no longer succeed
        while True:
            buf = self.rbuf
            r: Any = None
            offset = 0  # where the searched text starts in the buffer
            if not buf or settled:
                pass
            elif not is_pattern and callable(delimiter):
                r = delimiter(buf.decode("latin-1"))
            elif longest is None or anchored:
                # no bound, or "^" (string.find anchors at init, so a window cannot be
                # searched): the whole buffer, as nmap; an anchored bounded pattern is
                # settled once the buffer is longer than its longest match
                r = str_find(buf.decode("latin-1"), delimiter)
                settled = longest is not None and len(buf) > longest
            else:
                # a match can start at searched - longest or later; the byte before that
                # start is kept in the text so that a frontier (%f) sees it
                start = max(0, searched - longest)
                offset = max(0, start - 1)
                r = str_find(buf[offset:].decode("latin-1"), delimiter, start - offset + 1)
                searched = len(buf)
            r = r if type(r) is tuple else (r,)
            if len(r) >= 2 and r[0] is not None and r[0] is not False:
                start_, end = int(r[0]) + offset, int(r[1]) + offset
                data = self._take(end) if keeppattern else buf[: start_ - 1].decode("latin-1")
                if not keeppattern:
                    del buf[:end]
                return True, data
            if len(buf) > MAX_BUFFER:
                return None, "ERROR"
            err = self._read_more()
            if err is not None:
                if err[1] == "EOF" and self.rbuf:
                    return True, self._take()
                return err

    def set_timeout(self, t: Any = None, *_: Any) -> Any:
        """set_timeout(milliseconds)"""
        try:
            ms = float(t)
        except (TypeError, ValueError):
            arg_error(2, "set_timeout", "number expected")
        self.timeout = None if ms < 0 else ms / 1000.0
        if self.sock is not None:
            self.sock.settimeout(self.timeout)
        return ()

    def get_info(self, *_: Any) -> Any:
        """get_info() -> true, local ip, local port, remote ip, remote port"""
        if self.sock is None:
            lua_error("socket must be connected", 1)
        try:
            lip, lport = self.sock.getsockname()[:2]
            rip, rport = self.sock.getpeername()[:2]
        except OSError:
            lua_error("socket must be connected", 1)
        return True, lip, lport, rip, rport

    def _close_sock(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
        self.sock = None

    def close(self, *_: Any) -> Any:
        """close() -> true | false, "socket already closed" """
        if self.closed:
            return False, "socket already closed"
        _trace("close", self)
        if self.sock is not None:
            self._close_sock()
        self.closed = self.was_connected
        self.rbuf = bytearray()
        t = self.thread
        if t is not None:
            t.sockets.discard(self)
            base = t.base
            rt = runtime()
            if rt.socket_slots is not None and not any(w.sockets for w in [base, *base.workers]):
                rt.socket_slots.release(base)
        return True

    def pcap_open(self, *_: Any) -> Any:
        """Packet capture is not implemented: a Lua error saying so."""
        _no_pcap("pcap_open")

    def pcap_register(self, *_: Any) -> Any:
        """Packet capture is not implemented: a Lua error saying so."""
        _no_pcap("pcap_register")

    def pcap_receive(self, *_: Any) -> Any:
        """Packet capture is not implemented: a Lua error saying so."""
        _no_pcap("pcap_receive")

    def pcap_close(self, *_: Any) -> Any:
        """Packet capture is not implemented: a Lua error saying so."""
        _no_pcap("pcap_close")

    def get_ssl_certificate(self, *_: Any) -> Any:
        """The peer certificate as nmap's certificate table (see nse.lib.sslcert helpers)."""
        if self.sock is None or not self.is_ssl:
            return None
        der = self.sock.getpeercert(binary_form=True)
        if der is None:
            return None
        return _cert_table(der)


def _no_pcap(method: str) -> None:
    # nmap's sockets have these methods (nse_nsock.cc); a script calling one gets a
    # script error naming it rather than "attempt to call a nil value"
    lua_error(f"socket:{method}: packet capture (pcap) is not supported by this engine", 1)


def _wrap_ssl(s: Any, name: str | None) -> Any:
    ctx = gevent.ssl.SSLContext(_pyssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = _pyssl.CERT_NONE
    try:
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    except _pyssl.SSLError:
        pass
    ctx.minimum_version = _pyssl.TLSVersion.MINIMUM_SUPPORTED
    sni = name if name and not _is_ip(name) else None
    return ctx.wrap_socket(s, server_hostname=sni)


def _is_ip(s: str) -> bool:
    for fam in (_pysocket.AF_INET, _pysocket.AF_INET6):
        try:
            _pysocket.inet_pton(fam, s)
            return True
        except OSError:
            pass
    return False


def _cert_table(der: bytes) -> Any:
    """nmap's certificate table (nse.lib._x509)."""
    from nse.lib import _x509

    return _x509.cert_table(der)


def _parse_ssl_certificate(der: Any = None, *_: Any) -> Any:
    """nmap.socket.parse_ssl_certificate(der): the certificate table or nil."""
    if not isinstance(der, str):
        arg_error(1, "parse_ssl_certificate", "string expected")
    try:
        return _cert_table(der.encode("latin-1"))
    except ValueError:
        return None


def _socket_sleep(t: Any = None, *_: Any) -> Any:
    from nse.lib import stdnse

    return stdnse.sleep(t)


#: nmap.socket: the socket library table (sslcert.lua uses its parse_ssl_certificate)
socket = LuaTable.from_dict(
    {"parse_ssl_certificate": _parse_ssl_certificate, "sleep": _socket_sleep, "new": new_socket}
)


NseSocket.__lua_meta__ = LuaTable.from_dict(
    {
        "__index": LuaTable.from_dict(
            {
                name: getattr(NseSocket, name)
                for name in (
                    "connect",
                    "bind",
                    "reconnect_ssl",
                    "send",
                    "sendto",
                    "receive",
                    "receive_bytes",
                    "receive_lines",
                    "receive_buf",
                    "set_timeout",
                    "get_info",
                    "close",
                    "get_ssl_certificate",
                    "pcap_open",
                    "pcap_register",
                    "pcap_receive",
                    "pcap_close",
                )
            }
        ),
        "__name": "nsock",
        "__tostring": lambda s, *_: repr(s),
    }
)


def _wire_library_hooks() -> None:
    # nse.lib._host: the hooks other library modules use to reach the engine
    try:
        from nse.lib import _host
    except ImportError:  # pragma: no cover
        return
    _host.registry = lambda: runtime().registry
    _host.script_args = lambda: runtime().registry["args"] or LuaTable()
    _host.timing_level = timing_level


_wire_library_hooks()
