"""Probing: one greenlet per open port, nmap's probe order, SSL tunnels, tcpwrapped.

Why gevent: the script engine already runs on a gevent hub (DESIGN.md "Concurrency"), so
the version scan shares its event loop and socket layer; a greenlet per port keeps nmap's
per-service state machine (service_scan.cc: NULL probe, port-listed probes, then the rest
by rarity, fallbacks, soft matches, SSL restart) as straight-line code instead of
callbacks, and ``gevent.ssl`` gives non-blocking TLS for the tunnels.  Parallelism is a
``gevent.pool.Pool`` sized as nmap's service scan: 1 below -T3, 20 at -T3, 30 at -T4, 40
at -T5, within ``--min-parallelism``/``--max-parallelism`` (max 100 by default).

The order of probes for one port (nmap's ``ServiceNFO::nextProbe``):

1. the NULL probe (TCP only): connect and wait ``totalwaitms`` for a banner;
2. every probe of the port's protocol whose ``ports`` (``sslports`` inside a tunnel)
   list the port, whatever its rarity;
3. every other probe of that protocol with ``rarity <= intensity`` and, once a soft match
   is known, only probes that have a match line for the soft-matched service.

After the NULL probe times out, the next probe is sent on the same connection; every other
probe gets a new connection.  A response is tested against the probe's own lines, then its
``fallback`` probes', then (TCP) the NULL probe's.  Reading stops at a hard match, at the
probe's ``totalwaitms`` or after 4096 bytes (a flooding server cannot hold a port longer
than its timeouts).  A hard match ``ssl`` restarts everything inside a TLS connection.  A
connection closed during the NULL probe with no data, within ``tcpwrappedms`` of the
connect, is ``tcpwrapped``.
"""

from __future__ import annotations

import errno
import ssl as _stdssl
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gevent
import gevent.pool
from gevent import socket as gsocket
from gevent import ssl as gssl

from nse.scan.vscan.probes import MatchResult, Probe, ProbeDB

__all__ = ["ServiceResult", "probe_service", "run_services", "parallelism_for"]

CONNECT_TIMEOUT = 5.0  # nmap's DEFAULT_CONNECT_TIMEOUT
SSL_CONNECT_TIMEOUT = 8.0
READ_LIMIT = 4096  # nmap stops reading a probe's response after this many bytes


@dataclass
class ServiceResult:
    """The outcome for one port."""

    state: str = "nomatch"  # hard, soft, tcpwrapped, nomatch, incomplete, excluded
    match: MatchResult | None = None
    tunnel: str | None = None  # "ssl" or None
    responded: bool = False  # any data came back (UDP: the port is open)
    closed: bool = False  # UDP: port unreachable seen
    fingerprint: list[tuple[str, bytes]] = field(default_factory=list)


def parallelism_for(level: int, min_par: int | None, max_par: int | None) -> int:
    """nmap's service-scan parallelism for a timing level and the user's limits."""
    desired = 1 if level < 3 else {3: 20, 4: 30}.get(level, 40)
    lo = min_par or 0
    hi = max(lo, max_par or 100)
    return max(1, min(hi, max(lo, desired)))


def _ssl_context() -> gssl.SSLContext:
    # Version detection cares about reaching the service, not about security: accept any
    # certificate, any protocol version and cipher OpenSSL still has.
    ctx = gssl.SSLContext(gssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = gssl.CERT_NONE
    try:
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    except _stdssl.SSLError:
        pass
    try:
        ctx.minimum_version = gssl.TLSVersion.MINIMUM_SUPPORTED
    except (ValueError, AttributeError):
        pass
    return ctx


class _Conn:
    """One TCP (optionally TLS) or UDP connection of one probe sequence."""

    def __init__(self, sock: Any, proto: str) -> None:
        self.sock = sock
        self.proto = proto
        self.opened = time.monotonic()

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


class _Prober:
    def __init__(self, db: ProbeDB, ip: str, port: int, proto: str, intensity: int,
                 hostname: str | None, trace: Callable[[str], None] | None) -> None:
        self.db = db
        self.ip = ip
        self.port = port
        self.proto = proto
        self.intensity = intensity
        self.hostname = hostname
        self.trace = trace
        self.family = gsocket.AF_INET6 if ":" in ip else gsocket.AF_INET
        self.ssl_ctx: gssl.SSLContext | None = None
        self.ssl_session: Any = None

    def log(self, msg: str) -> None:
        if self.trace is not None:
            self.trace(msg)

    # -- connections -------------------------------------------------------------------
    def connect(self, tunnel: str | None) -> _Conn | None:
        if self.proto == "udp":
            s = gsocket.socket(self.family, gsocket.SOCK_DGRAM)
            try:
                s.connect((self.ip, self.port))
            except OSError:
                s.close()
                return None
            return _Conn(s, "udp")
        s = gsocket.socket(self.family, gsocket.SOCK_STREAM)
        s.settimeout(CONNECT_TIMEOUT)
        try:
            s.connect((self.ip, self.port))
            if tunnel == "ssl":
                if self.ssl_ctx is None:
                    self.ssl_ctx = _ssl_context()
                s.settimeout(SSL_CONNECT_TIMEOUT)
                s = self.ssl_ctx.wrap_socket(s, server_hostname=self.hostname or None,
                                             session=self.ssl_session)
                self.ssl_session = s.session
        except (OSError, _stdssl.SSLError, ValueError):
            s.close()
            return None
        return _Conn(s, "tcp")

    # -- the probe order ---------------------------------------------------------------
    def candidates(self, tunnel: str | None) -> list[tuple[Probe, bool]]:
        """Probes after the NULL probe, in nmap's order, each with a flag saying whether
        it is in the "non-matching" stage (where a soft match filters it)."""
        ssl = tunnel == "ssl"
        same = [p for p in self.db.probes if p.protocol == self.proto]
        first = [(p, False) for p in same if p.port_is_probable(self.port, ssl)]
        rest = [(p, True) for p in same
                if not p.port_is_probable(self.port, ssl) and p.rarity <= self.intensity]
        return first + rest

    # -- one pass (plain or inside a tunnel) ------------------------------------------
    def run(self, tunnel: str | None, res: ServiceResult, budget: _Budget | None) -> None:
        """nmap's probe sequence for one port.  Probes after the NULL probe may run
        speculatively in parallel (``budget`` lends idle parallelism slots); their
        outcomes are then taken strictly in nmap's order, and the outcomes of probes
        nmap would not have sent (after a hard match, or filtered by a soft match) are
        dropped, so the result is the one the sequential order gives."""
        soft: MatchResult | None = None
        reuse: _Conn | None = None
        carry = b""
        res.state = "nomatch"
        res.match = None
        null = self.db.null_probe if self.proto == "tcp" else None
        try:
            todo = self.candidates(tunnel)
            # (window, jobs, borrowed slots) already running when the loop starts
            early: tuple[list[tuple[Probe, bool]], list[gevent.Greenlet], int] | None = None
            if null is not None:
                conn = self.connect(tunnel)
                if conn is None:
                    res.state = "incomplete"
                    return
                # While the NULL probe listens, idle slots may already run the first
                # probes on fresh connections (slots are looked for every 0.2 s,
                # as other ports finish).  Their outcomes are used only when the
                # NULL probe got no data at all: then nmap would send the next probe on
                # a silent connection (or a new one), which is what these did.
                null_job = gevent.spawn(self.exchange, conn, null, b"")
                ew: list[tuple[Probe, bool]] = []
                ejobs: list[gevent.Greenlet] = []
                try:
                    while True:
                        # a banner usually comes at once: give it 0.2 s before lending
                        # slots to this port
                        null_job.join(timeout=0.2)
                        if null_job.ready():
                            break
                        if budget is not None and todo and len(ew) < MAX_SPECULATION - 1:
                            n = budget.borrow(min(MAX_SPECULATION - 1 - len(ew), len(todo)))
                            for _ in range(n):
                                entry = todo.pop(0)
                                ew.append(entry)
                                ejobs.append(gevent.spawn(self.one, tunnel, entry[0], None,
                                                          b""))
                    out = null_job.get()
                except BaseException:
                    null_job.kill(block=True)
                    conn.close()
                    gevent.killall(ejobs, block=True)
                    if budget is not None:
                        budget.give_back(len(ew))
                    raise
                if ew:
                    early = (ew, ejobs, len(ew))
                ended = self.take(res, null, out) or out.outcome == "tcpwrapped"
                if early and (ended or out.data):
                    # the NULL probe decided (or its banner changes what follows): put the
                    # speculative probes back and run them the ordinary way
                    gevent.killall(early[1], block=True)
                    if budget:
                        budget.give_back(early[2])
                    todo[:0] = early[0]
                    early = None
                if ended:
                    if out.outcome == "tcpwrapped":
                        res.state = "tcpwrapped"
                    conn.close()
                    return
                soft = out.soft
                if out.outcome == "timeout" and early is None:
                    # NULL probe timed out: its connection carries the next probe, and
                    # what the banner said stays at the front of the next response
                    # (nmap's nextProbe(newresp=false)): "banner + reply" is matched
                    reuse, carry = conn, out.data
                else:
                    conn.close()
            while todo or early:
                if early is not None:
                    window, jobs, lent = early
                    early = None
                else:
                    extra = budget.borrow(MAX_SPECULATION - 1) if budget else 0
                    window = []
                    while todo and len(window) < 1 + extra:
                        probe, filtered = todo.pop(0)
                        if filtered and soft is not None and \
                                soft.service not in probe.services:
                            continue
                        window.append((probe, filtered))
                    if budget:
                        budget.give_back(extra - max(0, len(window) - 1))
                    lent = max(0, len(window) - 1)
                    jobs = []
                    for probe, _ in window:
                        first = reuse
                        reuse = None
                        jobs.append(gevent.spawn(self.one, tunnel, probe, first,
                                                 carry if first else b""))
                    carry = b""
                try:
                    for (probe, filtered), job in zip(window, jobs, strict=True):
                        outcome = job.get()
                        if outcome is None:  # could not connect
                            if self.proto == "tcp":
                                res.state = "incomplete"
                                return
                            continue
                        if filtered and soft is not None and soft.service not in probe.services:
                            continue  # nmap would have skipped it after the soft match
                        if self.take(res, probe, outcome):
                            return
                        if outcome.outcome == "refused" and self.proto == "udp":
                            res.closed = True
                            return
                        if soft is None and outcome.soft is not None:
                            soft = outcome.soft
                finally:
                    gevent.killall([j for j in jobs if not j.dead], block=True)
                    if budget:
                        budget.give_back(lent)
        finally:
            if reuse is not None:
                reuse.close()
            if res.state != "hard":
                if soft is not None:
                    res.state = "soft"
                    res.match = soft
                elif res.state not in ("incomplete", "tcpwrapped"):
                    res.state = "nomatch"

    def take(self, res: ServiceResult, probe: Probe, out: _Outcome) -> bool:
        """Record one probe's outcome; True when it ends the sequence (hard match)."""
        if out.data:
            res.responded = True
            res.fingerprint.append((probe.name, out.data))
        if out.hard is not None:
            res.state = "hard"
            res.match = out.hard
            return True
        return False

    def one(self, tunnel: str | None, probe: Probe, conn: _Conn | None,
            carry: bytes) -> _Outcome | None:
        """Run one probe on ``conn`` (or a new connection); None if none could be made."""
        if conn is None:
            conn = self.connect(tunnel)
            if conn is None:
                return None
        try:
            return self.exchange(conn, probe, carry)
        finally:
            conn.close()

    def exchange(self, conn: _Conn, probe: Probe, buf: bytes) -> _Outcome:
        """Send one probe and read its response (appended to ``buf``)."""
        self.log(f"Service scan sending probe {probe.name} to {self.ip}:{self.port} "
                 f"({self.proto})")
        sock = conn.sock
        start = time.monotonic()
        deadline = start + probe.totalwaitms / 1000.0
        soft: MatchResult | None = None
        if probe.payload:
            try:
                sock.settimeout(max(0.001, deadline - time.monotonic()))
                sock.sendall(probe.payload)
            except (OSError, _stdssl.SSLError) as e:
                if getattr(e, "errno", None) == errno.ECONNREFUSED:
                    return _Outcome("refused", buf)
                return _Outcome("error", buf)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or len(buf) >= READ_LIMIT:
                return _Outcome("timeout", buf, soft=soft)
            try:
                sock.settimeout(left)
                chunk = sock.recv(READ_LIMIT)
            except TimeoutError:
                return _Outcome("timeout", buf, soft=soft)
            except (_stdssl.SSLZeroReturnError, _stdssl.SSLEOFError):
                chunk = b""
            except OSError as e:
                code = getattr(e, "errno", None)
                if code == errno.ECONNREFUSED and self.proto == "udp":
                    return _Outcome("refused", buf)
                if code in (errno.ECONNRESET, errno.ECONNABORTED, errno.ECONNREFUSED):
                    if probe.is_null and not buf:
                        return _Outcome("tcpwrapped", buf)
                    return _Outcome("reset", buf, soft=soft)
                return _Outcome("error", buf, soft=soft)
            if not chunk:
                if self.proto == "udp":
                    continue
                if probe.is_null and not buf and \
                        time.monotonic() - conn.opened < probe.tcpwrappedms / 1000.0:
                    return _Outcome("tcpwrapped", buf)
                return _Outcome("eof", buf, soft=soft)
            buf += chunk
            r, via = probe.test_with_fallbacks(buf)
            if r is not None:
                if not r.soft:
                    self.log(f"Service scan match (Probe {probe.name} matched with {via.name} "
                             f"line {r.line}): {self.ip}:{self.port} is {r.service}.  "
                             f"Version: |{r.fields.get('product', '')}|"
                             f"{r.fields.get('version', '')}|{r.fields.get('extrainfo', '')}|")
                    return _Outcome("hard", buf, hard=r)
                if soft is None:
                    self.log(f"Service scan soft match (Probe {probe.name} matched with "
                             f"{via.name} line {r.line}): {self.ip}:{self.port} is "
                             f"{r.service}")
                    soft = r


@dataclass
class _Outcome:
    outcome: str  # hard / timeout / eof / reset / refused / tcpwrapped / error
    data: bytes
    hard: MatchResult | None = None
    soft: MatchResult | None = None


#: At most this many probes of one port run at once (only with idle parallelism slots).
MAX_SPECULATION = 5


class _Budget:
    """Idle parallelism slots that a port may borrow for speculative probes: at most
    ``limit`` probe connections are open at once over the whole scan, as nmap's
    service-scan parallelism limits them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.active = 0  # ports being probed (each holds one slot)
        self.lent = 0

    def borrow(self, want: int) -> int:
        n = max(0, min(want, self.limit - self.active - self.lent))
        self.lent += n
        return n

    def give_back(self, n: int) -> None:
        self.lent -= n


def probe_service(db: ProbeDB, ip: str, port: int, proto: str, intensity: int = 7,
                  hostname: str | None = None,
                  trace: Callable[[str], None] | None = None,
                  budget: _Budget | None = None) -> ServiceResult:
    """Run version detection on one port (blocking the calling greenlet).  ``budget``
    lends idle parallelism slots for speculative probes (see :meth:`_Prober.run`)."""
    res = ServiceResult()
    if db.is_excluded(proto, port):
        res.state = "excluded"
        return res
    pr = _Prober(db, ip, port, proto, intensity, hostname, trace)
    tunnel: str | None = None
    while True:
        pr.run(tunnel, res, budget)
        if res.state == "hard" and res.match is not None:
            name = res.match.service
            if name.startswith("ssl/"):
                # detected without a TLS connection (e.g. "ssl/ldap")
                res.tunnel = "ssl"
                res.match.service = name[4:]
            elif name == "ssl" and tunnel is None and proto == "tcp":
                tunnel = "ssl"
                res.tunnel = "ssl"
                res.fingerprint.clear()
                pr.log(f"Service scan: {ip}:{port} speaks SSL; probing inside the tunnel")
                continue
        return res


def run_services(jobs: list[tuple[Any, ...]], parallelism: int,
                 work: Callable[..., None]) -> None:
    """Run ``work(*job, budget)`` for every job on a pool of ``parallelism`` greenlets;
    ``budget`` (a :class:`_Budget`) is shared, so idle slots can be lent to speculative
    probes of the ports still being probed."""
    if not jobs:
        return
    budget = _Budget(parallelism)

    def run(*job: Any) -> None:
        budget.active += 1
        try:
            work(*job, budget)
        finally:
            budget.active -= 1

    pool = gevent.pool.Pool(parallelism)
    for job in jobs:
        pool.spawn(run, *job)
    pool.join(raise_error=True)


def default_trace(msg: str) -> None:
    """--version-trace output goes to stderr, one line per event."""
    print(msg, file=sys.stderr, flush=True)
