#!/usr/bin/env python3
"""Record the expected output of the conformance programs with the reference ``lua5.4``.

Usage (from anywhere)::

    python tests/conformance/record.py            # every NNN_topic.lua
    python tests/conformance/record.py 012 abc    # programs whose name contains 012 or abc

For each ``NNN_topic.lua`` this writes ``NNN_topic.out`` (stdout, byte for byte).  A
program that exits with a non-zero status is refused unless its name has the word
``_err`` (``NNN_topic_err.lua``); for those the exit status goes to ``NNN_topic.status``
and the message of the uncaught error (the first stderr line without the ``lua5.4: ``
prefix) to ``NNN_topic.err``.  Every program runs twice and is refused if the two runs
differ (hash order, addresses or clocks leaking into the output make a recording
worthless).

Optional companions of a program: ``NNN_topic.args`` (command-line arguments, one per
line, as bytes) and ``NNN_topic.in`` (its stdin; otherwise stdin is empty).

The same helpers (:func:`programs`, :func:`run`) are used by ``test_conformance.py`` so both
sides run programs the same way: cwd = this directory, relative file name (chunk names in
error messages match), ``TZ=UTC`` and ``LC_ALL=C``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROGRAM_RE = re.compile(r"^\d{3}_[A-Za-z0-9_]+\.lua$")
# "_err" as a word of the name (not "_errors"): the program is expected to fail.
ERR_RE = re.compile(r"_err(_|\.lua$)")
REFERENCE = ["lua5.4"]
TIMEOUT = 60.0


@dataclass(frozen=True)
class Result:
    """What one run of a program produced."""

    stdout: bytes
    stderr: bytes
    status: int


def programs(filters: list[str] | None = None) -> list[str]:
    """Return the sorted program file names (relative to this directory)."""
    names = sorted(p.name for p in HERE.iterdir() if PROGRAM_RE.match(p.name))
    if filters:
        names = [n for n in names if any(f in n for f in filters)]
    return names


def is_err_program(name: str) -> bool:
    """True for programs expected to end with an uncaught error (``..._err.lua``)."""
    return ERR_RE.search(name) is not None


def args_of(name: str) -> list[str]:
    """Command-line arguments of a program (from ``NAME.args``, one per line)."""
    path = HERE / (name[:-4] + ".args")
    if not path.exists():
        return []
    # Bytes to str as the OS would give them to a program (surrogateescape), so that the
    # argument reaches the program as exactly these bytes.
    return [os.fsdecode(line) for line in path.read_bytes().splitlines()]


def stdin_of(name: str) -> bytes:
    """Stdin of a program (``NAME.in`` or nothing)."""
    path = HERE / (name[:-4] + ".in")
    return path.read_bytes() if path.exists() else b""


def environment() -> dict[str, str]:
    """A fixed environment: UTC time zone and the C locale, so dates and classes agree."""
    env = dict(os.environ)
    env["TZ"] = "UTC"
    env["LC_ALL"] = "C"
    env.pop("LUA_INIT", None)
    env.pop("LUA_INIT_5_4", None)
    return env


def run(command: list[str], name: str, timeout: float = TIMEOUT) -> Result:
    """Run ``command + [name] + args`` in this directory and collect the result."""
    try:
        proc = subprocess.run(
            [*command, name, *args_of(name)],
            cwd=HERE,
            input=stdin_of(name),
            capture_output=True,
            env=environment(),
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or b""
        return Result(out, b"TIMEOUT after %d s\n" % int(timeout), -999)
    return Result(proc.stdout, proc.stderr, proc.returncode)


def record(name: str) -> str | None:
    """Record one program; return an error text when it must be refused."""
    first = run(REFERENCE, name)
    second = run(REFERENCE, name)
    if first != second:
        return f"{name}: two lua5.4 runs differ (non-deterministic output)"
    is_err = is_err_program(name)
    if first.status != 0 and not is_err:
        err = first.stderr.decode("latin-1").strip()
        return f"{name}: lua5.4 exited with {first.status}: {err}"
    base = HERE / name[:-4]
    Path(f"{base}.out").write_bytes(first.stdout)
    status_file = Path(f"{base}.status")
    err_file = Path(f"{base}.err")
    if is_err:
        status_file.write_text(f"{first.status}\n")
        # The error message of an uncaught error: lua5.4 prints "lua5.4: MSG" first.
        lines = first.stderr.decode("latin-1").splitlines()
        if lines:
            err_file.write_bytes(lines[0].removeprefix("lua5.4: ").encode("latin-1") + b"\n")
        elif err_file.exists():
            err_file.unlink()
    else:
        for stale in (status_file, err_file):
            if stale.exists():
                stale.unlink()
    return None


def main(argv: list[str]) -> int:
    """Record the programs named by ``argv`` filters (all when empty)."""
    names = programs(argv)
    failures = [msg for msg in map(record, names) if msg]
    for msg in failures:
        print("REFUSED", msg, file=sys.stderr)
    print(f"recorded {len(names) - len(failures)} of {len(names)} programs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
