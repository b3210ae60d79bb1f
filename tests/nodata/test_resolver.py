"""Issue 6 acc. 2 / issue 7 acc. 2: "no nmap data directory" means ``NMAPDIR`` pointing to
an empty folder, and then no data-file search of ours may land in ``/usr/share/nmap``.

Each resolver runs for real in a child process whose environment has ``NMAPDIR`` (or
``--datadir``) set to an empty folder and ``HOME`` to another one; nothing is patched.
The child prints every path the resolvers return, as JSON.  When nmap is installed the
same child without ``NMAPDIR`` must find nmap's files there, so the first test cannot pass
by resolving nothing at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SYSTEM = "/usr/share/nmap"
HAVE_NMAP = os.path.isfile(os.path.join(SYSTEM, "nmap-services"))

# Every resolver of the program, asked for every kind of data file.
PROBE = r"""
import json, sys
from nse.lib import datadir, nmap
from nse.engine.context import Runtime, EngineOptions, set_runtime
from nse.engine.datadir import DataDirs
from nse.engine.catalog import ScriptCatalog
from nse.scan.services import datadir_candidates, load_services
from nse.scan.vscan import find_probe_file
opt = sys.argv[1] or None
dd = DataDirs.discover(opt)
cat = ScriptCatalog.build(dd)
set_runtime(Runtime(EngineOptions(datadirs=dd)))  # as the engine installs it for a scan
names = ["nmap-services", "nmap-service-probes", "nmap-mac-prefixes", "nmap.xsl",
         "scripts/script.db", "scripts/http-title.nse", "nselib/http.lua",
         "nselib/data/usernames.lst", "nselib/data/passwords.lst",
         "nselib/data/http-fingerprints.lua"]
out = {
    "nmap_dirs": datadir.nmap_dirs(opt),
    "search_dirs": datadir.search_dirs(datadir=opt),
    "candidates": datadir_candidates(opt),
    "discover": dd.dirs,
    "nselib_paths": dd.nselib_paths(),
    "fetchfile": {n: datadir.fetchfile(n, opt) for n in names},
    "fetch_data": {n: dd.fetch_data(n) for n in names},
    "engine_fetchfile": {n: dd.fetchfile(n)[1] for n in names},
    "nmap_fetchfile": {n: nmap.fetchfile(n) for n in names},
    "probes": find_probe_file(opt),
    "services": load_services(opt).source,
    "top_tcp": load_services(opt).top_ports(10, "tcp"),
    "top_tcp_own": load_services(opt, use_nmap=False).top_ports(10, "tcp"),
    "catalog": sorted(cat.paths.values()),
    "fetch_http_title": cat.fetch("http-title.nse")[1],
    "fetch_ftp_anon": cat.fetch("ftp-anon")[1],
}
print(json.dumps(out))
"""


def _resolve(tmp: Path, *, nmapdir: bool, datadir: bool = False) -> dict[str, Any]:
    empty = tmp / "empty"
    home = tmp / "home"
    empty.mkdir(exist_ok=True)
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "NMAPDIR"}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT))
    if nmapdir:
        env["NMAPDIR"] = str(empty)
    p = subprocess.run([sys.executable, "-c", PROBE, str(empty) if datadir else ""],
                       capture_output=True, text=True, env=env, cwd=str(tmp), timeout=60)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout)


def _paths(obj: Any) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [p for v in obj.values() for p in _paths(v)]
    if isinstance(obj, list):
        return [p for v in obj for p in _paths(v)]
    return []


@pytest.mark.parametrize("how", ["NMAPDIR", "--datadir"])
def test_named_empty_datadir_never_reaches_usr_share_nmap(tmp_path: Path, how: str) -> None:
    got = _resolve(tmp_path, nmapdir=how == "NMAPDIR", datadir=how == "--datadir")
    leaked = [p for p in _paths(got) if p.startswith(SYSTEM)]
    assert leaked == [], got
    empty = str(tmp_path / "empty")
    assert got["nmap_dirs"] == [empty]          # ~/.nmap does not exist in HOME
    assert got["discover"] == [empty]
    assert got["nselib_paths"] == []
    # our own data instead of nmap's
    assert got["probes"] == str(ROOT / "nse" / "data" / "nse-service-probes")
    assert got["services"] == "builtin"
    # --top-ports from our own ranking (nmap-services' top 10 differs: 110, not 135)
    assert got["top_tcp"] == got["top_tcp_own"] and len(got["top_tcp"]) == 10
    assert got["fetchfile"]["nmap-service-probes"] == got["probes"]
    assert got["fetchfile"]["nselib/data/usernames.lst"] == str(
        ROOT / "nse" / "lib" / "data" / "usernames.lst")
    # the scripts' nmap.fetchfile too (unpwdb, brute and others read their lists with it)
    assert got["nmap_fetchfile"]["nselib/data/usernames.lst"] == str(
        ROOT / "nse" / "lib" / "data" / "usernames.lst")
    assert got["fetch_data"]["scripts/script.db"] == str(ROOT / "scripts_py" / "script.db")
    assert got["fetchfile"]["scripts/http-title.nse"] == str(
        ROOT / "scripts_lua" / "http-title.nse")
    # nmap's own files that we do not carry resolve to nothing
    for name in ("nmap-services", "nmap-mac-prefixes", "nmap.xsl", "nselib/http.lua",
                 "nselib/data/http-fingerprints.lua"):
        assert got["fetchfile"][name] is None, name
    # the catalog is ours: every script under scripts_py/, http-title among them
    assert got["catalog"] and all(p.startswith(str(ROOT / "scripts_py")) for p in got["catalog"])
    assert got["fetch_http_title"] == str(ROOT / "scripts_py" / "http-title.py")
    assert got["fetch_ftp_anon"] == str(ROOT / "scripts_py" / "ftp-anon.py")


@pytest.mark.nmap
@pytest.mark.skipif(not HAVE_NMAP, reason="nmap's data not installed")
def test_without_a_named_datadir_nmaps_installed_data_is_used(tmp_path: Path) -> None:
    """The control: the same resolvers, no NMAPDIR, find nmap's files (nmap's order)."""
    got = _resolve(tmp_path, nmapdir=False)
    assert got["nmap_dirs"] == [SYSTEM]
    assert got["probes"] == f"{SYSTEM}/nmap-service-probes"
    assert got["services"] == f"{SYSTEM}/nmap-services"
    assert got["top_tcp"] != got["top_tcp_own"]  # so the check above can tell them apart
    assert got["fetchfile"]["nselib/data/usernames.lst"] == f"{SYSTEM}/nselib/data/usernames.lst"
    assert got["fetch_http_title"] == f"{SYSTEM}/scripts/http-title.nse"
    assert got["nselib_paths"] == [f"{SYSTEM}/nselib"]


def test_nmapdir_with_files_is_searched_before_our_own(tmp_path: Path) -> None:
    """A named data directory that has a file wins over our own copy."""
    (tmp_path / "empty" / "nselib" / "data").mkdir(parents=True)
    mine = tmp_path / "empty" / "nselib" / "data" / "usernames.lst"
    mine.write_text("alice\n")
    (tmp_path / "empty" / "nmap-service-probes").write_text("Probe TCP NULL q||\n")
    got = _resolve(tmp_path, nmapdir=True)
    assert got["fetchfile"]["nselib/data/usernames.lst"] == str(mine)
    assert got["probes"] == str(tmp_path / "empty" / "nmap-service-probes")
    assert not [p for p in _paths(got) if p.startswith(SYSTEM)]
