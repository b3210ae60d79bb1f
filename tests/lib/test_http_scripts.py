"""nmap's own http-* scripts run by our engine on our http library, against a loopback
server started here, give exactly the output nmap 7.93 gives for the same server."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
from test_http_live import Server

from nse.testing import fake_host, fake_port, run_script

pytestmark = [
    pytest.mark.nmap,
    pytest.mark.skipif(shutil.which("nmap") is None, reason="needs the nmap binary"),
]


class SiteServer(Server):
    """A small site: redirect to /home (title, cookie), robots.txt, OPTIONS, basic auth."""

    def _answer(self, line: str, hdrs: dict[str, str], body: bytes) -> tuple[bytes, bool]:
        method, path, _v = line.split(" ")

        def resp(status: str, body: bytes = b"", extra: str = "") -> bytes:
            b = b"" if method == "HEAD" else body
            return (
                f"HTTP/1.1 {status}\r\nServer: TestSrv/1.0\r\n"
                f"Content-Length: {len(body)}\r\n{extra}\r\n"
            ).encode() + b

        if method == "OPTIONS":
            return resp("200 OK", b"", "Allow: GET, HEAD, POST, OPTIONS, TRACE\r\n"), False
        if path == "/":
            return resp("302 Found", b"", "Location: /home\r\n"), False
        if path == "/home":
            return resp(
                "200 OK",
                b"<html><head><title>Welcome &amp; hello</title>"
                b'<meta name="generator" content="Gen 1.0"></head>'
                b"<!-- a comment --></html>",
                "Content-Type: text/html\r\nSet-Cookie: PHPSESSID=abc; path=/\r\n",
            ), False
        if path == "/robots.txt":
            return resp("200 OK", b"User-agent: *\nDisallow: /secret/\nDisallow: /admin/\n"), False
        if path.startswith("/admin"):
            return resp("401 Unauthorized", b"no", 'WWW-Authenticate: Basic realm="adm"\r\n'), False
        return resp("404 Not Found", b"not found"), False


@pytest.fixture(scope="module")
def site() -> Iterator[SiteServer]:
    s = SiteServer()
    s.sock.listen(256)  # nmap's http-vhosts opens many connections at once
    yield s
    s.close()


def _nmap_output(script: str, port: int, args: str | None) -> str:
    extra = ["--script-args", args] if args else []
    p = subprocess.run(
        ["nmap", "-n", "-Pn", "-p", str(port), "--script", "+" + script, *extra, "127.0.0.1"],
        capture_output=True,
        timeout=120,
    )
    # split on "\n" only: a status line printed by a script keeps its "\r"
    lines = p.stdout.decode("latin-1").split("\n")
    return "\n".join(ln for ln in lines if ln.startswith("|"))


@pytest.mark.parametrize(
    ("script", "args"),
    [
        ("http-title", None),
        ("http-headers", None),
        ("http-methods", None),
        ("http-robots.txt", None),
        # nmap's normal output prints a "\r" inside script output as "\x0D"
        ("http-auth", "http-auth.path=/admin/"),
        ("http-cookie-flags", "path=/home"),
        ("http-generator", "path=/home"),
        ("http-server-header", None),
        ("http-enum", None),  # pipelining, identify_404, hundreds of paths
        ("http-vhosts", None),
        ("http-sitemap-generator", None),  # httpspider on top of http
        ("http-headers", "path=/home,useragent=Probe/1"),
    ],
)
def test_script_output_equals_nmap(site: SiteServer, script: str, args: str | None) -> None:
    host = fake_host("127.0.0.1", ports=[fake_port(site.port, service="http")])
    ours = run_script(
        f"/usr/share/nmap/scripts/{script}.nse", host, args=args, datadir="/usr/share/nmap"
    ).port_text(site.port)
    assert ours != "" or script == "http-server-header"
    assert ours == _nmap_output(script, site.port, args)
