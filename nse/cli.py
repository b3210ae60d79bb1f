"""The ``nse`` command line (typer).  Thin: parses, calls, prints.

Each subcommand group lives in its own module (``cli_lua``, ``cli_scan``, ``cli_script``)
exposing ``register(app)``, so the packages behind them can be built side by side.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

_SUBCOMMAND_MODULES = ("nse.cli_lua", "nse.cli_scan", "nse.cli_script")


def _make_app() -> typer.Typer:
    # typer (with click and rich) is imported only for the typer-driven subcommands:
    # `nse scan` never needs it (~55 ms and 5.5 MB of every scan, measured).
    import typer

    return typer.Typer(
        name="nse",
        help="nse: the Nmap Scripting Engine in Python: scan, run NSE scripts, convert Lua.",
        epilog=(
            "[bold]EXAMPLES:[/bold]\n\n"
            "  nse scan -sT -p 1-1024 --script default 127.0.0.1\n\n"
            "  nse scan -h    [dim](every scan option, grouped as nmap's)[/dim]\n\n"
            "  nse script list 'default and safe'\n\n"
            "  nse script help http-title\n\n"
            "  nse convert -o out/ scripts_lua/\n\n"
            "  nse lua test.lua arg1 arg2\n\n"
            "[bold]EXIT STATUS:[/bold] 0 done; 1 failed for some targets (scan) or a runtime "
            "error (lua); 2 usage error."
        ),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )


def _register(app: typer.Typer) -> None:
    for name in _SUBCOMMAND_MODULES:
        # A module that does not exist yet is skipped; one that exists but fails to
        # import is a real bug and must surface.
        if importlib.util.find_spec(name) is None:
            continue
        importlib.import_module(name).register(app)


def main() -> None:
    """Entry point of the ``nse`` console script."""
    argv = sys.argv[1:]
    # `nse scan` parses nmap's own option syntax itself; dispatching to it before typer and
    # the other subcommands are imported saves ~0.2 s of start-up on every scan (measured
    # with -X importtime), which matters for short scans and the scan benchmark.
    if argv[:1] == ["scan"] and importlib.util.find_spec("nse.cli_scan") is not None:
        from nse.cli_scan import run_and_exit

        run_and_exit(argv[1:])
    # Likewise `nse lua FILE ...` (not its --help or options): lua5.4 starts in 2 ms, so
    # every import we skip shows in the Lua benchmark's start-up figures.
    if argv[:1] == ["lua"] and len(argv) > 1 and (argv[1] == "-" or not argv[1].startswith("-")):
        from nse.cli_lua import main as lua_main

        sys.exit(lua_main(argv[1:]))
    app = _make_app()
    _register(app)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
