"""`nse scan` on the command line: bad input is one line on stderr and exit status 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

CASES = [
    ["-sS", "-p80", "10.0.0.1/40"],
    ["-p", "1-70000", "127.0.0.1"],
    ["-p", "90-80", "127.0.0.1"],
    ["-T7", "127.0.0.1"],
    ["--max-rtt-timeout", "fast", "127.0.0.1"],
    ["--exclude", "10.0.0.999", "127.0.0.1"],
    ["-sQ", "127.0.0.1"],
    ["-p80"],
    ["-iL", "/nonexistent/targets.txt"],
    ["-pU:53,T:", "-sT", "999.1.1.1"],
]


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    # all given in one process: the CLI's main() is what `nse scan` calls
    code = "import sys; from nse.cli_scan import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("args", CASES)
def test_bad_input_is_one_line_and_exit_2(args: list[str]) -> None:
    r = run(args)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("nse: error: "), r.stderr
    assert "Traceback" not in r.stderr


def test_help() -> None:
    r = run(["--help"])
    assert r.returncode == 0 and "Usage: nse scan" in r.stdout
