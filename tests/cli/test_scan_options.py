"""`nse scan`'s script and output options: what they parse to, and bad values as one
line on stderr with exit status 2 (never a traceback, never a scan)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from nse.scan.options import parse_args

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_script_and_output_options_parse() -> None:
    o = parse_args(["-A", "--script", "banner", "--script=ftp-anon", "--script-args",
                    "a=1", "--script-args=b=2", "--script-timeout", "5s", "-oA", "base",
                    "-oX-", "-oJ", "x.json", "-oG", "g", "--stats-every", "2m",
                    "--script-trace", "127.0.0.1"])
    assert o.version_scan and o.default_scripts and o.aggressive
    assert o.scripts == ["banner", "ftp-anon"]
    assert o.script_args == "b=2"  # nmap keeps the last --script-args
    assert o.script_timeout == 5.0 and o.stats_every == 120.0 and o.script_trace
    assert (o.output_all, o.output_xml, o.output_json, o.output_grepable) == \
        ("base", "-", "x.json", "g")
    o = parse_args(["-sCV", "-p1", "127.0.0.1"])
    assert o.default_scripts and o.version_scan
    o = parse_args(["--script-help", "default"])  # no target needed
    assert o.script_help == "default" and o.targets == []
    assert parse_args(["--script-updatedb"]).script_updatedb
    assert parse_args(["--script-timeout", "0", "127.0.0.1"]).script_timeout is None


def test_sn_with_pn_lists_every_target_as_up() -> None:
    # nmap 7.93 accepts -sn -Pn without scripts: no probe at all, every target "up"
    # (a way to list what a target specification expands to)
    o = parse_args(["-sn", "-Pn", "127.0.0.1"])
    assert o.ping_only and o.no_ping
    assert parse_args(["-sn", "-Pn", "--script", "banner", "127.0.0.1"]).no_ping
    r = subprocess.run([sys.executable, "-m", "nse.cli", "scan", "-sn", "-Pn", "-n",
                        "127.0.0.1", "127.0.0.3"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    body = [ln for ln in r.stdout.splitlines() if not ln.startswith(("Starting", "Nmap done"))]
    assert body == ["Nmap scan report for 127.0.0.1", "Host is up.",
                    "Nmap scan report for 127.0.0.3", "Host is up."]
    assert "2 IP addresses (2 hosts up)" in r.stdout


BAD = [
    ["--script-timeout", "abc", "127.0.0.1"],
    ["-oZ", "x", "127.0.0.1"],
    ["-oX"],
    ["--script-args-file", "/nonexistent/args.txt", "127.0.0.1"],
    ["-oA", "-", "127.0.0.1"],
    ["-oN", "-", "-oX", "-", "127.0.0.1"],
    ["-Pn", "-p1", "--script", "banner", "--script-args", "a={", "127.0.0.1"],
    ["--stats-every", "x", "127.0.0.1"],
    ["-oN", "/nonexistent/dir/out.nmap", "-p1", "127.0.0.1"],
    ["--script-help", "no-such-script-xyz"],
    ["--script="],
    ["-Pn", "-p1", "--script", "no-such-category-or-file", "127.0.0.1"],
]


@pytest.mark.parametrize("args", BAD)
def test_bad_option_is_one_line_and_exit_2(args: list[str]) -> None:
    r = subprocess.run([sys.executable, "-m", "nse.cli", "scan", *args],
                       capture_output=True, text=True, timeout=60, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": ROOT})
    assert r.returncode == 2, r.stderr
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("nse: error: "), r.stderr


def test_vv_and_d_imply_reason() -> None:
    """nmap prints reasons at -vv and -d ("Host is up, received localhost-response")."""
    assert not parse_args(["-v", "127.0.0.1"]).reason
    assert parse_args(["-vv", "127.0.0.1"]).reason
    assert parse_args(["-d", "127.0.0.1"]).reason


@pytest.mark.nmap
@pytest.mark.root
@pytest.mark.skipif(shutil.which("nmap") is None or os.geteuid() != 0 or not os.path.isfile(
    "/usr/share/nmap/nmap-services"), reason="needs root, nmap and its services table")
@pytest.mark.parametrize("top,spec", [(3, "1-100"), (5, "20-25,80-90,443,3306"),
                                       (2, "T:1-30,U:50-60")])
def test_top_ports_within_a_port_range_as_nmap(top: int, spec: str) -> None:
    # nmap 7.93 scans the N most frequent ports of the -p range; -F with -p is an error
    def services(cmd: list[str]) -> list[str]:
        r = subprocess.run(cmd + ["-sT", "-sU", "-Pn", "-n", "--max-retries", "0",
                                  "--top-ports", str(top), "-p", spec, "-oX", "-",
                                  "127.0.0.1"], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        return re.findall(r'<scaninfo type="(\w+)" protocol="(\w+)" numservices="(\d+)" '
                          r'services="([^"]*)"', r.stdout)

    want = services(["nmap"])
    assert want
    assert services([sys.executable, "-m", "nse.cli", "scan"]) == want


def test_fast_with_port_list_is_one_line_error() -> None:
    r = subprocess.run([sys.executable, "-m", "nse.cli", "scan", "-F", "-p", "80",
                        "127.0.0.1"], capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert len(r.stderr.strip().splitlines()) == 1 and "-F" in r.stderr
