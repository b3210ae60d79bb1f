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


def test_scan_process_ends_with_every_output_complete(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`nse scan` without scripts ends with os._exit after flushing (run_and_exit): the
    screen output through a pipe and the -oN/-oX/-oG files are complete, and the exit
    status is the scan's (1 here: one target did not resolve)."""
    import socket

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    port = srv.getsockname()[1]
    try:
        out = {k: tmp_path / f"scan.{k}" for k in ("nmap", "xml", "gnmap")}
        r = subprocess.run(
            [sys.executable, "-m", "nse.cli", "scan", "-sT", "-Pn", "-n", "-p", str(port),
             "-oN", str(out["nmap"]), "-oX", str(out["xml"]), "-oG", str(out["gnmap"]),
             "127.0.0.1", "no-such-host.invalid"],
            capture_output=True, text=True, timeout=60)
    finally:
        srv.close()
    assert r.returncode == 1, r.stderr
    assert f"{port}/tcp open" in r.stdout
    assert r.stdout.splitlines()[-1].startswith("Nmap done: 1 IP address (1 host up)")
    assert out["nmap"].read_text().splitlines()[-1].startswith("# Nmap done at ")
    assert out["xml"].read_text().rstrip().endswith("</nmaprun>")
    assert out["gnmap"].read_text().splitlines()[-1].startswith("# Nmap done at ")
