"""What the XML, grepable and JSON writers share: the run description they are given,
nmap's rules for summarising ports ("ignored states"), port-range text, time stamps,
text escaping and the per-script state.

Nothing here writes a file; :mod:`nse.output.writers` does.
"""

from __future__ import annotations

import codecs
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from nse.scan.model import Host, Port

__all__ = [
    "ScanType",
    "ScanInfo",
    "RunStats",
    "SCRIPT_STATES",
    "script_state",
    "ignored_states",
    "port_ranges",
    "ctime",
    "protect",
    "lua_bytes",
    "json_text",
    "grepable_field",
    "host_counts",
    "extra_reasons",
    "hostnames",
    "mac_vendor",
    "service_fields",
    "has_service",
    "micros",
    "listed_ports",
    "shows_host",
    "summary_text",
]

#: The per-script states written by every machine-readable writer (see docs/output.md).
SCRIPT_STATES = ("ok", "error", "timed-out")

#: The text nmap (and nse's engine) gives a script that failed, when not debugging.
_FAILED_TEXT = "ERROR: Script execution failed (use -d to debug)"


@dataclass
class ScanType:
    """One ``<scaninfo>``: a scan technique over the ports of one protocol."""

    type: str  # "syn", "connect", "ack", "fin", "null", "xmas", "udp", ...
    protocol: str  # "tcp" / "udp"
    ports: list[int] = field(default_factory=list)
    scanflags: str | None = None


@dataclass
class ScanInfo:
    """What is known of the run before the first host: the header of every output."""

    args: str  # the command line as one string ("nse scan -p22 10.0.0.1")
    start: float  # wall clock, time.time()
    version: str  # nse's version
    scans: list[ScanType] = field(default_factory=list)  # empty for a ping scan (-sn)
    verbose: int = 0
    debugging: int = 0
    #: ``file://.../nmap.xsl`` for the XML stylesheet line, or None for no such line
    stylesheet: str | None = None
    #: the options that change which ports a report lists (nmap's --open, -v, -d)
    open_only: bool = False
    #: ``--datadir``: where the services table was read (nmap-services or our own)
    datadir: str | None = None
    #: -sV ran (normal output then has a VERSION column)
    version_scan: bool = False
    #: --script or -sC was given (a -sn report then ends with a blank line, see
    #: nse.output.normal.report_block)
    script_scan: bool = False

    @property
    def ping_only(self) -> bool:
        """True for a scan without port scans (``-sn``): hosts have no ports element."""
        return not self.scans


@dataclass
class RunStats:
    """The end of a run.  Any field left None is filled in by the writers from the hosts
    they were given and their clock."""

    end: float | None = None  # wall clock at the end
    elapsed: float | None = None  # seconds since ScanInfo.start
    up: int | None = None
    down: int | None = None
    total: int | None = None


def script_state(out: Any) -> str:
    """The state of one script result: ``ok``, ``error`` or ``timed-out``.

    An object that carries ``state`` (the engine's :class:`ScriptOutput` once it records
    it) is taken at its word; otherwise the failure text nmap prints for a script that
    raised an error is read as ``error`` and anything else as ``ok``."""
    st = getattr(out, "state", None)
    if st in SCRIPT_STATES:
        return str(st)
    if st == "timed out" or st == "timeout":
        return "timed-out"
    if isinstance(st, str) and st:
        return "error"
    if getattr(out, "text", None) == _FAILED_TEXT:
        return "error"
    return "ok"


# -- ports ----------------------------------------------------------------------------

#: nmap's internal state numbers (portlist.h): tie-breaks between states use them.
_STATE_NUM = {"closed": 1, "open": 2, "filtered": 3, "unfiltered": 6,
              "open|filtered": 7, "closed|filtered": 8}


def ignored_states(ports: Iterable[Port], verbose: int = 0, debugging: int = 0,
                   open_only: bool = False) -> list[str]:
    """The states summarised on ``<extraports>`` / "Not shown" instead of listed, in the
    order nmap gives them: most ports first, ties by nmap's state number.

    The rule is nmap's (PortList::isIgnoredState): open never; open|filtered not at
    -vvv or -ddd; nothing at -ddd; with ``--open`` every state without "open" in it;
    otherwise a state with more than 25 ports (times ``verbose + 20 * debugging`` when
    either is given)."""
    if debugging > 2:
        return []
    counts = Counter(p.state for p in ports)
    limit = 25
    if verbose or debugging:
        limit *= verbose + 20 * debugging
    out = []
    for state, n in counts.items():
        if state == "open" or n == 0:
            continue
        if state == "open|filtered" and verbose > 2:
            continue
        if open_only and state not in ("open|filtered", "unfiltered"):
            out.append(state)
        elif n > limit:
            out.append(state)
    return sorted(out, key=lambda s: (-counts[s], _STATE_NUM.get(s, 99)))


def port_ranges(numbers: Iterable[int]) -> str:
    """``1,3-5,80``: sorted numbers with runs joined, as nmap writes port lists."""
    nums = sorted(set(numbers))
    parts: list[str] = []
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        parts.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
        i = j + 1
    return ",".join(parts)


def extra_reasons(ports: list[Port]) -> list[tuple[str, int, str, str]]:
    """``(reason, count, protocol, port ranges)`` of the ports of one ignored state, most
    common first (ties: reason, then tcp before udp)."""
    groups: dict[tuple[str, str], list[int]] = {}
    for p in ports:
        groups.setdefault((p.reason, p.protocol), []).append(p.number)
    order = {"tcp": 0, "udp": 1, "sctp": 2}
    keys = sorted(groups, key=lambda k: (-len(groups[k]), k[0], order.get(k[1], 9)))
    return [(r, len(groups[(r, pr)]), pr, port_ranges(groups[(r, pr)])) for r, pr in keys]


# -- time -----------------------------------------------------------------------------


def ctime(t: float) -> str:
    """``Sun Nov  1 05:01:12 2026``: C's ctime() in local time, as nmap writes dates."""
    return time.ctime(t)


def summary_text(end: float, total: int, up: int, elapsed: float) -> str:
    """nmap's run summary: ``Nmap done at <date>; 1 IP address (1 host up) scanned in
    0.05 seconds`` (the wording stays nmap's: tools match on it)."""
    addrs = "IP address" if total == 1 else "IP addresses"
    hosts = "host" if up == 1 else "hosts"
    return (f"Nmap done at {ctime(end)}; {total} {addrs} ({up} {hosts} up) scanned in "
            f"{elapsed:.2f} seconds")


# -- text -----------------------------------------------------------------------------


def lua_bytes(s: str) -> bytes:
    """The bytes of a string: Lua strings hold one byte per character (DESIGN.md); a
    Python string with characters above 255 is taken as text and UTF-8 encoded."""
    try:
        return s.encode("latin-1")
    except UnicodeEncodeError:
        return s.encode("utf-8")


def protect(s: str) -> str:
    """nmap's screen/XML protection of script output: every byte outside printable
    ASCII, except tab, CR and LF, becomes ``\\xNN`` (upper-case hex).  Checked against
    nmap 7.93 with a script returning all 256 byte values."""
    if s.isascii() and s.isprintable():
        return s
    out = []
    for b in lua_bytes(s):
        if 0x20 <= b <= 0x7E or b in (9, 10, 13):
            out.append(chr(b))
        else:
            out.append(f"\\x{b:02X}")
    return "".join(out)


def _hexescape(err: UnicodeError) -> tuple[str, int]:
    assert isinstance(err, UnicodeDecodeError)
    bad = err.object[err.start:err.end]
    return "".join(f"\\x{b:02X}" for b in bad), err.end


codecs.register_error("nse-hexescape", _hexescape)


def json_text(s: str) -> str:
    """A Lua (byte) string as JSON text: decoded as UTF-8 where it is valid UTF-8, each
    byte that is not written ``\\xNN`` as nmap does.  Control characters stay (JSON
    escapes them)."""
    if s.isascii():
        return s
    try:
        raw = s.encode("latin-1")
    except UnicodeEncodeError:
        return s  # already text (characters above 255)
    return raw.decode("utf-8", errors="nse-hexescape")


def grepable_field(s: str) -> str:
    """A grepable field: ``/`` would split it, so nmap writes ``|`` instead."""
    return s.replace("/", "|")


def host_counts(hosts: Iterable[Host]) -> tuple[int, int, int]:
    """``(up, down, total)`` of finished hosts."""
    up = down = 0
    for h in hosts:
        if h.up:
            up += 1
        else:
            down += 1
    return up, down, up + down


# -- host and port fields shared by the XML and JSON writers -------------------------


def hostnames(h: Host) -> list[tuple[str, str]]:
    """``(name, type)`` pairs: the name given on the command line (``user``) and the
    reverse-DNS name (``PTR``), as nmap lists them."""
    out: list[tuple[str, str]] = []
    if h.targetname and h.targetname != h.ip:
        out.append((h.targetname, "user"))
    if h.name:
        out.append((h.name, "PTR"))
    return out


_VENDORS: dict[str, str] | None = None


def mac_vendor(mac: bytes, datadir: str | None = None) -> str | None:
    """The vendor of a MAC address from ``nmap-mac-prefixes`` in the nmap data
    directory (read at run time, never copied), or None."""
    global _VENDORS
    if _VENDORS is None:
        import os

        from nse.scan.services import datadir_candidates

        _VENDORS = {}
        for d in datadir_candidates(datadir):
            path = os.path.join(d, "nmap-mac-prefixes")
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    for line in f:
                        if line[:1] in ("#", "\n", ""):
                            continue
                        prefix, _, name = line.rstrip("\n").partition(" ")
                        _VENDORS[prefix.upper()] = name
                break
            except OSError:
                continue
    hexmac = mac.hex().upper()
    for n in (9, 7, 6):  # nmap-mac-prefixes has 24-, 28- and 36-bit prefixes
        v = _VENDORS.get(hexmac[:n])
        if v:
            return v
    return None


def has_service(p: Port, datadir: str | None = None) -> bool:
    """Whether nmap would know a service for the port: a detected or table name, a
    fingerprint or a tunnel.  ``unknown`` counts when the services table itself names
    the port so (nmap-services has thousands of such lines), not when it has no line."""
    v: dict[str, Any] = p.version or {}
    name = str(v.get("name") or p.service or "unknown")
    if name != "unknown" or v.get("service_fp") or v.get("service_tunnel") == "ssl":
        return True
    if v.get("service_dtype") == "probed":
        return True
    from nse.scan.services import load_services

    return (p.number, p.protocol) in load_services(datadir).entries


def service_fields(p: Port, datadir: str | None = None
                   ) -> tuple[list[tuple[str, str]], list[str]] | None:
    """The ``<service>`` attributes (in nmap's order) and CPEs of a port, or None when
    nmap writes no service element (see :func:`has_service`)."""
    v: dict[str, Any] = p.version or {}
    name = str(v.get("name") or p.service or "unknown")
    fp = v.get("service_fp")
    tunnel = v.get("service_tunnel") == "ssl"
    if not has_service(p, datadir):
        return None
    attrs: list[tuple[str, str]] = [("name", name)]
    for k in ("product", "version", "extrainfo", "hostname", "ostype", "devicetype"):
        if v.get(k):
            attrs.append((k, str(v[k])))
    if fp:
        attrs.append(("servicefp", str(fp).replace("\nSF:", "")))
    if tunnel:
        attrs.append(("tunnel", "ssl"))
    attrs.append(("method", "probed" if v.get("service_dtype") == "probed" else "table"))
    attrs.append(("conf", str(int(v.get("name_confidence", 3)))))
    cpes = [str(c) for c in (v.get("cpe") or [])]
    return attrs, cpes


def micros(x: float | None) -> int | None:
    """Seconds to whole microseconds (nmap's ``<times>`` unit)."""
    return None if x is None else int(round(x * 1_000_000))


def listed_ports(h: Host, info: ScanInfo) -> tuple[list[str], list[Port], list[Port]]:
    """``(ignored states, ports of those states, listed ports)`` of an up host."""
    ports = h.port_list()
    ign = ignored_states(ports, info.verbose, info.debugging, info.open_only)
    hidden = set(ign)
    return ign, [p for p in ports if p.state in hidden], \
        [p for p in ports if p.state not in hidden]


def shows_host(h: Host, info: ScanInfo) -> bool:
    """Whether a host gets a report at all: up hosts (with an open port under --open),
    down hosts only with -v (nmap's rule for XML and grepable output)."""
    if not h.up:
        return info.verbose > 0 and not info.open_only
    if info.open_only and not info.ping_only:
        return any(p.state == "open" for p in h.ports.values())
    return True
