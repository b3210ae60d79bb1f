#!/usr/bin/env python3
"""Before/after: the programs here under ``lua5.4``, an older tree's ``nse`` and this one's.

Usage::

    git archive <commit> | tar -x -C /tmp/before
    .venv/bin/python tools/bench/lua_vs_python/compare.py --before /tmp/before [--runs 5]
        [--only NAME ...]

Each round runs every program under the three, in alternating order, so that load from
other processes hits them alike; the report (Markdown on stdout) gives the medians of
wall-clock and child CPU seconds (user + system) and the ratios to lua5.4 for both trees,
with their geometric means.  Both trees run as ``python -m nse.cli_lua`` with
``PYTHONPATH`` set to the tree (the same start-up path for both).  Every run of the three
must print the same bytes.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
PROGRAMS = ["strings", "patterns", "pack", "tables", "closures", "oop", "coroutines"]


def _run(cmd: list[str], program: str) -> tuple[float, float, bytes]:
    """(wall seconds, child CPU seconds, stdout) of one run."""
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    cp = subprocess.run([*cmd, program + ".lua"], cwd=HERE, capture_output=True, timeout=900)
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cp.returncode != 0:
        raise SystemExit(f"{cmd} {program}: exit {cp.returncode}: {cp.stderr[-300:]!r}")
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    return wall, cpu, cp.stdout


def _geo(xs: list[float]) -> float:
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def main(argv: list[str] | None = None) -> int:
    """Run the comparison; print the table; 1 when some outputs differ."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="root of the older tree")
    parser.add_argument("--after", default=str(ROOT), help="root of the newer tree")
    parser.add_argument("--runs", type=int, default=3, help="rounds")
    parser.add_argument("--only", nargs="*", help="program names (without .lua)")
    opts = parser.parse_args(argv)
    py = sys.executable
    cmds = {
        "lua": ["lua5.4"],
        "before": ["env", f"PYTHONPATH={opts.before}", py, "-m", "nse.cli_lua"],
        "after": ["env", f"PYTHONPATH={opts.after}", py, "-m", "nse.cli_lua"],
    }
    progs = opts.only or PROGRAMS
    res: dict[str, dict[str, tuple[list[float], list[float]]]] = {
        p: {k: ([], []) for k in cmds} for p in progs}
    outs: dict[str, set[bytes]] = {p: set() for p in progs}
    load = os.getloadavg()
    for r in range(opts.runs):
        for p in progs:
            for k in (list(cmds) if r % 2 == 0 else list(reversed(cmds))):
                wall, cpu, out = _run(cmds[k], p)
                res[p][k][0].append(wall)
                res[p][k][1].append(cpu)
                outs[p].add(out)
    print(f"`compare.py --runs {opts.runs}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())},"
          f" load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print()
    print("| program | lua5.4 wall / CPU (s) | before wall / CPU (s) | before ratio (wall, CPU) "
          "| after wall / CPU (s) | after ratio (wall, CPU) | outputs |")
    print("|---|---:|---:|---:|---:|---:|---|")
    geo: dict[str, tuple[list[float], list[float]]] = {"before": ([], []), "after": ([], [])}
    bad = 0
    for p in progs:
        med = {k: (statistics.median(res[p][k][0]), statistics.median(res[p][k][1]))
               for k in cmds}
        cells = []
        for k in ("before", "after"):
            rw = med[k][0] / med["lua"][0]
            rc = med[k][1] / med["lua"][1]
            geo[k][0].append(rw)
            geo[k][1].append(rc)
            cells.append(f"{med[k][0]:.3f} / {med[k][1]:.3f} | {rw:.1f}×, {rc:.1f}×")
        same = len(outs[p]) == 1
        bad += not same
        print(f"| {p} | {med['lua'][0]:.3f} / {med['lua'][1]:.3f} | {cells[0]} | {cells[1]} | "
              f"{'identical' if same else '**DIFFERENT**'} |")
    print(f"| **geometric mean** | | | **{_geo(geo['before'][0]):.1f}×, "
          f"{_geo(geo['before'][1]):.1f}×** | | **{_geo(geo['after'][0]):.1f}×, "
          f"{_geo(geo['after'][1]):.1f}×** | |")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
