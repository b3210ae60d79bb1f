"""``nse script list|help|updatedb``: the script database from the command line.

* ``nse script list [EXPR]``: id and categories of every script EXPR selects (all by
  default).
* ``nse script help EXPR``: the same text as ``nmap --script-help EXPR``.
* ``nse script updatedb``: rewrite ``scripts/script.db`` of the data directory (as
  ``nmap --script-updatedb``), or of ``--dir FOLDER``.

``nse scan`` implements ``--script-help``/``--script-updatedb`` with
:func:`script_help_text` and :func:`updatedb`.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

__all__ = ["register", "script_help_text", "updatedb"]


def _options(datadir: str | None, verbose: int = 0, debug: int = 0):  # type: ignore[no-untyped-def]
    from nse.engine.context import EngineOptions
    from nse.engine.datadir import DataDirs

    return EngineOptions(datadirs=DataDirs.discover(datadir), verbosity=verbose,
                         debugging=debug)


def script_help_text(expr: str, datadir: str | None = None) -> str:
    """The ``--script-help EXPR`` text (raises nse.engine.api.EngineError)."""
    from nse.engine.api import ScriptEngine
    from nse.engine.scripthelp import format_script_help

    eng = ScriptEngine(expr, _options(datadir))
    return format_script_help(eng.scripts)


def updatedb(datadir: str | None = None, folder: str | None = None,
             out: str | None = None) -> tuple[str, list[str]]:
    """``--script-updatedb``: (path written, scripts that failed to load); ``out`` writes
    the database elsewhere than ``folder/script.db``."""
    from nse.engine.context import Runtime, set_runtime
    from nse.engine.scripthelp import update_db

    opts = _options(datadir)
    if folder is None:
        found = opts.datadirs.scripts_dir()
        if found is None:
            raise FileNotFoundError("could not locate scripts directory")
        folder = found
    rt = Runtime(opts)
    set_runtime(rt)
    try:
        suffixes = (".nse", ".py") if not os.path.isfile(os.path.join(folder, "__init__.py")) \
            else (".py",)
        return update_db(folder, rt, suffixes=suffixes, out=out)
    finally:
        set_runtime(None)


def register(app: typer.Typer) -> None:
    """Add the ``script`` command group to the ``nse`` application."""
    group = typer.Typer(help="List, describe and index NSE scripts.", no_args_is_help=True,
                        epilog=("[bold]EXAMPLES:[/bold]\n\n  nse script list default\n\n"
                                "  nse script list 'http-* and not intrusive'\n\n"
                                "  nse script help banner\n\n"
                                "  nse script updatedb --dir ./scripts"))

    @group.command("list")
    def list_cmd(
        expr: Annotated[str, typer.Argument(help="selection expression")] = "all",
        datadir: Annotated[str | None, typer.Option("--datadir")] = None,
    ) -> None:
        """Print the id and categories of the scripts EXPR selects."""
        from nse.engine.api import EngineError, ScriptEngine
        from nse.engine.scripthelp import format_script_list

        try:
            eng = ScriptEngine(expr, _options(datadir), skip_broken=True)
        except EngineError as e:
            typer.echo(f"nse: {e}", err=True)
            raise typer.Exit(1) from None
        sys.stdout.write(format_script_list(eng.scripts))
        for err in eng.load_errors:
            typer.echo(err, err=True)

    @group.command("help")
    def help_cmd(
        expr: Annotated[str, typer.Argument(help="selection expression")],
        datadir: Annotated[str | None, typer.Option("--datadir")] = None,
    ) -> None:
        """Print name, categories, URL and description (as nmap --script-help)."""
        from nse.engine.api import EngineError

        try:
            sys.stdout.write(script_help_text(expr, datadir))
        except EngineError as e:
            typer.echo(f"nse: {e}", err=True)
            raise typer.Exit(1) from None

    @group.command("updatedb")
    def updatedb_cmd(
        datadir: Annotated[str | None, typer.Option("--datadir")] = None,
        folder: Annotated[str | None, typer.Option("--dir", help="folder to index")] = None,
    ) -> None:
        """Rewrite script.db (nmap --script-updatedb)."""
        typer.echo("NSE: Updating rule database.")
        try:
            path, errors = updatedb(datadir, folder)
        except (OSError, FileNotFoundError) as e:
            typer.echo(f"nse: {e}", err=True)
            raise typer.Exit(1) from None
        for err in errors:
            typer.echo(err, err=True)
        typer.echo(f"NSE: Script Database updated successfully ({path}).")

    app.add_typer(group, name="script")
