"""Normal (human) output of scan results, in the layout of nmap's normal output.

Interface: :func:`format_header`, :func:`format_host` and :func:`format_footer` return
text; the CLI writes them to stdout and to the ``-oN`` file.  They take plain values and
the :class:`nse.scan.model.Host` objects, so the other writers (XML, grepable, JSON) can
sit beside this one with the same inputs.

The report lines keep nmap's wording ("Nmap scan report for", "Not shown:", "Nmap done:")
on purpose: tools and people that read nmap's normal output can read ours.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from nse.scan.macvendors import mac_vendor
from nse.scan.model import Host, Port

__all__ = ["format_header", "format_host", "format_footer", "format_script_section",
           "format_detection_note", "format_down_hint", "report_block", "IGNORE_THRESHOLD",
           "format_bytecount", "format_raw_packets", "format_data_files"]

#: a state with more ports than this is summarised on a "Not shown" line (as nmap does)
IGNORE_THRESHOLD = 25

_STATE_ORDER = ["closed", "filtered", "open|filtered", "closed|filtered", "unfiltered", "open"]


def format_header(started: float, version: str, command: str | None = None) -> str:
    """The first line: program, version and start time."""
    stamp = time.strftime("%Y-%m-%d %H:%M %Z", time.localtime(started))
    line = f"Starting nse {version} at {stamp}"
    if command:
        return f"# {command}\n{line}\n"
    return line + "\n"


def _title(h: Host) -> str:
    name = h.name or h.targetname
    if name and name != h.ip:
        return f"{name} ({h.ip})"
    return h.ip


def _latency(h: Host) -> str:
    if h.times.srtt is None:
        return ""
    return f" ({seconds_2sig(h.times.srtt)}s latency)"


def seconds_2sig(x: float) -> str:
    """Two significant digits in fixed notation, as nmap prints latencies
    (``0.00010``, ``0.0013``, ``1.5``)."""
    import math

    if x <= 0:
        return "0.0000"
    digits = max(1, 1 - math.floor(math.log10(x)))
    return f"{x:.{digits}f}"


def _reason_text(p: Port) -> str:
    if p.reason_ttl:
        return f"{p.reason} ttl {p.reason_ttl}"
    return p.reason


def _script_lines(outs: list[Any]) -> list[str]:
    """The ``| id: ...`` / ``|_...`` lines of these script outputs (nmap's
    formatScriptOutput), those without text left out as nmap leaves them out."""
    if not outs:
        return []  # a scan without scripts never imports the engine's output model
    from nse.engine.output import format_script_output

    lines: list[str] = []
    for o in outs:
        text = format_script_output(o)
        if text:
            lines.extend(text.split("\n"))
    return lines


def format_script_section(title: str, outs: list[Any]) -> str:
    """``Pre-scan script results:`` / ``Post-scan script results:`` and the script
    lines under it ("" when no script printed anything), as nmap prints them."""
    lines = _script_lines(outs)
    if not lines:
        return ""
    return title + "\n" + "\n".join(lines) + "\n"


def format_host(h: Host, reason: bool = False, open_only: bool = False,
                verbose: int = 0, ping_only: bool = False, versions: bool = False,
                scripts: Any = None, nmap_timeout: bool = False, debug: int = 0,
                scanned_at: float | None = None) -> str:
    """The report of one host ("" for a down host unless verbose).  ``versions``: after
    -sV, with a VERSION column and nmap's "Service Info:" line (helpers of
    :mod:`nse.scan.vscan`).  ``scripts``: the engine's ``HostScripts`` of this host
    (``.ports[(proto, number)]`` printed under each port row, ``.host`` under "Host
    script results:"), or None.  ``nmap_timeout``: a host cut short by --host-timeout
    gets nmap's report, "Skipping host NAME due to host timeout" and nothing after it
    (nmap.cc prints no ports or scripts for it); otherwise the ports found so far are
    listed under a shorter notice (the layout of tests/output/golden).  With -vv or -d
    and ``scanned_at`` (the wall-clock start of the host's scan), nmap's "Scanned at ...
    for Ns" line; with -d its "Final times for host" line last."""
    port_scripts: dict[tuple[str, int], list[Any]] = getattr(scripts, "ports", None) or {}
    host_scripts: list[Any] = getattr(scripts, "host", None) or []
    lines: list[str] = []
    if not h.up:
        if verbose:
            # --reason (and -d): "[host down, received no-response]"
            why = f", received {h.reason}" if reason and h.reason else ""
            lines.append(f"Nmap scan report for {_title(h)} [host down{why}]")
            return "\n".join(lines) + "\n"
        return ""
    lines.append(f"Nmap scan report for {_title(h)}")
    up = "Host is up"
    if reason and h.reason:
        up += f", received {h.reason}" + (f" (ttl {h.reason_ttl})" if h.reason_ttl else "")
    lines.append(up + _latency(h) + ".")
    # nmap prints it with the port table: never after -sn
    if (verbose > 1 or debug) and scanned_at is not None and not ping_only:
        import time

        when = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(scanned_at))
        lines.append(f"Scanned at {when} for {int(h.elapsed)}s")
    if h.timed_out and nmap_timeout:
        lines.append(f"Skipping host {_title(h)} due to host timeout")
        return "\n".join(lines) + "\n"
    if h.timed_out:
        lines.append("Skipping host due to host timeout")
    if not ping_only and h.ports:
        # counted without a Port object per port: the summarised ports of a full-range
        # scan stay compact in the host's PortTable (nse.scan.model)
        by_reason = h.port_counts()  # (proto, state, reason) -> [count, lowest number]
        counts: Counter[tuple[str, str]] = Counter()
        for (proto, state, _reason), (n, _first) in by_reason.items():
            counts[(state, proto)] += n
        hidden: set[tuple[str, str]] = set()
        for (state, proto), n in counts.items():
            if (open_only and state != "open") or (n > IGNORE_THRESHOLD and state != "open"):
                hidden.add((state, proto))
        shown = h.select_ports(lambda proto, state: (state, proto) not in hidden)
        if hidden:
            parts = []
            for state in _STATE_ORDER:
                for proto in ("tcp", "udp"):
                    if (state, proto) in hidden:
                        # most ports first; ties in port order (the lowest port first)
                        reasons = sorted(((r, n, first) for (pr, st, r), (n, first)
                                          in by_reason.items() if pr == proto and st == state),
                                         key=lambda x: (-x[1], x[2]))
                        why = ", ".join(f"{n} {r}" if len(reasons) > 1 else r
                                        for r, n, _first in reasons)
                        parts.append(f"{counts[(state, proto)]} {state} {proto} ports ({why})")
            if shown:
                lines.append("Not shown: " + ", ".join(parts))
            else:
                lines.append(f"All {sum(counts.values())} scanned ports on {_title(h)} are "
                             "in ignored states.")
                lines.append("Not shown: " + ", ".join(parts))
        if shown and not hidden and not h.timed_out:
            # nmap (output.cc printportoutput) puts a blank line before the table when
            # no "Not shown:" line precedes it (checked against nmap 7.93 on loopback;
            # the timed-out layout keeps tests/output/golden/full.nmap's, not checked)
            lines.append("")
        if shown:
            service_of: Callable[[Port], str] = _service_name
            version_of: Callable[[Port], str] = lambda p: ""  # noqa: E731
            if versions:
                from nse.scan.vscan.columns import service_column, version_column

                service_of, version_of = service_column, version_column
            cols = [("PORT", [f"{p.number}/{p.protocol}" for p in shown]),
                    ("STATE", [p.state for p in shown]),
                    ("SERVICE", [service_of(p) for p in shown])]
            if reason:
                cols.append(("REASON", [_reason_text(p) for p in shown]))
            if versions:
                cols.append(("VERSION", [version_of(p) for p in shown]))
            widths = [max(len(title), *(len(v) for v in values)) + 1 for title, values in cols]
            widths[-1] = 0  # the last column is not padded
            lines.append("".join(f"{t:<{w}}" for (t, _), w in zip(cols, widths,
                                                                    strict=True)).rstrip())
            for i in range(len(shown)):
                lines.append("".join(f"{vals[i]:<{w}}" for (_, vals), w in zip(
                    cols, widths, strict=True)).rstrip())
                p = shown[i]
                lines.extend(_script_lines(port_scripts.get((p.protocol, p.number), [])))
    # nmap.cc's order: ports, MAC address, (OS), service info, host scripts
    mac = h.mac_text()
    if mac and h.mac_addr is not None:
        vendor = mac_vendor(h.mac_addr) or "Unknown"
        lines.append(f"MAC Address: {mac} ({vendor})")
    if versions and h.ports:
        from nse.scan.vscan.columns import service_info

        info = service_info(h.port_list())
        if info:
            lines.append(info)
    host_lines = _script_lines(host_scripts)
    if host_lines:
        lines += ["", "Host script results:", *host_lines]
    if debug and h.times.srtt is not None:
        # nmap.cc: microseconds; two spaces before "to:".  Not printed for a host whose
        # round trip was never measured (a -sn localhost, only silent ports: nmap 7.93)
        t = h.times

        def us(x: float | None) -> int:
            return int(x * 1e6) if x is not None else -1

        lines.append(f"Final times for host: srtt: {us(t.srtt)} rttvar: {us(t.rttvar)}  "
                     f"to: {us(t.timeout)}")
    return "\n".join(lines) + "\n"


def report_block(text: str, h: Host, ping_only: bool = False,
                 script_scan: bool = False) -> str:
    """A host's report (:func:`format_host`) as it goes on the screen and into ``-oN``.

    nmap 7.93 ends a report with a blank line when it lists ports or when script
    scanning is on (``--script``/``-sC``, whether or not the host has script results);
    not after a "[host down]" line (-v), and not after a ``-sn`` report without script
    scanning ("Host is up." and the next report follow each other); checked on loopback
    and in a namespace.  (Nor after nmap's "Skipping host ... due to host timeout"
    report: the caller that prints that layout leaves it out.)"""
    if not text or not h.up:
        return text
    if ping_only and not script_scan and "\nHost script results:\n" not in text:
        return text
    return text + "\n"


def _service_name(p: Port) -> str:
    return p.service


def format_footer(total: int, up: int, elapsed: float) -> str:
    """The last line: how many addresses, how many up, how long."""
    addrs = "IP address" if total == 1 else "IP addresses"
    hosts = "host" if up == 1 else "hosts"
    return f"Nmap done: {total} {addrs} ({up} {hosts} up) scanned in {elapsed:.2f} seconds\n"


def format_bytecount(n: int) -> str:
    """nmap's short byte count: "44B", "44.000KB", "1.320MB" (decimal units)."""
    if n < 1000:
        return f"{n}B"
    if n < 1000000:
        return f"{n / 1000:.3f}KB"
    return f"{n / 1000000:.3f}MB"


def format_raw_packets(sent: int, sent_bytes: int, rcvd: int, rcvd_bytes: int) -> str:
    """The line nmap prints on the screen after "Nmap done" with ``-v`` when raw
    packets could be used (its spacing: eleven spaces, as under "Nmap done")."""
    return (f"           Raw packets sent: {sent} ({format_bytecount(sent_bytes)}) | "
            f"Rcvd: {rcvd} ({format_bytecount(rcvd_bytes)})\n")


def format_data_files(files: dict[str, list[str]], verbose: int, debug: int) -> str:
    """nmap's line about the data files a scan read (``files``: directory -> names), just
    before "Nmap done": with ``-v`` "Read data files from: DIR" when they all came from
    one directory; with ``-d`` (or from several directories) "Read from DIR: a b." per
    directory, names sorted; "No data files read." with ``-d`` when there were none."""
    dirs = {d: sorted(set(names)) for d, names in files.items() if names}
    if not dirs:
        return "No data files read.\n" if debug else ""
    if not (verbose or debug):
        return ""
    if len(dirs) == 1 and not debug:
        return f"Read data files from: {next(iter(dirs))}\n"
    return "".join(f"Read from {d}: {' '.join(names)}.\n" for d, names in sorted(dirs.items()))


#: where nmap asks users to send corrections of its detection results (its exact words)
SUBMIT_URL = "https://nmap.org/submit/"


def format_detection_note(up: int, service_scan: bool, os_scan: bool = False) -> str:
    """The line nmap writes after the last report (and the post-scan script results),
    before "Nmap done", on the screen and into ``-oN``, when some host was up and
    version or OS detection ran (nmap's output.cc printfinaloutput, checked with nmap
    7.93: ``-sV`` gives "Service detection performed. ...", ``-A`` "OS and Service
    detection performed. ..."; ``-sC``/``--script`` alone print nothing).  ``-A`` here
    runs no OS detection, so it gives the ``-sV`` line.  "" when nothing is said."""
    if up <= 0:
        return ""
    if os_scan and service_scan:
        what = "OS and Service detection"
    elif os_scan:
        what = "OS detection"
    elif service_scan:
        what = "Service detection"
    else:
        return ""
    return f"{what} performed. Please report any incorrect results at {SUBMIT_URL} .\n"


def format_down_hint(total: int, up: int, pinged: bool, list_scan: bool = False) -> str:
    """nmap's hint when the only host scanned did not answer host discovery (on the
    screen only, not in ``-oN``; not with ``-Pn``, where no discovery ran).  Printed
    where :func:`format_detection_note` would be (nmap prints one or the other)."""
    if total == 1 and up == 0 and pinged and not list_scan:
        return ("Note: Host seems down. If it is really up, but blocking our ping probes, "
                "try -Pn\n")
    return ""
