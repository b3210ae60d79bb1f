"""http page helpers compared with nmap's http.lua under lua5.4 (dates, WWW-Authenticate,
status strings, response_contains, forms, 404 cleaning)."""

from __future__ import annotations

import hashlib
from typing import Any

from libref import Raw, compare, lua_calls, needs_nselib

from nse.lib import http

DATES = [
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "Sunday, 06-Nov-94 08:49:37 GMT",
    "Sun Nov  6 08:49:37 1994",
    "Sun Nov 16 08:49:37 1994",
    "Thu, 01 Jan 70 00:00:00 GMT",
    "Sun, 06 Nov 1994 08:49:37 PST",
    "Sun, 06 Foo 1994 08:49:37 GMT",
    "garbage",
    "",
    "Mon, 1 Jan 2024 00:00:00 GMT",
]
AUTH = [
    'Basic realm="x"',
    'Digest realm="a b", nonce="n\\"q", qop="auth,auth-int"',
    "Negotiate",
    "NTLM, Basic realm=x",
    'Basic realm="x", Bearer',
    "Basic realm=",
    "",
    'Basic realm="x",',
    'Basic realm="x", realm="y"',
    "Basic realm=x, Digest realm=y nonce=z",
    '"bad"',
]
RESP = {
    "status-line": "HTTP/1.1 200 OK\r\n",
    "rawheader": ["Server: Apache/2.4.1 (Unix)", "X-Powered-By: PHP/7.2", ""],
    "body": "<html><title>Hello World</title></html>",
}
FORM = (
    '<html><FORM action="/login?a=1&amp;b=2" METHOD=Post id=MyForm>'
    '<input type="text" name="user" value="x&lt;y"><INPUT TYPE=password name=pass>'
    "<input name=n value='&#65;&#x42;'><input type=submit value=go><textarea name=t></textarea>"
    "</form> junk <form><input name=q></form><form>"
)


@needs_nselib
def test_pure_functions_vs_nmap() -> None:
    calls: list[tuple[str, list[Any]]] = [("parse_date", [d]) for d in DATES]
    calls += [("parse_www_authenticate", [a]) for a in AUTH]
    calls += [
        ("get_status_string", [v])
        for v in (
            None,
            {},
            {"status": 404},
            {"status-line": "HTTP/1.1 404 Not Found\r\n"},
            {"status-line": "nospace"},
        )
    ]
    calls += [
        ("response_contains", [RESP, p, cs])
        for p, cs in (
            ("apache/([%d.]+)", None),
            ("Apache/([%d.]+)", True),
            ("APACHE", None),
            ("hello", None),
            ("Hello (%a+)", True),
            ("200", None),
            ("nothere", None),
            ("", None),
            (None, None),
            ("php/(%d)%.(%d)", None),
        )
    ]
    calls += [("tag_pattern", ["form"]), ("tag_pattern", ["Input", True])]
    calls += [("grab_forms", [FORM]), ("grab_forms", [None]), ("grab_forms", ["<form>x"])]
    calls += [
        ("parse_form", [f])
        for f in (FORM, '<form action=/x method="GET"><input name="a" checked></form>')
    ]
    calls += [
        ("page_exists", [d, r404, None, "/p", disp])
        for d, r404, disp in (
            ({"status": 200, "body": "x"}, 404, None),
            ({"status": 404}, 404, None),
            ({"status": 401}, 404, None),
            ({"status": 403}, 404, None),
            ({"status": 403}, 404, True),
            ({"status": 302}, 302, True),
            (None, 404, None),
            ({"status": 200, "body": ""}, 200, None),
        )
    ]
    calls += [("redirect_ok", [{"ip": "1.2.3.4"}, 80, 3])]
    host = {"ip": "10.0.0.1", "targetname": "www.example.com", "name": ""}
    for status, loc in (
        (301, "/new"),
        (302, "rel/page?x=1"),
        (303, "http://other.example:8080/a?b"),
        (307, "https://www.example.com/"),
        (308, "/x"),
        (200, "/y"),
        (300, "//cdn.example/z"),
        (302, "../up"),
        (302, "?q=2"),
        (302, "http://u:p@h.example/"),
    ):
        resp = {"status": status, "header": {"location": loc}}
        calls += [
            ("parse_redirect", [host, 80, "/dir/page.html?old=1", resp]),
            ("parse_redirect", [host, {"number": 8443}, "/dir/", resp]),
        ]
    calls += [("parse_redirect", [host, 80, "/", {"status": 302, "header": {}}])]
    compare("http", http, calls)


@needs_nselib
def test_clean_404_vs_nmap() -> None:
    # nmap without OpenSSL in lua5.4 returns the cleaned text; with OpenSSL (ours, and
    # nmap itself) the result is its MD5
    bodies = [
        "Not found at 12:34:56 PM on 2024-01-02 /var/www/x.html C:\\inetpub\\x y",
        "at 1:02:03am 01/02/2024 and 01-02-24 091523",
        "plain",
    ]
    want = lua_calls("http", [("clean_404", [b]) for b in bodies])
    for b, w in zip(bodies, want, strict=True):
        text = bytes.fromhex(w[len("R:s") :]).decode("latin-1")
        assert http.clean_404(b) == hashlib.md5(text.encode("latin-1")).digest().decode("latin-1")


@needs_nselib
def test_redirect_rules_vs_nmap() -> None:
    # redirect_ok(host, port, n) applied to parsed URLs: both sides build the checker
    prelude = """
M.t_redir = function(host, port, n, ...)
  local check = M.redirect_ok(host, port, n)
  local out = {}
  for i, u in ipairs({...}) do out[i] = check(u) end
  return out
end
"""
    import types

    from nse.lua.luatable import LuaTable

    def t_redir(host: Any, port: Any, n: Any, *urls: Any) -> Any:
        check = http.redirect_ok(host, port, n)
        return LuaTable.from_list([check(u) for u in urls])

    py = types.SimpleNamespace(__all__=["t_redir"], t_redir=t_redir)
    host = {"ip": "10.0.0.1", "targetname": "www.example.com", "name": ""}
    iphost = {"ip": "10.0.0.1", "name": ""}
    port = {"number": 80, "service": "http"}
    urls = [
        {"host": "www.example.com", "path": "/a", "scheme": "http"},
        {"host": "other.example.com", "path": "/a"},
        {"host": "www.evil.com", "path": "/a"},
        {"host": "www.example.com", "path": "/a", "userinfo": "u:p"},
        {"host": "www.example.com", "path": "/a", "port": 8080},
        {"host": "www.example.com", "path": "/a", "scheme": "https"},
        {"host": "www.example.com", "path": "/a", "scheme": "https", "port": 80},
        {"host": "www.example.com", "path": "/"},
        {"host": "www.example.com"},
    ]
    calls: list[tuple[str, list[Any]]] = [("t_redir", [host, port, 20, *urls])]
    calls += [
        (
            "t_redir",
            [
                iphost,
                port,
                5,
                {"host": "10.0.0.1", "path": "/x"},
                {"host": "10.0.0.2", "path": "/x"},
            ],
        )
    ]
    calls += [("t_redir", [host, port, 2, urls[0], urls[0], urls[0]])]
    calls += [("t_redir", [Raw('"www.example.com"', "www.example.com"), 80, 5, urls[0], urls[7]])]
    compare("http", py, calls, prelude)
