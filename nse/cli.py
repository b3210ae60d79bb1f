"""The ``nse`` command line (typer).  Thin: parses, calls, prints.

Each subcommand lives in its own module and is registered here, so that the
packages that implement them can be built side by side.
"""

from __future__ import annotations

import sys

import typer

app = typer.Typer(
    name="nse",
    help="nse: the Nmap Scripting Engine in Python: scan, run NSE scripts, convert Lua.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Imported lazily so that a broken or slow subcommand never breaks the others.
    from nse import cli_lua

    cli_lua.register(app)
    try:
        from nse import cli_scan
    except ImportError:
        return
    cli_scan.register(app)


def main() -> None:
    """Entry point of the ``nse`` console script."""
    _register()
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
