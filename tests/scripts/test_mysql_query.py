"""mysql.sqlQuery against the lab's real MariaDB: nmap's own mysql-query,
mysql-databases and mysql-variables scripts, run by our engine (converted from
/usr/share/nmap/scripts) and by nmap 7.93 on the same port, outputs compared.

Where nselib 7.93 misreads the wire (NULL columns, packets of 256 bytes or more: see
nse/lib/mysql.py), nmap's script fails ("Script execution failed") or hangs; those
queries are checked against the ``mariadb`` command-line client instead.  The lab's
MariaDB has a user ``lab``/``lab`` for any host (tools/lab/daemons.py).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from typing import Any

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from tools.lab.daemons import daemon_lab_fixture  # noqa: E402

pytestmark = [pytest.mark.root, pytest.mark.lab, pytest.mark.nmap,
              pytest.mark.skipif(not os.path.isdir("/usr/share/nmap/scripts")
                                 or not shutil.which("nmap"), reason="needs nmap")]

daemon_lab = daemon_lab_fixture(["mysql"])

CREDS = "mysqluser=lab,mysqlpass=lab"


def _query_args(query: str, noheaders: bool = False) -> str:
    args = f'mysql-query.username=lab,mysql-query.password=lab,mysql-query.query="{query}"'
    return args + (",mysql-query.noheaders=1" if noheaders else "")


def run(lab: Any, tool: str, script: str, args: str, debug: bool = False) -> str:
    """The ``|`` lines of ``script``'s output from ``tool`` (nse or nmap)."""
    port = lab.ports["mysql"]
    if tool == "nse":
        cmd = [sys.executable, "-m", "nse.cli", "scan", "--script",
               f"/usr/share/nmap/scripts/{script}.nse"]
    else:
        cmd = [shutil.which("nmap") or "nmap", "--script", script]
    cmd += ["-d"] if debug else []
    cmd += ["-Pn", "-n", "-p", str(port), "--script-args", args, "--script-timeout", "20s",
            lab.ip]
    p = lab.run_client(cmd, timeout=60, env={**os.environ, "PYTHONPATH": ROOT}, cwd=ROOT)
    assert p.returncode == 0, f"{cmd}: rc {p.returncode}\n{p.stderr[-2000:]}"
    return "\n".join(ln for ln in p.stdout.splitlines() if ln.startswith("|"))


def client(lab: Any, query: str) -> list[list[str]]:
    """Rows of ``query`` as the mariadb client prints them (batch, raw, latin1 as we)."""
    p = lab.run_client(["mariadb", "-h", lab.ip, "-u", "lab", "-plab", "-N", "-B", "-r",
                        "--default-character-set=latin1", "-e", query], timeout=30)
    assert p.returncode == 0, p.stderr
    return [ln.split("\t") for ln in p.stdout.splitlines()]


QUERIES = {
    "select-1": ("select 1", False),
    "columns": ("select version() as v, 'x' as y, 2+2", False),
    "show-databases": ("show databases", False),
    "union-rows": ("select 'a' as c union select 'bb' union select 'ccc'", False),
    "noheaders": ("select 'a' as c union select 'bb'", True),
}


@pytest.mark.parametrize("case", list(QUERIES))
def test_mysql_query_equals_nmap(daemon_lab: Any, case: str) -> None:
    query, noheaders = QUERIES[case]
    ours = run(daemon_lab, "nse", "mysql-query", _query_args(query, noheaders))
    theirs = run(daemon_lab, "nmap", "mysql-query", _query_args(query, noheaders))
    assert f"Query: {query}" in theirs
    assert ours == theirs


@pytest.mark.parametrize("query", ["selec oops", "select user, host from mysql.user"])
def test_mysql_query_error_equals_nmap(daemon_lab: Any, query: str) -> None:
    # the ERROR line shows only with -d, in both tools
    ours = run(daemon_lab, "nse", "mysql-query", _query_args(query), debug=True)
    theirs = run(daemon_lab, "nmap", "mysql-query", _query_args(query), debug=True)
    assert "ERROR: " in theirs
    assert ours == theirs


def test_mysql_databases_equals_nmap(daemon_lab: Any) -> None:
    ours = run(daemon_lab, "nse", "mysql-databases", CREDS)
    theirs = run(daemon_lab, "nmap", "mysql-databases", CREDS)
    assert "information_schema" in theirs
    assert ours == theirs


def _table(block: str) -> list[str]:
    """The result table lines of a mysql-query block (before the blank line)."""
    lines = [ln[4:] for ln in block.splitlines()[1:]]  # after "|   " or "|_  "
    return lines[:lines.index("")] if "" in lines else lines


def test_mysql_query_where_nselib_fails_equals_the_client(daemon_lab: Any) -> None:
    # NULL and a 300-byte value: nmap 7.93's script dies or times out on these
    query = "select null as n, repeat('a', 300) as r, '' as e"
    ours = _table(run(daemon_lab, "nse", "mysql-query", _query_args(query, True)))
    want = client(daemon_lab, query)
    assert [re.split(r"  +", ln.strip()) for ln in ours] == \
        [[c for c in row if c] for row in want]
    assert want == [["NULL", "a" * 300, ""]]


# session variables that change from one connection to the next
_PER_SESSION = {"pseudo_thread_id", "rand_seed1", "rand_seed2", "timestamp"}


def test_mysql_variables_equals_the_client(daemon_lab: Any) -> None:
    # nmap 7.93's mysql-variables fails on MariaDB 10.11 (values over 255 bytes, such
    # as optimizer_switch): checked here against the mariadb client's show variables
    ours = run(daemon_lab, "nse", "mysql-variables", CREDS).splitlines()
    assert ours[0] == "| mysql-variables: "
    got = [ln[4:].split(": ", 1) for ln in ours[1:]]  # after "|   " or "|_  "
    want = client(daemon_lab, "show variables")
    assert len(got) == len(want) > 300
    for (gk, gv), (wk, wv) in zip(got, want, strict=True):
        assert gk == wk
        if gk not in _PER_SESSION:
            assert gv == wv, gk
    assert max(len(v) for _, v in got) > 255  # the values nselib cannot read
