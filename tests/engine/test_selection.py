"""Selection expressions: unit cases, and the same choices as ``nmap --script-help``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from nse.engine.datadir import DataDirs
from nse.engine.scriptdb import read_script_db
from nse.engine.selection import SelectionError, choose_scripts, match_rule, split_rules

from .nmaprun import HAVE_NMAP, NMAP_DATA, run_nmap


def sel(rule: str, cats: list[str], base: str) -> tuple[bool, bool] | None:
    m = match_rule(rule, cats, base)
    return None if m is None else (m.selected, m.by_name)


def test_keywords_and_categories() -> None:
    assert sel("default", ["default", "safe"], "banner") == (True, False)
    assert sel("DEFAULT", ["default"], "banner") == (True, False)
    assert sel("default", ["safe"], "banner") == (False, False)
    assert sel("all", [], "x") == (True, False)
    assert sel("not intrusive", ["safe"], "x") == (True, False)
    assert sel("NOT(intrusive)", ["intrusive"], "x") == (False, False)
    assert sel("http-*", ["safe"], "http-title") == (True, True)
    assert sel("HTTP-*", ["safe"], "http-title") == (False, False)  # names are case-sensitive
    assert sel("banner.nse", [], "banner") == (True, True)
    assert sel("http-?itle", [], "http-title") == (False, False)  # only * is a wildcard
    assert sel("true", [], "x") == (True, False)
    assert sel("false or x", [], "x") == (True, True)
    assert sel("(a", [], "a") is None
    assert sel("a and", [], "a") is None


def test_peg_precedence_quirk() -> None:
    # "a and b or c" is a and (b or c) under the PEG's committed choice
    assert sel("safe and intrusive or x", ["safe"], "x") == (True, True)
    assert sel("intrusive and safe or x", ["safe"], "x") == (False, True)
    assert sel("x or safe and intrusive", ["safe"], "x") == (True, True)


def test_split_and_errors(tmp_path: Path) -> None:
    assert split_rules("(a or b),c") == ["(a or b)", "c"]
    entries = [("a.nse", ["safe"]), ("b.nse", ["intrusive"])]
    dd = DataDirs([str(tmp_path)])
    (tmp_path / "scripts").mkdir()
    for n in ("a", "b"):
        (tmp_path / "scripts" / f"{n}.nse").write_text("")
    got = choose_scripts(["safe", " +b "], entries, dd.fetchscript)
    assert [(os.path.basename(c.path), c.forced, c.by_name) for c in got] == [
        ("a.nse", False, False), ("b.nse", True, True)]
    with pytest.raises(SelectionError, match="'nosuch' did not match a category"):
        choose_scripts(["safe", "nosuch"], entries, dd.fetchscript)
    with pytest.raises(SelectionError, match="will not match without '/'"):
        choose_scripts([str(tmp_path / "scripts")], entries, dd.fetchscript)
    got = choose_scripts([str(tmp_path / "scripts") + "/"], entries, dd.fetchscript,
                         lambda p: sorted(os.listdir(p)))
    assert [c.selection for c in got] == ["directory", "directory"]


EXPRESSIONS = [
    "default",
    "safe",
    "DEFAULT",
    "all",
    "default,safe",
    "default and safe",
    "default or safe",
    "not intrusive",
    "not (intrusive or dos)",
    "http-*",
    "http-title",
    "http-title.nse",
    "banner,http-title,ssh-hostkey",
    "http-* and not brute",
    "(http-* or ssl-*) and safe",
    "smb-* and (vuln or exploit)",
    "discovery and not safe and not intrusive",
    "vuln and safe",
    "brute and ftp-*",
    "*-brute",
    "*ssl*",
    "broadcast",
    "external and not intrusive",
    "version",
    "malware or backdoor",
    "safe and intrusive or ftp-anon",
    "not default and not safe and not intrusive",
    "NoT   (default)   AnD   http-*",
    "true",
    "false",
    "false or ssh-hostkey",
    "fuzzer,dos",
    "+http-title",
    "default and (ssh* or smtp*)",
    "auth and not brute",
    "  ftp-anon  ",
    "mysql-*,ms-sql-*,oracle-*",
    "(((safe)))",
    "x*y*",
    "dns-* and broadcast",
]


def _nmap_ids(expr: str) -> list[str]:
    out = run_nmap("--script-help", expr)
    # each script prints "id\nCategories: ...\nhttps://nmap.org/nsedoc/scripts/id.html\n"
    return re.findall(r"^(\S+)\nCategories:[^\n]*\nhttps://nmap\.org/nsedoc/scripts/\1\.html$",
                      out, re.M)


@pytest.fixture(scope="module")
def nmap_db() -> tuple[list[tuple[str, tuple[str, ...]]], DataDirs]:
    db = read_script_db(NMAP_DATA / "scripts" / "script.db")
    return [(e.filename, e.categories) for e in db], DataDirs([str(NMAP_DATA)])


@pytest.mark.nmap
@pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")
@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_same_choice_as_nmap(expr: str, nmap_db: tuple) -> None:
    entries, dd = nmap_db
    expected = _nmap_ids(expr)
    try:
        chosen = choose_scripts(split_rules(expr), entries, dd.fetchscript)
        got = [re.sub(r"\.nse$", "", os.path.basename(c.path)) for c in chosen]
    except SelectionError:
        got = []
    assert got == expected
    if not expected:
        # nmap then reports the word that matched nothing
        assert "did not match a category, filename, or directory" in run_nmap(
            "--script-help", expr)


def test_datadir_search_order(tmp_path: Path) -> None:
    dirs = {n: tmp_path / n for n in ("opt", "env", "home")}
    for n, d in dirs.items():
        (d / "scripts").mkdir(parents=True)
        (d / "scripts" / f"only-{n}.nse").write_text("")
        (d / "scripts" / "shared.nse").write_text(n)
    (dirs["home"] / ".nmap").symlink_to(dirs["home"])
    dd = DataDirs.discover(str(dirs["opt"]), environ={"NMAPDIR": str(dirs["env"]),
                                                     "HOME": str(dirs["home"])},
                           include_system=False)
    assert dd.dirs == [str(dirs["opt"]), str(dirs["env"]), str(dirs["home"] / ".nmap")]
    kind, path = dd.fetchscript("shared.nse")
    assert kind == "file" and Path(path).read_text() == "opt"
    assert dd.fetchscript("only-home.nse")[0] == "file"
    assert dd.fetchscript(str(tmp_path / "opt" / "scripts"))[0] == "bare_directory"
    assert dd.fetchscript(str(tmp_path / "opt" / "scripts") + "/")[0] == "directory"
    assert dd.fetchscript("nothing.nse")[0] is None
