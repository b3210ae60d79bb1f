"""Run our version detection on given ports of one address and print JSON results.

``python -m tools.bench.version.ours 127.0.0.1 T:80,443 U:53 [--versiondb FILE] [-T4]``
Run as its own process so that the benchmark's wall time includes start-up and parsing
the probe file, as ``nmap -sV`` does.
"""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("ip")
    ap.add_argument("ports", nargs="*", help="T:1,2 or U:3,4")
    ap.add_argument("--versiondb")
    ap.add_argument("--intensity", type=int, default=7)
    ap.add_argument("-T", dest="level", type=int, default=3)
    ap.add_argument("--trace", action="store_true")
    ap.add_argument("--no-scripts", action="store_true",
                    help="skip the version-category scripts that -sV runs after probing")
    a = ap.parse_args(argv)

    from nse.scan.model import Host, Port
    from nse.scan.services import load_services
    from nse.scan.vscan import VersionOptions, run_version_scan

    table = load_services()  # the port scan names ports from the services table
    h = Host(a.ip, up=True)
    for spec in a.ports:
        proto = {"T": "tcp", "U": "udp"}[spec[0]]
        for n in spec[2:].split(","):
            if n:
                h.ports[(proto, int(n))] = Port(int(n), proto,
                                                "open" if proto == "tcp" else "open|filtered",
                                                service=table.name(int(n), proto))
    run_version_scan([h], VersionOptions(version_intensity=a.intensity, timing_level=a.level,
                                         versiondb=a.versiondb, version_trace=a.trace))
    if not a.no_scripts:
        # nmap -sV runs the "version" script category after the probes (snmp-info,
        # http-server-header, ...), and those may refine port.version
        from nse.engine.api import ScriptEngine

        ScriptEngine(None, version=True, skip_broken=True).scan([h])
    out = {f"{p.number}/{p.protocol}": {"state": p.state, **p.version}
           for p in h.ports.values()}
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
