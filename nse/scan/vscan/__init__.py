"""Service and version detection (``-sV``): nmap-service-probes, probing, results.

Public API
----------
``run_version_scan(hosts, options) -> None``
    Probes every open (and open|filtered) port of every host that is up and writes the
    result into the ports' fields (below).  ``options`` is any object with these optional
    attributes (missing ones take the default; :class:`VersionOptions` has them all):

    ==================  =========================================================
    ``version_intensity``  0-9, default 7 (``--version-intensity``); ``--version-light``
                        is 2 and ``--version-all`` is 9
    ``version_trace``   bool: one stderr line per probe sent and per match
                        (``--version-trace``); or pass a callable ``trace(msg)``
    ``timing``          an object with ``level`` (``-T``), ``min_parallelism``,
                        ``max_parallelism``, ``host_timeout`` (seconds)
                        (:class:`nse.scan.timing.TimingOptions`); or ``timing_level``
                        as an int
    ``datadir``         ``--datadir``: searched first for ``nmap-service-probes``
    ``versiondb``       ``--versiondb <file>``: use exactly this probe file
    ==================  =========================================================

    The probe file is ``versiondb`` if given, else the first ``nmap-service-probes`` in
    the nmap data directories (:mod:`nse.lib.datadir`: ``--datadir``, ``$NMAPDIR``,
    ``~/.nmap``, ``/usr/share/nmap``, the last one only when neither ``--datadir`` nor
    ``$NMAPDIR`` is given); else our own file ``nse/data/nse-service-probes`` (written for
    this project, same format).  A malformed
    file raises :class:`ProbeFileError` whose text is one line, ``file:line: message``.

Fields written per probed port (``port.version`` keys are those of NSE's
``port.version`` table, so the script engine passes them through unchanged):

==========================  ==================================================================
``port.service``            the detected service name (``"http"``; ``"tcpwrapped"``)
``version["name"]``         same as ``port.service``
``version["product"]``,     the ``p/ v/ i/ h/ o/ d/`` templates of the matching line
``["version"]``,            (absent when empty)
``["extrainfo"]``,
``["hostname"]``,
``["ostype"]``,
``["devicetype"]``
``version["cpe"]``          list of ``cpe:/...`` strings (a, h, o parts in that order)
``version["service_dtype"]``  ``"probed"`` (a match or tcpwrapped) or ``"table"``
``version["name_confidence"]``  10 for a match, 8 for tcpwrapped, 3 from the table
``version["service_tunnel"]``   ``"ssl"`` when found inside TLS, else ``"none"``
``version["service_fp"]``   nmap-style fingerprint of the responses when nothing
                            hard-matched (intensity >= 7), else absent
==========================  ==================================================================

A UDP port in ``open|filtered`` that answers a probe becomes ``open`` (reason
``udp-response``); one that answers with port-unreachable becomes ``closed``.

Output helpers for the writers: :func:`service_column` (``ssl/http``, ``http?``),
:func:`version_column` (``nginx 1.22.1 (Debian)``) and :func:`service_info`
(``Service Info: Host: x; OS: Linux; CPE: cpe:/o:linux:linux_kernel``).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nse.lib import datadir as _datadir
from nse.scan.vscan.columns import service_column, service_info, version_column
from nse.scan.vscan.probes import ProbeDB, ProbeFileError, load_probe_file

if TYPE_CHECKING:
    from nse.scan.vscan.engine import ServiceResult

__all__ = ["run_version_scan", "VersionOptions", "ProbeFileError", "ProbeDB", "load_probes",
           "find_probe_file", "OWN_PROBES", "service_column", "version_column",
           "service_info", "apply_result"]

#: Our own probe file (written here from protocol knowledge, nmap's format).
OWN_PROBES = _datadir.OWN_PROBES


@dataclass
class VersionOptions:
    """The -sV options (see the module docstring)."""

    version_intensity: int = 7
    version_trace: bool | Callable[[str], None] = False
    timing_level: int = 3
    min_parallelism: int | None = None
    max_parallelism: int | None = None
    datadir: str | None = None
    versiondb: str | None = None


def find_probe_file(datadir: str | None = None) -> str:
    """The probe file to use: nmap's ``nmap-service-probes`` from the nmap data
    directories (``--datadir``, ``$NMAPDIR``, ``~/.nmap``, and ``/usr/share/nmap`` only when
    neither of the first two is given; :func:`nse.lib.datadir.nmap_dirs`) or our own."""
    for d in _datadir.nmap_dirs(datadir):
        path = os.path.join(d, "nmap-service-probes")
        if os.path.isfile(path):
            return path
    return OWN_PROBES


_cache: dict[tuple[str, float], ProbeDB] = {}
_cache_lock = threading.Lock()


def load_probes(path: str) -> ProbeDB:
    """Parse a probe file once per process (cached by path and modification time)."""
    try:
        key = (os.path.abspath(path), os.path.getmtime(path))
    except OSError as e:
        raise ProbeFileError(path, 0, f"cannot read: {e.strerror or e}") from None
    with _cache_lock:
        db = _cache.get(key)
        if db is None:
            db = load_probe_file(path)
            _cache[key] = db
        return db


def _opt(options: Any, name: str, default: Any) -> Any:
    if options is None:
        return default
    v = getattr(options, name, None)
    return default if v is None else v


def _fingerprint(port: int, proto: str, res: ServiceResult, intensity: int) -> str:
    """nmap's ``SF-Port...`` fingerprint text for an unrecognised service."""
    t = time.localtime()
    head = (f"SF-Port{port}-{proto.upper()}:V=nse%" + ("T=SSL%" if res.tunnel else "")
            + f"I={intensity}%D={t.tm_mon}/{t.tm_mday}%Time={int(time.time()):X}%P=python")
    parts = [head]
    for name, data in res.fingerprint:
        esc = []
        for i, b in enumerate(data[:900]):
            ch = chr(b)
            if ch.isascii() and ch.isalnum():
                esc.append(ch)
            elif b == 0:
                nxt = data[i + 1:i + 2]
                esc.append("\\x00" if nxt.isdigit() else "\\0")
            elif ch in '\\?"[]().*+$^|':
                esc.append("\\" + ch)
            elif ch in "\r\n\t":
                esc.append({"\r": "\\r", "\n": "\\n", "\t": "\\t"}[ch])
            elif 33 <= b < 127:
                esc.append(ch)
            else:
                esc.append(f"\\x{b:02x}")
        parts.append(f'%r({name},{len(data):X},"{"".join(esc)}")')
    text = "".join(parts)
    lines = [text[i:i + 74] for i in range(0, len(text), 74)]
    return "\nSF:".join(lines) + ";"


def apply_result(port: Any, res: ServiceResult, intensity: int = 7) -> None:
    """Write one port's result into the Port object (fields in the module docstring)."""
    v: dict[str, Any] = {}
    tunnel = res.tunnel or "none"
    if port.protocol == "udp":
        if res.responded and port.state != "open":
            port.state, port.reason = "open", "udp-response"
        elif res.closed:
            port.state, port.reason = "closed", "port-unreach"
    if res.state in ("hard", "soft") and res.match is not None:
        m = res.match
        v["name"] = m.service
        v.update(m.fields)
        v["cpe"] = list(m.cpe)
        v["service_dtype"] = "probed"
        v["name_confidence"] = 10
        port.service = m.service
    elif res.state == "tcpwrapped":
        v["name"] = "tcpwrapped"
        v["service_dtype"] = "probed"
        v["name_confidence"] = 8
        v["cpe"] = []
        port.service = "tcpwrapped"
    else:
        v["name"] = port.service
        v["service_dtype"] = "table"
        v["name_confidence"] = 3
        v["cpe"] = []
    v["service_tunnel"] = tunnel
    if res.state != "hard" and res.fingerprint and intensity >= 7:
        v["service_fp"] = _fingerprint(port.number, port.protocol, res, intensity)
    port.version = v


def run_version_scan(hosts: Iterable[Any], options: Any = None) -> None:
    """Version-detect the open ports of ``hosts`` (see the module docstring)."""
    # The engine (and gevent with it) is imported only when -sV runs: every scan imports
    # this package for the output columns.
    from nse.scan.vscan.engine import default_trace, parallelism_for, probe_service, run_services

    intensity = int(_opt(options, "version_intensity", 7))
    if _opt(options, "version_all", False):
        intensity = 9
    elif _opt(options, "version_light", False):
        intensity = 2
    intensity = max(0, min(9, intensity))
    trace_opt = _opt(options, "version_trace", False)
    trace: Callable[[str], None] | None
    if callable(trace_opt):
        trace = trace_opt
    else:
        trace = default_trace if trace_opt else None
    timing = _opt(options, "timing", None)
    level = int(_opt(timing, "level", _opt(options, "timing_level", 3)))
    min_par = _opt(timing, "min_parallelism", _opt(options, "min_parallelism", None))
    max_par = _opt(timing, "max_parallelism", _opt(options, "max_parallelism", None))
    path = _opt(options, "versiondb", None) or find_probe_file(_opt(options, "datadir", None))
    db = load_probes(path)

    jobs: list[tuple[Any, ...]] = []
    later: list[tuple[Any, ...]] = []
    for h in hosts:
        if not getattr(h, "up", True):
            continue
        for port in h.ports.values() if isinstance(h.ports, dict) else h.ports:
            if port.protocol not in ("tcp", "udp") or db.is_excluded(port.protocol,
                                                                     port.number):
                continue
            if port.state == "open":
                jobs.append((h, port))
            elif port.state == "open|filtered":
                later.append((h, port))  # nmap probes the certain ones first

    host_timeout = _opt(timing, "host_timeout", None)
    started = time.monotonic()

    def work(h: Any, port: Any, budget: Any) -> None:
        import gevent

        # --host-timeout: what is left of the host's time bounds each of its ports; a
        # port cut short keeps its port-scan result (nmap: PROBESTATE_INCOMPLETE)
        left = None if not host_timeout else host_timeout - (time.monotonic() - started)
        if left is not None and left <= 0:
            return
        try:
            with gevent.Timeout(left):
                res = probe_service(db, h.ip, port.number, port.protocol, intensity,
                                    getattr(h, "targetname", None), trace, budget)
        except gevent.Timeout:
            return
        if res.state in ("incomplete", "excluded"):
            return
        apply_result(port, res, intensity)

    run_services(jobs + later, parallelism_for(level, min_par, max_par), work)
