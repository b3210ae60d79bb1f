"""Python library code calling a function that returns several Lua values must take the
first where Lua would cut the list to one.

``http.get_status_string`` returns ``string.gsub``'s two results, as nselib's does; the
debug messages of ``can_use_head``/``identify_404``/``page_exists`` formatted the result
tuple itself (``userdata: 0x...``) where nmap prints the status text.  Checked through the
engine at ``-d`` against a loopback HTTP server, and against nmap 7.93 when it is there.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from nse.testing import fake_host, fake_port, run_script

PROBE = """description = "t"
categories = {"safe"}
local http = require "http"
portrule = function() return true end
action = function(host, port)
  http.can_use_head(host, port, nil, "/")
  http.identify_404(host, port)
  return "done"
end
"""

#: the lines the probe makes http print at -d (nmap's wording, nmap's status text)
WANT = [
    "HTTP: Didn't receive expected response to HEAD request (got 405 Method Not Allowed).",
    "HTTP: Host returns 403 Forbidden instead of 404 File Not Found.",
]


@contextmanager
def http_server() -> Iterator[int]:
    """HEAD: 405; anything else: 403 (a host that hides its 404s)."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)

    def one(c: socket.socket) -> None:
        with c:
            c.settimeout(10)
            buf = b""
            try:
                while True:
                    while b"\r\n\r\n" not in buf:
                        d = c.recv(4096)
                        if not d:
                            return
                        buf += d
                    head, _, buf = buf.partition(b"\r\n\r\n")
                    status = (b"405 Method Not Allowed" if head.startswith(b"HEAD ")
                              else b"403 Forbidden")
                    c.sendall(b"HTTP/1.1 " + status + b"\r\nContent-Length: 2\r\n\r\nno")
            except OSError:
                return

    def loop() -> None:
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=one, args=(c,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    try:
        yield srv.getsockname()[1]
    finally:
        srv.close()


def _http_lines(text: str) -> list[str]:
    # "NSE: [probe 127.0.0.1:PORT] HTTP: ..." -> "HTTP: ..." (the lines WANT names)
    out = []
    for line in text.splitlines():
        m = re.search(r"\] (HTTP: (?:Didn't receive|Host returns) .*)$", line)
        if m:
            out.append(m.group(1))
    return out


def test_status_text_in_http_debug_messages(tmp_path: Path) -> None:
    script = tmp_path / "probe.nse"
    script.write_text(PROBE)
    with http_server() as port:
        r = run_script(str(script), fake_host("127.0.0.1", [fake_port(port, service="http")]),
                       debugging=1)
    assert r.port_text(port) == "|_probe: done"
    assert _http_lines("".join(r.log)) == WANT, r.log


@pytest.mark.nmap
@pytest.mark.skipif(shutil.which("nmap") is None, reason="needs the nmap binary")
def test_same_lines_as_nmap(tmp_path: Path) -> None:
    script = tmp_path / "probe.nse"
    script.write_text(PROBE)
    with http_server() as port:
        res = subprocess.run(["nmap", "-d", "-Pn", "-n", "-p", str(port), "--script",
                              str(script), "127.0.0.1"], capture_output=True, text=True,
                             timeout=120, check=False)
    assert _http_lines(res.stdout) == WANT, res.stdout
