"""The README's first command works: a Python http.server on 127.0.0.1:8080 and
``nse scan -Pn -p 8080 --script http-title,http-server-header 127.0.0.1``, with nmap's
data directory present, and (as root) in a mount namespace where /usr/share/nmap is
empty, as on a machine without nmap: then only the bundled scripts_py/ exist."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
#: 8080 as in the README; on a shared machine where it is taken, another port that
#: shortport.http (nmap's and ours) counts as HTTP by number
PORTS = [8080, 8000, 8088, 8180, 7080]


def args(port: int) -> list[str]:
    return ["-Pn", "-p", str(port), "--script", "http-title,http-server-header",
            "127.0.0.1"]


def _free(port: int) -> bool:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


@pytest.fixture(scope="module")
def http_8080(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    """``python3 -m http.server 8080 --bind 127.0.0.1`` serving an empty directory."""
    free = [p for p in PORTS if _free(p)]
    if not free:
        pytest.skip("127.0.0.1:8080 and the other HTTP ports are in use")
    port = free[0]
    served = tmp_path_factory.mktemp("www")
    p = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                          "127.0.0.1"], cwd=served, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):  # wait until it listens (bounded: 10 s)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port, f"Python/{sys.version.split()[0]}"
    finally:
        p.terminate()
        p.wait(10)


def _expect(stdout: str, server: tuple[int, str]) -> None:
    port, python = server
    lines = stdout.splitlines()
    i = lines.index("PORT     STATE SERVICE")
    assert lines[i + 1].startswith(f"{port}/tcp open  ")
    assert lines[i + 2:i + 4] == [f"|_http-server-header: SimpleHTTP/0.6 {python}",
                                  "|_http-title: Directory listing for /"]
    assert lines[-1].startswith("Nmap done: 1 IP address (1 host up) scanned in ")


def test_readme_command(http_8080: tuple[int, str]) -> None:
    r = subprocess.run([sys.executable, "-m", "nse.cli", "scan", *args(http_8080[0])], capture_output=True,
                       text=True, timeout=120, cwd=ROOT, env={**os.environ, "PYTHONPATH": ROOT})
    assert r.returncode == 0, r.stderr
    _expect(r.stdout, http_8080)


@pytest.mark.root
def test_readme_command_without_nmap(http_8080: tuple[int, str], tmp_path: str) -> None:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare for a private mount namespace")
    empty = os.path.join(tmp_path, "empty")
    os.mkdir(empty)
    nmapdir = "/usr/share/nmap"
    hide = f"mount --bind {empty} {nmapdir} && " if os.path.isdir(nmapdir) else ""
    # HOME elsewhere: no ~/.nmap and no transpiler cache from earlier runs
    cmd = (f"{hide}exec {sys.executable} -m nse.cli scan " + " ".join(args(http_8080[0])))
    r = subprocess.run(["unshare", "-m", "sh", "-c", cmd], capture_output=True, text=True,
                       timeout=120, cwd=ROOT, env={**os.environ, "PYTHONPATH": ROOT,
                                                   "HOME": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    _expect(r.stdout, http_8080)


@pytest.mark.nmap
def test_default_scripts_equal_nmaps(http_8080: tuple[int, str]) -> None:
    """-sC (nmap's default category, run through the transpiler) on the same server:
    the same report as nmap's."""
    nmap = shutil.which("nmap")
    if nmap is None:
        pytest.skip("needs nmap")
    args = ["-sC", "-Pn", "-p", str(http_8080[0]), "127.0.0.1"]
    ours = subprocess.run([sys.executable, "-m", "nse.cli", "scan", *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": ROOT})
    theirs = subprocess.run([nmap, *args], capture_output=True, text=True, timeout=120)
    assert ours.returncode == 0, ours.stderr

    def norm(text: str) -> list[str]:
        lines = text.splitlines()[1:]  # the "Starting ..." line names the program
        return [re.sub(r"\(\d+\.\d+s latency\)|in \d+\.\d+ seconds", "X", x) for x in lines]

    assert norm(ours.stdout) == norm(theirs.stdout)
    assert "|_http-title: Directory listing for /" in ours.stdout
