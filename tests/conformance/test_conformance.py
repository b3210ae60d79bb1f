"""Run every conformance program with ``nse lua`` and compare with the lua5.4 recording.

Each ``NNN_topic.lua`` in this directory has its stdout recorded from ``lua5.4`` in
``NNN_topic.out`` (see ``record.py``); ``_err`` programs also have their exit status in
``NNN_topic.status`` (others must exit 0) and the uncaught error's message in
``NNN_topic.err``, which must appear on stderr.  The test runs ``nse lua NNN_topic.lua`` with
cwd = this directory and compares stdout byte for byte, and the exit status.

Start-up of ``nse lua`` costs 0.3-0.5 s, more than most programs take, so the selected
programs run once per session, ``NSE_CONFORMANCE_JOBS`` at a time (default: the number of
CPUs, at most 4), in forked children of a process that has imported ``nse lua``'s modules
already (``runner.py``; ``test_runner.py`` checks that a child behaves like a fresh
process); each test then only looks up its own result.  ``test_console_script`` runs a few
programs through the real console script too.  ``NSE_CONFORMANCE_MODE=subprocess`` starts
a fresh ``nse lua`` for every program; ``NSE_LUA_CMD`` overrides that command (e.g.
``NSE_LUA_CMD=lua5.4`` checks the recordings themselves).
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import sys
from pathlib import Path

import pytest

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

PROGRAMS = record.programs()


def nse_command() -> list[str]:
    """The ``nse lua`` command: $NSE_LUA_CMD, else the venv's console script, else -m."""
    override = os.environ.get("NSE_LUA_CMD")
    if override:
        return shlex.split(override)
    script = Path(sys.executable).parent / "nse"
    if script.exists():
        return [str(script), "lua"]
    return [sys.executable, "-m", "nse.cli", "lua"]


@pytest.fixture(scope="session")
def results(request: pytest.FixtureRequest) -> dict[str, record.Result]:
    """Run every selected program once, in parallel, and return name -> Result."""
    wanted = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or getattr(item, "originalname", "") != "test_program":
            continue
        if Path(str(item.fspath)).resolve() == HERE / "test_conformance.py":
            wanted.append(callspec.params["program"])
    if not wanted:
        wanted = list(PROGRAMS)
    jobs = int(os.environ.get("NSE_CONFORMANCE_JOBS", min(4, os.cpu_count() or 1)))
    if _mode() == "fork":
        return runner.run_forked(wanted, jobs)
    return runner.run_subprocess(nse_command(), wanted, jobs)


def _mode() -> str:
    """``fork`` unless $NSE_LUA_CMD or $NSE_CONFORMANCE_MODE=subprocess say otherwise."""
    mode = os.environ.get("NSE_CONFORMANCE_MODE")
    if mode:
        return mode
    if os.environ.get("NSE_LUA_CMD") or not hasattr(os, "fork"):
        return "subprocess"
    return "fork"


def _first_difference(expected: bytes, got: bytes) -> str:
    exp_lines = expected.split(b"\n")
    got_lines = got.split(b"\n")
    for i, (e, g) in enumerate(zip(exp_lines, got_lines, strict=False)):
        if e != g:
            return f"line {i + 1}: expected {e!r}, got {g!r}"
    i = min(len(exp_lines), len(got_lines))
    return f"line {i + 1}: one output ends early (expected {len(exp_lines)} lines, got {len(got_lines)})"


def test_enough_programs() -> None:
    """The suite keeps its size: at least 170 programs, each with a recording."""
    assert len(PROGRAMS) >= 170
    for name in PROGRAMS:
        assert (HERE / (name[:-4] + ".out")).exists(), f"{name} has no .out (run record.py)"
        if record.is_err_program(name):
            assert (HERE / (name[:-4] + ".status")).exists(), f"{name} has no .status"


# Programs that use a Lua form the transpiler documents as unsupported (issue: "any other
# goto form is a clear ConvertError"). For these the behaviour under test is that error:
# nothing on stdout, exit status 1, and one line naming the file, the line and the form.
UNSUPPORTED = {
    "316_deep_loops_goto.lua": (
        "nse: 316_deep_loops_goto.lua:26: goto 'out' out of a loop nested more than 16 deep "
        "is not supported"
    ),
}


@pytest.mark.parametrize("program", PROGRAMS)
def test_program(program: str, results: dict[str, record.Result]) -> None:
    """``nse lua PROGRAM`` prints exactly what lua5.4 printed and exits the same way."""
    result = results.get(program)
    if result is None:  # selected in a way the fixture did not foresee
        result = record.run(nse_command(), program)
    if program in UNSUPPORTED:
        assert result.stdout == b""
        assert result.status == 1
        assert result.stderr.decode("latin-1").splitlines()[0] == UNSUPPORTED[program]
        return
    check(program, result)


# A few programs through the real console script (start-up, argument passing, exit
# status and stderr of a fresh process), whatever mode the batch above used.
CONSOLE_PROGRAMS = [p for p in PROGRAMS if p[:3] in {"001", "166", "195", "220", "223"}]


@pytest.mark.parametrize("program", CONSOLE_PROGRAMS)
def test_console_script(program: str) -> None:
    """The same comparison, running ``nse lua PROGRAM`` as a new process."""
    check(program, record.run(nse_command(), program))


def check(program: str, result: record.Result) -> None:
    """Fail unless ``result`` matches the recording of ``program``."""
    base = HERE / program[:-4]
    expected = Path(f"{base}.out").read_bytes()
    status_file = Path(f"{base}.status")
    want_status = int(status_file.read_text()) if status_file.exists() else 0
    stderr_tail = result.stderr.decode("latin-1").strip().splitlines()[-5:]
    if result.stdout != expected:
        pytest.fail(
            f"{program}: stdout differs at {_first_difference(expected, result.stdout)}\n"
            f"stderr: " + "\n".join(stderr_tail),
            pytrace=False,
        )
    assert result.status == want_status, (
        f"{program}: exit status {result.status}, expected {want_status}; stderr: "
        + "\n".join(stderr_tail)
    )
    err_file = Path(f"{base}.err")
    if err_file.exists():
        # The uncaught error's message must appear on stderr (the prefix and the
        # traceback that follow it are the interpreter's own business).
        message = err_file.read_bytes().rstrip(b"\n")
        assert message in result.stderr, (
            f"{program}: stderr lacks {message!r}; stderr: " + "\n".join(stderr_tail)
        )
