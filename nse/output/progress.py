"""Scan progress for ``nse scan``: the live bar on a terminal and the ``--stats-every`` lines.

nmap prints its progress only when asked (a key press, ``--stats-every``)::

    Stats: 0:00:05 elapsed; 0 hosts completed (1 up), 1 undergoing SYN Stealth Scan
    SYN Stealth Scan Timing: About 12.34% done; ETC: 06:01 (0:00:30 remaining)

``nse scan`` prints the same lines for ``--stats-every`` and, when standard output is a
terminal that carries the normal output, also keeps one live line at the bottom of the
screen (rich): the phase, a bar, the percentage of probes settled, hosts completed, the
time remaining.  Text written to stdout/stderr meanwhile is printed above the bar (rich's
redirection), and the bar is erased when the scan ends, so the screen reads as nmap's.
Nothing of it is drawn when stdout is not a terminal (a pipe, a file) or carries an output
document (``-oX -``).

:class:`ScanTracker` is the state both read.  The runner reports phases to it
(:meth:`ScanTracker.phase`, with the engine's per-host states whose queues tell how many
probes are left) and finished hosts (:meth:`ScanTracker.host_done`); the display threads
only read it.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import IO, Any

__all__ = ["ScanTracker", "LiveProgress", "stats_lines", "want_live"]


def _probes_left(states: Sequence[Any]) -> int:
    """Probes not settled yet in the engine's host states (nse.scan.ultra.HostState):
    queued, waiting for a retry, or in flight.  A finished host has none left.  Read
    from another thread without locks: each ``len`` is atomic under the GIL, and a
    count off by one for a moment is harmless in a progress display."""
    left = 0
    for st in states:
        if getattr(st, "done", False):
            continue
        left += len(st.todo) + len(st.retry) + len(st.inflight)
    return left


class ScanTracker:
    """What the scan is doing now, for progress displays (thread-safe enough to read)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started = clock()
        self.name = ""  # the phase, nmap's words: "SYN Stealth Scan", "Service scan"...
        self.phase_started = self.started
        self.states: Sequence[Any] = ()
        self.total = 0  # probes of the phase
        self.hosts_done = 0
        self.hosts_up = 0
        self.group_size = 0  # hosts of the group being scanned

    def phase(self, name: str, states: Sequence[Any] = (), group_size: int = 0) -> None:
        """A phase starts (``name`` "" when between phases).  ``states`` are the probe
        engine's host states, still holding every probe of the phase in their queues."""
        total = sum(len(st.todo) + len(st.retry) for st in states)
        self.states = ()
        self.total = total
        self.states = list(states)
        self.name = name
        self.phase_started = self.clock()
        if group_size:
            self.group_size = group_size

    def host_done(self, up: bool) -> None:
        """One host's report is out."""
        self.hosts_done += 1
        self.hosts_up += bool(up)

    def fraction(self) -> float | None:
        """Share of the phase's probes settled, or None when the phase has no probe
        count (service and script scans)."""
        states, total = self.states, self.total
        if not total:
            return None
        return min(max((total - _probes_left(states)) / total, 0.0), 1.0)

    def remaining(self) -> float | None:
        """Seconds the phase still needs at the pace so far (None: not known yet)."""
        frac = self.fraction()
        spent = self.clock() - self.phase_started
        if not frac or spent < 0.5:
            return None
        return spent * (1 - frac) / frac


def _hms(secs: float) -> str:
    s = int(secs)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def stats_lines(tr: ScanTracker, now_wall: float | None = None) -> str:
    """nmap's ``--stats-every`` lines (the second only during a phase with a percentage)."""
    elapsed = tr.clock() - tr.started
    line = (f"Stats: {_hms(elapsed)} elapsed; {tr.hosts_done} hosts completed "
            f"({tr.hosts_up} up)")
    if tr.name:
        undergoing = max(tr.group_size, 1)
        line += f", {undergoing} undergoing {tr.name}"
    out = line + "\n"
    frac = tr.fraction()
    if tr.name and frac is not None:
        out += f"{tr.name} Timing: About {frac * 100:.2f}% done"
        left = tr.remaining()
        if left is not None:
            etc = time.strftime("%H:%M", time.localtime((now_wall or time.time()) + left))
            out += f"; ETC: {etc} ({_hms(left)} remaining)"
        out += "\n"
    return out


def want_live(stream: IO[str], stdout_used: bool, packet_trace: bool) -> bool:
    """Whether to draw the live bar: ``stream`` (the screen output) is a terminal, no
    output document goes to it, and no ``--packet-trace`` lines flood it."""
    if stdout_used or packet_trace:
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class LiveProgress:
    """The live bar (rich), drawn on ``stream``'s terminal while the scan runs."""

    def __init__(self, tracker: ScanTracker, stream: IO[str] | None = None,
                 refresh_per_second: float = 2.0) -> None:
        from rich.console import Console
        from rich.live import Live

        self.tracker = tracker
        stream = stream or sys.stdout
        # markup/highlighting off and soft wrapping: the scan's own lines, redirected
        # through this console while the bar is up, must come out unchanged
        self.console = Console(file=stream, markup=False, highlight=False, emoji=False,
                               soft_wrap=True)
        err_tty = False
        try:
            err_tty = sys.stderr.isatty()
        except (AttributeError, ValueError):
            pass
        # stderr is redirected above the bar only when it is a terminal too: a
        # `2>file` must keep getting its lines
        self.live = Live(console=self.console, get_renderable=self.render,
                         refresh_per_second=refresh_per_second, transient=True,
                         redirect_stdout=True, redirect_stderr=err_tty)
        self._lock = threading.Lock()
        self._running = False

    def render(self) -> Any:
        """The bar as a rich renderable: ``SYN Stealth Scan 12.34% ━━━━──── 0 hosts done;
        0:00:07 left`` (under 80 columns for nmap's longest phase name); nothing
        between phases."""
        from rich.progress_bar import ProgressBar
        from rich.table import Table
        from rich.text import Text

        tr = self.tracker
        if not tr.name:
            return Text("")
        frac = tr.fraction()
        grid = Table.grid(padding=(0, 1))
        for _ in range(3):
            grid.add_column(no_wrap=True)
        hosts = f"{tr.hosts_done} host{'s' if tr.hosts_done != 1 else ''} done"
        if frac is None:
            # no probe count (service and script scans): a pulsing bar
            grid.add_row(tr.name, ProgressBar(total=None, width=20), hosts)
        else:
            left = tr.remaining()
            eta = f"; {_hms(left)} left" if left is not None else ""
            grid.add_row(f"{tr.name} {frac * 100:.2f}%",
                         ProgressBar(total=1000, completed=int(frac * 1000), width=20),
                         hosts + eta)
        return grid

    def start(self) -> None:
        """Draw the bar (and start redirecting the screen output above it)."""
        with self._lock:
            if not self._running:
                self.live.start()
                self._running = True

    def stop(self) -> None:
        """Erase the bar and give stdout/stderr back."""
        with self._lock:
            if self._running:
                self._running = False
                self.live.stop()

    def __enter__(self) -> LiveProgress:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
