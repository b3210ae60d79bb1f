"""Timing: the -T templates, RTT estimation and congestion control.

Everything here is pure (no I/O, the clock is passed in) so it can be tested with tables.

The model follows the description of nmap's ultra_scan in "Nmap Network Scanning" (chapter
"Port Scanning Algorithms") and its man page:

* **RTT**: per host, a smoothed RTT and its variance (RFC 6298 style: ``srtt += err/8``,
  ``rttvar += (|err| - rttvar)/4``); the probe timeout is ``srtt + 4*rttvar`` clamped to
  ``[min_rtt_timeout, max_rtt_timeout]``; ``initial_rtt_timeout`` until a first sample.
* **Congestion windows**: a window for the whole group and one per host, counted in
  probes in flight.  Each reply grows a window: by one per reply in slow start (below
  ``ssthresh``), by ``1/cwnd`` per reply above.  Growth is scaled by how many probes
  were needed per reply (when many probes go unanswered, as with filtered ports, the few
  replies count for more, up to a cap), so a window can still open on a mostly-silent host.
* **Drops**: a reply to a retransmission proves that an earlier try was lost.  Then the
  windows shrink: ``ssthresh = max(in_flight / divisor, 2)`` and the group window is
  divided, the host window goes back to its initial value.  At most one drop reaction per
  RTT-ish interval so that a burst of losses is one event.
* **Retries**: a probe that times out is retried up to ``max_retries`` times, but on a host
  that has never answered a retry, only ``max_successful_try + 1`` tries are allowed (the
  host has shown no loss, so silence means filtered).
"""

from __future__ import annotations

from dataclasses import dataclass

from nse.scan.errors import UsageError

__all__ = ["TimingOptions", "template", "parse_time", "RttEstimator", "Window",
           "CongestionParams"]


@dataclass
class TimingOptions:
    """The timing knobs, in seconds; ``None`` means "not limited"."""

    level: int = 3
    min_rtt_timeout: float = 0.1
    max_rtt_timeout: float = 10.0
    initial_rtt_timeout: float = 1.0
    max_retries: int = 10
    scan_delay: float = 0.0
    max_scan_delay: float = 1.0
    host_timeout: float | None = None
    min_rate: float | None = None
    max_rate: float | None = None
    min_parallelism: int | None = None
    max_parallelism: int | None = None
    min_hostgroup: int | None = None
    max_hostgroup: int | None = None


def template(level: int) -> TimingOptions:
    """The values of ``-T<level>`` (nmap's man page, "Timing templates")."""
    if level not in range(6):
        raise UsageError(f"invalid timing template -T{level}: use -T0 to -T5")
    t = TimingOptions(level=level)
    if level == 0:  # paranoid: one probe at a time, 5 minutes apart
        t.initial_rtt_timeout = 300.0
        t.scan_delay = 300.0
        t.max_parallelism = 1
    elif level == 1:  # sneaky
        t.initial_rtt_timeout = 15.0
        t.scan_delay = 15.0
        t.max_parallelism = 1
    elif level == 2:  # polite
        t.scan_delay = 0.4
        t.max_parallelism = 1
    elif level == 4:  # aggressive
        t.max_rtt_timeout = 1.25
        t.initial_rtt_timeout = 0.5
        t.max_retries = 6
        t.max_scan_delay = 0.01
    elif level == 5:  # insane
        t.min_rtt_timeout = 0.05
        t.max_rtt_timeout = 0.3
        t.initial_rtt_timeout = 0.25
        t.max_retries = 2
        t.max_scan_delay = 0.005
        t.host_timeout = 900.0
    return t


_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_time(text: str, option: str) -> float:
    """nmap time values: a number with optional unit ``ms``, ``s``, ``m``, ``h``
    (no unit means seconds).  Returns seconds; raises :class:`UsageError`."""
    t = text.strip().lower()
    unit = 1.0
    for suffix in ("ms", "s", "m", "h"):
        if t.endswith(suffix):
            unit = _UNITS[suffix]
            t = t[: -len(suffix)]
            break
    try:
        value = float(t)
    except ValueError:
        raise UsageError(f"invalid time {text!r} for {option}")
    if value != value or value < 0 or value == float("inf"):
        raise UsageError(f"invalid time {text!r} for {option}")
    return value * unit


class RttEstimator:
    """Smoothed RTT / variance and the resulting probe timeout of one host (or group)."""

    def __init__(self, opts: TimingOptions) -> None:
        self.opts = opts
        self.srtt: float | None = None
        self.rttvar: float | None = None
        self.timeout = opts.initial_rtt_timeout

    def sample(self, rtt: float) -> None:
        """Feed one measured round trip (seconds)."""
        rtt = max(rtt, 0.0)
        # A sample far above the current timeout is probably a reply to an older try that
        # we matched to a newer one; cap it so one odd sample cannot inflate everything.
        if self.srtt is None or self.rttvar is None:
            self.srtt = rtt
            self.rttvar = max(rtt, 0.005)
        else:
            rtt = min(rtt, self.srtt * 8 + 0.01)
            err = rtt - self.srtt
            self.srtt += err / 8
            self.rttvar += (abs(err) - self.rttvar) / 4
        o = self.opts
        self.timeout = min(max(self.srtt + 4 * self.rttvar, o.min_rtt_timeout),
                           o.max_rtt_timeout)


@dataclass
class CongestionParams:
    """Window limits derived from the timing options."""

    low_cwnd: float
    max_cwnd: float
    initial_cwnd: float
    initial_ssthresh: float = 75.0
    cc_scale_max: float = 50.0
    drop_divisor: float = 2.0

    @classmethod
    def from_timing(cls, t: TimingOptions) -> CongestionParams:
        """Limits from ``--min/max-parallelism`` and the template level."""
        low = float(t.min_parallelism or 1)
        high = float(max(low, t.max_parallelism or 300))
        init = min(max(low, 10.0), high)
        return cls(low_cwnd=low, max_cwnd=high, initial_cwnd=init,
                   drop_divisor=2.0 if t.level < 4 else 1.5)


class Window:
    """One congestion window (the group's or a host's)."""

    def __init__(self, p: CongestionParams, initial: float | None = None) -> None:
        self.p = p
        self.initial = p.initial_cwnd if initial is None else initial
        self.cwnd = self.initial
        self.ssthresh = p.initial_ssthresh
        self.in_flight = 0
        self.probes_sent = 0
        self.replies = 0
        self.last_drop = -1e18

    def can_send(self) -> bool:
        """Whether one more probe fits in the window."""
        return self.in_flight < int(self.cwnd)

    def on_reply(self) -> None:
        """A probe got an answer: open the window."""
        self.replies += 1
        scale = min(max(self.probes_sent / max(self.replies, 1), 1.0), self.p.cc_scale_max)
        if self.cwnd < self.ssthresh:
            self.cwnd += scale
        else:
            self.cwnd += scale / self.cwnd
        self.cwnd = min(self.cwnd, self.p.max_cwnd)

    def on_replies(self, n: int) -> None:
        """``n`` probes got answers at once: the same growth as ``n`` calls of
        :meth:`on_reply` (slow start adds ``scale`` each, congestion avoidance
        ``scale / cwnd`` each), computed in one step."""
        if n <= 0:
            return
        self.replies += n
        scale = min(max(self.probes_sent / max(self.replies, 1), 1.0), self.p.cc_scale_max)
        room = self.ssthresh - self.cwnd
        if room > 0:
            k = min(n, int(room / scale) + 1)
            self.cwnd += k * scale
            n -= k
        if n > 0:
            self.cwnd += n * scale / self.cwnd
        if self.cwnd > self.p.max_cwnd:
            self.cwnd = self.p.max_cwnd

    def on_drop(self, now: float, rtt_timeout: float, host: bool) -> bool:
        """Evidence of a lost packet: shrink, at most once per ``rtt_timeout``.

        Returns whether the window changed."""
        if now - self.last_drop < rtt_timeout:
            return False
        self.last_drop = now
        self.ssthresh = max(self.in_flight / self.p.drop_divisor, 2.0)
        if host:
            self.cwnd = self.initial
        else:
            self.cwnd = max(self.p.low_cwnd, self.cwnd / self.p.drop_divisor)
        return True
