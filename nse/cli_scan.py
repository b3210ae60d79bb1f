"""``nse scan``: nmap-style port scanning and script scanning.  Thin: parse, call, print.

The arguments are taken raw and parsed by :mod:`nse.scan.options` because nmap's syntax
(``-sS``, ``-p22``, ``-T4``, ``-oN file``) does not fit click.

The order of a run is nmap's (nmap.cc), so the screen and ``-oN`` read the same:

1. options, the script engine (selection, arguments, loading: a failure is a usage
   error before any file is written), the scan plan, then every output file is opened
   (:func:`nse.output.writers.open_writers`) and its header written;
2. "Starting ..." and the pre-scan scripts ("Pre-scan script results:");
3. per host group (``--max-hostgroup``): discovery, port scan, ``-sV``, then the host
   and port scripts of the group's live hosts, then each host's report: port scripts
   under their port row, "Host script results:" after the service info;
4. post-scan scripts ("Post-scan script results:"), "Nmap done", the files' footers.

Script results are printed only when scripts were asked for (``--script``, ``-sC``,
``-A``): the "version" scripts ``-sV`` runs by itself only refine version fields, as in
nmap.  An output going to ``-`` (stdout) replaces the screen output, as in nmap.

Errors are one line, ``nse: error: ...``; ``-d`` shows tracebacks.  Exit status: 0 done;
1 the scan ran but some target could not be scanned to the end (``--host-timeout``, no
route) or the scan could not run (e.g. raw sockets refused); 2 usage error (options,
script selection or arguments, output files); 130 on Ctrl-C and 143 on SIGTERM, after
the output files were closed as complete documents marked incomplete.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:  # typer is imported by nse.cli only; `nse scan` starts without it
    from typing import Any

    import typer

    from nse.engine.api import ScriptEngine
    from nse.output.progress import ScanTracker as ProgressTracker
    from nse.scan.model import Host
    from nse.scan.options import ScanOptions
    from nse.scan.runner import PhaseCallback
    from nse.scan.ultra import Stats

__all__ = ["register", "main", "run_and_exit", "USAGE"]

USAGE = """\
nse scan: nmap's port scanner and script engine, in Python
Usage: nse scan [Scan Type(s)] [Options] {target specification}
TARGET SPECIFICATION:
  Can pass hostnames, IP addresses, networks, etc.
  Ex: localhost, 10.0.0.0/24, 192.168.0.1; 10.0.0-255.1-254
  -iL <inputfilename>: Input from list of hosts/networks ('-': standard input)
  --exclude <host1[,host2][,host3],...>: Exclude hosts/networks
  --excludefile <exclude_file>: Exclude list from file
  --randomize-hosts: Scan the hosts of each group in random order
HOST DISCOVERY:
  -sn: Ping Scan - disable port scan
  -Pn: Treat all hosts as online -- skip host discovery
  -PS/PA/PU[portlist]: TCP SYN/ACK or UDP discovery to given ports
  -PE/PP: ICMP echo and timestamp request discovery probes
  -PR: ARP discovery on the local network; --disable-arp-ping: never ARP
  -n/-R: Never do DNS resolution/Always resolve [default: sometimes]
SCAN TECHNIQUES:
  -sS/sT/sA: TCP SYN/Connect()/ACK scans (-sS is the default as root, -sT otherwise)
  -sN/sF/sX: TCP Null, FIN, and Xmas scans
  -sU: UDP Scan
PORT SPECIFICATION AND SCAN ORDER:
  -p <port ranges>: Only scan specified ports
    Ex: -p22; -p1-65535; -p U:53,111,137,T:21-25,80,139,8080; -p-; -p http
  --exclude-ports <port ranges>: Exclude the specified ports from scanning
  -F: Fast mode - Scan fewer ports than the default scan
  -r: Scan ports sequentially - don't randomize
  --top-ports <number>: Scan <number> most common ports
SERVICE/VERSION DETECTION:
  -sV: Probe open ports to determine service/version info
  --version-intensity <level>: Set from 0 (light) to 9 (try all probes)
  --version-light: Limit to most likely probes (intensity 2)
  --version-all: Try every single probe (intensity 9)
  --version-trace: Show detailed version scan activity (for debugging)
SCRIPT SCAN:
  -sC: equivalent to --script=default
  --script=<Lua scripts>: <Lua scripts> is a comma separated list of
           directories, script-files or script-categories
  --script-args=<n1=v1,[n2=v2,...]>: provide arguments to scripts
  --script-args-file=filename: provide NSE script args in a file
  --script-trace: Show all data sent and received (also on with --packet-trace
      and -ddd)
  --script-help=<Lua scripts>: Show help about scripts.
  --script-timeout <time>: Stop any script that runs longer
  --script-updatedb: Update the script database.
OS DETECTION:
  -A: Enable version detection and script scanning (-sV -sC; nse has no OS
      detection and no traceroute)
TIMING AND PERFORMANCE:
  Options which take <time> are in seconds, or append 'ms' (milliseconds),
  's' (seconds), 'm' (minutes), or 'h' (hours) to the value (e.g. 30m).
  -T<0-5>: Set timing template (higher is faster)
  --min-hostgroup/max-hostgroup <size>: Parallel host scan group sizes
  --min-parallelism/max-parallelism <numprobes>: Probe parallelization
  --min-rtt-timeout/max-rtt-timeout/initial-rtt-timeout <time>: Specifies
      probe round trip time.
  --max-retries <tries>: Caps number of port scan probe retransmissions.
  --host-timeout <time>: Give up on target after this long
  --scan-delay/--max-scan-delay <time>: Adjust delay between probes
  --min-rate <number>: Send packets no slower than <number> per second
  --max-rate <number>: Send packets no faster than <number> per second
OUTPUT:
  -oN/-oX/-oG <file>: Output scan in normal, XML, and Grepable format,
     respectively, to the given filename ('-': standard output).
  -oJ <file>: Output in JSON (nse's own format)
  -oA <basename>: Output in the three major formats at once
  -v: Increase verbosity level (use -vv or more for greater effect)
  -d: Increase debugging level (use -dd or more for greater effect)
  --reason: Display the reason a port is in a particular state
  --open: Only show open (or possibly open) ports
  --packet-trace: Show all packets sent and received
  --stats-every <time>: Print a status line every <time> (a live progress bar
      is drawn anyway when the output goes to a terminal)
MISC:
  -6: Enable IPv6 scanning (connect scans)
  -e <iface>: Use specified interface
  --datadir <dirname>: Specify custom Nmap data file location
  --privileged: Assume that the user is fully privileged
  --unprivileged: Assume the user lacks raw socket privileges
  -h, --help: Print this help summary page.
EXIT STATUS:
  0 the scan ran; 1 it ran but failed for some targets (host timeout, no route,
  name not resolved) or could not run (e.g. raw sockets refused); 2 usage error
  (options, script selection, output files); 130 interrupted (the output files
  are closed, marked incomplete)
EXAMPLES:
  nse scan -v -A localhost
  nse scan -sT -p 1-1024 --open 127.0.0.1
  nse scan -sn 192.168.0.0/24
  nse scan -sV --script "default and safe" -oA scan 10.0.0.1-20
  nse scan --script http-title -p 80,8000-8100 --script-args http.useragent=test example.lan
SEE nmap(1) AND https://nmap.org/book/man.html FOR THE MEANING OF EVERY OPTION
"""


def _error(msg: str, code: int) -> None:
    print(f"nse: error: {msg}", file=sys.stderr)
    raise SystemExit(code)


def _one_line(text: str) -> str:
    lines = [x.strip() for x in str(text).splitlines() if x.strip()]
    return " ".join(lines) if lines else text


#: set by a scan that ran to its end without the script engine (see run_and_exit)
_no_script_ran = False


def run_and_exit(args: list[str]) -> NoReturn:
    """``nse scan`` as a process: :func:`main`, then exit with its status.

    After a scan that ran no script (so no third-party code ran and no gevent hub is
    alive; the writers closed every output file) the process ends with ``os._exit``
    once stdout and stderr are flushed.  Python's own finalization (clearing every
    module, a last garbage collection) took 17-26 ms of a 0.75 s full-range loopback
    scan (strace: from the footer's write to exit_group), and nmap's ends in ~1 ms."""
    rc = main(args)
    if _no_script_ran:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass  # a closed or broken stream: the ordinary exit reports it
        else:
            import os

            os._exit(rc)
    sys.exit(rc)


def main(args: list[str]) -> int:
    """Run ``nse scan`` with ``args``; returns the exit status."""
    from nse.scan.errors import ScanError, UsageError

    if not args or "-h" in args or "--help" in args:
        # as nmap: -h anywhere prints the summary; no arguments at all is a usage error
        print(USAGE, end="")
        return 0 if args else 2
    debug = any(a.startswith("-d") and set(a[1:]) <= set("d0123456789") for a in args)
    try:
        return _run(args)
    except UsageError as e:
        if debug:
            raise
        _error(_one_line(str(e)), 2)
    except ScanError as e:
        if debug:
            raise
        _error(_one_line(str(e)), 1)
    except BrokenPipeError:
        # stdout closed early (`nse scan ... | head`): no message, and none at exit
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        # the writers closed every output file marked incomplete on the way out
        print("nse: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - one line unless -d, never a traceback
        from nse.output.writers import ScanTerminated

        if isinstance(e, ScanTerminated):
            print("nse: terminated", file=sys.stderr)
            return 143
        if debug:
            raise
        _error(_one_line(f"{type(e).__name__}: {e}"), 1)
    return 0


def _engine(opts: ScanOptions) -> ScriptEngine | None:
    """The script engine for ``--script``/``-sC``/``-sV``, or None when no script will
    run.  Bad selections, arguments and scripts that do not load are usage errors."""
    from nse.scan.errors import UsageError

    if not (opts.scripts or opts.default_scripts or opts.version_scan):
        return None
    # -sV alone runs the "version" category, as nmap does; a version script that does
    # not load must not stop a version scan the user asked for without scripts
    version_only = not (opts.scripts or opts.default_scripts)
    from nse.engine.api import EngineError, ScriptEngine
    from nse.engine.context import EngineOptions
    from nse.engine.datadir import DataDirs
    from nse.lib.datadir import set_datadir

    set_datadir(opts.datadir)  # unpwdb, url and datafiles look files up through it
    eo = EngineOptions(verbosity=opts.verbose, debugging=opts.debug,
                       script_timeout=opts.script_timeout,
                       datadirs=DataDirs.discover(opts.datadir),
                       timing_level=opts.timing.level,
                       address_family="inet6" if opts.ipv6 else "inet")
    if "-" in (opts.output_normal, opts.output_xml, opts.output_grepable, opts.output_json):
        # an output document is on stdout: script messages must not land inside it
        eo.log = _to_stderr
    if opts.privileged is not None:
        eo.is_privileged = opts.privileged
    if opts.interface:
        eo.extra["interface"] = opts.interface
    if opts.script_trace or opts.packet_trace or opts.debug >= 3:
        # nmap traces script sockets with any of the three (NmapOps::scriptTrace)
        from nse.output.scripttrace import ScriptTracer

        eo.extra["script_trace"] = ScriptTracer(lambda text: eo.log(text))
    try:
        engine = ScriptEngine(opts.scripts or None, eo, script_args=opts.script_args,
                              script_args_file=opts.script_args_file,
                              default=opts.default_scripts, version=opts.version_scan,
                              skip_broken=version_only)
    except EngineError as e:
        raise UsageError(f"NSE: failed to initialize the script engine: {_one_line(str(e))}")
    _quiet_hub_signals()
    return engine


def _to_stderr(text: str) -> None:
    sys.stderr.write(text)


def _quiet_hub_signals() -> None:
    """Ctrl-C or SIGTERM landing while gevent's hub runs (scripts waiting on sockets)
    raises in the hub greenlet: gevent would print a traceback and, for SIGTERM's
    ScanTerminated, not hand it to the main greenlet.  Make both "system errors" that
    go quietly to the main greenlet, where the output writers close the files."""
    import gevent

    from nse.output.writers import ScanTerminated

    hub = gevent.get_hub()
    hub.NOT_ERROR = (*hub.NOT_ERROR, KeyboardInterrupt, ScanTerminated)
    hub.SYSTEM_ERROR = (*hub.SYSTEM_ERROR, ScanTerminated)


def _stats_thread(every: float, tracker: ProgressTracker) -> Callable[[], None]:
    """--stats-every: nmap's status lines on stdout every ``every`` seconds ("Stats:
    0:00:05 elapsed; N hosts completed (M up), 1 undergoing SYN Stealth Scan" and the
    phase's "About 12.34% done; ETC: ..." line); returns a stop function."""
    import threading

    from nse.output.progress import stats_lines

    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            sys.stdout.write(stats_lines(tracker))
            sys.stdout.flush()

    th = threading.Thread(target=loop, name="nse-stats", daemon=True)
    th.start()
    return stop.set


def _verbose_phase(show: Callable[[str], None], tracker: ProgressTracker,
                   stats: Stats, raw: bool, debug: int) -> PhaseCallback:
    """-v: nmap's "Initiating ... / Completed ..." lines around each phase, with the
    open ports found ("Discovered open port 22/tcp on 127.0.0.1"); with -d, after a
    probing phase, its "Overall sending rates" (``stats`` counts the probes and raw
    bytes; ``raw``: the probes were raw packets, else connect() calls, which nmap
    rates in packets only)."""
    import time

    from nse.scan.runner import PHASE_NAMES

    def clock() -> str:
        return time.strftime("%H:%M")

    at_start = [0, 0]  # probes, raw bytes sent when the phase started
    dns_what = [""]

    def on_phase(event: str, name: str, states: list[Any], hosts: list[Host]) -> None:
        if name == "Parallel DNS resolution":
            # nmap announces it for the addresses /etc/hosts does not name (those it
            # asks its DNS servers about): "Initiating Parallel DNS resolution of 1
            # host. at 08:18"
            if event == "start":
                n = len(hosts) - sum(1 for h in hosts if h.ip in _etc_hosts())
                dns_what[0] = (f"Parallel DNS resolution of {n} host{'s' if n != 1 else ''}."
                               if n else "")
                if dns_what[0]:
                    show(f"Initiating {dns_what[0]} at {clock()}\n")
            elif dns_what[0]:
                took = f"{tracker.clock() - tracker.phase_started:.2f}s elapsed"
                show(f"Completed {dns_what[0]} at {clock()}, {took}\n")
            return
        if event == "start":
            at_start[:] = [stats.sent, stats.raw_sent_bytes]
            show(f"Initiating {name} at {clock()}\n")
            if name == "Service scan":
                n = sum(_open_count(h) for h in hosts)
                show(f"Scanning {n} service{'s' if n != 1 else ''} on {_hosts_words(hosts)}\n")
            elif states:
                # nmap: "Scanning localhost (127.0.0.1) [1000 ports]", "Scanning 256
                # hosts [4 ports/host]" (discovery probes count as ports too)
                ports = max((len(st.todo) for st in states), default=0)
                unit = "port" if ports == 1 else "ports"
                if len(hosts) > 1:
                    unit += "/host"
                show(f"Scanning {_hosts_words(hosts)} [{ports} {unit}]\n")
            return
        if name in PHASE_NAMES.values():
            proto = "udp" if name == "UDP Scan" else "tcp"
            for h in hosts:
                # only the open ports are looked at (the rest stay compact: PortTable)
                for p in h.select_ports(lambda pr, st: st == "open" and pr == proto):
                    show(f"Discovered open port {p.number}/{proto} on {h.ip}\n")
        took = f"{tracker.clock() - tracker.phase_started:.2f}s elapsed"
        if name in PHASE_NAMES.values():
            total = sum(len(getattr(st.ctx, "ports", {})) for st in states)
            show(f"Completed {name} at {clock()}, {took} ({total} total ports)\n")
        elif name == "Service scan":
            n = sum(_open_count(h) for h in hosts)
            show(f"Completed Service scan at {clock()}, {took} ({n} service"
                 f"{'s' if n != 1 else ''} on {len(hosts)} host{'s' if len(hosts) != 1 else ''})"
                 "\n")
        else:
            # nmap counts the hosts the phase probed, up or not
            show(f"Completed {name} at {clock()}, {took} ({len(hosts)} total hosts)\n")
        if debug and name != "Service scan":
            secs = tracker.clock() - tracker.phase_started
            probes = stats.sent - at_start[0]
            pps = probes / secs if secs > 0 else 0.0
            if raw and name != "Connect Scan":
                bps = (stats.raw_sent_bytes - at_start[1]) / secs if secs > 0 else 0.0
                show(f"Overall sending rates: {pps:.2f} packets / s, {bps:.2f} bytes / s.\n")
            else:
                show(f"Overall sending rates: {pps:.2f} packets / s.\n")

    return on_phase


_etc_hosts_cache: set[str] | None = None


def _etc_hosts() -> set[str]:
    """The addresses /etc/hosts names (nmap resolves those without asking a server and
    does not count them in its "Parallel DNS resolution of N hosts" line)."""
    global _etc_hosts_cache
    if _etc_hosts_cache is None:
        got: set[str] = set()
        try:
            with open("/etc/hosts", encoding="latin-1") as f:
                for line in f:
                    fields = line.split("#", 1)[0].split()
                    if len(fields) >= 2:
                        got.add(fields[0])
        except OSError:
            pass
        _etc_hosts_cache = got
    return _etc_hosts_cache


def _nse_debug_lines(opts: ScanOptions) -> str:
    """-d: what nmap's script engine says when it starts, before "Loaded N scripts"
    (nse_main.cc and nse_main.lua): the Lua version (ours runs Lua 5.4 semantics), the
    script arguments from the file and the command line, the script timeout."""
    lines = ["NSE: Using Lua 5.4."]
    parts = []
    if opts.script_args_file:
        lines.append(f"NSE: Loading script-args from file `{opts.script_args_file}'")
        try:
            with open(opts.script_args_file, encoding="latin-1") as f:
                parts.append(f.read().rstrip(","))
        except OSError:
            pass
    # nmap's scriptargs is "" when none were given: the line is there all the same
    lines.append(f"NSE: Arguments from CLI: {opts.script_args or ''}")
    if opts.script_args is not None:
        parts.append(opts.script_args)
    if opts.script_timeout:
        lines.append(f"NSE: Set script-timeout as: {int(opts.script_timeout)} seconds")
    joined = ",".join(parts)
    if joined:
        lines.append(f"NSE: Arguments parsed: {joined}")
    return "".join(x + "\n" for x in lines)


def _data_files(opts: ScanOptions, plan: Any, services: Any, hosts: list[Host]
                ) -> dict[str, list[str]]:
    """The data files the scan read, by directory, for nmap's "Read data files from"
    line: the services list when ports were scanned, the probe file of -sV, the MAC
    vendor list when a MAC address was reported."""
    import os

    files: dict[str, list[str]] = {}

    def add(path: str) -> None:
        files.setdefault(os.path.dirname(path), []).append(os.path.basename(path))

    if plan.ports is not None and services.source and services.source != "builtin":
        add(services.source)
    if opts.version_scan and any(_open_count(h) for h in hosts if h.up):
        from nse.scan.vscan import find_probe_file

        add(opts.versiondb or find_probe_file(opts.datadir))
    if any(h.mac_addr is not None for h in hosts if h.up):
        from nse.scan.services import datadir_candidates

        for d in datadir_candidates(opts.datadir):
            path = os.path.join(d, "nmap-mac-prefixes")
            if os.path.isfile(path):
                add(path)
                break
    return files


def _runlevel_lines(show: Callable[[str], None]) -> Callable[[str, int, int], None]:
    """-v: nmap's progress meter lines around each script run level of every script
    phase ("Initiating NSE at 08:17" / "Completed NSE at 08:17, 0.00s elapsed"), given
    to the scheduler as EngineOptions.extra["runlevel_hook"]."""
    import time

    started = [0.0]

    def hook(event: str, level: int, levels: int) -> None:
        if event == "start":
            started[0] = time.monotonic()
            show(f"Initiating NSE at {time.strftime('%H:%M')}\n")
        else:
            took = time.monotonic() - started[0]
            show(f"Completed NSE at {time.strftime('%H:%M')}, {took:.2f}s elapsed\n")

    return hook


def _raw_scan(opts: ScanOptions, plan: Any) -> bool:
    """Whether nmap would count raw packets (NmapOps::RawScan): a raw port scan, or
    raw host discovery (root, no -Pn), whether or not a packet went out."""
    if not plan.privileged:
        return False
    raw_ports = (plan.tcp_scan not in (None, "connect")) or plan.udp
    return bool(raw_ports or (not opts.no_ping and not opts.ipv6))


def _timing_report(o: ScanOptions) -> str:
    """-d: nmap's timing report after the "Starting" line (times in milliseconds; our
    default host group is 256 hosts where nmap grows its groups up to 100000)."""
    t = o.timing

    def ms(x: float | None) -> int:
        return int(round((x or 0) * 1000))

    return ("--------------- Timing report ---------------\n"
            f"  hostgroups: min {t.min_hostgroup or 1}, max {t.max_hostgroup or 256}\n"
            f"  rtt-timeouts: init {ms(t.initial_rtt_timeout)}, min {ms(t.min_rtt_timeout)}, "
            f"max {ms(t.max_rtt_timeout)}\n"
            f"  max-scan-delay: TCP {ms(t.max_scan_delay)}, UDP {ms(t.max_scan_delay)}, "
            f"SCTP {ms(t.max_scan_delay)}\n"
            f"  parallelism: min {t.min_parallelism or 0}, max {t.max_parallelism or 0}\n"
            f"  max-retries: {t.max_retries}, host-timeout: {ms(t.host_timeout)}\n"
            f"  min-rate: {int(t.min_rate or 0)}, max-rate: {int(t.max_rate or 0)}\n"
            "---------------------------------------------\n")


def _open_count(h: Host) -> int:
    """How many open ports ``h`` has (counted without making every Port object)."""
    return sum(n for (_pr, state, _r), (n, _first) in h.port_counts().items()
               if state == "open")


def _hosts_words(hosts: list[Host]) -> str:
    """nmap's "localhost (127.0.0.1)" for one host, "N hosts" for more."""
    if len(hosts) == 1:
        h = hosts[0]
        return f"{h.name} ({h.ip})" if h.name else h.ip
    return f"{len(hosts)} hosts"


def _run(args: list[str]) -> int:
    import time

    from nse import __version__ as version
    from nse.output.normal import (
        format_data_files,
        format_detection_note,
        format_down_hint,
        format_footer,
        format_header,
        format_host,
        format_raw_packets,
        format_script_section,
        report_block,
    )
    from nse.output.progress import LiveProgress, ScanTracker, want_live
    from nse.output.writers import (
        OutputError,
        OutputSpec,
        RunStats,
        open_writers,
        scaninfo_from_plan,
        terminate_on_sigterm,
    )
    from nse.scan.errors import UsageError
    from nse.scan.options import parse_args
    from nse.scan.runner import resolve_plan, run_scan
    from nse.scan.services import load_services
    from nse.scan.ultra import Stats

    t0 = time.monotonic()
    opts = parse_args(args)
    if opts.script_updatedb:
        return _updatedb(opts)
    if opts.script_help is not None:
        return _script_help(opts, version)
    if opts.aggressive:
        print("WARNING: -A runs -sV and -sC only (no OS detection, no traceroute)",
              file=sys.stderr)
    if opts.no_ping and opts.verbose:
        # nmap's warning while it reads its options (stderr, before "Starting")
        print("Host discovery disabled (-Pn). All addresses will be marked 'up' and scan "
              "times may be slower.", file=sys.stderr)
    engine = _engine(opts)
    # nmap prints script results only when scripts were asked for (--script, -sC): the
    # version scripts -sV runs by itself only refine the ports' version information
    show_scripts = bool(opts.scripts or opts.default_scripts)
    services = load_services(opts.datadir)
    plan = resolve_plan(opts, services)
    command = "nse scan " + shlex.join(args)
    try:
        spec = OutputSpec.from_options(normal=opts.output_normal, xml=opts.output_xml,
                                       grepable=opts.output_grepable, json=opts.output_json,
                                       all_base=opts.output_all)
        out = open_writers(spec, scaninfo_from_plan(plan, command, version, opts))
    except OutputError as e:
        raise UsageError(str(e))
    restore = terminate_on_sigterm()
    stop_stats: Callable[[], None] | None = None
    try:
        with out:  # any exception or Ctrl-C closes every file, marked incomplete
            # nmap prints no normal output on the screen when an output goes to stdout
            screen = not out.stdout_used

            def show(text: str) -> None:
                if screen and text:
                    sys.stdout.write(text)
                    sys.stdout.flush()

            tracker = ScanTracker()
            # the live bar: only on a terminal that carries the normal output
            live = LiveProgress(tracker) if want_live(
                sys.stdout, not screen, opts.packet_trace or opts.script_trace) else None
            stats = Stats()
            raw_probes = plan.privileged and not opts.ipv6  # else connect() calls
            verbose_phase = (_verbose_phase(show, tracker, stats, raw_probes, opts.debug)
                             if opts.verbose or opts.debug else None)
            if engine is not None and (opts.verbose or opts.debug):
                engine.rt.options.extra["runlevel_hook"] = _runlevel_lines(show)
            host_scripts: dict[str, object] = {}

            def on_phase(event: str, name: str, states: list[Any], hosts: list[Host]
                         ) -> None:
                if event == "start":
                    tracker.phase(name, states, len(hosts))
                if verbose_phase is not None:
                    verbose_phase(event, name, states, hosts)
                if event == "end":
                    tracker.phase("")

            def trace_write(line: str) -> None:
                # nmap writes the trace on stdout, among the normal output; not into an
                # output document written to stdout
                print(line, file=sys.stdout if screen else sys.stderr, flush=True)

            def on_start() -> None:
                nonlocal stop_stats
                show(format_header(time.time(), version))
                if opts.debug:
                    # nmap writes it into -oN too (LOG_PLAIN)
                    report = _timing_report(opts)
                    show(report)
                    out.plain(report)
                if engine is not None and opts.debug:
                    show(_nse_debug_lines(opts))
                if engine is not None and opts.verbose:
                    show(f"NSE: Loaded {len(engine.scripts)} scripts for scanning.\n")
                if engine is not None and show_scripts:
                    if opts.verbose:
                        show("NSE: Script Pre-scanning.\n")
                    pre = engine.pre_scan()
                    block = format_script_section("Pre-scan script results:", pre)
                    show(block)
                    out.prescripts(pre, normal_text=block)
                if opts.stats_every > 0 and screen:  # never into an output on stdout
                    stop_stats = _stats_thread(opts.stats_every, tracker)
                if live is not None:
                    live.start()

            def on_group(hosts: list[Host]) -> None:
                # nmap runs host and port scripts once a host group is scanned
                up = [h for h in hosts if h.up and not h.timed_out]  # nmap skips those
                if engine is not None and up:
                    tracker.phase("Script Scan", (), len(up))
                    if opts.verbose:
                        # nmap names one host by its address only here
                        what = up[0].ip if len(up) == 1 else f"{len(up)} hosts"
                        show(f"NSE: Script scanning {what}.\n")
                    got = engine.scan(up)
                    tracker.phase("")
                    if show_scripts:
                        host_scripts.update(got)

            def on_host(h: Host) -> None:
                scripts = host_scripts.pop(h.ip, None)
                text = format_host(h, reason=opts.reason, open_only=opts.open_only,
                                   verbose=opts.verbose, ping_only=opts.ping_only,
                                   versions=opts.version_scan, scripts=scripts,
                                   nmap_timeout=True, debug=opts.debug,
                                   scanned_at=time.time() - h.elapsed)
                # nmap's timed-out report ("Skipping host ...") has no blank line after it
                block = text if h.timed_out else report_block(
                    text, h, ping_only=opts.ping_only, script_scan=out.info.script_scan)
                # files first: a signal between the two leaves the files ahead of the
                # screen, never behind it
                # -d's "Final times for host" line is nmap's on the screen only
                # (LOG_STDOUT), not in -oN
                file_block = block if not opts.debug else "".join(
                    x for x in block.splitlines(keepends=True)
                    if not x.startswith("Final times for host: "))
                out.host(h, scripts, normal_text=file_block)
                show(block)
                tracker.host_done(h.up)

            try:
                result = run_scan(opts, on_host=on_host, on_start=on_start,
                                  on_group=on_group, plan=plan, services=services,
                                  on_phase=on_phase, trace_write=trace_write,
                                  stats=stats)
            finally:
                if live is not None:
                    live.stop()  # erased before the footer, as if it never was
            if stop_stats is not None:
                stop_stats()
            if engine is not None and show_scripts:
                if opts.verbose:
                    show("NSE: Script Post-scanning.\n")
                post = engine.post_scan()
                block = format_script_section("Post-scan script results:", post)
                show(block)
                out.postscripts(post, normal_text=block)
            up = sum(1 for h in result.hosts if h.up)
            if not result.hosts:
                print("WARNING: No targets were specified, so 0 hosts scanned.",
                      file=sys.stderr)
            # nmap's last words before "Nmap done" (printfinaloutput): with -v where the
            # data files came from (screen and -oN; -d names them), then the hint about
            # a down host on the screen only, or the detection line on the screen and -oN
            read_from = format_data_files(_data_files(opts, plan, services, result.hosts),
                                          opts.verbose, opts.debug)
            show(read_from)
            out.plain(read_from)
            hint = format_down_hint(len(result.hosts), up, pinged=not opts.no_ping)
            show(hint)
            if not hint:
                note = format_detection_note(up, service_scan=opts.version_scan)
                show(note)
                out.plain(note)
            # nmap's time covers the script phases too, not only the port scan
            elapsed = time.monotonic() - t0
            show(format_footer(len(result.hosts), up, elapsed))
            if (opts.verbose or opts.debug) and _raw_scan(opts, plan):
                # the screen only, as nmap (not -oN): the raw packets that really went
                # out and came in (counted by the scanner's I/O layer)
                show(format_raw_packets(stats.raw_sent, stats.raw_sent_bytes,
                                        stats.raw_rcvd, stats.raw_rcvd_bytes))
            out.close(RunStats(elapsed=elapsed))
    finally:
        if stop_stats is not None:
            stop_stats()
        restore()
    # exit 1 when the scan ran but some targets could not be scanned to the end
    failed = [h for h in result.hosts if h.timed_out or h.reason == "no-route"]
    global _no_script_ran
    # no script ran: no third-party code, no gevent hub; every output file is closed
    _no_script_ran = engine is None
    return 1 if failed or result.unresolved else 0


def _updatedb(opts: ScanOptions) -> int:
    """--script-updatedb, with nmap's messages."""
    import time

    from nse import __version__ as version
    from nse.cli_script import updatedb
    from nse.output.normal import format_footer, format_header
    from nse.scan.errors import ScanError

    t0 = time.monotonic()
    sys.stdout.write(format_header(time.time(), version))
    print("NSE: Updating rule database.", flush=True)
    try:
        path, errors = updatedb(opts.datadir)
    except OSError as e:
        raise ScanError(f"cannot update the script database: {e}")
    for err in errors:
        print(f"NSE: {_one_line(err)}", file=sys.stderr)
    print("NSE: Script Database updated successfully.")
    sys.stdout.write(format_footer(0, 0, time.monotonic() - t0))
    return 0


def _script_help(opts: ScanOptions, version: str) -> int:
    """--script-help EXPR: nmap's banner line, then the help of every chosen script."""
    import time

    from nse.cli_script import script_help_text
    from nse.engine.api import EngineError
    from nse.output.normal import format_header
    from nse.scan.errors import UsageError

    assert opts.script_help is not None
    try:
        text = script_help_text(opts.script_help, opts.datadir)
    except EngineError as e:
        raise UsageError(_one_line(str(e)))
    sys.stdout.write(format_header(time.time(), version))
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    return 0


def register(app: typer.Typer) -> None:
    """Add the ``scan`` command to the ``nse`` typer application."""
    # typer resolves the annotations below in this module's globals.
    global typer
    import typer

    @app.command(
        "scan",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                          "help_option_names": []},
        add_help_option=False,
        help="Scan hosts and ports with nmap's options (-sS, -sT, -sU, -p, -T4, ...).",
    )
    def scan(ctx: typer.Context) -> None:
        args = list(ctx.args)
        # With a single registered command typer runs it without consuming its name.
        if len(app.registered_commands) == 1 and args[:1] == ["scan"]:
            args = args[1:]
        raise SystemExit(main(args))
