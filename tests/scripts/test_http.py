"""http-title, http-headers, http-server-header, http-date, http-generator,
http-robots.txt, http-methods: ours against nmap's on small fake web servers.

Each fake answers from a table ``{(method, path): (status line, headers, body)}``
(anything else: 404) and closes the connection after each answer, as HTTP/1.0 servers
do.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Callable

import pytest

from . import fakes
from .harness import HAVE_NMAP, outputs, sub

nmap = pytest.mark.skipif(not HAVE_NMAP, reason="nmap not installed")

Page = tuple[str, list[tuple[str, str]], bytes]


def web(pages: dict[tuple[str, str], Page], server: str = "FakeHTTPd/1.0") -> Callable[
        [fakes.Conn], None]:
    def serve(c: fakes.Conn) -> None:
        line = c.line()
        if not line:
            return
        while c.line() not in (None, ""):
            pass
        parts = line.split(" ")
        if len(parts) < 2:
            return
        method, path = parts[0], parts[1]
        status, headers, body = pages.get((method, path)) or pages.get(("*", path)) or (
            "404 Not Found", [("Content-Type", "text/html")], b"<h1>nope</h1>")
        head = f"HTTP/1.1 {status}\r\nServer: {server}\r\n"
        head += f"Date: {email.utils.formatdate(usegmt=True)}\r\n"
        for k, v in headers:
            head += f"{k}: {v}\r\n"
        head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        c.send(head.encode("latin-1") + (b"" if method == "HEAD" else body))

    return serve


HTML = [("Content-Type", "text/html; charset=utf-8")]

SITES: dict[str, dict[tuple[str, str], Page]] = {
    "plain": {("*", "/"): ("200 OK", HTML,
                           b"<html><head><TITLE>Hello\tfake\r\n world</TITLE>"
                           b'<meta name="generator" content="FakeCMS 4.2" /></head></html>')},
    "long-title": {("*", "/"): ("200 OK", HTML, b"<title>" + b"A" * 80 + b"</title>")},
    "no-title": {("*", "/"): ("200 OK", HTML, b"<p>nothing</p>")},
    "redirect": {("*", "/"): ("302 Found", [("Location", "/login")], b""),
                 ("*", "/login"): ("200 OK", HTML, b"<title>Login</title>")},
    "offsite-redirect": {("*", "/"): ("301 Moved", [("Location", "http://elsewhere.test/")],
                                      b"")},
    "robots": {("*", "/"): ("200 OK", HTML, b"<title>r</title>"),
               ("*", "/robots.txt"): ("200 OK", [("Content-Type", "text/plain")],
                                      b"User-agent: *\nDisallow: /admin/\nDisallow: /private/"
                                      b"  # keep out\nDisallow: /admin/\nDisallow:\n"
                                      + b"".join(b"Disallow: /dir%02d/\n" % i
                                                 for i in range(20)))},
    "methods": {("OPTIONS", "/"): ("200 OK", [("Allow", "GET, HEAD, POST, OPTIONS, PUT, "
                                                        "DELETE")], b""),
                ("GET", "/"): ("200 OK", HTML, b"<title>m</title>"),
                ("HEAD", "/"): ("200 OK", HTML, b"")},
    "no-options": {("GET", "/"): ("200 OK", HTML, b"<title>m</title>"),
                   ("HEAD", "/"): ("200 OK", HTML, b""),
                   ("POST", "/"): ("200 OK", HTML, b"")},
}

SCRIPTS = ["http-title", "http-headers", "http-server-header", "http-date",
           "http-generator", "http-robots.txt", "http-methods"]

# the Date header and the clock difference change from one run to the next
NORM = [sub(r"^\|   Date: .*$", "|   Date: <date>"),
        sub(r"(http-date: ).*; .* from local time\.", r"\1<date>")]


def norm(s: str) -> str:
    for f in NORM:
        s = f(s)
    return s


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("site", list(SITES))
@pytest.mark.parametrize("script", SCRIPTS)
def test_like_nmap(script: str, site: str) -> None:
    with fakes.tcp(web(SITES[site])) as port:
        want, lua, twin = outputs(script, port, "http", norm=norm)
    assert lua == want
    assert twin == lua


def test_some_outputs_are_not_empty() -> None:
    """Guards the parametrised comparison against two empty outputs everywhere."""
    from .harness import our_block

    with fakes.tcp(web(SITES["plain"])) as port:
        assert our_block("scripts_lua/http-title.nse", port, "http") == \
            "|_http-title: Hellofake world"
        gen = our_block("scripts_lua/http-generator.nse", port, "http")
    assert gen == "|_http-generator: FakeCMS 4.2"
    with fakes.tcp(web(SITES["methods"])) as port:
        got = our_block("scripts_lua/http-methods.nse", port, "http")
    assert re.search(r"Potentially risky methods: PUT DELETE", got), got


ICON = bytes(range(256)) * 3
ICON_SITES: dict[str, dict[tuple[str, str], Page]] = {
    "favicon.ico": {("*", "/"): ("200 OK", HTML, b"<title>x</title>"),
                    ("*", "/favicon.ico"): ("200 OK", [("Content-Type", "image/x-icon")],
                                            ICON)},
    "link-rel-icon": {("*", "/"): ("200 OK", HTML,
                                   b"<link rel='stylesheet' href='/s.css'>"
                                   b'<LINK REL="shortcut icon" HREF="static/i.png">'),
                      ("*", "/static/i.png"): ("200 OK", [("Content-Type", "image/png")],
                                               ICON[::-1])},
    "no-icon": SITES["plain"],
}


@nmap
@pytest.mark.nmap
@pytest.mark.parametrize("site", list(ICON_SITES))
def test_favicon_like_nmap(site: str) -> None:
    with fakes.tcp(web(ICON_SITES[site])) as port:
        want, lua, twin = outputs("http-favicon", port, "http")
    # a relative link resolves to port 80 (the scheme's default), not the test port, so
    # both fall back to /favicon.ico, which this site does not have
    assert bool(want) == (site == "favicon.ico")
    assert lua == want
    assert twin == lua
