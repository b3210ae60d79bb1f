"""The output files of ``nse scan``: ``-oN``, ``-oX``, ``-oG``, ``-oJ`` and ``-oA``.

Use::

    spec = OutputSpec.from_options(normal="scan.nmap", xml="-", all_base=None, ...)
    with open_writers(spec, info) as out:       # files opened, headers written
        out.prescripts(pre)
        run_scan(opts, on_host=lambda h: out.host(h, scripts_of(h)))
        out.postscripts(post)
        out.close(RunStats(elapsed=result.elapsed))

Every writer streams: the header at :func:`open_writers`, one block per host as it
finishes (each file is flushed then), the footer at :meth:`Writers.close`.  Leaving
the ``with`` block by an exception (``KeyboardInterrupt`` from Ctrl-C, a
:class:`ScanTerminated` from SIGTERM, any error) closes every file as a complete,
well-formed document marked incomplete (see docs/output.md) and lets the exception go
on.  ``-`` sends one output to standard output; nmap then prints no normal output on the
screen, and :attr:`Writers.stdout_used` tells the caller so.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any, TextIO

from nse.output._common import RunStats, ScanInfo, ScanType, ctime
from nse.scan.model import Host

if TYPE_CHECKING:
    from nse.output.grepable import GrepableWriter
    from nse.output.json import JsonWriter
    from nse.output.xml import XmlWriter

#: The writer of each machine-readable output, imported when such an output is opened:
#: a scan that writes only to the screen loads none of them (~12 ms of `nse scan`
#: start-up, measured: the grepable writer pulls in the -sV probe parser, the JSON writer
#: the engine's script-output model).
_WRITERS = {"xml": ("nse.output.xml", "XmlWriter"),
            "grepable": ("nse.output.grepable", "GrepableWriter"),
            "json": ("nse.output.json", "JsonWriter")}

__all__ = [
    "OutputSpec",
    "OutputError",
    "Writers",
    "open_writers",
    "ScanInfo",
    "ScanType",
    "RunStats",
    "ScanTerminated",
    "terminate_on_sigterm",
    "scaninfo_from_plan",
    "default_stylesheet",
]

_KINDS = ("normal", "xml", "grepable", "json")


class OutputError(Exception):
    """An output file cannot be opened, or the output options conflict."""


class ScanTerminated(Exception):
    """Raised in the main thread on SIGTERM by :func:`terminate_on_sigterm`."""


@dataclass
class OutputSpec:
    """Where each output goes: a path, ``"-"`` for standard output, or None."""

    normal: str | None = None
    xml: str | None = None
    grepable: str | None = None
    json: str | None = None

    @classmethod
    def from_options(cls, normal: str | None = None, xml: str | None = None,
                     grepable: str | None = None, json: str | None = None,
                     all_base: str | None = None) -> OutputSpec:
        """Combine ``-oN``/``-oX``/``-oG``/``-oJ`` with ``-oA BASE`` (which means
        ``BASE.nmap``, ``BASE.xml`` and ``BASE.gnmap`` unless given one by one).
        Raises :class:`OutputError` when more than one output would go to stdout."""
        spec = cls(normal, xml, grepable, json)
        if all_base is not None:
            if all_base == "-":
                raise OutputError("cannot display -oA output to stdout")
            spec.normal = spec.normal or all_base + ".nmap"
            spec.xml = spec.xml or all_base + ".xml"
            spec.grepable = spec.grepable or all_base + ".gnmap"
        if sum(1 for k in _KINDS if getattr(spec, k) == "-") > 1:
            raise OutputError("only one output can go to stdout ('-')")
        return spec

    def any(self) -> bool:
        """True when at least one output is requested."""
        return any(getattr(self, k) for k in _KINDS)


class _NormalWriter:
    """``-oN``: the text the caller prints on the screen, between nmap's comment lines."""

    def __init__(self, stream: TextIO, info: ScanInfo) -> None:
        self.stream = stream
        self.info = info

    def start(self) -> None:
        i = self.info
        self.stream.write(f"# nse {i.version} scan initiated {ctime(i.start)} as: {i.args}\n")
        self.stream.flush()

    def text(self, text: str) -> None:
        if text:
            self.stream.write(text)
            self.stream.flush()

    def finish(self, stats: RunStats, incomplete: bool, reason: str | None) -> None:
        assert stats.end is not None and stats.elapsed is not None
        total, up = stats.total or 0, stats.up or 0
        if incomplete:
            self.stream.write(f"# Scan incomplete: {reason or 'interrupted'}\n")
        addrs = "IP address" if total == 1 else "IP addresses"
        hosts = "host" if up == 1 else "hosts"
        self.stream.write(f"# Nmap done at {ctime(stats.end)} -- {total} {addrs} ({up} "
                          f"{hosts} up) scanned in {stats.elapsed:.2f} seconds\n")
        self.stream.flush()


def _script_section(title: str, outs: list[Any]) -> str:
    from nse.engine.output import format_script_output

    lines = [format_script_output(o) for o in outs]
    lines = [x for x in lines if x]
    return f"{title}\n" + "\n".join(lines) + "\n" if lines else ""


@contextlib.contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Hold a SIGINT that arrives while a host (or the footers) is being written, and
    raise it afterwards: every output then holds the same hosts, each complete."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    got: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: got.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if got:
        raise KeyboardInterrupt


class Writers:
    """The open outputs of one run (made by :func:`open_writers`)."""

    def __init__(self, info: ScanInfo, clock: Callable[[], float] = time.time) -> None:
        self.info = info
        self.clock = clock
        self.normal: _NormalWriter | None = None
        self.xml: XmlWriter | None = None
        self.grepable: GrepableWriter | None = None
        self.json: JsonWriter | None = None
        self.stdout_used = False
        self.up = 0
        self.down = 0
        self.closed = False
        self._files: list[TextIO] = []

    def _writers(self) -> list[Any]:
        return [w for w in (self.normal, self.xml, self.grepable, self.json) if w is not None]

    def prescripts(self, outs: list[Any], normal_text: str | None = None) -> None:
        """Pre-scan script results (engine ``ScriptOutput`` list), before any host.
        ``normal_text`` is what the screen shows for them (made here when None)."""
        if self.normal is not None:
            self.normal.text(normal_text if normal_text is not None
                             else _script_section("Pre-scan script results:", outs))
        for w in (self.xml, self.json):
            if w is not None:
                w.prescripts(outs)

    def host(self, h: Host, scripts: Any = None, normal_text: str | None = None) -> None:
        """One finished host.  ``scripts`` is the engine's ``HostScripts`` for it (or
        None); ``normal_text`` the report the screen shows (made with
        :func:`nse.output.normal.format_host` when None)."""
        with _sigint_deferred():
            self._host(h, scripts, normal_text)

    def _host(self, h: Host, scripts: Any, normal_text: str | None) -> None:
        end = self.clock()
        start = end - h.elapsed if h.elapsed > 0 else self.info.start
        if h.up:
            self.up += 1
        else:
            self.down += 1
        if self.normal is not None:
            if normal_text is None:
                from nse.output.normal import format_host, report_block

                kw: dict[str, Any] = {"versions": True} if self.info.version_scan else {}
                normal_text = format_host(h, open_only=self.info.open_only,
                                          verbose=self.info.verbose,
                                          ping_only=self.info.ping_only, **kw)
                normal_text = report_block(normal_text, h, ping_only=self.info.ping_only,
                                           script_scan=self.info.script_scan)
            self.normal.text(normal_text)
        if self.xml is not None:
            self.xml.host(h, scripts, start, end)
        if self.grepable is not None:
            self.grepable.host(h)
        if self.json is not None:
            self.json.host(h, scripts, start, end)

    def postscripts(self, outs: list[Any], normal_text: str | None = None) -> None:
        """Post-scan script results, after the last host."""
        if self.normal is not None:
            self.normal.text(normal_text if normal_text is not None
                             else _script_section("Post-scan script results:", outs))
        for w in (self.xml, self.json):
            if w is not None:
                w.postscripts(outs)

    def plain(self, text: str) -> None:
        """Text the screen shows and ``-oN`` holds too, outside any host report (nmap's
        LOG_PLAIN: the "Service detection performed" line before the footer)."""
        if self.normal is not None:
            self.normal.text(text)

    def close(self, runstats: RunStats | None = None, incomplete: bool = False,
              reason: str | None = None) -> None:
        """Write every footer and close the files (not stdout).  Fields of
        ``runstats`` left None come from the hosts seen and the clock.  A second call
        does nothing."""
        if self.closed:
            return
        self.closed = True
        with _sigint_deferred():
            self._close(runstats, incomplete, reason)

    def _close(self, runstats: RunStats | None, incomplete: bool,
               reason: str | None) -> None:
        rs = RunStats(**vars(runstats)) if runstats is not None else RunStats()
        if rs.end is None:
            rs.end = self.clock()
        if rs.elapsed is None:
            rs.elapsed = max(0.0, rs.end - self.info.start)
        if rs.up is None:
            rs.up = self.up
        if rs.down is None:
            rs.down = self.down
        if rs.total is None:
            rs.total = rs.up + rs.down
        try:
            for w in self._writers():
                try:
                    w.finish(rs, incomplete, reason)
                except OSError:
                    pass  # a full disk or closed pipe must not hide the others
        finally:
            for f in self._files:
                try:
                    f.close()
                except OSError:
                    pass

    def __enter__(self) -> Writers:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        if et is None:
            self.close()
        else:
            self.close(incomplete=True, reason=_reason_of(ev))


def _reason_of(exc: BaseException | None) -> str:
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted by the user (SIGINT)"
    if isinstance(exc, ScanTerminated):
        return "terminated (SIGTERM)"
    if exc is None:
        return "scan incomplete"
    text = str(exc).strip()
    return f"error: {type(exc).__name__}" + (f": {text}" if text else "")


def open_writers(spec: OutputSpec, info: ScanInfo,
                 clock: Callable[[], float] = time.time,
                 stdout: TextIO | None = None) -> Writers:
    """Open every requested output and write its header.  Raises :class:`OutputError`
    (after closing what was opened) when a file cannot be created."""
    w = Writers(info, clock)
    out = stdout if stdout is not None else sys.stdout
    try:
        for kind in ("normal", "xml", "grepable", "json"):
            path = getattr(spec, kind)
            if not path:
                continue
            cls: Any = _NormalWriter
            if kind in _WRITERS:
                import importlib

                module, name = _WRITERS[kind]
                cls = getattr(importlib.import_module(module), name)
            if path == "-":
                stream = out
                w.stdout_used = True
            else:
                try:
                    stream = open(path, "w", encoding="utf-8", newline="\n")
                except OSError as e:
                    raise OutputError(f"cannot write {path!r}: {e.strerror}") from e
                w._files.append(stream)
            setattr(w, kind, cls(stream, info))
        for wr in w._writers():
            wr.start()
    except BaseException:
        for f in w._files:
            f.close()
        raise
    return w


def _sigterm(signum: int, frame: FrameType | None) -> None:
    raise ScanTerminated()


def terminate_on_sigterm() -> Callable[[], None]:
    """Make SIGTERM raise :class:`ScanTerminated` in the main thread (so the ``with``
    block of :func:`open_writers` closes the outputs).  Returns a function restoring the
    previous handler."""
    old = signal.signal(signal.SIGTERM, _sigterm)

    def restore() -> None:
        signal.signal(signal.SIGTERM, old)

    return restore


def default_stylesheet(datadir: str | None = None) -> str | None:
    """``file:///usr/share/nmap/nmap.xsl`` (the first nmap data directory holding
    nmap.xsl), or None: nmap names its stylesheet in the XML, and browsers use it."""
    from nse.scan.services import datadir_candidates

    for d in datadir_candidates(datadir):
        path = os.path.join(d, "nmap.xsl")
        if os.path.isfile(path):
            return "file://" + os.path.abspath(path)
    return None


def scaninfo_from_plan(plan: Any, args: str, version: str, options: Any,
                       start: float | None = None) -> ScanInfo:
    """A :class:`ScanInfo` from the scanner's ``ScanPlan`` (``tcp_scan``, ``udp``,
    ``ports``) and ``ScanOptions`` (``verbose``, ``debug``, ``open_only``,
    ``datadir``)."""
    scans: list[ScanType] = []
    ports = getattr(plan, "ports", None)
    if ports is not None:
        if plan.tcp_scan and ports.tcp:
            scans.append(ScanType(plan.tcp_scan, "tcp", list(ports.tcp)))
        if plan.udp and ports.udp:
            scans.append(ScanType("udp", "udp", list(ports.udp)))
    return ScanInfo(args=args, start=time.time() if start is None else start,
                    version=version, scans=scans,
                    verbose=getattr(options, "verbose", 0),
                    debugging=getattr(options, "debug", 0),
                    stylesheet=default_stylesheet(getattr(options, "datadir", None)),
                    open_only=getattr(options, "open_only", False),
                    datadir=getattr(options, "datadir", None),
                    version_scan=bool(getattr(options, "version_scan", False)),
                    script_scan=bool(getattr(options, "scripts", None)
                                     or getattr(options, "default_scripts", False)))
