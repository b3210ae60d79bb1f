"""nmap's last lines before "Nmap done", compared with nmap 7.93 for the same scans:

* after ``-sV`` (and ``-A``, which here runs no OS detection), "Service detection
  performed. Please report any incorrect results at https://nmap.org/submit/ ." on the
  screen and in ``-oN``, after the post-scan script results;
* nothing of the kind after ``--script`` alone;
* "Note: Host seems down. ..." when the one host scanned did not answer discovery, on
  the screen only (a network namespace of our own, root only);
* the blank line that ends a host report: none after a ``-sn`` report without host
  script results, none after a "[host down]" line;
* with ``-v``: the "NSE: Script Pre-scanning." / "NSE: Script scanning ADDRESS." /
  "NSE: Script Post-scanning." lines and "Read data files from: DIR" before the end
  (screen and -oN).

Only 127.0.0.1 (and, in the namespace, an address nobody holds) is scanned.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from nse.output.normal import format_detection_note, format_down_hint

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NMAP = shutil.which("nmap")
needs_nmap = pytest.mark.skipif(NMAP is None, reason="needs nmap")

#: recorded from nmap 7.93 (nmap -sV; nmap against a host that does not answer)
SERVICE_NOTE = ("Service detection performed. Please report any incorrect results at "
                "https://nmap.org/submit/ .")
OS_SERVICE_NOTE = "OS and " + SERVICE_NOTE
DOWN_HINT = "Note: Host seems down. If it is really up, but blocking our ping probes, try -Pn"

HOST_NSE = """\
description = [[A host script line.]]
categories = {"safe"}
hostrule = function() return true end
action = function(host) return "host " .. host.ip end
"""

POST_NSE = """\
description = [[A post-scan line, to see where the closing note goes.]]
categories = {"safe"}
postrule = function() return true end
action = function() return "post ran" end
"""


def test_detection_note_words() -> None:
    assert format_detection_note(1, service_scan=True) == SERVICE_NOTE + "\n"
    assert format_detection_note(1, service_scan=True, os_scan=True) == OS_SERVICE_NOTE + "\n"
    assert format_detection_note(0, service_scan=True) == ""  # no host up: nothing
    assert format_detection_note(3, service_scan=False) == ""
    assert format_down_hint(1, 0, pinged=True) == DOWN_HINT + "\n"
    assert format_down_hint(1, 0, pinged=False) == ""  # -Pn
    assert format_down_hint(2, 0, pinged=True) == ""  # nmap says it for one host only
    assert format_down_hint(1, 1, pinged=True) == ""


@pytest.fixture(scope="module")
def ssh_port() -> Iterator[int]:
    """A loopback server greeting like OpenSSH (nmap's NULL probe names it at once)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(32)
    stop = threading.Event()

    def serve() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                c, _ = srv.accept()
            except OSError:
                continue
            try:
                c.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u1\r\n")
            except OSError:
                pass
            finally:
                c.close()

    th = threading.Thread(target=serve, daemon=True)
    th.start()
    try:
        yield srv.getsockname()[1]
    finally:
        stop.set()
        th.join(5)
        srv.close()


@pytest.fixture(scope="module")
def post_script(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("scripts") / "post.nse"
    path.write_text(POST_NSE)
    return str(path)


@pytest.fixture(scope="module")
def host_script(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("scripts") / "hostline.nse"
    path.write_text(HOST_NSE)
    return str(path)


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": ROOT})


def _ours(args: list[str]) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "nse.cli", "scan", *args])


def _nmap(args: list[str]) -> subprocess.CompletedProcess[str]:
    assert NMAP is not None
    return _run([NMAP, *args])


def normalise(text: str) -> list[str]:
    """Lines without the start line, the -oN comment lines' dates and command, latencies
    and times."""
    out = []
    for line in text.splitlines():
        if line.startswith(("Starting Nmap ", "Starting nse ", "# Nmap 7.93 scan initiated",
                            "# nse ")):
            continue
        line = re.sub(r" \(\d+\.\d+s latency\)", "", line)
        line = re.sub(r"scanned in \d+\.\d+ seconds", "scanned in T seconds", line)
        line = re.sub(r"^# Nmap done at .* -- ", "# Nmap done at D -- ", line)
        out.append(line)
    return out


def _tail(lines: list[str], n: int = 2) -> list[str]:
    return lines[-n:]


@needs_nmap
@pytest.mark.nmap
def test_version_scan_note_equals_nmaps(ssh_port: int, post_script: str,
                                        tmp_path: str) -> None:
    """-sV with a post-scan script: the note comes after the post-scan results, before
    "Nmap done", on the screen and in -oN, as nmap's."""
    ours_file, nmap_file = (os.path.join(tmp_path, n) for n in ("ours.nmap", "nmap.nmap"))
    args = ["-Pn", "-sV", "-p", str(ssh_port), "--script", post_script, "127.0.0.1"]
    ours, theirs = _ours([*args, "-oN", ours_file]), _nmap([*args, "-oN", nmap_file])
    assert ours.returncode == 0, ours.stderr
    assert theirs.returncode == 0, theirs.stderr
    want = normalise(theirs.stdout)
    assert _tail(want, 4) == ["Post-scan script results:", "|_post: post ran",
                              SERVICE_NOTE, "Nmap done: 1 IP address (1 host up) scanned "
                              "in T seconds"]
    assert normalise(ours.stdout) == want
    with open(ours_file) as f:
        ours_n = normalise(f.read())
    with open(nmap_file) as f:
        nmap_n = normalise(f.read())
    assert _tail(nmap_n, 2)[0] == SERVICE_NOTE
    assert ours_n == nmap_n


@needs_nmap
@pytest.mark.nmap
def test_script_scan_has_no_note(ssh_port: int, post_script: str) -> None:
    """--script without -sV ends straight with "Nmap done", as nmap's."""
    args = ["-Pn", "-p", str(ssh_port), "--script", post_script, "127.0.0.1"]
    ours, theirs = _ours(args), _nmap(args)
    assert ours.returncode == 0, ours.stderr
    want = normalise(theirs.stdout)
    assert SERVICE_NOTE not in want
    assert normalise(ours.stdout) == want


@pytest.mark.nmap
def test_aggressive_scan_note_is_the_service_one(ssh_port: int, tmp_path: str) -> None:
    """-A here is -sV -sC without OS detection: nmap's -sV note (nmap's -A, which does
    detect the OS, says "OS and Service detection performed."), screen and -oN."""
    path = os.path.join(tmp_path, "a.nmap")
    ours = _ours(["-Pn", "-A", "-p", str(ssh_port), "127.0.0.1", "-oN", path])
    assert ours.returncode == 0, ours.stderr
    assert _tail(normalise(ours.stdout))[0] == SERVICE_NOTE
    with open(path) as f:
        assert _tail(normalise(f.read()))[0] == SERVICE_NOTE


@needs_nmap
@pytest.mark.nmap
@pytest.mark.parametrize("scripts", [False, True])
def test_ping_scan_reports_end_as_nmaps(host_script: str, post_script: str,
                                        scripts: bool, tmp_path: str) -> None:
    """-sn: "Host is up." is followed at once by the next report or "Nmap done"; with
    host script results a blank line ends each report (screen and -oN)."""
    extra = ["--script", f"{host_script},{post_script}"] if scripts else []
    ours_file, nmap_file = (os.path.join(tmp_path, n) for n in ("ours.nmap", "nmap.nmap"))
    args = ["-sn", *extra, "127.0.0.1", "127.0.0.2"]
    ours, theirs = _ours([*args, "-oN", ours_file]), _nmap([*args, "-oN", nmap_file])
    assert ours.returncode == 0, ours.stderr
    want = normalise(theirs.stdout)
    assert ("" in want) is scripts
    assert normalise(ours.stdout) == want
    with open(ours_file) as f, open(nmap_file) as g:
        assert normalise(f.read()) == normalise(g.read())


#: -v lines not compared: the port scan's phase lines (tested in tests/cli), nmap's NSE
#: progress lines (one pair per runlevel: not printed here) and its "Raw packets" line
_PHASE_LINES = ("Initiating ", "Completed ", "Scanning ", "Discovered ", " ")


def _verbose_view(lines: list[str]) -> list[str]:
    return [re.sub(r"^Read data files from: .*", "Read data files from: DIR", x)
            for x in lines if not x.startswith(_PHASE_LINES)]


@needs_nmap
@pytest.mark.nmap
def test_verbose_script_scan_lines_equal_nmaps(ssh_port: int, host_script: str,
                                               post_script: str, tmp_path: str) -> None:
    ours_file, nmap_file = (os.path.join(tmp_path, n) for n in ("ours.nmap", "nmap.nmap"))
    args = ["-v", "-Pn", "-sT", "-p", str(ssh_port), "--script",
            f"{host_script},{post_script}", "127.0.0.1"]
    ours, theirs = _ours([*args, "-oN", ours_file]), _nmap([*args, "-oN", nmap_file])
    assert ours.returncode == 0, ours.stderr
    want = _verbose_view(normalise(theirs.stdout))
    assert want[:2] == ["NSE: Loaded 2 scripts for scanning.", "NSE: Script Pre-scanning."]
    assert "NSE: Script scanning 127.0.0.1." in want
    assert want[-5:] == ["NSE: Script Post-scanning.", "Post-scan script results:",
                         "|_post: post ran", "Read data files from: DIR",
                         "Nmap done: 1 IP address (1 host up) scanned in T seconds"]
    assert _verbose_view(normalise(ours.stdout)) == want
    with open(ours_file) as f, open(nmap_file) as g:
        ours_n, nmap_n = _verbose_view(normalise(f.read())), _verbose_view(normalise(g.read()))
    assert nmap_n[-2] == "Read data files from: DIR"
    assert ours_n == nmap_n


# ------------------------------------------------- a host that does not answer (namespace)

NS_SCRIPT = """
set -e
ip link set lo up
ip link add nsev0 type veth peer name nsev1
ip addr add 10.78.0.1/24 dev nsev0
ip link set nsev0 up
ip link set nsev1 up
"$NMAP" $ARGS -oN "$OUT/nmap.nmap" > "$OUT/nmap.txt" 2>&1
"$PYTHON" -m nse.cli scan $ARGS -oN "$OUT/ours.nmap" > "$OUT/ours.txt" 2>&1
"$NMAP" -v -p 80 10.78.0.9 -oN "$OUT/nmap-v1.nmap" > "$OUT/nmap-v1.txt" 2>/dev/null
"$PYTHON" -m nse.cli scan -v -p 80 10.78.0.9 -oN "$OUT/ours-v1.nmap" > "$OUT/ours-v1.txt" \
  2>/dev/null
"$NMAP" -v -p 80 10.78.0.9 127.0.0.1 > "$OUT/nmap-v.txt" 2>/dev/null
"$PYTHON" -m nse.cli scan -v -p 80 10.78.0.9 127.0.0.1 > "$OUT/ours-v.txt" 2>/dev/null
"""


def _can_unshare() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@needs_nmap
@pytest.mark.nmap
@pytest.mark.root
@pytest.mark.skipif(not _can_unshare(), reason="needs root and unshare -n")
def test_down_host_hint_equals_nmaps(tmp_path: str) -> None:
    env = {**os.environ, "PYTHONPATH": ROOT, "OUT": str(tmp_path), "NMAP": str(NMAP),
           "PYTHON": sys.executable, "ARGS": "-sV -p 80 10.78.0.9"}
    r = subprocess.run(["unshare", "-n", "bash", "-c", NS_SCRIPT], capture_output=True,
                       text=True, timeout=120, cwd=ROOT, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    got = {}
    for name in ("nmap.txt", "ours.txt", "nmap.nmap", "ours.nmap", "nmap-v.txt",
                 "ours-v.txt", "nmap-v1.txt", "ours-v1.txt", "nmap-v1.nmap", "ours-v1.nmap"):
        with open(os.path.join(tmp_path, name)) as f:
            got[name] = normalise(f.read())
    assert got["nmap.txt"] == [DOWN_HINT,
                               "Nmap done: 1 IP address (0 hosts up) scanned in T seconds"]
    assert got["ours.txt"] == got["nmap.txt"]
    # the hint is for the screen only; no detection note either: no host was up
    assert got["nmap.nmap"] == ["# Nmap done at D -- 1 IP address (0 hosts up) scanned in "
                                "T seconds"]
    assert got["ours.nmap"] == got["nmap.nmap"]
    # -v: the data directory line comes before the hint, and goes into -oN (the hint not)
    for kind in ("txt", "nmap"):
        want = _verbose_view(got[f"nmap-v1.{kind}"])
        assert want[-3 if kind == "txt" else -2:] == (
            ["Read data files from: DIR", DOWN_HINT] if kind == "txt"
            else ["Read data files from: DIR"]) + [
            ("# Nmap done at D -- " if kind == "nmap" else "Nmap done: ")
            + "1 IP address (0 hosts up) scanned in T seconds"]
        assert _verbose_view(got[f"ours-v1.{kind}"]) == want
    # -v: the "[host down]" line is followed at once by the next report
    report = ["Nmap scan report for 10.78.0.9 [host down]",
              "Nmap scan report for localhost (127.0.0.1)", "Host is up.", "",
              "PORT   STATE  SERVICE", "80/tcp closed http", "",
              "Nmap done: 2 IP addresses (1 host up) scanned in T seconds"]

    def reports(lines: list[str]) -> list[str]:
        # -v's phase lines and nmap's "Read data files" line are not compared here
        start = next(i for i, x in enumerate(lines) if x.startswith("Nmap scan report"))
        return [x for x in lines[start:] if not x.startswith(
            ("Read data files", " ", "Initiating ", "Completed ", "Scanning ",
             "Discovered "))]

    assert reports(got["nmap-v.txt"]) == report
    assert reports(got["ours-v.txt"]) == report
