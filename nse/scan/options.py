"""An nmap-style argv parser for ``nse scan``.

nmap's options do not fit click/typer: single-dash long options (``-sS``, ``-Pn``,
``-oN``), values glued to the option (``-p22``, ``-T4``, ``-PS22,80``), combined scan
letters (``-sSU``), and ``--opt=value`` as well as ``--opt value``.  So the typer command
takes its arguments raw and this module turns them into a :class:`ScanOptions`.
Every problem raises :class:`UsageError` with a one-line message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from nse.scan.errors import UsageError
from nse.scan.timing import TimingOptions, parse_time, template

__all__ = ["ScanOptions", "parse_args", "SCAN_TYPES"]

#: scan letter -> scan name (the -s<letter> options we implement)
SCAN_TYPES = {"S": "syn", "T": "connect", "U": "udp", "A": "ack", "F": "fin", "N": "null",
              "X": "xmas", "n": "ping-only"}

_TEMPLATE_NAMES = {"paranoid": 0, "sneaky": 1, "polite": 2, "normal": 3, "aggressive": 4,
                   "insane": 5}


@dataclass
class ScanOptions:
    """Everything ``nse scan`` was asked to do."""

    targets: list[str] = field(default_factory=list)
    input_file: str | None = None
    exclude: list[str] = field(default_factory=list)
    exclude_file: str | None = None
    ipv6: bool = False
    dns: str = "default"  # "never" (-n), "always" (-R), "default"
    scan_types: list[str] = field(default_factory=list)  # "syn", "connect", ...
    ping_only: bool = False  # -sn
    no_ping: bool = False  # -Pn
    #: explicit discovery probes: (kind, port spec or None); kinds PS PA PU PE PP PM PR
    ping_probes: list[tuple[str, str | None]] = field(default_factory=list)
    disable_arp: bool = False
    ports: str | None = None
    top_ports: int | None = None
    fast: bool = False
    exclude_ports: str | None = None
    sequential_ports: bool = False
    timing: TimingOptions = field(default_factory=TimingOptions)
    reason: bool = False
    open_only: bool = False
    verbose: int = 0
    debug: int = 0
    packet_trace: bool = False
    datadir: str | None = None
    interface: str | None = None
    privileged: bool | None = None  # --privileged / --unprivileged, None = detect
    output_normal: str | None = None
    output_xml: str | None = None  # -oX
    output_grepable: str | None = None  # -oG
    output_json: str | None = None  # -oJ (ours; nmap has none)
    output_all: str | None = None  # -oA BASE
    randomize_hosts: bool = False
    #: --stats-every, seconds (0: off)
    stats_every: float = 0.0
    # script scanning (nse.engine)
    scripts: list[str] = field(default_factory=list)  # --script values, in order
    default_scripts: bool = False  # -sC
    script_args: str | None = None  # --script-args (the last one given, as nmap)
    script_args_file: str | None = None
    script_help: str | None = None
    script_trace: bool = False
    script_timeout: float | None = None
    script_updatedb: bool = False
    #: -A was given (= -sV -sC here; nmap's -O and --traceroute are not implemented)
    aggressive: bool = False
    # service detection (-sV), done by nse.scan.vscan; the names are the ones its
    # run_version_scan() reads
    version_scan: bool = False
    version_intensity: int = 7
    version_light: bool = False
    version_all: bool = False
    version_trace: bool = False
    versiondb: str | None = None


# Options taking a value: name -> attribute setter key.
_VALUE_OPTS = {
    "-iL", "--exclude", "--excludefile", "-p", "--top-ports", "--exclude-ports",
    "--min-rtt-timeout", "--max-rtt-timeout", "--initial-rtt-timeout", "--max-retries",
    "--host-timeout", "--scan-delay", "--max-scan-delay", "--min-rate", "--max-rate",
    "--min-parallelism", "--max-parallelism", "--min-hostgroup", "--max-hostgroup",
    "--datadir", "-e", "-oN", "-T", "--dns-servers", "--version-intensity", "--versiondb",
    "-oX", "-oG", "-oA", "-oJ", "--script", "--script-args", "--script-args-file",
    "--script-help", "--script-timeout", "--stats-every",
}
_FLAG_OPTS = {
    "-6", "-n", "-R", "-sn", "-Pn", "-PE", "-PP", "-PM", "-PR", "-F", "-r", "--reason",
    "--open", "-v", "-d", "--packet-trace", "--privileged", "--unprivileged",
    "--disable-arp-ping", "--send-ip", "--send-eth", "--randomize-hosts", "--system-dns",
    "--version-light", "--version-all", "--version-trace", "-sC", "-A", "--script-trace",
    "--script-updatedb",
}


def _int(value: str, option: str, lo: int = 0, hi: int = 1 << 31) -> int:
    try:
        n = int(value, 10)
    except ValueError:
        raise UsageError(f"invalid value {value!r} for {option}: expected a whole number")
    if not lo <= n <= hi:
        raise UsageError(f"invalid value {value!r} for {option}: must be {lo}..{hi}")
    return n


def _rate(value: str, option: str) -> float:
    try:
        r = float(value)
    except ValueError:
        raise UsageError(f"invalid value {value!r} for {option}: expected a number")
    if not r > 0 or r == float("inf"):
        raise UsageError(f"invalid value {value!r} for {option}: must be above 0")
    return r


def _level(v: str | None) -> int:
    """-v -> 1, -vvv -> 3 (value "vv"), -v2 -> 2."""
    if not v:
        return 1
    return int(v) if v.isdigit() else len(v) + 1


def _split(args: list[str]) -> list[tuple[str, str | None]]:
    """argv -> [(option, value)], targets as ("", target)."""
    out: list[tuple[str, str | None]] = []
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if a == "--":
            out.extend(("", t) for t in args[i:])
            break
        if not a.startswith("-") or a == "-":
            out.append(("", a))
            continue
        if a.startswith("--"):
            name, eq, val = a.partition("=")
            if name in _VALUE_OPTS:
                if not eq:
                    if i >= len(args):
                        raise UsageError(f"option {name} needs a value")
                    val = args[i]
                    i += 1
                out.append((name, val))
            elif name in _FLAG_OPTS:
                if eq:
                    raise UsageError(f"option {name} takes no value")
                out.append((name, None))
            else:
                raise UsageError(f"unrecognized option {a!r}")
            continue
        # single-dash options
        if a in _FLAG_OPTS:
            out.append((a, None))
            continue
        if a.startswith(("-v", "-d")) and (set(a[1:]) == {a[1]} or a[2:].isdigit()):
            out.append((a[:2], a[2:] or None))
            continue
        if a.startswith("-s") and len(a) > 2:
            for letter in a[2:]:
                out.append(("-s" + letter, None))
            continue
        if a.startswith(("-PS", "-PA", "-PU")):
            out.append((a[:3], a[3:] or None))
            continue
        if a.startswith("-o") and len(a) > 2 and a[2] not in "NXGAJ":
            raise UsageError(f"unrecognized output option {a!r} (use -oN, -oX, -oG, -oA "
                             "or -oJ)")
        for name in ("-iL", "-oN", "-oX", "-oG", "-oA", "-oJ", "-p", "-T", "-e"):
            if a.startswith(name):
                val = a[len(name):]
                if not val:
                    if i >= len(args):
                        raise UsageError(f"option {name} needs a value")
                    val = args[i]
                    i += 1
                out.append((name, val))
                break
        else:
            raise UsageError(f"unrecognized option {a!r}")
    return out


def parse_args(args: list[str]) -> ScanOptions:
    """Parse ``nse scan`` arguments (everything after ``scan``)."""
    o = ScanOptions()
    pairs = _split(args)
    # -T first so that explicit timing options override the template whatever the order.
    tmpl = [v for k, v in pairs if k == "-T"]
    if tmpl:
        tv = (tmpl[-1] or "").strip()
        level = _TEMPLATE_NAMES.get(tv.lower())
        if level is None:
            if not (tv.isdigit() and len(tv) == 1):
                raise UsageError(f"invalid timing template {tv!r}: use -T0 to -T5 or a name")
            level = int(tv)
        o.timing = template(level)
    t = o.timing
    for k, v in pairs:
        if k == "":
            assert v is not None
            o.targets.append(v)
        elif k == "-T":
            pass
        elif k == "-iL":
            o.input_file = v
        elif k == "--exclude":
            assert v is not None
            o.exclude.extend(x for x in v.split(",") if x)
            if not v.strip(","):
                raise UsageError("--exclude needs at least one target")
        elif k == "--excludefile":
            o.exclude_file = v
        elif k == "-6":
            o.ipv6 = True
        elif k == "-n":
            o.dns = "never"
        elif k == "-R":
            o.dns = "always"
        elif k == "-sV":
            o.version_scan = True
        elif k == "-sC":
            o.default_scripts = True
        elif k == "-A":
            # nmap's -A is -O -sV -sC --traceroute; we have no OS detection or traceroute
            o.aggressive = o.version_scan = o.default_scripts = True
        elif k == "--script":
            assert v is not None
            if not v.strip():
                raise UsageError("--script needs a script, category, file or directory")
            o.scripts.append(v)
        elif k == "--script-args":
            o.script_args = v
        elif k == "--script-args-file":
            if v is None or not os.path.isfile(v):
                raise UsageError(f"cannot read --script-args-file {v!r}")
            o.script_args_file = v
        elif k == "--script-help":
            o.script_help = v
        elif k == "--script-trace":
            o.script_trace = True
        elif k == "--script-timeout":
            assert v is not None
            secs = parse_time(v, k)
            o.script_timeout = secs if secs > 0 else None  # nmap: 0 means no limit
        elif k == "--script-updatedb":
            o.script_updatedb = True
        elif k == "--stats-every":
            assert v is not None
            o.stats_every = parse_time(v, k)
        elif k == "--version-intensity":
            assert v is not None
            o.version_intensity = _int(v, k, 0, 9)
        elif k in ("--version-light", "--version-all", "--version-trace"):
            setattr(o, k[2:].replace("-", "_"), True)
        elif k == "--versiondb":
            o.versiondb = v
        elif k.startswith("-s"):
            letter = k[2:]
            if letter not in SCAN_TYPES:
                raise UsageError(f"unsupported scan type -s{letter} (supported: -sS -sT -sU "
                                 "-sA -sF -sN -sX -sn, and -sV)")
            if letter == "n":
                o.ping_only = True
            elif SCAN_TYPES[letter] not in o.scan_types:
                o.scan_types.append(SCAN_TYPES[letter])
        elif k == "-Pn":
            o.no_ping = True
        elif k in ("-PS", "-PA", "-PU"):
            o.ping_probes.append((k[1:], v))
        elif k in ("-PE", "-PP", "-PM", "-PR"):
            o.ping_probes.append((k[1:], None))
        elif k == "--disable-arp-ping":
            o.disable_arp = True
        elif k == "-p":
            if o.ports is not None:
                raise UsageError("only one -p option is allowed")
            o.ports = v
        elif k == "--top-ports":
            assert v is not None
            o.top_ports = _int(v, k, 1, 65536)
        elif k == "-F":
            o.fast = True
        elif k == "--exclude-ports":
            o.exclude_ports = v
        elif k == "-r":
            o.sequential_ports = True
        elif k in ("--min-rtt-timeout", "--max-rtt-timeout", "--initial-rtt-timeout",
                   "--host-timeout", "--scan-delay", "--max-scan-delay"):
            assert v is not None
            secs = parse_time(v, k)
            if k != "--scan-delay" and k != "--max-scan-delay" and k != "--host-timeout" \
                    and secs <= 0:
                raise UsageError(f"invalid time {v!r} for {k}: must be above 0")
            attr = {"--min-rtt-timeout": "min_rtt_timeout",
                    "--max-rtt-timeout": "max_rtt_timeout",
                    "--initial-rtt-timeout": "initial_rtt_timeout",
                    "--host-timeout": "host_timeout", "--scan-delay": "scan_delay",
                    "--max-scan-delay": "max_scan_delay"}[k]
            if attr == "host_timeout" and secs == 0:
                t.host_timeout = None  # nmap: 0 means no timeout
            else:
                setattr(t, attr, secs)
            if attr == "scan_delay" and secs > t.max_scan_delay:
                t.max_scan_delay = secs
        elif k == "--max-retries":
            assert v is not None
            t.max_retries = _int(v, k, 0, 1000)
        elif k in ("--min-rate", "--max-rate"):
            assert v is not None
            setattr(t, k[2:].replace("-", "_"), _rate(v, k))
        elif k in ("--min-parallelism", "--max-parallelism", "--min-hostgroup",
                   "--max-hostgroup"):
            assert v is not None
            setattr(t, k[2:].replace("-", "_"), _int(v, k, 1, 1 << 20))
        elif k == "--reason":
            o.reason = True
        elif k == "--open":
            o.open_only = True
        elif k == "-v":
            # nmap.cc: -vN sets the level (boxed to 0..10), -v/-vv... add to it
            o.verbose = min(10, int(v)) if v and v.isdigit() else min(
                10, o.verbose + _level(v))
        elif k == "-d":
            # nmap.cc: -d also raises verbosity; -dN sets both levels to N (checked with
            # nmap 7.93: a script sees nmap.verbosity() 1 with -d, 2 with -d2 or -v -d)
            if v and v.isdigit():
                o.debug = o.verbose = min(10, int(v))
            else:
                o.debug = min(10, o.debug + _level(v))
                o.verbose = min(10, o.verbose + _level(v))
        elif k == "--packet-trace":
            o.packet_trace = True
        elif k == "--datadir":
            o.datadir = v
        elif k == "-e":
            o.interface = v
        elif k == "--privileged":
            o.privileged = True
        elif k == "--unprivileged":
            o.privileged = False
        elif k in ("-oN", "-oX", "-oG", "-oA", "-oJ"):
            if not v:
                raise UsageError(f"option {k} needs a file name (or - for standard output)")
            attr = {"-oN": "output_normal", "-oX": "output_xml", "-oG": "output_grepable",
                    "-oA": "output_all", "-oJ": "output_json"}[k]
            setattr(o, attr, v)
        elif k == "--randomize-hosts":
            o.randomize_hosts = True
        # --send-ip, --send-eth, --system-dns, --dns-servers: accepted, no effect here
    # nmap: -vv and -d imply --reason ("Host is up, received ...")
    if o.verbose >= 2 or o.debug:
        o.reason = True
    _validate(o)
    return o


def _validate(o: ScanOptions) -> None:
    t = o.timing
    if t.min_rtt_timeout > t.max_rtt_timeout:
        raise UsageError("--min-rtt-timeout is larger than --max-rtt-timeout")
    if t.min_rate and t.max_rate and t.min_rate > t.max_rate:
        raise UsageError("--min-rate is larger than --max-rate")
    if t.min_parallelism and t.max_parallelism and t.min_parallelism > t.max_parallelism:
        raise UsageError("--min-parallelism is larger than --max-parallelism")
    if t.min_hostgroup and t.max_hostgroup and t.min_hostgroup > t.max_hostgroup:
        raise UsageError("--min-hostgroup is larger than --max-hostgroup")
    if o.ping_only and (o.scan_types or o.ports or o.top_ports or o.fast or o.version_scan):
        raise UsageError("-sn (no port scan) cannot be combined with port scan options")
    tcp_raw = [s for s in o.scan_types if s not in ("connect", "udp")]
    if "connect" in o.scan_types and tcp_raw:
        raise UsageError("only one TCP scan type may be given (-sT with -s"
                         + {"syn": "S", "ack": "A", "fin": "F", "null": "N",
                            "xmas": "X"}[tcp_raw[0]] + ")")
    if len(tcp_raw) > 1:
        raise UsageError("only one TCP scan type may be given")
    # nmap runs --script without targets too: pre-/post-scan scripts (broadcast-*)
    # need none, and it warns "No targets were specified"
    if not o.targets and not o.input_file and not (o.script_help is not None
                                                    or o.script_updatedb or o.scripts):
        raise UsageError("no targets specified")
    if o.ipv6 and any(s not in ("connect",) for s in o.scan_types):
        raise UsageError("with -6 only the connect scan (-sT) is supported")
    if o.input_file and o.input_file != "-" and not os.path.exists(o.input_file):
        raise UsageError(f"cannot read target file {o.input_file!r}")
