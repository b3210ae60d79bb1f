"""``nse script updatedb/list/help`` on a data directory of Python scripts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from nse import cli_script
from nse.engine.scriptdb import read_script_db

from .nmaprun import HAVE_NMAP, NMAP_DATA, run_nmap


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _cb() -> None:
        """nse"""

    cli_script.register(app)
    return app


def test_updatedb_list_help(tmp_path: Path) -> None:
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "zeta.py").write_text(
        'description = "Zeta does\\nthings.\\n\\nMore."\ncategories = ["Safe", "discovery"]\n'
        "def prerule(): return True\ndef action(): return 'z'\n")
    (scripts / "alpha.py").write_text(
        'description = "Alpha."\ncategories = ["intrusive"]\n'
        "def portrule(h, p): return True\ndef action(h, p): return 'a'\n")
    (scripts / "broken.py").write_text("categories = []\n")
    runner = CliRunner()
    app = make_app()
    r = runner.invoke(app, ["script", "updatedb", "--datadir", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert (scripts / "script.db").read_text() == (
        'Entry { filename = "alpha.py", categories = { "intrusive", } }\n'
        # nmap sorts the categories before lower-casing them: "Safe" < "discovery"
        'Entry { filename = "zeta.py", categories = { "safe", "discovery", } }\n')
    assert [e.filename for e in read_script_db(scripts / "script.db")] == ["alpha.py", "zeta.py"]
    assert "broken.py is missing required field: 'action'" in r.output

    r = runner.invoke(app, ["script", "list", "safe or intrusive", "--datadir", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert r.stdout.split("\n")[:2] == [f"{'alpha':<32} intrusive", f"{'zeta':<32} Safe discovery"]

    r = runner.invoke(app, ["script", "help", "zeta", "--datadir", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert r.stdout == ("\nzeta\nCategories: Safe discovery\n"
                        "https://nmap.org/nsedoc/scripts/zeta.html\n"
                        "  Zeta does\n  things.\n\n  More.")

    r = runner.invoke(app, ["script", "help", "nothing-here", "--datadir", str(tmp_path)])
    assert r.exit_code == 1
    assert "'nothing-here' did not match a category, filename, or directory" in r.output


def test_bundled_folder_scripts_by_name_and_category(tmp_path: Path) -> None:
    from nse.engine.api import EngineOptions, ScriptEngine
    from nse.engine.datadir import DataDirs
    from nse.engine.scriptdb import DbEntry, write_script_db

    bundled = tmp_path / "scripts_py"
    bundled.mkdir()
    (bundled / "own-one.py").write_text(
        'description = "x"\ncategories = ["default"]\n'
        "def prerule(): return True\ndef action(): return 'one'\n")
    opts = EngineOptions(datadirs=DataDirs([]))
    # by name without a database: found as <name>.py in the bundled folder
    eng = ScriptEngine("own-one", opts, bundled_dir=str(bundled))
    assert [s.id for s in eng.scripts] == ["own-one"]
    # by category once script.db lists it
    write_script_db(bundled / "script.db", [DbEntry("own-one.py", ("default",))])
    eng = ScriptEngine(None, opts, default=True, bundled_dir=str(bundled))
    assert [s.id for s in eng.scripts] == ["own-one"]
    assert [o.text for o in eng.pre_scan()] == ["one"]


@pytest.mark.nmap
@pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")
@pytest.mark.parametrize("expr", ["http-title,ftp-anon,ssh-* and default", "smb-os-discovery",
                                  "default and safe and not http-*"])
def test_script_help_same_as_nmap(expr: str) -> None:
    pytest.importorskip("nse.lua.baselib")
    want = run_nmap("--script-help", expr)
    want = want[want.index("\n") + 1:]  # after "Starting Nmap ..."
    ours = cli_script.script_help_text(expr, str(NMAP_DATA))
    # scripts of our own (scripts_py/ without an nmap twin, e.g. ftp-auth-tls) match
    # categories too; nmap does not have them
    blocks = re.split(r"(?=\n[\w.-]+\nCategories: )", ours)
    nmaps = {p.stem for p in (NMAP_DATA / "scripts").glob("*.nse")}
    ours = "".join(b for b in blocks if not b or b.split("\n", 2)[1] in nmaps)
    assert ours == want


@pytest.mark.nmap
@pytest.mark.slow
@pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")
def test_updatedb_over_nmap_scripts_writes_nmaps_database(tmp_path: Path) -> None:
    # updatedb over Debian's scripts writes nmap's script.db byte for byte (written to a
    # temporary file: the system's own database is left alone)
    pytest.importorskip("nse.lua.baselib")
    path, errors = cli_script.updatedb(str(NMAP_DATA), str(NMAP_DATA / "scripts"),
                                       str(tmp_path / "script.db"))
    assert errors == []
    assert path == str(tmp_path / "script.db")
    assert Path(path).read_bytes() == (NMAP_DATA / "scripts" / "script.db").read_bytes()
