"""Run many conformance programs with ``nse lua`` quickly.

Starting ``nse lua`` costs a Python interpreter plus the imports of typer, the transpiler
and the runtime (0.3-0.5 s on the 2-core test machine), which is more than most
programs take to run.  Two ways to run a batch:

``fork`` (default where ``os.fork`` exists)
    The parent imports ``nse.cli`` and the modules ``nse lua`` needs once, then forks one
    child per program.  The child sets up exactly what a fresh ``nse lua FILE ARGS``
    process would see (cwd, environment, stdin/stdout/stderr on pipes, ``sys.argv``) and
    calls the console script's entry point ``nse.cli.main()``.  Only the interpreter
    start-up and the imports are shared; every program still runs in its own process.

``subprocess``
    ``nse lua FILE ARGS`` (or ``$NSE_LUA_CMD FILE ARGS``) as a real subprocess, in a
    thread pool.  ``test_conformance.py`` always runs a few programs this way too, so the
    console script itself stays covered.

Either way at most ``jobs`` programs run at once.
"""

from __future__ import annotations

import os
import selectors
import signal
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from conformance_record import HERE, TIMEOUT, Result, args_of, environment, run, stdin_of

__all__ = ["run_subprocess", "run_forked", "preload"]


def run_subprocess(command: list[str], names: Iterable[str], jobs: int) -> dict[str, Result]:
    """Run every program as ``command NAME ARGS`` in a pool of ``jobs`` threads."""
    names = list(names)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return dict(zip(names, pool.map(lambda n: run(command, n), names), strict=True))


PRELOAD = (
    "nse.cli_lua",
    "nse.cli_scan",
    "nse.cli_script",
    "typer",
    "typer._adapters",
    "typer._click.decorators",
    "transpiler",
    "transpiler.cache",
    "transpiler.rtx",
    "transpiler.lexer",
    "transpiler.parser",
    "transpiler.codegen",
    "pydantic.plugin._loader",
    "nse.lua.rt",
    "nse.lua.baselib",
    "nse.lua.iolib",
    "nse.lua.lpattern",
    "nse.lua.mathlib",
    "nse.lua.oslib",
    "nse.lua.strformat",
    "nse.lua.strlib",
    "nse.lua.strpack",
    "nse.lua.tablib",
    "nse.lua.utf8lib",
    "nse.lua.coroutine",
)


def preload() -> Callable[[], None]:
    """Import what ``nse lua`` imports and return the console-script entry point."""
    import nse.cli

    # The subcommand modules and what running a file imports, also lazily (typer's
    # parameter adapters pull in pydantic: a third of the start-up); nse.cli.main()
    # registers the subcommands itself in each child.
    for mod in PRELOAD:
        try:
            __import__(mod)
        except ImportError:
            pass
    return nse.cli.main


def _child(name: str, stdin_fd: int, out_fd: int, err_fd: int, main: Callable[[], None]) -> None:
    """In the forked child: become ``nse lua NAME ARGS`` and exit with its status."""
    code = 1
    try:
        os.dup2(stdin_fd, 0)
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        for fd in (stdin_fd, out_fd, err_fd):
            os.close(fd)
        os.chdir(HERE)
        env = environment()
        os.environ.clear()
        os.environ.update(env)
        time.tzset()
        # Fresh standard streams like a new interpreter's (UTF-8 mode under LC_ALL=C).
        stdin = open(0, encoding="utf-8", errors="surrogateescape", closefd=False)
        stdout = open(1, "w", encoding="utf-8", errors="surrogateescape", closefd=False)
        stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
        sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
        sys.__stdin__ = stdin  # type: ignore[misc]
        sys.__stdout__ = stdout  # type: ignore[misc]
        sys.__stderr__ = stderr  # type: ignore[misc]
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.argv = ["nse", "lua", name, *args_of(name)]
        try:
            main()
            code = 0
        except SystemExit as exc:
            if exc.code is None:
                code = 0
            elif isinstance(exc.code, int):
                code = exc.code
            else:
                sys.stderr.write(f"{exc.code}\n")
                code = 1
    except BaseException as exc:  # noqa: BLE001 - anything else is a crash of nse itself
        try:
            sys.stderr.write(f"runner: {type(exc).__name__}: {exc}\n")
        except BaseException:  # noqa: BLE001
            pass
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:  # noqa: BLE001
                pass
        os._exit(code & 0xFF)


def run_forked(names: Iterable[str], jobs: int, timeout: float = TIMEOUT) -> dict[str, Result]:
    """Run every program in a forked child of this (preloaded) process."""
    main = preload()
    pending = list(names)
    results: dict[str, Result] = {}
    sel = selectors.DefaultSelector()
    running: dict[int, dict] = {}  # pid -> state

    def start(name: str) -> None:
        in_r, in_w = os.pipe()
        data = stdin_of(name)
        if len(data) > 60000:  # must fit in the pipe before the child reads it
            raise ValueError(f"{name}: stdin file too large for the fork runner")
        os.write(in_w, data)
        os.close(in_w)
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            os.close(out_r)
            os.close(err_r)
            _child(name, in_r, out_w, err_w, main)
        for fd in (in_r, out_w, err_w):
            os.close(fd)
        state = {
            "name": name,
            "out": bytearray(),
            "err": bytearray(),
            "open": 2,
            "deadline": time.monotonic() + timeout,
            "killed": False,
        }
        running[pid] = state
        sel.register(out_r, selectors.EVENT_READ, (pid, "out"))
        sel.register(err_r, selectors.EVENT_READ, (pid, "err"))

    def finish(pid: int) -> None:
        state = running.pop(pid)
        _, wstatus = os.waitpid(pid, 0)
        if state["killed"]:
            status = -999
            state["err"] += b"TIMEOUT after %d s\n" % int(timeout)
        else:
            status = os.waitstatus_to_exitcode(wstatus)
        results[state["name"]] = Result(bytes(state["out"]), bytes(state["err"]), status)

    while pending or running:
        while pending and len(running) < max(1, jobs):
            start(pending.pop(0))
        for key, _ in sel.select(timeout=0.5):
            pid, which = key.data
            chunk = os.read(key.fd, 65536)
            state = running[pid]
            if chunk:
                state[which] += chunk
                continue
            sel.unregister(key.fd)
            os.close(key.fd)
            state["open"] -= 1
            if state["open"] == 0:
                finish(pid)
        now = time.monotonic()
        for pid, state in running.items():
            if not state["killed"] and now > state["deadline"]:
                state["killed"] = True
                os.kill(pid, signal.SIGKILL)
    sel.close()
    return results
