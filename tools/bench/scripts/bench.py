"""Script-scan benchmark (issue 6, acceptance 3): ``nse scan -sC`` against ``nmap -sC``
on the real-daemon lab, side by side in one run (needs root and the lab's daemons).

Both tools run from the lab's client namespace against every TCP port of the lab
(``tools/lab/daemons.py``), ``-Pn -n -sC -p <ports>``; runs alternate between the two
tools (one unmeasured warm-up run of each first) so load on the shared machine hits both
alike.  Wall time is measured around the process (start-up included); "scan time" is each
tool's own "scanned in" figure; CPU is user + system of the child from GNU time.  The
table reports medians and the nse/nmap ratio.

    .venv/bin/python tools/bench/scripts/bench.py --runs 3
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
sys.path.insert(0, ROOT)

from tools.lab.daemons import SERVICES, DaemonLab, available_services  # noqa: E402

NSE = [sys.executable, "-m", "nse.cli", "scan"]
NMAP = [shutil.which("nmap") or "nmap"]


def _child_env() -> dict[str, str]:
    """Bytecode caching on, in a folder of its own (as an installed nse would have it)."""
    env = {**os.environ, "PYTHONPATH": ROOT,
           "PYTHONPYCACHEPREFIX": os.path.join("/tmp", "nse-bench-pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(ns: str, cmd: list[str]) -> dict[str, Any]:
    """Run ``cmd`` in namespace ``ns`` under GNU time: wall, CPU seconds, output."""
    gtime = "/usr/bin/time"
    pre = [gtime, "-f", "__cpu %U %S %M"] if os.path.exists(gtime) else []
    t0 = time.monotonic()
    p = subprocess.run(["ip", "netns", "exec", ns, *pre, *cmd], capture_output=True,
                       text=True, timeout=900, env=_child_env(), cwd=ROOT)
    wall = time.monotonic() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed rc={p.returncode}: {p.stderr[-800:]}")
    m = re.search(r"scanned in ([\d.]+) seconds", p.stdout)
    c = re.search(r"__cpu ([\d.]+) ([\d.]+) (\d+)", p.stderr)
    return {"wall": wall, "scan": float(m.group(1)) if m else None,
            "cpu": float(c.group(1)) + float(c.group(2)) if c else None,
            "rss_kb": int(c.group(3)) if c else None, "out": p.stdout,
            "scripts": len(_blocks(p.stdout)), "blocks": _blocks(p.stdout)}


# every script name of ours and of nmap's: tells a script's first line from a continuation
# line such as ssl-cert's "| Issuer: ..."
_SCRIPT_NAMES = {f[:-4] for d in (os.path.join(ROOT, "scripts_lua"), "/usr/share/nmap/scripts")
                 if os.path.isdir(d) for f in os.listdir(d) if f.endswith(".nse")}


def _blocks(out: str) -> list[str]:
    """``port/script`` for each script output block of a normal output."""
    blocks, port = [], ""
    for ln in out.splitlines():
        m = re.match(r"^(\d+/\w+)\s", ln)
        if m:
            port = m.group(1)
        m = re.match(r"^\|_? ?([\w.-]+):", ln)
        if m and m.group(1) in _SCRIPT_NAMES:
            blocks.append(f"{port}/{m.group(1)}")
    return blocks


def main(argv: list[str] | None = None) -> int:
    """Start the lab, run both tools ``--runs`` times alternately, print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args(argv)
    tcp = [s for s in SERVICES if SERVICES[s].proto == "tcp" and s in available_services()]
    load0 = os.getloadavg()[0]
    with DaemonLab(services=tcp) as lab:
        ports = ",".join(str(p) for p in sorted({lab.ports[s] for s in lab.ports
                                                 if lab.protos.get(s) == "tcp"}))
        args = ["-Pn", "-n", "-sC", "-p", ports, lab.ip]
        runs: dict[str, list[dict[str, Any]]] = {"nse": [], "nmap": []}
        measure(lab.client_ns, NSE + args)
        measure(lab.client_ns, NMAP + args)
        for _ in range(a.runs):
            runs["nse"].append(measure(lab.client_ns, NSE + args))
            runs["nmap"].append(measure(lab.client_ns, NMAP + args))
    load1 = os.getloadavg()[0]
    med = {t: {k: statistics.median(r[k] or 0 for r in rs) for k in
               ("wall", "scan", "cpu", "rss_kb", "scripts")} for t, rs in runs.items()}
    print(f"command: {{nse scan|nmap}} {' '.join(args[:-1])} <lab ip>   "
          f"(from the lab's client namespace, {a.runs} runs each, alternating)")
    print(f"load average (1 min) before/after: {load0:.1f} / {load1:.1f}\n")
    print("| | nse | nmap 7.93 | nse / nmap |")
    print("|---|---|---|---|")
    for k, label, fmt in (("wall", "wall time, median (s)", "{:.2f}"),
                          ("scan", "own \"scanned in\", median (s)", "{:.2f}"),
                          ("cpu", "CPU user+sys, median (s)", "{:.2f}"),
                          ("rss_kb", "peak RSS, median (MiB)", "{:.0f}"),
                          ("scripts", "script output blocks", "{:.0f}")):
        x, y = med["nse"][k], med["nmap"][k]
        if k == "rss_kb":
            x, y = x / 1024, y / 1024
        ratio = f"{x / y:.2f}" if y else "-"
        print(f"| {label} | {fmt.format(x)} | {fmt.format(y)} | {ratio} |")
    a_ = set(runs["nse"][-1]["blocks"])
    b_ = set(runs["nmap"][-1]["blocks"])
    print("\nblocks only from nse:", sorted(a_ - b_))
    print("blocks only from nmap:", sorted(b_ - a_))
    print("\nall wall times: nse", [round(r["wall"], 2) for r in runs["nse"]],
          "nmap", [round(r["wall"], 2) for r in runs["nmap"]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
