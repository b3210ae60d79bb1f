"""``nse scan``: nmap-style port scanning.  Thin: parse argv, run the scan, print.

The arguments are taken raw and parsed by :mod:`nse.scan.options` because nmap's syntax
(``-sS``, ``-p22``, ``-T4``, ``-oN file``) does not fit click.  Errors are one line,
``nse: error: ...``; usage errors exit 2, other failures 1; ``-d`` shows tracebacks.
"""

from __future__ import annotations

import shlex
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typer is imported by nse.cli only; `nse scan` starts without it
    import typer

__all__ = ["register", "main", "USAGE"]

USAGE = """Usage: nse scan [Scan Type(s)] [Options] {target specification}
TARGET SPECIFICATION:
  Addresses, CIDR (10.0.0.0/24), octet ranges (10.0.0-3.1-254), host names, IPv6 with -6
  -iL <file>: read targets from a file; --exclude <t1[,t2]>; --excludefile <file>
HOST DISCOVERY:
  -sn: ping scan only; -Pn: treat all hosts as up
  -PS/PA/PU[portlist]: TCP SYN/ACK/UDP discovery; -PE/-PP: ICMP echo/timestamp; -PR: ARP
  --disable-arp-ping; -n: never reverse-resolve; -R: always reverse-resolve
SCAN TECHNIQUES:
  -sS (default as root) -sT (default otherwise) -sA -sF -sN -sX -sU
PORT SPECIFICATION:
  -p <ranges> (-p22; -p1-65535; -pU:53,T:21-25,80; -p-; -phttp), -F, --top-ports <n>,
  --exclude-ports <ranges>, -r (scan in order)
TIMING:
  -T<0-5>; --min/max-hostgroup; --min/max-parallelism; --min-rtt-timeout,
  --max-rtt-timeout, --initial-rtt-timeout <time>; --max-retries <n>; --host-timeout <time>;
  --scan-delay/--max-scan-delay <time>; --min-rate/--max-rate <n per second>
SERVICE DETECTION:
  -sV; --version-intensity <0-9>; --version-light; --version-all; --version-trace
OUTPUT:
  -oN <file>; -v; -d; --reason; --open; --packet-trace; --datadir <dir>; -e <iface>
  --privileged / --unprivileged
"""


def _error(msg: str, code: int) -> None:
    print(f"nse: error: {msg}", file=sys.stderr)
    raise SystemExit(code)


def main(args: list[str]) -> int:
    """Run ``nse scan`` with ``args``; returns the exit status."""
    from nse import __version__ as version
    from nse.output.normal import format_footer, format_header, format_host
    from nse.scan.errors import ScanError, UsageError
    from nse.scan.options import parse_args
    from nse.scan.runner import run_scan

    if not args or args[0] in ("-h", "--help"):
        print(USAGE, end="")
        return 0 if args else 2
    debug = any(a.startswith("-d") and set(a[1:]) <= set("d0123456789") for a in args)
    try:
        opts = parse_args(args)
        out_file = None
        if opts.output_normal:
            try:
                out_file = open(opts.output_normal, "w", encoding="utf-8")
            except OSError as e:
                raise UsageError(f"cannot write {opts.output_normal!r}: {e.strerror}")

        def emit(text: str) -> None:
            if not text:
                return
            sys.stdout.write(text)
            sys.stdout.flush()
            if out_file is not None:
                out_file.write(text)

        import time

        def on_start() -> None:
            if out_file is not None:
                out_file.write(f"# nse scan {shlex.join(args)}\n")
            emit(format_header(time.time(), version))

        def on_host(h: object) -> None:
            from nse.scan.model import Host

            assert isinstance(h, Host)
            text = format_host(h, reason=opts.reason,
                               open_only=opts.open_only, verbose=opts.verbose,
                               ping_only=opts.ping_only, versions=opts.version_scan)
            if text:
                emit(text + "\n")

        result = run_scan(opts, on_host=on_host, on_start=on_start)
        up = sum(1 for h in result.hosts if h.up)
        if not result.hosts:
            print("WARNING: No targets were specified, so 0 hosts scanned.", file=sys.stderr)
        emit(format_footer(len(result.hosts), up, result.elapsed))
        if opts.verbose or opts.packet_trace:
            s = result.stats
            print(f"Packets: {s.sent} sent, {s.received} useful replies, "
                  f"{s.retransmissions} retransmissions, {s.drops} drops seen",
                  file=sys.stderr)
        if out_file is not None:
            out_file.close()
        return 0
    except UsageError as e:
        if debug:
            raise
        _error(str(e), 2)
    except ScanError as e:
        if debug:
            raise
        _error(str(e), 1)
    except KeyboardInterrupt:
        raise
    except Exception as e:  # noqa: BLE001 - one line unless -d, never a traceback
        if debug:
            raise
        _error(f"{type(e).__name__}: {e}", 1)
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
