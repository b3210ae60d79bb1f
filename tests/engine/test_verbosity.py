"""What ``nmap.verbosity()``/``nmap.debugging()`` give a script, compared with nmap 7.93:
the -v level, plus one for a script selected by name (or path), never for one selected
by category.  (nmap's -d also raises -v: that is the command line's part, see
nse/scan/options.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nse.engine.api import EngineOptions, run_scripts
from nse.engine.datadir import DataDirs

from .nmaprun import HAVE_NMAP, run_nmap

SCRIPT = """
description = "prints the levels"
categories = {"vtest"}
prerule = function() return true end
action = function()
  return ("v=%d d=%d"):format(nmap.verbosity(), nmap.debugging())
end
"""

#: (engine verbosity, debugging, nmap flags): nmap's -d raises verbosity too
CASES = [(0, 0, []), (1, 0, ["-v"]), (1, 1, ["-d"]), (2, 2, ["-d2"])]


def _datadir(tmp_path: Path) -> Path:
    d = tmp_path / "dd"
    (d / "scripts").mkdir(parents=True)
    (d / "scripts" / "lv.nse").write_text(SCRIPT)
    (d / "scripts" / "script.db").write_text(
        'Entry { filename = "lv.nse", categories = { "vtest", } }\n')
    return d


def _ours(d: Path, selection: str, v: int, dbg: int) -> str:
    r = run_scripts(selection, [], options=EngineOptions(
        datadirs=DataDirs([str(d)]), verbosity=v, debugging=dbg, log=lambda s: None))
    return r.pre[0].text


@pytest.mark.parametrize(("v", "dbg", "_flags"), CASES)
def test_levels_by_category_and_by_name(tmp_path: Path, v: int, dbg: int,
                                        _flags: list[str]) -> None:
    d = _datadir(tmp_path)
    assert _ours(d, "vtest", v, dbg) == f"v={v} d={dbg}"
    assert _ours(d, "lv", v, dbg) == f"v={v + 1} d={dbg}"


@pytest.mark.nmap
@pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")
@pytest.mark.parametrize(("v", "dbg", "flags"), CASES)
def test_levels_as_nmap(tmp_path: Path, v: int, dbg: int, flags: list[str]) -> None:
    d = _datadir(tmp_path)
    for sel in ("vtest", "lv"):
        out = run_nmap("-sn", "-Pn", "-n", *flags, "--datadir", str(d), "--script", sel,
                       "127.0.0.1")
        m = re.search(r"^\|_lv: (.*)$", out, re.M)
        assert m is not None, out
        assert m.group(1) == _ours(d, sel, v, dbg)
