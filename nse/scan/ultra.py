"""The probe engine: congestion control, timeouts and retransmissions for raw scans.

One loop drives a group of hosts.  What a probe is and what a reply means is decided by a
*driver* (:class:`Driver`: a port scan, a discovery scan); this module only decides *when*
to send, what has timed out and what to retry, in the manner of nmap's ultra_scan (see
:mod:`nse.scan.timing` for the rules).  A probe is identified per host by a hashable key
(the port number, ``("PE",)``...) and its try number, which the driver encodes into the
packet (source port, ICMP sequence) so a reply tells which try it answers; a reply to a
retransmission is the evidence of loss that shrinks the windows and allows more retries.
"""

from __future__ import annotations

import gc
import math
import select
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Protocol

from nse.scan.timing import CongestionParams, RttEstimator, TimingOptions, Window

#: Accepted chance, per port, that loss alone makes an answering port look silent
#: (filtered) after all its tries; see UltraScan._allowed_tries.
LOSS_MISS = 1e-9

__all__ = ["Driver", "HostState", "UltraScan", "Stats"]


class Stats:
    """Counters of one run (for --packet-trace summaries and the benchmarks)."""

    def __init__(self) -> None:
        self.sent = 0
        self.received = 0
        self.retransmissions = 0
        self.drops = 0
        #: raw packets (IPv4 and ARP) and their bytes as they went out and came in,
        #: counted by the scanner's I/O layer (nse.scan.runner.CountingRawIO): nmap's
        #: "Raw packets sent: N (XB) | Rcvd: N (YB)"
        self.raw_sent = 0
        self.raw_sent_bytes = 0
        self.raw_rcvd = 0
        self.raw_rcvd_bytes = 0


class HostState:
    """Scan state of one host inside the engine."""

    __slots__ = ("ip", "todo", "retry", "inflight", "order", "exhausted", "resolved",
                 "rtt", "win", "max_ok_try", "drops", "next_send", "started", "done",
                 "timed_out", "ctx", "finished_at", "batch_replies", "last_sample",
                 "delay", "last_boost", "tries_lost", "tries_answered")

    def __init__(self, ip: str, keys: Iterable[Hashable], timing: TimingOptions,
                 params: CongestionParams, ctx: Any = None,
                 rtt: RttEstimator | None = None) -> None:
        self.ip = ip
        self.todo: deque[Hashable] = deque(keys)
        self.retry: deque[tuple[Hashable, int]] = deque()
        #: key -> (try number, send time) of the newest try in flight
        self.inflight: dict[Hashable, tuple[int, float]] = {}
        self.order: deque[tuple[float, Hashable, int]] = deque()
        #: key -> tries used, for probes that got no answer in their allowed tries
        self.exhausted: dict[Hashable, int] = {}
        self.resolved: set[Hashable] = set()
        self.rtt = rtt or RttEstimator(timing)
        self.win = Window(params)
        self.max_ok_try = 0
        self.drops = 0
        #: tries that went unanswered / all tries, over the probes that were answered
        #: in the end: the host's measured loss rate (see UltraScan._allowed_tries)
        self.tries_lost = 0
        self.tries_answered = 0
        self.next_send = 0.0
        self.started = 0.0
        self.finished_at = 0.0
        self.done = False
        self.timed_out = False
        self.ctx = ctx
        self.batch_replies = 0  # replies in the batch being processed
        self.delay = timing.scan_delay  # this host's scan delay (grows on loss, see UltraScan)
        self.last_boost = -1e18
        self.last_sample = -1.0  # time of the last RTT sample

    def has_work(self) -> bool:
        """Whether the host still has probes to send."""
        return bool(self.retry or self.todo)


class Driver(Protocol):
    """What a scan type plugs into :class:`UltraScan`."""

    def send(self, host: HostState, key: Hashable, tryno: int) -> bool:
        """Send one probe; False when the kernel refused it for now (retry later)."""

    def sockets(self) -> list[tuple[Any, Callable[[Any], list[tuple[str, Hashable, int,
                                                                     Any]]]]]:
        """Readable sockets and, for each, a function draining it into matches
        ``(host ip, key, try number or -1 when unknown, result)``."""

    def record(self, host: HostState, key: Hashable, result: Any) -> bool:
        """Store a reply's result; True when the whole host is settled (discovery)."""

    def no_reply(self, host: HostState, key: Hashable) -> None:
        """The probe got no answer after every try."""


class UltraScan:
    """Run a driver over a group of hosts until every probe is answered or given up."""

    def __init__(self, hosts: list[HostState], driver: Driver, timing: TimingOptions,
                 params: CongestionParams, stats: Stats | None = None,
                 on_host_done: Callable[[HostState], None] | None = None,
                 adaptive_delay: bool = False) -> None:
        """``adaptive_delay``: on evidence of loss, and on timeouts from a host that
        answers other probes, double the host's scan delay (from 5 ms, up to
        ``max_scan_delay``; at most once per timeout interval), as nmap does.  Used for UDP, where loss is
        mostly ICMP rate limiting that only slowing down beats; TCP scans keep the
        windows alone (random loss is not cured by waiting)."""
        self.hosts = hosts
        self.by_ip = {h.ip: h for h in hosts}
        self.driver = driver
        self.t = timing
        self.params = params
        self.group = Window(params)
        self.group_rtt = RttEstimator(timing)
        self.stats = stats or Stats()
        self.on_host_done = on_host_done
        self._touched: list[HostState] = []
        self.adaptive_delay = adaptive_delay
        self._group_sampled = -1.0

    # -- helpers -------------------------------------------------------------------------
    def _timeout(self, h: HostState) -> float:
        return h.rtt.timeout if h.rtt.srtt is not None else self.group_rtt.timeout

    def _allowed_tries(self, h: HostState) -> int:
        # A host that never needed a retry gets one retry (silence means filtered); once
        # loss was seen it gets one more than the most it ever needed, plus a margin.
        extra = h.max_ok_try + 1 + (1 if h.drops else 0)
        if h.drops and h.tries_answered and not self.adaptive_delay:
            # nmap stops at max_successful_tryno + 1, which under steady random loss
            # calls a closed port filtered now and then (measured: 1 run in 10 at 5 %
            # on the lab /24).  With the host's measured loss rate p, n silent tries of
            # an answering port happen with probability p**n: allow enough tries to put
            # that below LOSS_MISS per port.  It costs only silent (filtered) ports
            # a few more tries, and only on hosts that lose packets.  (Not for UDP
            # (adaptive_delay): there silence is mostly ICMP rate limiting, handled below.)
            p = min(max(h.tries_lost / h.tries_answered, 1e-4), 0.9)
            extra = max(extra, math.ceil(math.log(LOSS_MISS) / math.log(p)) - 1)
        if self.adaptive_delay and 0 < h.delay < self.t.max_scan_delay:
            # still slowing down for a rate-limiting host: silence proves nothing yet
            extra = self.t.max_retries
        return 1 + min(self.t.max_retries, extra)

    def _boost_delay(self, h: HostState) -> None:
        h.delay = min(max(h.delay * 2, 0.005), max(self.t.max_scan_delay, self.t.scan_delay))

    def _finish(self, h: HostState, now: float) -> None:
        if h.done:
            return
        for key in list(h.exhausted):
            if key not in h.resolved:
                self.driver.no_reply(h, key)
        h.exhausted.clear()
        self._drop_inflight(h)
        h.done = True
        h.finished_at = now
        if self.on_host_done:
            self.on_host_done(h)

    def _drop_inflight(self, h: HostState) -> None:
        n = len(h.inflight)
        h.inflight.clear()
        h.order.clear()
        h.todo.clear()
        h.retry.clear()
        h.win.in_flight = 0
        self.group.in_flight -= n

    # -- replies ---------------------------------------------------------------------------
    def _on_match(self, ip: str, key: Hashable, tryno: int, result: Any, now: float) -> None:
        self._on_matches([(ip, key, tryno, result)], now)

    def _on_matches(self, matches: list[tuple[str, Hashable, int, Any]], now: float) -> None:
        """Account for a batch of replies read together (they share one receive time).

        Drivers with ``record_many`` get each host's results in one call; the others get
        :meth:`Driver.record` per reply, whose True (the host is settled) ends the host."""
        by_ip = self.by_ip
        group = self.group
        stats = self.stats
        touched = self._touched
        driver = self.driver
        record_many = getattr(driver, "record_many", None)
        pending: dict[HostState, list[tuple[Hashable, Any]]] = {}
        for ip, key, tryno, result in matches:
            h = by_ip.get(ip)
            if h is None or h.done:
                continue
            resolved = h.resolved
            if key in resolved:
                continue
            cur = h.inflight.pop(key, None)
            if cur is not None:
                h.win.in_flight -= 1
                group.in_flight -= 1
                # One RTT sample per host per batch of replies read together: they all
                # carry the same receive time, and 65535 samples of a full scan add
                # nothing but CPU.
                if (tryno < 0 or tryno == cur[0]) and h.last_sample != now:
                    h.last_sample = now
                    rtt = now - cur[1]
                    h.rtt.sample(rtt)
                    if self._group_sampled != now:
                        self._group_sampled = now
                        self.group_rtt.sample(rtt)
            elif key in h.exhausted:
                del h.exhausted[key]
            elif all(k != key for k, _ in h.retry):
                continue  # an answer to nothing we asked (a stray or duplicate packet)
            resolved.add(key)
            stats.received += 1
            # window growth is applied per batch (see _poll)
            if not h.batch_replies:
                touched.append(h)
            h.batch_replies += 1
            if tryno >= 0:
                h.tries_lost += tryno
                h.tries_answered += tryno + 1
            if tryno > 0:
                # a reply to a retransmission: an earlier try was lost
                if tryno > h.max_ok_try:
                    h.max_ok_try = tryno
                h.drops += 1
                stats.drops += 1
                to = self._timeout(h)
                changed = h.win.on_drop(now, to, host=True)
                group.on_drop(now, to, host=False)
                if self.adaptive_delay and changed:
                    self._boost_delay(h)
            if record_many is not None:
                items = pending.get(h)
                if items is None:
                    items = pending[h] = []
                items.append((key, result))
            elif driver.record(h, key, result):
                self._drop_inflight(h)
                self._finish(h, now)
        for h, items in pending.items():
            record_many(h, items)  # type: ignore[misc]

    def _poll(self, wait: float) -> None:
        socks = self.driver.sockets()
        if not socks:
            if wait > 0:
                time.sleep(wait)
            return
        fds = [s for s, _ in socks]
        try:
            readable, _, _ = select.select(fds, [], [], max(wait, 0.0))
        except InterruptedError:
            return
        if not readable:
            return
        now = time.monotonic()
        for s, drain in socks:
            if s in readable:
                matches = drain(s)
                if matches:
                    self._on_matches(matches, now)
        total = 0
        for h in self._touched:
            h.win.on_replies(h.batch_replies)
            total += h.batch_replies
            h.batch_replies = 0
        self._touched.clear()
        if total:
            self.group.on_replies(total)

    # -- the loop --------------------------------------------------------------------------
    def run(self) -> Stats:
        """Scan until done.  Returns the counters.

        The cyclic garbage collector is paused meanwhile: the loop makes no reference
        cycles, but a full-range scan allocates ~300 000 tuples and port objects, and the
        collections they trigger (each walking every object alive) cost ~20 % of the
        scan's Python time."""
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._run()
        finally:
            if paused:
                gc.enable()

    def _run(self) -> Stats:
        t = self.t
        start = time.monotonic()
        for h in self.hosts:
            h.started = start
            if not h.has_work():
                self._finish(h, start)
        active = [h for h in self.hosts if not h.done]
        rr = 0
        min_gap = 1.0 / t.max_rate if t.max_rate else 0.0
        next_rate_send = start
        sent_total = 0
        while active:
            now = time.monotonic()
            # 1. timeouts, host completion, host timeouts
            for h in active:
                to = self._timeout(h)
                order = h.order
                while order and order[0][0] + to <= now:
                    _, key, tryno = order.popleft()
                    cur = h.inflight.get(key)
                    if cur is None or cur[0] != tryno:
                        continue
                    del h.inflight[key]
                    h.win.in_flight -= 1
                    self.group.in_flight -= 1
                    if self.adaptive_delay and h.win.replies and \
                            now - h.last_boost >= to:
                        # silence from a host that does answer: maybe rate limiting
                        # (Linux sends 1 ICMP error/s after a short burst); slow down so
                        # that retries can get through and prove it
                        h.last_boost = now
                        self._boost_delay(h)
                    if tryno + 1 < self._allowed_tries(h):
                        h.retry.append((key, tryno + 1))
                    else:
                        h.exhausted[key] = tryno + 1
                if t.host_timeout is not None and now - h.started > t.host_timeout:
                    h.timed_out = True
                    h.exhausted.clear()
                    self._drop_inflight(h)
                    self._finish(h, now)
                    continue
                if not h.inflight and not h.has_work():
                    # more tries may be allowed now than when these probes gave up
                    allowed = self._allowed_tries(h)
                    for key, used in list(h.exhausted.items()):
                        if used < allowed:
                            del h.exhausted[key]
                            h.retry.append((key, used))
                    if not h.has_work():
                        self._finish(h, now)
            active = [h for h in active if not h.done]
            if not active:
                break
            # 2. send as much as the windows, scan delays and rates allow
            sent_now = 0
            idle_rounds = 0
            n = len(active)
            behind_min_rate = bool(t.min_rate) and \
                sent_total < (t.min_rate or 0) * (now - start)
            group = self.group
            send = self.driver.send
            send_many = getattr(self.driver, "send_many", None)
            blocked = False
            while idle_rounds < n and sent_now < 1024 and not blocked:
                if not behind_min_rate and not group.can_send():
                    break
                if min_gap and now < next_rate_send:
                    break
                h = active[rr % n]
                rr += 1
                if h.done or not h.has_work() or now < h.next_send or (
                        not behind_min_rate and not h.win.can_send()):
                    idle_rounds += 1
                    continue
                idle_rounds = 0
                # A burst for this host: as many as both windows allow (one probe when a
                # scan delay, a rate limit or --min-rate pacing is in force).
                if h.delay or min_gap or behind_min_rate:
                    burst = 1
                else:
                    burst = max(min(int(h.win.cwnd) - h.win.in_flight,
                                    int(group.cwnd) - group.in_flight, 64), 1)
                win = h.win
                probes: list[tuple[Hashable, int]] = []
                retry = h.retry
                # retries first, then new probes
                while retry and len(probes) < burst:
                    key, tryno = retry.popleft()
                    if key not in h.resolved:
                        probes.append((key, tryno))
                nretry = len(probes)
                todo = h.todo
                m = min(burst - nretry, len(todo))
                # new probes in C-level bulk (zip, list repetition): a full-range scan
                # sends 65535 of them
                fresh: list[Hashable] = [todo.popleft() for _ in range(m)] if m > 0 else []
                if fresh:
                    probes += zip(fresh, [0] * m, strict=True)
                if not probes:
                    continue
                if send_many is not None:
                    k = send_many(h, probes)
                else:
                    k = 0
                    for key, tryno in probes:
                        if not send(h, key, tryno):
                            break
                        k += 1
                if k < len(probes):
                    # the kernel is out of buffer space: the rest go first next time
                    retry.extendleft(reversed(probes[k:]))
                    probes = probes[:k]
                    fresh = fresh[:max(k - nretry, 0)]
                    blocked = True
                if not k:
                    break
                if nretry:
                    self.stats.retransmissions += sum(1 for _, tryno in probes if tryno)
                    h.inflight.update({key: (tryno, now) for key, tryno in probes[:nretry]})
                    h.order.extend([(now, key, tryno) for key, tryno in probes[:nretry]])
                if fresh:
                    # one shared (try 0, now) value; C-level bulk for the new probes
                    nf = len(fresh)
                    h.inflight.update(dict.fromkeys(fresh, (0, now)))
                    h.order.extend(zip([now] * nf, fresh, [0] * nf, strict=True))
                win.in_flight += k
                group.in_flight += k
                if h.delay:
                    h.next_send = now + h.delay
                if min_gap:
                    for _ in range(k):
                        next_rate_send = max(next_rate_send + min_gap, now - min_gap)
                win.probes_sent += k
                group.probes_sent += k
                self.stats.sent += k
                sent_now += k
                sent_total += k
                if behind_min_rate:
                    behind_min_rate = sent_total < (t.min_rate or 0) * (now - start)
            # 3. wait for replies until the next thing to do
            if sent_now and self.group.can_send() and any(
                    h.has_work() and h.win.can_send() and now >= h.next_send for h in active):
                wait = 0.0
            else:
                deadlines = [h.order[0][0] + self._timeout(h) for h in active if h.order]
                deadlines += [h.next_send for h in active
                              if h.has_work() and h.next_send > now]
                if min_gap:
                    deadlines.append(next_rate_send)
                if t.min_rate:
                    deadlines.append(start + (sent_total + 1) / t.min_rate)
                if t.host_timeout is not None:
                    deadlines += [h.started + t.host_timeout for h in active]
                wait = min(deadlines) - time.monotonic() if deadlines else 0.0
                wait = min(max(wait, 0.0), 0.2)
            self._poll(wait)
        return self.stats
