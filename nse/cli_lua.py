"""``nse lua FILE [ARGS...]`` (run a Lua file like ``lua5.4``) and ``nse convert``.

``nse lua`` behaves like ``lua5.4 FILE ARGS``: same standard output, the ``arg`` table
(``arg[0]`` the script, ``arg[1..n]`` the arguments, negative indices the interpreter's
own words), ``...`` = the arguments.  On an error it prints ``nse: <message>`` and a Lua
stack traceback on stderr and exits with status 1, as ``lua5.4`` does with ``lua5.4:``.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

if TYPE_CHECKING:
    import typer

__all__ = ["register", "run_lua_file"]

# Lua-to-Lua calls recurse on the Python stack: allow deep recursion, on a thread with
# a stack big enough for it ("stack overflow" is then a clean Lua error, not a crash).
_RECURSION_LIMIT = 220000
_STACK_SIZE = 512 * 1024 * 1024


def _flush() -> None:
    for s in (sys.stdout, sys.stderr):
        try:
            s.flush()
        except (OSError, ValueError):
            pass


def _errmsg(exc: BaseException) -> str:
    from nse.lua.errors import LuaError, from_python_exception

    err = exc if isinstance(exc, LuaError) else from_python_exception(exc)
    return str(err)


def _traceback(exc: BaseException) -> str:
    """A ``stack traceback:`` of the Lua frames an exception went through (innermost
    first), in the shape lua.c prints."""
    from nse.lua.errors import is_lua_code

    lines = []
    tb = exc.__traceback__
    while tb is not None:
        f = tb.tb_frame
        if is_lua_code(f.f_code, f.f_globals):
            name = f.f_code.co_name
            what = "main chunk" if name == "main" else f"function '{name}'"
            lines.append(f"\t{f.f_code.co_filename}:{tb.tb_lineno}: in {what}")
        tb = tb.tb_next
    lines.reverse()
    if len(lines) > 22:  # lauxlib.c luaL_traceback: LEVELS1 = 10 first, LEVELS2 = 11 last
        lines = lines[:10] + [f"\t...\t(skipping {len(lines) - 21} levels)"] + lines[-11:]
    return "\n".join(["stack traceback:", *lines, "\t[C]: in ?"])


def run_lua_file(path: str, args: list[str], debug: bool = False) -> int:
    """Run a Lua file as ``lua5.4 path args...`` does; return the exit status."""
    import transpiler

    try:
        if path == "-":
            data = sys.stdin.buffer.read()
            chunkname = "stdin"
        else:
            data = Path(path).read_bytes()
            chunkname = path
    except OSError as e:
        sys.stderr.write(f"nse: cannot open {path}: {e.strerror}\n")
        return 1
    try:
        if path == "-":
            from nse.lua.baselib import chunk_text

            factory = transpiler.compile_chunk(chunk_text(data), chunkname)
        else:  # compiled once per content, like the engine's scripts
            from transpiler.cache import load_bytes

            factory = load_bytes(data, chunkname)
    except transpiler.ConvertError as e:
        sys.stderr.write(f"nse: {e}\n")
        return 1
    except Exception as e:  # a transpiler bug: say so in one line (traceback with -d)
        sys.stderr.write(f"nse: {chunkname}: internal transpiler error: {e!r}\n")
        if debug:
            raise
        return 1
    from nse.lua.baselib import new_env
    from nse.lua.luatable import LuaTable

    env = new_env()
    argt = LuaTable()
    argt[-2] = "nse"
    argt[-1] = "lua"
    argt[0] = _lua_str(path)
    for i, a in enumerate(args, 1):
        argt[i] = _lua_str(a)
    env["arg"] = argt
    status = [1]

    def body() -> None:
        try:
            factory(env)(*[_lua_str(a) for a in args])
            status[0] = 0
        except SystemExit as e:  # os.exit
            status[0] = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException as e:  # noqa: B036 - every error ends the script as in lua.c
            _flush()
            sys.stderr.write(f"nse: {_errmsg(e)}\n")
            tb = getattr(e, "lua_traceback", None) or _traceback(e)
            sys.stderr.write(tb.rstrip("\n") + "\n")
            if debug:
                import traceback

                traceback.print_exception(e)
            status[0] = 1
        finally:
            _flush()

    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_RECURSION_LIMIT)
    old_stack = threading.stack_size()
    try:
        threading.stack_size(_STACK_SIZE)
        # daemon: Ctrl-C in the main thread ends the process even mid-script
        t = threading.Thread(target=body, name="lua-main", daemon=True)
        t.start()
    finally:
        threading.stack_size(old_stack)
    t.join()
    sys.setrecursionlimit(old_limit)
    return status[0]


def _lua_str(s: str) -> str:
    """A command-line argument as a Lua string (its bytes, one char per byte)."""
    return os.fsencode(s).decode("latin-1")


def register(app: typer.Typer) -> None:
    """Add the ``lua`` and ``convert`` commands to the ``nse`` application."""
    # typer is imported here, not at module level, so that ``python -m nse.cli_lua``
    # starts without it; typer evaluates the annotations below in this module's globals.
    global typer
    import typer

    @app.command(
        "lua",
        context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
        help="Run a Lua 5.4 file like lua5.4 FILE [ARGS...] (ARGS may start with '-').",
        epilog=("[bold]EXAMPLES:[/bold]\n\n  nse lua hello.lua\n\n"
                "  nse lua script.lua -x 1    [dim](arg[1] is '-x')[/dim]\n\n"
                "  echo 'print(1 // 0.0)' | nse lua -"),
    )
    def lua_cmd(
        file: Annotated[str, typer.Argument(help="Lua file to run ('-': standard input).")],
        args: Annotated[list[str] | None, typer.Argument(help="Arguments for the script.")
                        ] = None,
        debug: Annotated[bool, typer.Option("-d", "--debug",
                                            help="Also print the Python traceback.")] = False,
    ) -> None:
        rc = run_lua_file(file, list(args or []), debug=debug)
        _flush()
        raise typer.Exit(rc)

    @app.command("convert", help="Convert .nse/.lua files or folders to Python (.py).",
                 epilog=("[bold]EXAMPLES:[/bold]\n\n  nse convert my-script.nse\n\n"
                         "  nse convert -o scripts_py/ -j 2 -v scripts_lua/\n\n"
                         "  nse convert /usr/share/nmap/scripts/http-title.nse"))
    def convert_cmd(
        paths: Annotated[list[str], typer.Argument(help="Files or folders (recursive).")],
        output: Annotated[str | None, typer.Option(
            "-o", "--output", help="Output folder (default: next to each source).")] = None,
        jobs: Annotated[int, typer.Option("-j", "--jobs", help="Worker processes.")] = 2,
        verbose: Annotated[bool, typer.Option("-v", "--verbose", help="List files.")] = False,
    ) -> None:
        from transpiler.cache import convert_paths

        missing = [p for p in paths if not os.path.exists(p)]
        for p in missing:
            sys.stderr.write(f"{p}: no such file or directory\n")
        t0 = time.monotonic()
        results = convert_paths([p for p in paths if p not in missing], output, jobs=jobs)
        failed = 0
        for r in results:
            if r.error is not None:
                failed += 1
                sys.stderr.write(r.error + "\n")
            elif verbose:
                sys.stdout.write(f"{r.src} -> {r.dst}{' (cached)' if r.cached else ''}\n")
        dt = time.monotonic() - t0
        ok = len(results) - failed
        sys.stderr.write(f"converted {ok} of {len(results)} files in {dt:.2f} s\n")
        raise typer.Exit(1 if failed or missing or not results else 0)


def main(argv: list[str] | None = None) -> int:
    """``python -m nse.cli_lua [-d] FILE [ARGS...]``: ``nse lua`` without loading typer
    (a third of the start-up time), for benchmarks and scripts."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = bool(args) and args[0] in ("-d", "--debug")
    if debug:
        args = args[1:]
    if not args:
        sys.stderr.write("usage: python -m nse.cli_lua [-d] FILE [ARGS...]\n")
        return 1
    try:
        return run_lua_file(args[0], args[1:], debug=debug)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
