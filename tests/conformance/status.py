#!/usr/bin/env python3
"""Run the conformance suite with ``nse lua`` and write ``STATUS.md`` (failures by area).

Usage: ``.venv/bin/python tests/conformance/status.py [--jobs N]``

The area of a failing program says whose code the difference most likely lives in:
``core/ops`` (nse/lua values, operators, metamethods, base library, coroutines),
``string`` (strlib, lpattern, strformat, strpack), ``libs`` (table, math, utf8, os, io),
``transpiler`` (the language: scoping, assignment, loops, goto, literals, error names).
It starts from the program's topic (its number range) and is refined by ``NOTES`` below,
which hold a human diagnosis of individual failures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(name: str, filename: str):  # noqa: ANN202 - a module
    spec = importlib.util.spec_from_file_location(name, HERE / filename)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


record = _load("conformance_record", "record.py")
runner = _load("conformance_runner", "runner.py")

# (first number, last number, area) by topic.
RANGES = [
    (1, 29, "core/ops"),
    (30, 59, "core/ops"),
    (60, 79, "core/ops"),
    (80, 109, "string"),
    (110, 139, "libs"),
    (140, 154, "core/ops"),
    (155, 169, "libs"),
    (170, 999, "transpiler"),
]

# Human diagnosis of particular failures: program number -> (area, note).
NOTES: dict[str, tuple[str, str]] = {
    "004": (
        "core/ops",
        "string arithmetic errors come from the string metamethods (C): no position",
    ),
    "039": ("core/ops", "calling a non-callable __call value: Python TypeError not translated"),
    "063": ("core/ops", "select must accept a numeric string index"),
    "067": ("core/ops", "error level 2 after a tail call: Lua's caller is pcall, so no position"),
    "073": ("core/ops", "next's argument errors must name 'next'"),
    "114": ("core/ops", "errors raised inside a library function (sort) get no position"),
    "124": ("core/ops", "errors raised inside a library function (math.max) get no position"),
    "144": ("core/ops", "coroutine.close must pass nil (not GreenletExit) to __close"),
    "147": ("core/ops", "lua5.4 cannot yield across table.sort/gsub callbacks (C-call boundary)"),
    "163": ("libs", "io.lines' 4th value (the file) must be closable (__close)"),
    "165": ("libs", "io.lines' 4th value (the file) must be closable (__close)"),
    "230": ("core/ops", "float keys outside the integer range (1e300) must stay floats"),
    "237": ("transpiler", "CPython allows 20 statically nested blocks; Lua allows these 22 loops"),
    "239": ("transpiler", "a multi-line .. chain errors at the line of its last operand"),
    "243": (
        "transpiler",
        "nse lua must skip a UTF-8 BOM at the start of the file (luaL_loadfilex)",
    ),
    "247": (
        "core/ops",
        "error(msg, 2) inside __index: level 2 is the Lua function reading the global",
    ),
    "263": (
        "core/ops",
        "'bad argument' names the function as the call site reached it (local 'ins' -> 'ins')",
    ),
    "264": ("core/ops", "lua5.4: pairs' __pairs may yield (lua_callk); ipairs' __index may not"),
    "272": (
        "core/ops",
        "error level 2 inside __add is the Lua function doing the +; inside __tostring it is tostring (C)",
    ),
    "274": ("core/ops", "package.searchers is missing"),
    "280": (
        "core/ops",
        "coroutine.isyieldable must be false inside C-boundary callbacks (sort, gsub, tostring, load)",
    ),
    "285": ("core/ops", "calling a table with a string __name: 'attempt to call a MyType value'"),
    "287": ("core/ops", "package.searchpath is missing"),
    "316": (
        "transpiler",
        "goto out of a loop nest deeper than 16 is a documented transpiler limit",
    ),
    "326": ("core/ops", "see 327: to-be-closed variables of a coroutine that died by error"),
    "327": (
        "core/ops",
        "a coroutine dying by error must not close its <close> variables until coroutine.close (manual 3.3.8)",
    ),
    "329": ("core/ops", "at 05:55 only the __name call message of 285 differed"),
    "330": ("core/ops", "see 332: tonumber(s, base) rejects a leading '+'"),
    "332": ("core/ops", "tonumber(s, base) must accept a leading '+' (luaB_tonumber)"),
    "338": ("string", "'invalid conversion specification' gets the caller's position twice"),
    "340": (
        "transpiler",
        "see 341: the first error in source order must win over later lexical errors",
    ),
    "341": (
        "transpiler",
        "syntax errors: the whole text is lexed first, so a later bad number/string wins",
    ),
    "342": ("transpiler", "see 343: inline operator temporaries (_b0) unbound on the slow path"),
    "343": (
        "transpiler",
        "inline arithmetic: Python UnboundLocalError '_b0' leaks when an operand is a parenthesised/constant non-number",
    ),
    "344": ("transpiler", "at 05:58 only the UnboundLocalError of 343 differed"),
    "173": ("transpiler", "t[i], i = ...: the subscript must be evaluated before assigning"),
    "179": ("transpiler", "calling a non-function for iterator: Lua's message, not TypeError"),
}


def area_of(program: str, stderr: str) -> str:
    """The most likely responsible area of a failing program."""
    num = program[:3]
    if num in NOTES:
        return NOTES[num][0]
    if "ConvertError" in stderr or "transpiler/" in stderr:
        return "transpiler"
    n = int(num)
    for lo, hi, area in RANGES:
        if lo <= n <= hi:
            return area
    return "?"


def first_difference(expected: bytes, got: bytes) -> tuple[int, bytes, bytes]:
    """Line number (1-based) and the first differing expected/got lines."""
    exp, out = expected.split(b"\n"), got.split(b"\n")
    for i in range(max(len(exp), len(out))):
        e = exp[i] if i < len(exp) else b"<end of output>"
        g = out[i] if i < len(out) else b"<end of output>"
        if e != g:
            return i + 1, e, g
    return 0, b"", b""


def _cell(b: bytes, limit: int = 90) -> str:
    text = repr(b)[2:-1]
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`"


def main() -> int:
    """Run the suite and write STATUS.md; return the number of failures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    opts = parser.parse_args()
    names = record.programs()
    results = runner.run_forked(names, opts.jobs)
    rows = []
    for name in names:
        res = results[name]
        base = HERE / name[:-4]
        expected = Path(f"{base}.out").read_bytes()
        status_file = Path(f"{base}.status")
        want = int(status_file.read_text()) if status_file.exists() else 0
        stderr = res.stderr.decode("latin-1")
        if res.stdout != expected:
            line, e, g = first_difference(expected, res.stdout)
            what = f"line {line}: expected {_cell(e)} got {_cell(g)}"
        elif res.status != want:
            what = f"exit status {res.status}, expected {want}"
        else:
            err_file = Path(f"{base}.err")
            if err_file.exists() and err_file.read_bytes().rstrip(b"\n") not in res.stderr:
                what = f"stderr lacks {_cell(err_file.read_bytes().rstrip())}"
            else:
                continue
        last = stderr.strip().splitlines()[0] if stderr.strip() else ""
        if last:
            what += f"; stderr: {_cell(last.encode('latin-1'), 80)}"
        note = NOTES.get(name[:3], ("", ""))[1]
        if note:
            what += f" — {note}"
        rows.append((area_of(name, stderr), name, what))
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
    ).stdout.strip()
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# Conformance status",
        "",
        f"Run {now} at commit {commit}: **{len(names) - len(rows)} of {len(names)} programs "
        f"pass**, {len(rows)} fail.  Generated by `tests/conformance/status.py` (do not edit "
        "by hand; diagnoses go into its `NOTES`).",
        "",
        "Areas: core/ops = nse/lua values, operators, metamethods, base library, coroutines; "
        "string = string library; libs = table/math/utf8/os/io; transpiler = the language.",
        "",
    ]
    by_area: dict[str, int] = {}
    for area, _, _ in rows:
        by_area[area] = by_area.get(area, 0) + 1
    if rows:
        out.append("Failures by area: " + ", ".join(f"{a} {n}" for a, n in sorted(by_area.items())))
        out += ["", "| area | program | first difference |", "|---|---|---|"]
        for area, name, what in sorted(rows):
            out.append(f"| {area} | {name} | {what} |")
    out.append("")
    (HERE / "STATUS.md").write_text("\n".join(out), encoding="utf-8")
    print(f"{len(names) - len(rows)} of {len(names)} pass; wrote STATUS.md")
    return len(rows)


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
