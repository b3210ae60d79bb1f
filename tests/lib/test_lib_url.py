"""url: compared call by call with nmap's url.lua under lua5.4."""

from __future__ import annotations

from libref import compare, needs_nselib

from nse.lib import url

URLS = [
    "",
    "http://example.com",
    "http://Example.COM:8080/a/b.c;p?q=1&r=2#frag",
    "HTTPS://u:p@host/",
    "ftp://user@host:21/x",
    "http://u:p:q@h/",
    "//host/path",
    "/a/b/c.php?x",
    "a/b.tar.gz",
    "a/b.",
    "/x.y/z",
    "/x.y;z",
    "file.txt#x.y",
    "http://[::1]:80/",
    "http://h:/",
    "http://h:port/",
    "http://@h/",
    "mailto:x@y",
    "http://h/%41%2f%2F%7e%zz%",
    "http://h/a%20b?c%3Dd",
    "http://münchen.de/",
    "http://xn--abc/",
    "http://-a.com/",
    "http://a_b.com/x",
    "http://faß.de/",
    "?only",
    ";params?q#f",
    "#",
    "1http://x",
    "+x:y",
    "http://h#a#b",
    "http://h/a\x00.b",
    "http://h/a.b\x00c",
    "x.a\x00",
    "http://h/p.php;jsessionid=1",
]


def _enc(s: str) -> str:
    return s.encode("utf-8").decode("latin-1")


@needs_nselib
def test_parse_vs_nmap() -> None:
    calls = [("parse", [_enc(u)]) for u in URLS]
    calls += [("parse", ["http://h/x", {"port": 1, "extra": "y"}]), ("parse", [None])]
    compare("url", url, calls)


@needs_nselib
def test_escape_unescape_vs_nmap() -> None:
    samples = ["", "abc", "a b&c=d/é", "".join(map(chr, range(256))), "%41%4", "%%", "%zz", 12]
    calls = [("escape", [s]) for s in samples] + [("unescape", [s]) for s in samples]
    calls += [("unescape", [url.escape(s)]) for s in samples]
    compare("url", url, calls)


@needs_nselib
def test_paths_and_build_vs_nmap() -> None:
    paths = ["", "/", "/a/b", "a/b/", "//a//b//", "/a%20b/c%2Fd/", "/%41", "/a-b_c.d~e"]
    calls = [("parse_path", [p]) for p in paths]
    calls += [
        ("build_path", [{1: "a", 2: "b", "is_absolute": 1}]),
        ("build_path", [{1: "a:b", "is_directory": 1}]),
        ("build_path", [{1: "a b"}]),
        ("build_path", [{1: "a b", 2: "c"}, True]),
        ("build_path", [{}]),
    ]
    for u in URLS:
        if "%" not in u and " " not in u:
            calls.append(("build", [url.parse(_enc(u)).to_dict()]))
    calls += [
        ("build", [{"host": "h", "port": 80, "user": "u", "password": "p", "path": "/x/"}]),
        ("build", [{"authority": "a", "scheme": "s", "fragment": "f", "query": "q"}]),
        ("build", [{"path": "/a b"}]),
        ("build", [{"path": "/a(b)!"}]),
    ]
    compare("url", url, calls)


@needs_nselib
def test_absolute_vs_nmap() -> None:
    bases = ["http://a/b/c/d;p?q", "http://a", "http://a/", "/rel/x", "http://u@a:8/b/."]
    rels = [
        "g",
        "./g",
        "g/",
        "/g",
        "//g",
        "?y",
        "g?y",
        "#s",
        "g#s",
        "g;x",
        "",
        ".",
        "./",
        "..",
        "../",
        "../g",
        "../..",
        "../../g",
        "../../../g",
        "/./g",
        "/../g",
        "g.",
        ".g",
        "g..",
        "..g",
        "./../g",
        "./g/.",
        "g/./h",
        "g/../h",
        "http:g",
        "ftp://x/y",
        "a%20b",
        "%41",
        "a%%b",
    ]
    calls = [("absolute", [b, r]) for b in bases for r in rels]
    calls.append(("absolute", [{"scheme": "http", "host": "h", "path": "/a/b"}, "c"]))
    compare("url", url, calls)


@needs_nselib
def test_query_and_defaults_vs_nmap() -> None:
    qs = [
        "",
        "a=1",
        "a=1&b=2",
        "a=1&amp;b=2",
        "a&b=",
        "a=b=c",
        "%41=%42",
        "&&",
        "x=&lt;&gt;",
        "a=1&a=2",
        "&ampl;x=1",
    ]
    calls = [("parse_query", [q]) for q in qs]
    calls += [("build_query", [{"a b": "c&d"}]), ("build_query", [{}]), ("build_query", [{1: 2}])]
    calls += [("get_default_port", [s]) for s in ["http", "HTTPS", "ftp", None, ""]]
    calls += [("get_default_scheme", [p]) for p in [80, 443, 8080, {"number": 443}]]
    compare("url", url, calls)


def test_literals() -> None:
    p = url.parse("http://User:Pw@Example.com:81/a/b.php;x?y=1#z")
    assert (p.scheme, p.user, p.password, p.host, p.ascii_host, p.port) == (
        "http",
        "User",
        "Pw",
        "Example.com",
        "example.com",
        81,
    )
    assert (p.path, p.params, p.query, p.fragment, p.extension) == (
        "/a/b.php",
        "x",
        "y=1",
        "z",
        "php",
    )
    assert url.absolute("http://a/b/c/d;p?q", "../g") == "http://a/b/g"
    assert url.escape("a b") == "a%20b"


IDNA_HOSTS = [
    "münchen.de",
    "ÄÖÜ.de",
    "faß.de",
    "ΣΊΣΥΦΟΣ.gr",
    "a\u200db.com",
    "so\u00adft.com",
    "½.com",
    "日本.jp",
    "😀.com",
    "ÉCOLE.fr",
    "xn--abc.com",
    "ab--c.com",
    "-x.com",
    "x-.com",
    "a..b",
    "Ｆｕｌｌ.com",
    "ǅ.com",
    "İ.tr",
    "\u0378.com",
]


@needs_nselib
def test_ascii_host_vs_nmap_idna() -> None:
    calls: list[tuple[str, list[object]]] = [
        ("parse", ["http://" + _enc(h) + "/"]) for h in IDNA_HOSTS
    ]
    calls += [("parse", ["http://\xff.com/"]), ("parse", ["http://a\xc3.com/"])]
    compare("url", url, calls)
