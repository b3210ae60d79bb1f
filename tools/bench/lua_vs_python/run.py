#!/usr/bin/env python3
"""Time the CPU-bound Lua programs here under ``lua5.4`` and under ``nse lua``.

Usage::

    .venv/bin/python tools/bench/lua_vs_python/run.py [--runs 3] [--scale 1] [--only NAME ...]

Each program runs ``--runs`` times under each implementation, alternating which goes
first, in the same invocation (so both see the same machine load).  The report, in
Markdown on stdout, gives per program the median wall-clock seconds of each, the ratio
nse/lua5.4 and whether the outputs were identical (every run of both must print the same
bytes; a mismatch is flagged and excluded from the geometric mean).  It ends with the
geometric mean of the ratios and the start-up time of a hello-world under each.

``--scale`` is passed to every program as ``arg[1]`` and multiplies its work (1 = sized
for about 0.5 s under lua5.4); a smaller scale gives a quick run.
"""

from __future__ import annotations

import argparse
import math
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


@dataclass
class Timing:
    """Wall-clock seconds and outputs of the runs of one program under one command."""

    seconds: list[float] = field(default_factory=list)
    outputs: set[bytes] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median of the run times (nan when nothing ran)."""
        return statistics.median(self.seconds) if self.seconds else math.nan


def default_nse() -> list[str]:
    """``nse lua``: the console script next to this Python, else ``python -m nse.cli``."""
    script = Path(sys.executable).parent / "nse"
    if script.exists():
        return [str(script), "lua"]
    return [sys.executable, "-m", "nse.cli", "lua"]


def time_once(
    command: list[str], program: Path, args: list[str], timing: Timing, timeout: float
) -> None:
    """Run ``command program args`` once and add its time and output to ``timing``."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [*command, program.name, *args],
            cwd=program.parent,
            capture_output=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        timing.failures.append(f"timeout after {timeout:.0f} s")
        return
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        err = proc.stderr.decode("latin-1").strip().splitlines()
        timing.failures.append(f"exit {proc.returncode}: {err[0] if err else ''}")
        return
    timing.seconds.append(elapsed)
    timing.outputs.add(proc.stdout)


def measure(
    lua: list[str], nse: list[str], program: Path, args: list[str], runs: int, timeout: float
) -> tuple[Timing, Timing]:
    """Time ``program`` ``runs`` times under each command, alternating the order."""
    t_lua, t_nse = Timing(), Timing()
    for i in range(runs):
        order = [(lua, t_lua), (nse, t_nse)]
        if i % 2:
            order.reverse()
        for command, timing in order:
            time_once(command, program, args, timing, timeout)
    return t_lua, t_nse


def _fmt(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the Markdown report; non-zero if outputs differ."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per implementation")
    parser.add_argument("--scale", type=float, default=1.0, help="work multiplier (arg[1])")
    parser.add_argument("--only", nargs="*", help="program names (without .lua)")
    parser.add_argument("--lua", default="lua5.4", help="reference command")
    parser.add_argument("--nse", default=None, help="nse command (default: nse lua)")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per run")
    opts = parser.parse_args(argv)
    lua = shlex.split(opts.lua)
    nse = shlex.split(opts.nse) if opts.nse else default_nse()
    programs = sorted(HERE.glob("*.lua"))
    if opts.only:
        programs = [p for p in programs if p.stem in opts.only]
    args = [] if opts.scale == 1.0 else [repr(opts.scale)]

    print(
        f"Command: `{' '.join(shlex.quote(a) for a in [Path(sys.argv[0]).name, *(argv or sys.argv[1:])])}`"
        f" — runs={opts.runs}, scale={opts.scale:g}, reference `{' '.join(lua)}`, "
        f"nse `{' '.join(Path(nse[0]).name if i == 0 else a for i, a in enumerate(nse))}`"
    )
    load = os.getloadavg()
    commit = (
        subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
        ).stdout.strip()
        or "?"
    )
    print(
        f"Machine: {os.cpu_count()} CPUs, load average at start "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; Python {sys.version.split()[0]}; "
        f"commit {commit}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print()
    print("| program | lua5.4 median (s) | nse lua median (s) | ratio nse/lua | output |")
    print("|---|---:|---:|---:|---|")
    ratios = []
    bad = 0
    for program in programs:
        t_lua, t_nse = measure(lua, nse, program, args, opts.runs, opts.timeout)
        same = (
            len(t_lua.outputs) == 1
            and t_lua.outputs == t_nse.outputs
            and not t_lua.failures
            and not t_nse.failures
        )
        ratio = t_nse.median / t_lua.median if t_lua.seconds and t_nse.seconds else math.nan
        if same:
            ratios.append(ratio)
            verdict = "identical"
        else:
            bad += 1
            verdict = "**DIFFERENT**"
            if t_lua.failures or t_nse.failures:
                verdict = "**FAILED** " + "; ".join(t_lua.failures + t_nse.failures)[:120]
        print(
            f"| {program.stem} | {_fmt(t_lua.median)} | {_fmt(t_nse.median)} | "
            f"{'n/a' if math.isnan(ratio) else f'{ratio:.1f}x'} | {verdict} |",
            flush=True,
        )
    if ratios:
        geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print(f"| **geometric mean** | | | **{geo:.1f}x** | {len(ratios)} programs |")
    print()
    with tempfile.TemporaryDirectory() as tmp:
        hello = Path(tmp) / "hello.lua"
        hello.write_text('print("hello")\n')
        t_lua, t_nse = measure(lua, nse, hello, [], max(opts.runs, 5), opts.timeout)
    print(
        f"Start-up (hello world, median of {max(opts.runs, 5)}): lua5.4 "
        f"{_fmt(t_lua.median)} s, nse lua {_fmt(t_nse.median)} s."
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
